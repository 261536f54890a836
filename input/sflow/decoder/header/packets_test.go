package header

import (
	"net"
	"net/netip"
	"testing"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
)

var (
	macA   = net.HardwareAddr{0x00, 0x53, 0x00, 0x11, 0x22, 0x33}
	macB   = net.HardwareAddr{0x00, 0x53, 0x00, 0x44, 0x55, 0x66}
	ip4A   = net.IP{192, 0, 2, 1}
	ip4B   = net.IP{198, 51, 100, 2}
	ip6A   = net.ParseIP("2001:db8::1")
	ip6B   = net.ParseIP("2001:db8::2")
	addrA  = netip.MustParseAddr("192.0.2.1")
	addrB  = netip.MustParseAddr("198.51.100.2")
	addr6A = netip.MustParseAddr("2001:db8::1")
	addr6B = netip.MustParseAddr("2001:db8::2")
	mA     = [6]byte{0x00, 0x53, 0x00, 0x11, 0x22, 0x33}
	mB     = [6]byte{0x00, 0x53, 0x00, 0x44, 0x55, 0x66}
	hello  = gopacket.Payload("hello")
)

// serialize builds a packet from layers, computing lengths and checksums.
func serialize(t testing.TB, ls ...gopacket.SerializableLayer) []byte {
	t.Helper()
	var network gopacket.NetworkLayer
	for _, l := range ls {
		if n, ok := l.(gopacket.NetworkLayer); ok && network == nil {
			network = n
		}
		if tl, ok := l.(interface {
			SetNetworkLayerForChecksum(gopacket.NetworkLayer) error
		}); ok && network != nil {
			_ = tl.SetNetworkLayerForChecksum(network)
		}
	}
	buf := gopacket.NewSerializeBuffer()
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	if err := gopacket.SerializeLayers(buf, opts, ls...); err != nil {
		t.Fatal(err)
	}
	return append([]byte(nil), buf.Bytes()...)
}

func eth(et layers.EthernetType) *layers.Ethernet {
	return &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: et}
}

func dot1q(id uint16, prio uint8, next layers.EthernetType) *layers.Dot1Q {
	return &layers.Dot1Q{VLANIdentifier: id, Priority: prio, Type: next}
}

func ipv4(p layers.IPProtocol) *layers.IPv4 {
	return &layers.IPv4{Version: 4, IHL: 5, TTL: 64, TOS: 0xb8, Id: 7, Protocol: p, SrcIP: ip4A, DstIP: ip4B}
}

func ipv6(next layers.IPProtocol) *layers.IPv6 {
	return &layers.IPv6{Version: 6, HopLimit: 63, TrafficClass: 0x20, FlowLabel: 0x12345, NextHeader: next, SrcIP: ip6A, DstIP: ip6B}
}

func tcp() *layers.TCP {
	return &layers.TCP{SrcPort: 40000, DstPort: 443, SYN: true, ACK: true, Window: 1024}
}

func udp(src, dst layers.UDPPort) *layers.UDP { return &layers.UDP{SrcPort: src, DstPort: dst} }

// raw is a hand-made header (IPv6 extension headers gopacket cannot write).
func raw(b ...byte) gopacket.Payload { return gopacket.Payload(b) }

// l3v4 is the expected L3 of ipv4() with the given protocol and total length.
func l3v4(p uint8, length int) decoded.L3 {
	return decoded.L3{Version: 4, SrcIP: addrA, DstIP: addrB, Protocol: p, TTL: 64, TOS: 0xb8, Length: uint16(length), ID: 7}
}

// l3v6 is the expected L3 of ipv6() with the upper protocol and length
// (payload length + 40).
func l3v6(p uint8, length int) decoded.L3 {
	return decoded.L3{Version: 6, SrcIP: addr6A, DstIP: addr6B, Protocol: p, TTL: 63, TOS: 0x20, Length: uint16(length), FlowLabel: 0x12345}
}

// frag returns l with the fragment fields set.
func frag(l decoded.L3, offset uint16) decoded.L3 {
	l.Fragment, l.FragOffset = true, offset
	return l
}

// ports is the expected L4 of TCP, UDP or SCTP.
func ports(src, dst uint16) decoded.L4 { return decoded.L4{SrcPort: src, DstPort: dst} }

// tcpL4 is the expected L4 of tcp().
var tcpL4 = decoded.L4{SrcPort: 40000, DstPort: 443, TCPFlags: 0x12}

// testCase is a complete header and the Packet Parse must return.
type testCase struct {
	name  string
	proto uint32
	data  []byte
	want  decoded.Packet
}
