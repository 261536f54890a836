package pcapfile

import (
	"encoding/binary"
	"net/netip"
)

// EtherTypes and link-layer constants used by the frame parser.
const (
	etherTypeIPv4  = 0x0800
	etherTypeIPv6  = 0x86DD
	etherTypeVLAN  = 0x8100 // 802.1Q
	etherTypeQinQ  = 0x88A8 // 802.1ad
	etherTypeQinQ2 = 0x9100 // pre-standard QinQ

	linkTypeNull       = 0   // BSD loopback, host-order family
	linkTypeEthernet   = 1   // LINKTYPE_ETHERNET
	linkTypeRawOpenBSD = 12  // DLT_RAW on most BSDs
	linkTypeRaw        = 101 // LINKTYPE_RAW
	linkTypeLoop       = 108 // OpenBSD loopback, network-order family
	linkTypeSLL        = 113 // LINKTYPE_LINUX_SLL
	linkTypeIPv4       = 228 // LINKTYPE_IPV4
	linkTypeIPv6       = 229 // LINKTYPE_IPV6
	linkTypeSLL2       = 276 // LINKTYPE_LINUX_SLL2

	protoUDP = 17
)

// parse extracts the UDP datagram of a frame of the given link type; ok is
// false when the frame is not UDP over IPv4/IPv6 or is truncated.
func (r *Reader) parse(lt uint32, b []byte) (Datagram, bool) {
	ip, ok := linkPayload(lt, b)
	if !ok {
		return Datagram{}, false
	}
	return r.parseIP(ip)
}

// linkPayload strips the link-layer header and returns the IP packet.
func linkPayload(lt uint32, b []byte) ([]byte, bool) {
	switch lt {
	case linkTypeEthernet:
		return ethernetPayload(b)
	case linkTypeSLL: // 16-byte header, protocol at 14
		if len(b) < 16 {
			return nil, false
		}
		return etherTypePayload(binary.BigEndian.Uint16(b[14:]), b[16:])
	case linkTypeSLL2: // 20-byte header, protocol at 0
		if len(b) < 20 {
			return nil, false
		}
		return etherTypePayload(binary.BigEndian.Uint16(b[0:]), b[20:])
	case linkTypeRaw, linkTypeRawOpenBSD, linkTypeIPv4, linkTypeIPv6:
		return b, true
	case linkTypeNull, linkTypeLoop: // 4-byte address family
		if len(b) < 4 {
			return nil, false
		}
		return b[4:], true // the IP version nibble tells IPv4 from IPv6
	}
	return nil, false
}

// ethernetPayload skips the Ethernet header and any VLAN tags.
func ethernetPayload(b []byte) ([]byte, bool) {
	if len(b) < 14 {
		return nil, false
	}
	et := binary.BigEndian.Uint16(b[12:])
	b = b[14:]
	for et == etherTypeVLAN || et == etherTypeQinQ || et == etherTypeQinQ2 {
		if len(b) < 4 {
			return nil, false
		}
		et = binary.BigEndian.Uint16(b[2:])
		b = b[4:]
	}
	return etherTypePayload(et, b)
}

// etherTypePayload accepts IPv4 and IPv6 payloads only.
func etherTypePayload(et uint16, b []byte) ([]byte, bool) {
	if et != etherTypeIPv4 && et != etherTypeIPv6 {
		return nil, false
	}
	return b, true
}

// parseIP dispatches on the IP version nibble.
func (r *Reader) parseIP(b []byte) (Datagram, bool) {
	if len(b) < 1 {
		return Datagram{}, false
	}
	switch b[0] >> 4 {
	case 4:
		return r.parseIPv4(b)
	case 6:
		return r.parseIPv6(b)
	}
	return Datagram{}, false
}

// parseIPv4 parses an IPv4 header (RFC 791) and its UDP payload.
func (r *Reader) parseIPv4(b []byte) (Datagram, bool) {
	if len(b) < 20 {
		return Datagram{}, false
	}
	ihl := int(b[0]&0x0F) * 4
	total := int(binary.BigEndian.Uint16(b[2:]))
	if ihl < 20 || total < ihl || len(b) < ihl {
		return Datagram{}, false
	}
	if total < len(b) {
		b = b[:total] // drop Ethernet padding
	}
	if frag := binary.BigEndian.Uint16(b[6:]); frag&0x3FFF != 0 { // MF flag or offset
		r.fragments++
		return Datagram{}, false
	}
	if b[9] != protoUDP {
		return Datagram{}, false
	}
	src := netip.AddrFrom4([4]byte(b[12:16]))
	dst := netip.AddrFrom4([4]byte(b[16:20]))
	return parseUDP(src, dst, b[ihl:])
}

// parseIPv6 parses an IPv6 header (RFC 8200), skipping hop-by-hop, routing
// and destination options headers, and its UDP payload.
func (r *Reader) parseIPv6(b []byte) (Datagram, bool) {
	if len(b) < 40 {
		return Datagram{}, false
	}
	if plen := int(binary.BigEndian.Uint16(b[4:])); plen+40 < len(b) {
		b = b[:plen+40]
	}
	next := b[6]
	src := netip.AddrFrom16([16]byte(b[8:24]))
	dst := netip.AddrFrom16([16]byte(b[24:40]))
	p := b[40:]
	for {
		switch next {
		case protoUDP:
			return parseUDP(src, dst, p)
		case 0, 43, 60: // hop-by-hop, routing, destination options
			if len(p) < 8 || len(p) < (int(p[1])+1)*8 {
				return Datagram{}, false
			}
			next, p = p[0], p[(int(p[1])+1)*8:]
		case 44: // fragment header
			r.fragments++
			return Datagram{}, false
		default:
			return Datagram{}, false
		}
	}
}

// parseUDP parses a UDP header (RFC 768). The payload is the rest of the
// IP payload (already cut to the IP length): the UDP length field is not
// trusted, as tshark does not trust it either (tcpdump-sflow_print-segv, a
// CVE reproducer, has a UDP length of 16 in an 876-byte IP payload, and its
// sFlow content is what the capture is about).
func parseUDP(src, dst netip.Addr, b []byte) (Datagram, bool) {
	if len(b) < 8 {
		return Datagram{}, false
	}
	return Datagram{
		Src:     netip.AddrPortFrom(src, binary.BigEndian.Uint16(b[0:])),
		Dst:     netip.AddrPortFrom(dst, binary.BigEndian.Uint16(b[2:])),
		Payload: b[8:],
	}, true
}
