package header

import (
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/gopacket/layers"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
)

// addrEqual lets cmp compare netip.Addr (unexported fields).
var addrEqual = cmp.Comparer(func(a, b netip.Addr) bool { return a == b })

func TestParse(t *testing.T) {
	p := NewParser()
	for _, c := range cases(t) {
		t.Run(c.name, func(t *testing.T) {
			var got decoded.Packet
			if !p.Parse(c.proto, c.data, &got) {
				t.Fatal("Parse returned false")
			}
			if diff := cmp.Diff(c.want, got, addrEqual); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseUnknownProtocol(t *testing.T) {
	pkt := decoded.Packet{Layers: decoded.LayerEthernet, Truncated: true}
	if NewParser().Parse(7, []byte{0xff, 0x03, 0, 0x21}, &pkt) {
		t.Error("Parse returned true for header_protocol 7 (PPP)")
	}
	if diff := cmp.Diff(decoded.Packet{}, pkt, addrEqual); diff != "" {
		t.Errorf("packet not reset (-want +got):\n%s", diff)
	}
}

// TestParseCutHeaders checks the cuts a 128-byte sampled header makes.
func TestParseCutHeaders(t *testing.T) {
	byName := map[string]testCase{}
	for _, c := range cases(t) {
		byName[c.name] = c
	}
	tests := []struct {
		name, from string
		n          int
		want       func(p decoded.Packet) decoded.Packet
	}{
		{"tcp after its ports", "ethernet ipv4 tcp", 14 + 20 + 6, func(p decoded.Packet) decoded.Packet {
			p.L4.TCPFlags, p.Truncated = 0, true
			return p
		}},
		{"tcp after its flags", "ethernet ipv4 tcp", 14 + 20 + 14, func(p decoded.Packet) decoded.Packet { p.Truncated = true; return p }},
		{"tcp options", "raw ipv4 tcp all flags", 20 + 22, func(p decoded.Packet) decoded.Packet { p.Truncated = true; return p }},
		{"ipv4 options", "ipv4 options", 14 + 22, func(p decoded.Packet) decoded.Packet {
			p.Layers, p.L4, p.Truncated = decoded.LayerEthernet|decoded.LayerIPv4, decoded.L4{}, true
			return p
		}},
		{"ipv4 payload only", "ethernet ipv4 tcp", 14 + 20 + 20 + 2, func(p decoded.Packet) decoded.Packet { return p }},
		{"udp after its ports", "802.1q ipv6 udp", 18 + 40 + 4, func(p decoded.Packet) decoded.Packet { p.Truncated = true; return p }},
		{"icmp after type and code", "raw ipv4 icmp", 20 + 2, func(p decoded.Packet) decoded.Packet { p.Truncated = true; return p }},
		{"sctp after its ports", "raw ipv6 sctp", 40 + 5, func(p decoded.Packet) decoded.Packet { p.Truncated = true; return p }},
		{"inside the second vlan tag", "qinq 802.1ad", 14 + 4 + 2, func(p decoded.Packet) decoded.Packet {
			return decoded.Packet{Layers: decoded.LayerEthernet | decoded.LayerVLAN, SrcMAC: mA, DstMAC: mB, VLANs: [2]uint16{100}, VLANPrio: [2]uint8{3},
				NumVLANs: 1, Truncated: true}
		}},
		{"ipv6 inside the fragment header", "ipv6 hop-by-hop fragment udp", 14 + 40 + 8 + 4, func(p decoded.Packet) decoded.Packet {
			p.Layers, p.L3.Protocol, p.L3.Fragment, p.L4, p.Truncated = ethIPv6&^decoded.LayerTransport, 44, false, decoded.L4{}, true
			return p
		}},
		{"vxlan inner ethernet", "vxlan ipv6 icmpv6", 14 + 20 + 8 + 8 + 10, func(p decoded.Packet) decoded.Packet {
			p.Layers, p.Inner, p.Truncated = p.Layers&^decoded.LayerInner, decoded.Inner{}, true
			return p
		}},
	}
	p := NewParser()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := byName[tt.from]
			var got decoded.Packet
			p.Parse(c.proto, c.data[:tt.n], &got)
			if diff := cmp.Diff(tt.want(c.want), got, addrEqual); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestParseMalformed checks odd headers that are not cut.
func TestParseMalformed(t *testing.T) {
	offloaded4 := serialize(t, ipv4(layers.IPProtocolTCP), tcp())
	offloaded4[2], offloaded4[3] = 0, 0
	offloaded6 := serialize(t, ipv6(layers.IPProtocolUDP), udp(1, 2), hello)
	offloaded6[4], offloaded6[5] = 0, 0
	badOption := ipv4(layers.IPProtocolTCP)
	badOption.Options = []layers.IPv4Option{{OptionType: 7, OptionLength: 4, OptionData: []byte{4, 0}}}
	badOptions := serialize(t, badOption, tcp(), hello)
	badOptions[21] = 1 // an option length below 2: gopacket rejects the header
	tests := []struct {
		name  string
		proto uint32
		data  []byte
		want  decoded.Packet
	}{
		{"ipv4 option of length 1", 11, badOptions, decoded.Packet{Layers: decoded.LayerIPv4 | decoded.LayerTransport, L3: l3v4(6, 49), L4: tcpL4}},
		{"ipv4 header length 4", 11, []byte{0x44, 0xb8, 0, 40, 0, 7, 0, 0, 64, 6, 0, 0, 192, 0, 2, 1, 198, 51, 100, 2, 0, 1, 0, 2}, decoded.Packet{Layers: decoded.LayerIPv4, L3: l3v4(6, 40)}},
		{"gre with routing", 11, append([]byte{0x45, 0xb8, 0, 28, 0, 7, 0, 0, 64, 47, 0, 0, 192, 0, 2, 1, 198, 51, 100, 2},
			0x40, 0, 0x08, 0x00, 0, 0, 0, 0), decoded.Packet{Layers: decoded.LayerIPv4 | decoded.LayerGRE, L3: l3v4(47, 28), GREProtocol: 0x0800}},
		{"ipv4 total length 0 (segmentation offload)", 11, offloaded4, decoded.Packet{Layers: decoded.LayerIPv4 | decoded.LayerTransport, L3: l3v4(6, 0), L4: tcpL4}},
		{"ipv6 payload length 0 (segmentation offload)", 12, offloaded6, decoded.Packet{Layers: decoded.LayerIPv6 | decoded.LayerTransport, L3: l3v6(17, 40), L4: ports(1, 2)}},
		{"udp length 5", 11, append([]byte{0x45, 0xb8, 0, 28, 0, 7, 0, 0, 64, 17, 0, 0, 192, 0, 2, 1, 198, 51, 100, 2},
			0, 1, 0x12, 0xb5, 0, 5, 0, 0), decoded.Packet{Layers: decoded.LayerIPv4 | decoded.LayerTransport, L3: l3v4(17, 28), L4: ports(1, 4789)}},
	}
	p := NewParser()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got decoded.Packet
			p.Parse(tt.proto, tt.data, &got)
			if diff := cmp.Diff(tt.want, got, addrEqual); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
