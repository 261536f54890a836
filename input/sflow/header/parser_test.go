package header

import (
	"net"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
)

var (
	macA = net.HardwareAddr{0x00, 0x53, 0x00, 0x11, 0x22, 0x33}
	macB = net.HardwareAddr{0x00, 0x53, 0x00, 0x44, 0x55, 0x66}
	ip4A = net.IP{192, 0, 2, 1}
	ip4B = net.IP{198, 51, 100, 2}
	ip6A = net.ParseIP("2001:db8::1")
	ip6B = net.ParseIP("2001:db8::2")
)

// serialize builds a packet from layers, computing lengths and checksums.
func serialize(t testing.TB, ls ...gopacket.SerializableLayer) []byte {
	t.Helper()
	buf := gopacket.NewSerializeBuffer()
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	for _, l := range ls {
		if n, ok := l.(gopacket.NetworkLayer); ok {
			for _, o := range ls {
				if tl, ok := o.(interface {
					SetNetworkLayerForChecksum(gopacket.NetworkLayer) error
				}); ok {
					_ = tl.SetNetworkLayerForChecksum(n)
				}
			}
			break
		}
	}
	if err := gopacket.SerializeLayers(buf, opts, ls...); err != nil {
		t.Fatal(err)
	}
	return append([]byte(nil), buf.Bytes()...)
}

func eth(et layers.EthernetType) *layers.Ethernet {
	return &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: et}
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

var (
	addrA  = netip.MustParseAddr("192.0.2.1")
	addrB  = netip.MustParseAddr("198.51.100.2")
	addr6A = netip.MustParseAddr("2001:db8::1")
	addr6B = netip.MustParseAddr("2001:db8::2")
	mA     = [6]byte{0x00, 0x53, 0x00, 0x11, 0x22, 0x33}
	mB     = [6]byte{0x00, 0x53, 0x00, 0x44, 0x55, 0x66}
)

// l3v4 is the expected L3 of ipv4() with the given protocol and length.
func l3v4(p uint8, length uint16) L3 {
	return L3{Version: 4, SrcIP: addrA, DstIP: addrB, Protocol: p, TTL: 64, TOS: 0xb8, Length: length, ID: 7}
}

// l3v6 is the expected L3 of ipv6() with the upper protocol and length.
func l3v6(p uint8, length uint16) L3 {
	return L3{Version: 6, SrcIP: addr6A, DstIP: addr6B, Protocol: p, TTL: 63, TOS: 0x20, Length: length, FlowLabel: 0x12345}
}

// cases are complete packets with the Packet Parse must return.
func cases(t testing.TB) []struct {
	name  string
	proto uint32
	data  []byte
	want  Packet
} {
	payload := gopacket.Payload([]byte("hello"))
	vxInner := serialize(t, eth(layers.EthernetTypeIPv6), ipv6(layers.IPProtocolICMPv6),
		&layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(128, 0)}, payload)
	greInner := serialize(t, ipv4(layers.IPProtocolUDP), &layers.UDP{SrcPort: 53, DstPort: 5353}, payload)
	mplsPayload := serialize(t, ipv4(layers.IPProtocolUDP), &layers.UDP{SrcPort: 1, DstPort: 2}, payload)
	return []struct {
		name  string
		proto uint32
		data  []byte
		want  Packet
	}{
		{"ethernet ipv4 tcp", 1, serialize(t, eth(layers.EthernetTypeIPv4), ipv4(layers.IPProtocolTCP), tcp(), payload),
			Packet{Has: HasEthernet | HasIPv4 | HasTransport, SrcMAC: mA, DstMAC: mB, EtherType: 0x0800,
				L3: l3v4(6, 45), L4: L4{SrcPort: 40000, DstPort: 443, TCPFlags: 0x12}}},
		{"qinq", 1, serialize(t, eth(layers.EthernetTypeQinQ),
			&layers.Dot1Q{VLANIdentifier: 100, Priority: 3, Type: layers.EthernetTypeDot1Q},
			&layers.Dot1Q{VLANIdentifier: 200, Type: layers.EthernetTypeIPv4},
			ipv4(layers.IPProtocolUDP), &layers.UDP{SrcPort: 1000, DstPort: 53}, payload),
			Packet{Has: HasEthernet | HasVLAN | HasIPv4 | HasTransport, SrcMAC: mA, DstMAC: mB, EtherType: 0x0800,
				VLANs: [2]uint16{100, 200}, VLANPrio: [2]uint8{3, 0}, NumVLANs: 2,
				L3: l3v4(17, 33), L4: L4{SrcPort: 1000, DstPort: 53}}},
		{"mpls", 1, serialize(t, eth(layers.EthernetTypeMPLSUnicast),
			&layers.MPLS{Label: 1000, TTL: 64}, &layers.MPLS{Label: 2000, StackBottom: true, TTL: 64}, gopacket.Payload(mplsPayload)),
			Packet{Has: HasEthernet | HasMPLS | HasIPv4 | HasTransport, SrcMAC: mA, DstMAC: mB, EtherType: 0x8847,
				MPLSLabels: [4]uint32{1000, 2000}, NumMPLS: 2, L3: l3v4(17, 33), L4: L4{SrcPort: 1, DstPort: 2}}},
		{"ipv6 extension headers udp", 1, serialize(t, eth(layers.EthernetTypeIPv6), ipv6(layers.IPProtocolIPv6HopByHop),
			gopacket.Payload([]byte{byte(layers.IPProtocolIPv6Fragment), 0, 1, 4, 0, 0, 0, 0}),
			gopacket.Payload([]byte{byte(layers.IPProtocolUDP), 0, 0, 1, 0, 0, 0, 9}),
			gopacket.Payload([]byte{0x13, 0x88, 0x00, 0x35, 0x00, 0x0d, 0, 0}), payload),
			Packet{Has: HasEthernet | HasIPv6 | HasTransport, SrcMAC: mA, DstMAC: mB, EtherType: 0x86dd,
				L3: func() L3 { l := l3v6(17, 69); l.Fragment = true; return l }(), L4: L4{SrcPort: 5000, DstPort: 53}}},
		{"ipv4 non-first fragment", 1, serialize(t, eth(layers.EthernetTypeIPv4),
			&layers.IPv4{Version: 4, IHL: 5, TTL: 64, TOS: 0xb8, Id: 7, Protocol: layers.IPProtocolUDP, SrcIP: ip4A, DstIP: ip4B, FragOffset: 100},
			payload),
			Packet{Has: HasEthernet | HasIPv4, SrcMAC: mA, DstMAC: mB, EtherType: 0x0800,
				L3: func() L3 { l := l3v4(17, 25); l.Fragment, l.FragOffset = true, 100; return l }()}},
		{"raw ipv4 icmp", 11, serialize(t, ipv4(layers.IPProtocolICMPv4),
			&layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(3, 1)}, payload),
			Packet{Has: HasIPv4 | HasTransport, L3: l3v4(1, 33), L4: L4{ICMPType: 3, ICMPCode: 1, IsICMP: true}}},
		{"raw ipv6 sctp", 12, serialize(t, ipv6(layers.IPProtocolSCTP), &layers.SCTP{SrcPort: 2905, DstPort: 2906}, payload),
			Packet{Has: HasIPv6 | HasTransport, L3: l3v6(132, 57), L4: L4{SrcPort: 2905, DstPort: 2906}}},
		{"gre ipv4", 1, serialize(t, eth(layers.EthernetTypeIPv4), ipv4(layers.IPProtocolGRE),
			&layers.GRE{Protocol: layers.EthernetTypeIPv4}, gopacket.Payload(greInner)),
			Packet{Has: HasEthernet | HasIPv4 | HasGRE | HasInner, SrcMAC: mA, DstMAC: mB, EtherType: 0x0800,
				L3: l3v4(47, uint16(20+4+len(greInner))), GREProtocol: 0x0800,
				Inner: Inner{Has: HasIPv4 | HasTransport, L3: l3v4(17, 33), L4: L4{SrcPort: 53, DstPort: 5353}}}},
		{"vxlan", 1, serialize(t, eth(layers.EthernetTypeIPv4), ipv4(layers.IPProtocolUDP),
			&layers.UDP{SrcPort: 50000, DstPort: 4789}, &layers.VXLAN{ValidIDFlag: true, VNI: 4242}, gopacket.Payload(vxInner)),
			Packet{Has: HasEthernet | HasIPv4 | HasTransport | HasVXLAN | HasInner, SrcMAC: mA, DstMAC: mB, EtherType: 0x0800,
				L3: l3v4(17, uint16(20+8+8+len(vxInner))), L4: L4{SrcPort: 50000, DstPort: 4789}, VNI: 4242,
				Inner: Inner{Has: HasEthernet | HasIPv6 | HasTransport, SrcMAC: mA, DstMAC: mB, EtherType: 0x86dd,
					L3: l3v6(58, 49), L4: L4{ICMPType: 128, IsICMP: true}}}},
	}
}

func TestParse(t *testing.T) {
	p := NewParser()
	for _, c := range cases(t) {
		t.Run(c.name, func(t *testing.T) {
			var got Packet
			if !p.Parse(c.proto, c.data, &got) {
				t.Fatal("Parse returned false")
			}
			if diff := cmp.Diff(c.want, got, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseUnknownProtocol(t *testing.T) {
	var pkt Packet
	if NewParser().Parse(7, []byte{1, 2, 3, 4}, &pkt) || pkt.Has != 0 {
		t.Errorf("PPP header parsed: %+v", pkt)
	}
}

// TestTruncation cuts every case at every length: no panic, Truncated set,
// and every layer present at length n is present, with the same values,
// at every longer length.
func TestTruncation(t *testing.T) {
	p := NewParser()
	for _, c := range cases(t) {
		var full Packet
		p.Parse(c.proto, c.data, &full)
		prev := Has(0)
		for n := 0; n < len(c.data); n++ {
			var pkt Packet
			p.Parse(c.proto, c.data[:n], &pkt)
			if pkt.Has&prev != prev {
				t.Errorf("%s cut at %d: layers %b lost (had %b)", c.name, n, prev&^pkt.Has, prev)
			}
			prev = pkt.Has
			if pkt.Has&(HasIPv4|HasIPv6) != 0 && (pkt.L3.SrcIP != full.L3.SrcIP || pkt.L3.DstIP != full.L3.DstIP) {
				t.Errorf("%s cut at %d: addresses %v %v, want %v %v", c.name, n, pkt.L3.SrcIP, pkt.L3.DstIP, full.L3.SrcIP, full.L3.DstIP)
			}
			if pkt.Has&HasTransport != 0 && (pkt.L4.SrcPort != full.L4.SrcPort || pkt.L4.DstPort != full.L4.DstPort) {
				t.Errorf("%s cut at %d: ports %d %d, want %d %d", c.name, n, pkt.L4.SrcPort, pkt.L4.DstPort, full.L4.SrcPort, full.L4.DstPort)
			}
		}
	}
}

// TestTruncatedTCPKeepsPorts checks the 128-byte case: a TCP header cut
// after its ports still yields them.
func TestTruncatedTCPKeepsPorts(t *testing.T) {
	c := cases(t)[0]
	var pkt Packet
	NewParser().Parse(1, c.data[:14+20+6], &pkt)
	if pkt.Has&HasTransport == 0 || pkt.L4.SrcPort != 40000 || pkt.L4.DstPort != 443 || !pkt.Truncated {
		t.Errorf("truncated TCP: %+v", pkt)
	}
}

func TestParseZeroAllocs(t *testing.T) {
	p := NewParser()
	cs := cases(t)
	var pkt Packet
	allocs := testing.AllocsPerRun(100, func() {
		for _, c := range cs {
			p.Parse(c.proto, c.data, &pkt)
		}
	})
	if allocs != 0 {
		t.Errorf("Parse allocates %.1f times per run of %d packets", allocs, len(cs))
	}
}

func BenchmarkParse(b *testing.B) {
	p := NewParser()
	cs := cases(b)
	var pkt Packet
	b.ReportAllocs()
	for b.Loop() {
		for _, c := range cs {
			p.Parse(c.proto, c.data, &pkt)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(cs)), "ns/header")
}

func FuzzParse(f *testing.F) {
	for _, c := range cases(f) {
		f.Add(c.proto, c.data)
	}
	p := NewParser()
	f.Fuzz(func(t *testing.T, proto uint32, data []byte) {
		var pkt Packet
		p.Parse(proto%13, data, &pkt)
		if pkt.Has&HasIPv4 != 0 && (pkt.L3.Version != 4 || !pkt.L3.SrcIP.Is4()) {
			t.Errorf("IPv4 with %+v", pkt.L3)
		}
		if pkt.Has&HasIPv6 != 0 && (pkt.L3.Version != 6 || !pkt.L3.SrcIP.Is6()) {
			t.Errorf("IPv6 with %+v", pkt.L3)
		}
		if pkt.Has&HasInner != 0 && pkt.Has&(HasVXLAN|HasGRE|HasIPv4|HasIPv6) == 0 {
			t.Errorf("inner packet without an encapsulation: %b", pkt.Has)
		}
	})
}
