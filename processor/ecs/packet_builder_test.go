package ecs

import (
	"encoding/binary"
	"net/netip"
)

// This file builds sampled-header bytes for the hand-written mapping tests:
// each function returns one layer followed by its payload.

// ethernet returns an Ethernet II frame; tags are (TPID, VLAN id) pairs
// inserted before the EtherType, outermost first.
func ethernet(dst, src [6]byte, etherType uint16, tags [][2]uint16, payload []byte) []byte {
	b := append(append([]byte{}, dst[:]...), src[:]...)
	for _, t := range tags {
		b = binary.BigEndian.AppendUint16(b, t[0])
		b = binary.BigEndian.AppendUint16(b, t[1])
	}
	b = binary.BigEndian.AppendUint16(b, etherType)
	return append(b, payload...)
}

// ipv4 returns an IPv4 header without options (TTL 64, TOS 0xB8: DSCP 46).
func ipv4(src, dst string, proto uint8, payload []byte) []byte {
	b := make([]byte, 20, 20+len(payload))
	b[0], b[1] = 0x45, 0xB8
	binary.BigEndian.PutUint16(b[2:], uint16(20+len(payload)))
	binary.BigEndian.PutUint16(b[4:], 0x1234)
	b[8], b[9] = 64, proto
	s, d := netip.MustParseAddr(src).As4(), netip.MustParseAddr(dst).As4()
	copy(b[12:], s[:])
	copy(b[16:], d[:])
	return append(b, payload...)
}

// ipv6 returns an IPv6 header (hop limit 255, flow label 0x12345).
func ipv6(src, dst string, next uint8, payload []byte) []byte {
	b := make([]byte, 40, 40+len(payload))
	binary.BigEndian.PutUint32(b, 6<<28|0x12345)
	binary.BigEndian.PutUint16(b[4:], uint16(len(payload)))
	b[6], b[7] = next, 255
	s, d := netip.MustParseAddr(src).As16(), netip.MustParseAddr(dst).As16()
	copy(b[8:], s[:])
	copy(b[24:], d[:])
	return append(b, payload...)
}

// tcp returns a TCP header without options.
func tcp(sp, dp uint16, flags uint8) []byte {
	b := make([]byte, 20)
	binary.BigEndian.PutUint16(b, sp)
	binary.BigEndian.PutUint16(b[2:], dp)
	b[12], b[13] = 5<<4, flags
	binary.BigEndian.PutUint16(b[14:], 65535)
	return b
}

// udp returns a UDP header and its payload.
func udp(sp, dp uint16, payload []byte) []byte {
	b := make([]byte, 8, 8+len(payload))
	binary.BigEndian.PutUint16(b, sp)
	binary.BigEndian.PutUint16(b[2:], dp)
	binary.BigEndian.PutUint16(b[4:], uint16(8+len(payload)))
	return append(b, payload...)
}

// icmp returns an ICMP or ICMPv6 echo-style message decoded.
func icmp(typ, code uint8) []byte { return []byte{typ, code, 0, 0, 0, 1, 0, 1} }

// vxlan returns a VXLAN header (I flag set) and the encapsulated frame.
func vxlan(vni uint32, frame []byte) []byte {
	b := make([]byte, 8, 8+len(frame))
	b[0] = 0x08
	binary.BigEndian.PutUint32(b[4:], vni<<8)
	return append(b, frame...)
}

// arp returns an ARP request (Ethernet/IPv4).
func arp() []byte {
	return []byte{0, 1, 8, 0, 6, 4, 0, 1, 0, 0x53, 0, 0, 0, 1, 192, 0, 2, 1, 0, 0, 0, 0, 0, 0, 192, 0, 2, 2}
}

// MACs of the test frames.
var (
	macA = [6]byte{0x00, 0x53, 0x00, 0x00, 0x00, 0x0a}
	macB = [6]byte{0x00, 0x53, 0x00, 0x00, 0x00, 0x0b}
)
