package header

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
)

// fuzzProtos maps the fuzzer's protocol byte to header_protocol values.
var fuzzProtos = [...]uint32{decoded.HeaderProtoEthernet, decoded.HeaderProtoIPv4, decoded.HeaderProtoIPv6, decoded.HeaderProtoTokenBus}

func FuzzParse(f *testing.F) {
	for _, c := range cases(f) {
		for i, proto := range fuzzProtos {
			if proto == c.proto {
				f.Add(uint8(i), c.data)
			}
		}
	}
	p, fresh := NewParser(), NewParser()
	p.strict, fresh.strict = true, true // panics must reach the fuzzer
	f.Fuzz(func(t *testing.T, i uint8, data []byte) {
		proto := fuzzProtos[int(i)%len(fuzzProtos)]
		var pkt, again decoded.Packet
		ok := p.Parse(proto, data, &pkt)
		if ok != (proto != 2) {
			t.Fatalf("Parse(%d) = %v", proto, ok)
		}
		fresh.Parse(proto, data, &again)
		if diff := cmp.Diff(again, pkt, addrEqual); diff != "" {
			t.Fatalf("a reused Parser differs from a new one:\n%s", diff)
		}
		for _, err := range packetInvariants(&pkt) {
			t.Error(err)
		}
	})
}

// packetInvariants returns the broken invariants of a parsed Packet.
func packetInvariants(p *decoded.Packet) []string {
	var errs []string
	check := func(ok bool, msg string) {
		if !ok {
			errs = append(errs, msg)
		}
	}
	check(p.Layers&decoded.LayerVLAN != 0 == (p.NumVLANs > 0), "HasVLAN and NumVLANs disagree")
	check(p.Layers&decoded.LayerMPLS != 0 == (p.NumMPLS > 0), "HasMPLS and NumMPLS disagree")
	check(p.Layers&decoded.LayerInner != 0 == (p.Inner.Layers != 0), "HasInner and Inner.Layers disagree")
	check(p.Layers&decoded.LayerInner == 0 || p.Layers&decoded.LayerGRE != 0 || p.Layers&decoded.LayerVXLAN != 0 || p.L3.Protocol == 4 || p.L3.Protocol == 41,
		"an inner packet without an encapsulation")
	check(p.Layers&decoded.LayerVXLAN == 0 || p.L4.DstPort == portVXLAN || p.L4.DstPort == portVXLANLinux, "VXLAN on another port")
	check(p.Inner.Layers&(decoded.LayerMPLS|decoded.LayerGRE|decoded.LayerVXLAN|decoded.LayerInner) == 0, "nested encapsulation in Inner")
	check(p.Layers&(decoded.LayerGRE|decoded.LayerVXLAN) == 0 || p.Layers&(decoded.LayerIPv4|decoded.LayerIPv6) != 0, "a tunnel without IP")
	errs = append(errs, layerInvariants(p.Layers, &p.L3, &p.L4)...)
	return append(errs, layerInvariants(p.Inner.Layers, &p.Inner.L3, &p.Inner.L4)...)
}

// layerInvariants returns the broken invariants of the IP and transport
// layers of a packet or an inner packet.
func layerInvariants(has decoded.Layers, l3 *decoded.L3, l4 *decoded.L4) []string {
	var errs []string
	check := func(ok bool, msg string) {
		if !ok {
			errs = append(errs, msg)
		}
	}
	check(has&decoded.LayerIPv4 == 0 || l3.Version == 4 && l3.SrcIP.Is4() && l3.DstIP.Is4(), "HasIPv4 without IPv4 addresses")
	check(has&decoded.LayerIPv6 == 0 || l3.Version == 6 && l3.SrcIP.Is6() && l3.DstIP.Is6(), "HasIPv6 without IPv6 addresses")
	check(has&(decoded.LayerIPv4|decoded.LayerIPv6) != decoded.LayerIPv4|decoded.LayerIPv6, "both IPv4 and IPv6")
	check(has&(decoded.LayerIPv4|decoded.LayerIPv6) != 0 || *l3 == decoded.L3{}, "L3 set without IP")
	check(has&decoded.LayerTransport == 0 || has&(decoded.LayerIPv4|decoded.LayerIPv6) != 0, "transport without IP")
	check(has&decoded.LayerTransport != 0 || *l4 == decoded.L4{}, "L4 set without transport")
	check(!l4.IsICMP || l4.SrcPort == 0 && l4.DstPort == 0 && l4.TCPFlags == 0, "ICMP with ports")
	check(l4.TCPFlags == 0 || l3.Protocol == 6, "TCP flags on another protocol")
	check(!(has&decoded.LayerTransport != 0 && l3.Fragment && l3.FragOffset != 0), "transport in a non-first fragment")
	return errs
}

// TestInvariants runs the fuzz invariants over every cut of every case.
func TestInvariants(t *testing.T) {
	p := NewParser()
	for _, c := range cases(t) {
		for n := range len(c.data) + 1 {
			var pkt decoded.Packet
			p.Parse(c.proto, c.data[:n], &pkt)
			for _, err := range packetInvariants(&pkt) {
				t.Errorf("%s cut at %d: %s", c.name, n, err)
			}
		}
	}
}
