package header

import (
	"testing"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
)

const ethIPv4, ethIPv6 = decoded.LayerEthernet | decoded.LayerIPv4 | decoded.LayerTransport, decoded.LayerEthernet | decoded.LayerIPv6 | decoded.LayerTransport

// cases are complete headers covering every layer Parse decodes.
func cases(t testing.TB) []testCase {
	return append(append(append(linkCases(t), ipCases(t)...), transportCases(t)...), tunnelCases(t)...)
}

// linkCases cover Ethernet, VLAN tags and MPLS.
func linkCases(t testing.TB) []testCase {
	mplsV4 := serialize(t, ipv4(layers.IPProtocolUDP), udp(1, 2), hello)
	return []testCase{
		{"ethernet ipv4 tcp", 1, serialize(t, eth(layers.EthernetTypeIPv4), ipv4(layers.IPProtocolTCP), tcp(), hello), decoded.Packet{Layers: ethIPv4, SrcMAC: mA, DstMAC: mB, EtherType: 0x0800, L3: l3v4(6, 45), L4: tcpL4}},
		{"802.1q ipv6 udp", 1, serialize(t, eth(layers.EthernetTypeDot1Q), dot1q(42, 5, layers.EthernetTypeIPv6),
			ipv6(layers.IPProtocolUDP), udp(5353, 53), hello), decoded.Packet{Layers: ethIPv6 | decoded.LayerVLAN, SrcMAC: mA, DstMAC: mB, EtherType: 0x86dd,
			VLANs: [2]uint16{42}, VLANPrio: [2]uint8{5}, NumVLANs: 1, L3: l3v6(17, 53), L4: ports(5353, 53)}},
		{"qinq 802.1ad", 1, serialize(t, eth(layers.EthernetTypeQinQ), dot1q(100, 3, layers.EthernetTypeDot1Q),
			dot1q(200, 0, layers.EthernetTypeIPv4), ipv4(layers.IPProtocolUDP), udp(1000, 53), hello), decoded.Packet{Layers: ethIPv4 | decoded.LayerVLAN, SrcMAC: mA, DstMAC: mB, EtherType: 0x0800,
			VLANs: [2]uint16{100, 200}, VLANPrio: [2]uint8{3, 0}, NumVLANs: 2, L3: l3v4(17, 33), L4: ports(1000, 53)}},
		{"three tags 0x9100", 1, serialize(t, eth(etherTypeQinQOld), dot1q(10, 1, layers.EthernetTypeDot1Q),
			dot1q(20, 2, layers.EthernetTypeDot1Q), dot1q(30, 3, layers.EthernetTypeIPv4), ipv4(layers.IPProtocolTCP), tcp()), decoded.Packet{Layers: ethIPv4 | decoded.LayerVLAN, SrcMAC: mA, DstMAC: mB, EtherType: 0x0800,
			VLANs: [2]uint16{10, 20}, VLANPrio: [2]uint8{1, 2}, NumVLANs: 3, L3: l3v4(6, 40), L4: tcpL4}},
		{"mpls two labels ipv4", 1, serialize(t, eth(layers.EthernetTypeMPLSUnicast),
			&layers.MPLS{Label: 1000, TTL: 64}, &layers.MPLS{Label: 2000, StackBottom: true, TTL: 64}, gopacket.Payload(mplsV4)), decoded.Packet{Layers: ethIPv4 | decoded.LayerMPLS, SrcMAC: mA, DstMAC: mB, EtherType: 0x8847,
			MPLSLabels: [4]uint32{1000, 2000}, NumMPLS: 2, L3: l3v4(17, 33), L4: ports(1, 2)}},
		{"mpls multicast ipv6", 1, serialize(t, eth(layers.EthernetTypeMPLSMulticast),
			&layers.MPLS{Label: 16, StackBottom: true, TTL: 1}, ipv6(layers.IPProtocolTCP), tcp(), hello), decoded.Packet{Layers: ethIPv6 | decoded.LayerMPLS, SrcMAC: mA, DstMAC: mB, EtherType: 0x8848,
			MPLSLabels: [4]uint32{16}, NumMPLS: 1, L3: l3v6(6, 65), L4: tcpL4}},
		{"arp", 1, serialize(t, eth(layers.EthernetTypeARP), &layers.ARP{AddrType: layers.LinkTypeEthernet,
			Protocol: layers.EthernetTypeIPv4, HwAddressSize: 6, ProtAddressSize: 4, Operation: 1,
			SourceHwAddress: macA, SourceProtAddress: ip4A, DstHwAddress: macB, DstProtAddress: ip4B}), decoded.Packet{Layers: decoded.LayerEthernet, SrcMAC: mA, DstMAC: mB, EtherType: 0x0806}},
	}
}

// ipCases cover IPv4 options and fragments and IPv6 extension headers.
func ipCases(t testing.TB) []testCase {
	opts := ipv4(layers.IPProtocolTCP)
	opts.Options = []layers.IPv4Option{{OptionType: 7, OptionLength: 7, OptionData: []byte{4, 0, 0, 0, 0}}, {OptionType: 0}}
	first, later := ipv4(layers.IPProtocolUDP), ipv4(layers.IPProtocolUDP)
	first.Flags = layers.IPv4MoreFragments
	later.FragOffset = 100
	return []testCase{
		{"ipv4 options", 1, serialize(t, eth(layers.EthernetTypeIPv4), opts, tcp(), hello), decoded.Packet{Layers: ethIPv4, SrcMAC: mA, DstMAC: mB, EtherType: 0x0800, L3: l3v4(6, 53), L4: tcpL4}},
		{"ipv4 first fragment", 1, serialize(t, eth(layers.EthernetTypeIPv4), first, udp(123, 123), hello), decoded.Packet{Layers: ethIPv4, SrcMAC: mA, DstMAC: mB, EtherType: 0x0800, L3: frag(l3v4(17, 33), 0), L4: ports(123, 123)}},
		{"ipv4 non-first fragment", 1, serialize(t, eth(layers.EthernetTypeIPv4), later, hello), decoded.Packet{Layers: decoded.LayerEthernet | decoded.LayerIPv4, SrcMAC: mA, DstMAC: mB, EtherType: 0x0800, L3: frag(l3v4(17, 25), 100)}},
		{"ipv6 hop-by-hop fragment udp", 1, serialize(t, eth(layers.EthernetTypeIPv6), ipv6(layers.IPProtocolIPv6HopByHop),
			raw(44, 0, 1, 4, 0, 0, 0, 0), raw(17, 0, 0, 1, 0, 0, 0, 9), udp(5000, 53), hello), decoded.Packet{Layers: ethIPv6, SrcMAC: mA, DstMAC: mB, EtherType: 0x86dd, L3: frag(l3v6(17, 69), 0), L4: ports(5000, 53)}},
		{"ipv6 routing destination tcp", 12, serialize(t, ipv6(layers.IPProtocolIPv6Routing),
			raw(60, 0, 0, 0, 0, 0, 0, 0), raw(6, 1, 1, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), tcp()), decoded.Packet{Layers: decoded.LayerIPv6 | decoded.LayerTransport, L3: l3v6(6, 84), L4: tcpL4}},
		{"ipv6 non-first fragment", 1, serialize(t, eth(layers.EthernetTypeIPv6), ipv6(layers.IPProtocolIPv6Fragment),
			raw(17, 0, 0x03, 0x21, 0, 0, 0, 9), hello), decoded.Packet{Layers: decoded.LayerEthernet | decoded.LayerIPv6, SrcMAC: mA, DstMAC: mB, EtherType: 0x86dd, L3: frag(l3v6(17, 53), 100)}},
		{"raw ipv4 header of an ipv6 packet", 11, serialize(t, ipv6(layers.IPProtocolUDP), udp(1, 2)), decoded.Packet{}},
	}
}

// transportCases cover TCP flags, SCTP, ICMP and ICMPv6 (raw IP headers).
func transportCases(t testing.TB) []testCase {
	all := &layers.TCP{SrcPort: 1, DstPort: 2, FIN: true, SYN: true, RST: true, PSH: true, ACK: true, URG: true,
		ECE: true, CWR: true, NS: true, Options: []layers.TCPOption{{OptionType: layers.TCPOptionKindMSS, OptionLength: 4, OptionData: []byte{5, 0xb4}}}}
	return []testCase{
		{"raw ipv4 tcp all flags", 11, serialize(t, ipv4(layers.IPProtocolTCP), all), decoded.Packet{Layers: decoded.LayerIPv4 | decoded.LayerTransport, L3: l3v4(6, 44), L4: decoded.L4{SrcPort: 1, DstPort: 2, TCPFlags: 0x1ff}}},
		{"raw ipv4 icmp", 11, serialize(t, ipv4(layers.IPProtocolICMPv4), &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(3, 1)}, hello), decoded.Packet{Layers: decoded.LayerIPv4 | decoded.LayerTransport, L3: l3v4(1, 33), L4: decoded.L4{ICMPType: 3, ICMPCode: 1, IsICMP: true}}},
		{"raw ipv6 icmpv6", 12, serialize(t, ipv6(layers.IPProtocolICMPv6), &layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(1, 4)}, hello), decoded.Packet{Layers: decoded.LayerIPv6 | decoded.LayerTransport, L3: l3v6(58, 49), L4: decoded.L4{ICMPType: 1, ICMPCode: 4, IsICMP: true}}},
		{"raw ipv6 sctp", 12, serialize(t, ipv6(layers.IPProtocolSCTP), &layers.SCTP{SrcPort: 2905, DstPort: 2906}, hello), decoded.Packet{Layers: decoded.LayerIPv6 | decoded.LayerTransport, L3: l3v6(132, 57), L4: ports(2905, 2906)}},
	}
}

// tunnelCases cover GRE, VXLAN and IP in IP.
func tunnelCases(t testing.TB) []testCase {
	vxInner := serialize(t, eth(layers.EthernetTypeIPv6), ipv6(layers.IPProtocolICMPv6),
		&layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(128, 0)}, hello)
	vxVLAN := serialize(t, eth(layers.EthernetTypeDot1Q), dot1q(7, 0, layers.EthernetTypeIPv4), ipv4(layers.IPProtocolTCP), tcp())
	greV4 := serialize(t, ipv4(layers.IPProtocolUDP), udp(53, 5353), hello)
	greV6 := serialize(t, ipv6(layers.IPProtocolTCP), tcp(), hello)
	teb := serialize(t, eth(layers.EthernetTypeDot1Q), dot1q(300, 0, layers.EthernetTypeIPv4), ipv4(layers.IPProtocolUDP), udp(67, 68))
	v4 := decoded.LayerEthernet | decoded.LayerIPv4
	return []testCase{
		{"gre ipv4", 1, serialize(t, eth(layers.EthernetTypeIPv4), ipv4(layers.IPProtocolGRE),
			&layers.GRE{Protocol: layers.EthernetTypeIPv4}, gopacket.Payload(greV4)), decoded.Packet{Layers: v4 | decoded.LayerGRE | decoded.LayerInner, SrcMAC: mA, DstMAC: mB, EtherType: 0x0800,
			L3: l3v4(47, 20+4+len(greV4)), GREProtocol: 0x0800,
			Inner: decoded.Inner{Layers: decoded.LayerIPv4 | decoded.LayerTransport, L3: l3v4(17, 33), L4: ports(53, 5353)}}},
		{"gre key sequence ipv6", 1, serialize(t, eth(layers.EthernetTypeIPv4), ipv4(layers.IPProtocolGRE),
			&layers.GRE{KeyPresent: true, Key: 7, SeqPresent: true, Seq: 1, Protocol: layers.EthernetTypeIPv6}, gopacket.Payload(greV6)), decoded.Packet{Layers: v4 | decoded.LayerGRE | decoded.LayerInner, SrcMAC: mA, DstMAC: mB, EtherType: 0x0800,
			L3: l3v4(47, 20+12+len(greV6)), GREProtocol: 0x86dd,
			Inner: decoded.Inner{Layers: decoded.LayerIPv6 | decoded.LayerTransport, L3: l3v6(6, 65), L4: tcpL4}}},
		{"gre ethernet bridging over ipv6", 12, serialize(t, ipv6(layers.IPProtocolGRE),
			&layers.GRE{Protocol: etherTypeTEB}, gopacket.Payload(teb)), decoded.Packet{Layers: decoded.LayerIPv6 | decoded.LayerGRE | decoded.LayerInner, L3: l3v6(47, 40+4+len(teb)), GREProtocol: 0x6558,
			Inner: decoded.Inner{Layers: decoded.LayerEthernet | decoded.LayerVLAN | decoded.LayerIPv4 | decoded.LayerTransport, SrcMAC: mA, DstMAC: mB,
				EtherType: 0x0800, VLAN: 300, L3: l3v4(17, 28), L4: ports(67, 68)}}},
		{"vxlan ipv6 icmpv6", 1, serialize(t, eth(layers.EthernetTypeIPv4), ipv4(layers.IPProtocolUDP),
			udp(50000, 4789), &layers.VXLAN{ValidIDFlag: true, VNI: 4242}, gopacket.Payload(vxInner)), decoded.Packet{Layers: ethIPv4 | decoded.LayerVXLAN | decoded.LayerInner, SrcMAC: mA, DstMAC: mB, EtherType: 0x0800,
			L3: l3v4(17, 20+8+8+len(vxInner)), L4: ports(50000, 4789), VNI: 4242,
			Inner: decoded.Inner{Layers: ethIPv6, SrcMAC: mA, DstMAC: mB, EtherType: 0x86dd,
				L3: l3v6(58, 49), L4: decoded.L4{ICMPType: 128, IsICMP: true}}}},
		{"vxlan linux port vlan tcp", 1, serialize(t, eth(layers.EthernetTypeIPv6), ipv6(layers.IPProtocolUDP),
			udp(40001, 8472), &layers.VXLAN{ValidIDFlag: true, VNI: 0xabcdef}, gopacket.Payload(vxVLAN)), decoded.Packet{Layers: ethIPv6 | decoded.LayerVXLAN | decoded.LayerInner, SrcMAC: mA, DstMAC: mB, EtherType: 0x86dd,
			L3: l3v6(17, 40+8+8+len(vxVLAN)), L4: ports(40001, 8472), VNI: 0xabcdef,
			Inner: decoded.Inner{Layers: ethIPv4 | decoded.LayerVLAN, SrcMAC: mA, DstMAC: mB, EtherType: 0x0800, VLAN: 7,
				L3: l3v4(6, 40), L4: tcpL4}}},
		{"udp 4789 without the vxlan I flag", 1, serialize(t, eth(layers.EthernetTypeIPv4), ipv4(layers.IPProtocolUDP),
			udp(50000, 4789), &layers.VXLAN{VNI: 1}, gopacket.Payload(vxInner)), decoded.Packet{Layers: ethIPv4, SrcMAC: mA, DstMAC: mB, EtherType: 0x0800,
			L3: l3v4(17, 20+8+8+len(vxInner)), L4: ports(50000, 4789)}},
		{"6in4", 11, serialize(t, ipv4(layers.IPProtocolIPv6), ipv6(layers.IPProtocolUDP), udp(1, 2), hello), decoded.Packet{Layers: decoded.LayerIPv4 | decoded.LayerInner, L3: l3v4(41, 73),
			Inner: decoded.Inner{Layers: decoded.LayerIPv6 | decoded.LayerTransport, L3: l3v6(17, 53), L4: ports(1, 2)}}},
	}
}
