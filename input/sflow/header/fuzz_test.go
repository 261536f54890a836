package header

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fuzzProtos maps the fuzzer's protocol byte to header_protocol values.
var fuzzProtos = [...]uint32{protoEthernet, protoIPv4, protoIPv6, 2}

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
		var pkt, again Packet
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
func packetInvariants(p *Packet) []string {
	var errs []string
	check := func(ok bool, msg string) {
		if !ok {
			errs = append(errs, msg)
		}
	}
	check(p.Has&HasVLAN != 0 == (p.NumVLANs > 0), "HasVLAN and NumVLANs disagree")
	check(p.Has&HasMPLS != 0 == (p.NumMPLS > 0), "HasMPLS and NumMPLS disagree")
	check(p.Has&HasInner != 0 == (p.Inner.Has != 0), "HasInner and Inner.Has disagree")
	check(p.Has&HasInner == 0 || p.Has&HasGRE != 0 || p.Has&HasVXLAN != 0 || p.L3.Protocol == 4 || p.L3.Protocol == 41,
		"an inner packet without an encapsulation")
	check(p.Has&HasVXLAN == 0 || p.L4.DstPort == portVXLAN || p.L4.DstPort == portVXLANLinux, "VXLAN on another port")
	check(p.Inner.Has&(HasMPLS|HasGRE|HasVXLAN|HasInner) == 0, "nested encapsulation in Inner")
	check(p.Has&(HasGRE|HasVXLAN) == 0 || p.Has&(HasIPv4|HasIPv6) != 0, "a tunnel without IP")
	errs = append(errs, layerInvariants(p.Has, &p.L3, &p.L4)...)
	return append(errs, layerInvariants(p.Inner.Has, &p.Inner.L3, &p.Inner.L4)...)
}

// layerInvariants returns the broken invariants of the IP and transport
// layers of a packet or an inner packet.
func layerInvariants(has Has, l3 *L3, l4 *L4) []string {
	var errs []string
	check := func(ok bool, msg string) {
		if !ok {
			errs = append(errs, msg)
		}
	}
	check(has&HasIPv4 == 0 || l3.Version == 4 && l3.SrcIP.Is4() && l3.DstIP.Is4(), "HasIPv4 without IPv4 addresses")
	check(has&HasIPv6 == 0 || l3.Version == 6 && l3.SrcIP.Is6() && l3.DstIP.Is6(), "HasIPv6 without IPv6 addresses")
	check(has&(HasIPv4|HasIPv6) != HasIPv4|HasIPv6, "both IPv4 and IPv6")
	check(has&(HasIPv4|HasIPv6) != 0 || *l3 == L3{}, "L3 set without IP")
	check(has&HasTransport == 0 || has&(HasIPv4|HasIPv6) != 0, "transport without IP")
	check(has&HasTransport != 0 || *l4 == L4{}, "L4 set without transport")
	check(!l4.IsICMP || l4.SrcPort == 0 && l4.DstPort == 0 && l4.TCPFlags == 0, "ICMP with ports")
	check(l4.TCPFlags == 0 || l3.Protocol == 6, "TCP flags on another protocol")
	check(!(has&HasTransport != 0 && l3.Fragment && l3.FragOffset != 0), "transport in a non-first fragment")
	return errs
}

// TestInvariants runs the fuzz invariants over every cut of every case.
func TestInvariants(t *testing.T) {
	p := NewParser()
	for _, c := range cases(t) {
		for n := range len(c.data) + 1 {
			var pkt Packet
			p.Parse(c.proto, c.data[:n], &pkt)
			for _, err := range packetInvariants(&pkt) {
				t.Errorf("%s cut at %d: %s", c.name, n, err)
			}
		}
	}
}
