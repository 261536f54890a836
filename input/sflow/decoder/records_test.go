package decoder

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
)

// cmpOpts compare decoded structures; the parsed sampled header is left
// to TestSampledHeaderParsed and the header package's own tests.
var cmpOpts = []cmp.Option{
	cmp.Comparer(func(a, b netip.Addr) bool { return a == b }),
	cmpopts.EquateEmpty(),
	cmpopts.IgnoreFields(decoded.SampledHeader{}, "Parsed", "Packet"),
}

// decodeOne decodes data with a fresh Decoder and fails the test on a
// datagram error.
func decodeOne(t *testing.T, data []byte) *decoded.Datagram {
	t.Helper()
	var dg decoded.Datagram
	if err := NewDecoder().Decode(data, &dg); err != nil {
		t.Fatalf("Decode: %v", err)
	}
	return &dg
}

// flowRecordCase is one flow record built by hand and what must come out.
type flowRecordCase struct {
	name   string
	format uint32
	bit    decoded.FlowHas
	body   func(*xb)
	got    func(*decoded.FlowRecords) any
	want   any
}

var (
	mac1 = [6]byte{0, 0x11, 0x22, 0x33, 0x44, 0x55}
	mac2 = [6]byte{0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb}
	v4a  = netip.MustParseAddr("10.0.0.1")
	v4b  = netip.MustParseAddr("10.0.0.2")
	v6a  = netip.MustParseAddr("2001:db8::1")
	v6b  = netip.MustParseAddr("2001:db8::2")
)

func ipv4Body(b *xb) { b.u32(60, 6).raw(v4a.AsSlice()).raw(v4b.AsSlice()).u32(1234, 80, 0x12, 0x10) }
func ipv6Body(b *xb) { b.u32(80, 17).raw(v6a.AsSlice()).raw(v6b.AsSlice()).u32(53, 5353, 0, 7) }

var wantIPv4 = decoded.SampledIP{Length: 60, Protocol: 6, SrcIP: v4a, DstIP: v4b, SrcPort: 1234, DstPort: 80, TCPFlags: 0x12, TOS: 0x10}
var wantIPv6 = decoded.SampledIP{Length: 80, Protocol: 17, SrcIP: v6a, DstIP: v6b, SrcPort: 53, DstPort: 5353, TCPFlags: 0, TOS: 7}

var flowRecordCases = []flowRecordCase{
	{"sampled_header", decoded.FlowSampledHeader, decoded.HasSampledHeader, func(b *xb) { b.u32(decoded.HeaderProtoEthernet, 1514, 4).opaque([]byte{1, 2, 3, 4, 5}) },
		func(r *decoded.FlowRecords) any { return r.SampledHeader }, decoded.SampledHeader{Protocol: 1, FrameLength: 1514, Stripped: 4, Header: []byte{1, 2, 3, 4, 5}}},
	{"sampled_ethernet", decoded.FlowSampledEthernet, decoded.HasSampledEthernet, func(b *xb) { b.u32(1518).mac(mac1).mac(mac2).u32(0x86DD) },
		func(r *decoded.FlowRecords) any { return r.SampledEthernet }, decoded.SampledEthernet{Length: 1518, SrcMAC: mac1, DstMAC: mac2, EtherType: 0x86DD}},
	{"sampled_ipv4", decoded.FlowSampledIPv4, decoded.HasSampledIPv4, ipv4Body,
		func(r *decoded.FlowRecords) any { return r.SampledIPv4 }, wantIPv4},
	{"sampled_ipv6", decoded.FlowSampledIPv6, decoded.HasSampledIPv6, ipv6Body,
		func(r *decoded.FlowRecords) any { return r.SampledIPv6 }, wantIPv6},
	{"extended_switch", decoded.FlowExtSwitch, decoded.HasExtSwitch, func(b *xb) { b.u32(10, 1, 20, 2) },
		func(r *decoded.FlowRecords) any { return r.ExtSwitch }, decoded.ExtSwitch{SrcVLAN: 10, SrcPriority: 1, DstVLAN: 20, DstPriority: 2}},
	{"extended_router v6", decoded.FlowExtRouter, decoded.HasExtRouter, func(b *xb) { b.addr("2001:db8::1").u32(48, 64) },
		func(r *decoded.FlowRecords) any { return r.ExtRouter }, decoded.ExtRouter{NextHop: v6a, SrcMaskLen: 48, DstMaskLen: 64}},
	{"extended_gateway", decoded.FlowExtGateway, decoded.HasExtGateway, func(b *xb) {
		b.addr("10.0.0.1").u32(65000, 65001, 65002)
		b.u32(2).u32(decoded.ASPathSequence, 3, 65002, 174, 3356).u32(decoded.ASPathSet, 1, 64512)
		b.u32(2, 0xFDE80001, 0xFFFFFF01).u32(100)
	},
		func(r *decoded.FlowRecords) any { return r.ExtGateway }, decoded.ExtGateway{NextHop: v4a, AS: 65000, SrcAS: 65001, SrcPeerAS: 65002,
			ASPath:      []decoded.ASPathSegment{{Type: decoded.ASPathSequence, ASNs: []uint32{65002, 174, 3356}}, {Type: decoded.ASPathSet, ASNs: []uint32{64512}}},
			Communities: []uint32{0xFDE80001, 0xFFFFFF01}, LocalPref: 100}},
	{"extended_user", decoded.FlowExtUser, decoded.HasExtUser, func(b *xb) { b.u32(106).str("alice").u32(106).str("bob") },
		func(r *decoded.FlowRecords) any { return r.ExtUser }, decoded.ExtUser{SrcCharset: 106, SrcUser: []byte("alice"), DstCharset: 106, DstUser: []byte("bob")}},
	{"extended_url", decoded.FlowExtURL, decoded.HasExtURL, func(b *xb) { b.u32(2).str("/index.html").str("example.com") },
		func(r *decoded.FlowRecords) any { return r.ExtURL }, decoded.ExtURL{Direction: 2, URL: []byte("/index.html"), Host: []byte("example.com")}},
	{"extended_mpls", decoded.FlowExtMPLS, decoded.HasExtMPLS, func(b *xb) { b.addr("10.0.0.2").u32(2, 100, 200).u32(1, 300) },
		func(r *decoded.FlowRecords) any { return r.ExtMPLS }, decoded.ExtMPLS{NextHop: v4b, InStack: []uint32{100, 200}, OutStack: []uint32{300}}},
	{"extended_nat", decoded.FlowExtNAT, decoded.HasExtNAT, func(b *xb) { b.addr("10.0.0.1").addr("2001:db8::2") },
		func(r *decoded.FlowRecords) any { return r.ExtNAT }, decoded.ExtNAT{SrcIP: v4a, DstIP: v6b}},
	{"extended_mpls_tunnel", decoded.FlowExtMPLSTunnel, decoded.HasExtMPLSTunnel, func(b *xb) { b.str("lsp1").u32(7, 5) },
		func(r *decoded.FlowRecords) any { return r.ExtMPLSTunnel }, decoded.ExtMPLSTunnel{Name: []byte("lsp1"), ID: 7, COSValue: 5}},
	{"extended_mpls_vc", decoded.FlowExtMPLSVC, decoded.HasExtMPLSVC, func(b *xb) { b.str("vc-a").u32(8, 3) },
		func(r *decoded.FlowRecords) any { return r.ExtMPLSVC }, decoded.ExtMPLSVC{InstanceName: []byte("vc-a"), ID: 8, COSValue: 3}},
	{"extended_mpls_FTN", decoded.FlowExtMPLSFEC, decoded.HasExtMPLSFEC, func(b *xb) { b.str("ftn").u32(24) },
		func(r *decoded.FlowRecords) any { return r.ExtMPLSFEC }, decoded.ExtMPLSFEC{Description: []byte("ftn"), Mask: 24}},
	{"extended_mpls_LDP_FEC", decoded.FlowExtMPLSLVPFEC, decoded.HasExtMPLSLVPFEC, func(b *xb) { b.u32(22) }, func(r *decoded.FlowRecords) any { return r.ExtMPLSLVPFEC }, uint32(22)},
	{"extended_vlantunnel", decoded.FlowExtVLANTunnel, decoded.HasExtVLANTunnel, func(b *xb) { b.u32(2, 0x88A80064, 0x810000C8) },
		func(r *decoded.FlowRecords) any { return r.ExtVLANTunnel }, []uint32{0x88A80064, 0x810000C8}},
	{"extended_ipv4_tunnel_egress", decoded.FlowExtIPv4TunnelEgress, decoded.HasExtIPv4TunnelEgress, ipv4Body,
		func(r *decoded.FlowRecords) any { return r.ExtIPv4TunnelEgress }, wantIPv4},
	{"extended_ipv4_tunnel_ingress", decoded.FlowExtIPv4TunnelIngr, decoded.HasExtIPv4TunnelIngress, ipv4Body,
		func(r *decoded.FlowRecords) any { return r.ExtIPv4TunnelIngress }, wantIPv4},
	{"extended_ipv6_tunnel_egress", decoded.FlowExtIPv6TunnelEgress, decoded.HasExtIPv6TunnelEgress, ipv6Body,
		func(r *decoded.FlowRecords) any { return r.ExtIPv6TunnelEgress }, wantIPv6},
	{"extended_ipv6_tunnel_ingress", decoded.FlowExtIPv6TunnelIngr, decoded.HasExtIPv6TunnelIngress, ipv6Body,
		func(r *decoded.FlowRecords) any { return r.ExtIPv6TunnelIngress }, wantIPv6},
	{"extended_decapsulate_egress", decoded.FlowExtDecapEgress, decoded.HasExtDecapEgress, func(b *xb) { b.u32(50) }, func(r *decoded.FlowRecords) any { return r.ExtDecapEgress }, uint32(50)},
	{"extended_decapsulate_ingress", decoded.FlowExtDecapIngress, decoded.HasExtDecapIngress, func(b *xb) { b.u32(54) }, func(r *decoded.FlowRecords) any { return r.ExtDecapIngress }, uint32(54)},
	{"extended_vni_egress", decoded.FlowExtVNIEgress, decoded.HasExtVNIEgress, func(b *xb) { b.u32(789) }, func(r *decoded.FlowRecords) any { return r.ExtVNIEgress }, uint32(789)},
	{"extended_vni_ingress", decoded.FlowExtVNIIngress, decoded.HasExtVNIIngress, func(b *xb) { b.u32(456) }, func(r *decoded.FlowRecords) any { return r.ExtVNIIngress }, uint32(456)},
	{"extended_egress_queue", decoded.FlowExtEgressQueue, decoded.HasExtEgressQueue, func(b *xb) { b.u32(3) }, func(r *decoded.FlowRecords) any { return r.ExtEgressQueue }, uint32(3)},
	{"extended_acl", decoded.FlowExtACL, decoded.HasExtACL, func(b *xb) { b.u32(42).str("deny-ssh").u32(1) },
		func(r *decoded.FlowRecords) any { return r.ExtACL }, decoded.ExtACL{Number: 42, Name: []byte("deny-ssh"), Direction: 1}},
	{"extended_function", decoded.FlowExtFunction, decoded.HasExtFunction, func(b *xb) { b.str("kfree_skb") }, func(r *decoded.FlowRecords) any { return r.ExtFunction }, []byte("kfree_skb")},
	{"extended_linux_drop_reason", decoded.FlowExtLinuxDropReason, decoded.HasExtLinuxDropReason, func(b *xb) { b.str("NO_SOCKET") }, func(r *decoded.FlowRecords) any { return r.ExtLinuxDropReason }, []byte("NO_SOCKET")},
}

// TestFlowRecords decodes each flow record format from hand-built bytes,
// then the same record cut 4 bytes short (RecordError, record dropped,
// sample kept) and with 8 extra trailing bytes (ignored).
func TestFlowRecords(t *testing.T) {
	for _, tc := range flowRecordCases {
		t.Run(tc.name, func(t *testing.T) {
			data := datagram(1, func(b *xb) {
				b.flowSample(2, func(b *xb) {
					b.record(tc.format, tc.body).record(decoded.FlowExtSwitch, func(b *xb) { b.u32(1, 2, 3, 4) })
				})
			})
			if tc.format == decoded.FlowExtSwitch {
				data = datagram(1, func(b *xb) { b.flowSample(1, func(b *xb) { b.record(tc.format, tc.body) }) })
			}
			dg := decodeOne(t, data)
			if len(dg.FlowSamples) != 1 {
				t.Fatalf("got %d flow samples, stats %+v, errors %v", len(dg.FlowSamples), dg.Stats, dg.Errors)
			}
			r := &dg.FlowSamples[0].Records
			if r.Has&tc.bit == 0 {
				t.Fatalf("Has %#x lacks %#x; stats %+v errors %v", r.Has, tc.bit, dg.Stats, dg.Errors)
			}
			if diff := cmp.Diff(tc.want, tc.got(r), cmpOpts...); diff != "" {
				t.Errorf("record (-want +got):\n%s", diff)
			}

			short := datagram(1, func(b *xb) {
				b.flowSample(2, func(b *xb) {
					b.record(tc.format, func(b *xb) { tc.body(b); b.b = b.b[:len(b.b)-4] })
					b.record(decoded.FlowExtSwitch+1000, func(b *xb) { b.u32(9) }) // unknown 0:2001
				})
			})
			dg = decodeOne(t, short)
			if len(dg.FlowSamples) != 1 || dg.FlowSamples[0].Records.Has&tc.bit != 0 {
				t.Fatalf("short record: samples %d, Has %#x", len(dg.FlowSamples), dg.FlowSamples[0].Records.Has)
			}
			want := decoded.DecodeStats{SamplesDeclared: 1, SamplesDecoded: 1, RecordsMalformed: 1, RecordsUnknown: 1}
			if diff := cmp.Diff(want, dg.Stats); diff != "" {
				t.Errorf("short record stats (-want +got):\n%s", diff)
			}
			var re *RecordError
			if len(dg.Errors) != 1 || !errors.As(dg.Errors[0], &re) || re.Format != tc.format || re.Offset != 28+8+32 {
				t.Errorf("short record errors: %v", dg.Errors)
			}

			long := datagram(1, func(b *xb) {
				b.flowSample(1, func(b *xb) { b.record(tc.format, func(b *xb) { tc.body(b); b.u32(0xEEEEEEEE, 0xEEEEEEEE) }) })
			})
			dg = decodeOne(t, long)
			if len(dg.FlowSamples) != 1 || dg.FlowSamples[0].Records.Has != tc.bit {
				t.Fatalf("long record: stats %+v errors %v", dg.Stats, dg.Errors)
			}
			if diff := cmp.Diff(tc.want, tc.got(&dg.FlowSamples[0].Records), cmpOpts...); diff != "" {
				t.Errorf("record with trailing bytes (-want +got):\n%s", diff)
			}
		})
	}
}

// TestFlowRecordCoverage checks that every flow format constant has a case.
func TestFlowRecordCoverage(t *testing.T) {
	seen := map[uint32]bool{}
	for _, tc := range flowRecordCases {
		seen[tc.format] = true
		if bit, _ := flowRecordDecoder(tc.format); bit != tc.bit {
			t.Errorf("%s: decoder bit %#x, case bit %#x", tc.name, bit, tc.bit)
		}
	}
	for _, f := range allFlowFormats {
		if !seen[f] {
			t.Errorf("flow format %d has no unit test", f)
		}
	}
}

// allFlowFormats lists the flow record formats the decoder knows.
var allFlowFormats = []uint32{1, 2, 3, 4, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010, 1011, 1012,
	1023, 1024, 1025, 1026, 1027, 1028, 1029, 1030, 1036, 1037, 1038, 1042}

// allCounterFormats lists the counter record formats the decoder knows.
var allCounterFormats = []uint32{1, 2, 3, 4, 5, 6, 7, 10, 1001, 1002, 1004, 1005,
	2000, 2001, 2002, 2003, 2004, 2005, 2006, 2007, 2008, 2009, 2010,
	2100, 2101, 2102, 2103, 2104, 2105, 2106, 2201, 2203, 2207}
