package ecs

import (
	"math/rand/v2"
	"net"
	"net/netip"
	"testing"

	"github.com/elastic/beats/v7/libbeat/common/flowhash"
)

// libbeat's Community ID (libbeat/common/flowhash, standard library only)
// is what the mapper's own communityID is checked and measured against, in
// tests only. The mapper keeps its own for two reasons:
//   - flowhash departs from the spec's reference implementation
//     (corelight/pycommunityid, icmp.py and icmp6.py) for two ICMP types: it
//     treats an ICMP information reply (16) and an ICMPv6 MLD listener report
//     (131) as one-way messages, where the reference pairs them with their
//     requests (15, 130) like every other reply;
//   - it costs twice as much: it takes net.IP slices and a new hash.Hash per
//     call (7 allocations), where communityID hashes a message built on the
//     stack from netip.Addr values (one allocation, the result). See
//     BenchmarkCommunityID and BenchmarkCommunityIDFlowhash.

// TestCommunityIDMatchesFlowhash checks communityID against flowhash on
// random flows: IPv4 and IPv6, TCP, UDP, SCTP (ports hashed), ICMP and
// ICMPv6 with every type (two-way and one-way messages), other protocols
// (no ports), and flows whose two ends share an address (ordered by port).
// For the two replies flowhash leaves unpaired, the reference's rule is
// checked instead: a reply hashes as the request it answers, sent back.
func TestCommunityIDMatchesFlowhash(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	protos := []uint8{6, 17, 132, 1, 58, 47, 50, 0, 255}
	replies := 0
	for i := 0; i < 50000; i++ {
		fl := randomFlow(rng, protos[rng.IntN(len(protos))], rng.IntN(2) == 0)
		ref := fl
		if req, ok := unpairedReply(&fl); ok {
			ref.srcIP, ref.dstIP, ref.icmpType = fl.dstIP, fl.srcIP, req
			replies++
		}
		want := flowhash.CommunityID.Hash(toFlowhash(&ref))
		if got := communityID(&fl); got != want {
			t.Fatalf("flow %+v: communityID %s, flowhash %s", fl, got, want)
		}
	}
	if replies < 50 {
		t.Errorf("only %d information replies and MLD reports among the flows", replies)
	}
}

// unpairedReply returns the request type of an ICMP information reply or an
// ICMPv6 MLD listener report, the replies that flowhash (unlike the spec's
// reference) does not pair with their requests.
func unpairedReply(fl *flow) (uint8, bool) {
	switch {
	case fl.isICMP && fl.proto == 1 && fl.icmpType == 16:
		return 15, true
	case fl.isICMP && fl.proto == 58 && fl.icmpType == 131:
		return 130, true
	}
	return 0, false
}

// randomFlow returns a flow of protocol proto between random addresses (the
// same one at both ends one time in eight) with random ports or ICMP
// type/code (half of them among the types that have a reply), as the mapper fills it from a parsed header.
func randomFlow(rng *rand.Rand, proto uint8, v6 bool) flow {
	fl := flow{srcIP: randomAddr(rng, v6), proto: proto, hasProto: true}
	fl.dstIP = randomAddr(rng, v6)
	if rng.IntN(8) == 0 {
		fl.dstIP = fl.srcIP
	}
	switch proto {
	case 1, 58:
		fl.icmpType, fl.icmpCode, fl.isICMP = uint8(rng.IntN(256)), uint8(rng.IntN(4)), true
		if rng.IntN(2) == 0 { // half among the types the protocol pairs
			fl.icmpType = uint8(rng.IntN(20)) + (proto/58)*128
		}
	case 6, 17, 132:
		fl.srcPort, fl.dstPort, fl.hasPorts = uint16(rng.IntN(65536)), uint16(rng.IntN(65536)), true
	}
	return fl
}

// randomAddr returns a random IPv4 or IPv6 address.
func randomAddr(rng *rand.Rand, v6 bool) netip.Addr {
	var b [16]byte
	for i := range b {
		b[i] = byte(rng.IntN(256))
	}
	if v6 {
		return netip.AddrFrom16(b)
	}
	return netip.AddrFrom4([4]byte(b[:4]))
}

// toFlowhash converts a flow to libbeat's flowhash.Flow.
func toFlowhash(fl *flow) flowhash.Flow {
	f := flowhash.Flow{
		SourceIP:        net.IP(fl.srcIP.AsSlice()),
		DestinationIP:   net.IP(fl.dstIP.AsSlice()),
		Protocol:        fl.proto,
		SourcePort:      fl.srcPort,
		DestinationPort: fl.dstPort,
	}
	f.ICMP.Type, f.ICMP.Code = fl.icmpType, fl.icmpCode
	return f
}

// benchFlows are IPv4 and IPv6 TCP flows for the Community ID benchmarks.
func benchFlows() []flow {
	rng := rand.New(rand.NewPCG(3, 4))
	out := make([]flow, 256)
	for i := range out {
		out[i] = randomFlow(rng, 6, i%2 == 1)
	}
	return out
}

// BenchmarkCommunityID measures the mapper's Community ID per flow.
func BenchmarkCommunityID(b *testing.B) {
	flows := benchFlows()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_ = communityID(&flows[i%len(flows)])
	}
}

// BenchmarkCommunityIDFlowhash measures libbeat's flowhash on the same
// flows, with the conversion from netip.Addr the mapper would need.
func BenchmarkCommunityIDFlowhash(b *testing.B) {
	flows := benchFlows()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_ = flowhash.CommunityID.Hash(toFlowhash(&flows[i%len(flows)]))
	}
}
