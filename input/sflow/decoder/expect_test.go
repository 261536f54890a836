package decoder

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/gopacket"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
)

// decodeCapture decodes datagram i of a capture.
func decodeCapture(t *testing.T, name string, i int) (*decoded.Datagram, error) {
	t.Helper()
	var dg decoded.Datagram
	err := NewDecoder().Decode(readCapture(t, name)[i], &dg)
	return &dg, err
}

// TestIPv6Agent: tcpdump-sflow-print-v6 has agent 30::1:1:1.
func TestIPv6Agent(t *testing.T) {
	dg, err := decodeCapture(t, "tcpdump-sflow-print-v6.pcap", 0)
	if err != nil {
		t.Fatal(err)
	}
	got := [4]any{dg.Version, dg.AgentAddress, dg.SequenceNumber, dg.Uptime}
	want := [4]any{uint32(5), netip.MustParseAddr("30::1:1:1"), uint32(109), uint32(113000)}
	if diff := cmp.Diff(want, got, cmpOpts...); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
}

// TestOutputInterfaceFormats: the akvorado captures derived from data-1140
// set the output interface word to discarded (format 1), local (ifIndex
// 0x3FFFFFFF) and multiple (format 2); each has 964 bytes after the one
// declared sample (the four other samples of the original).
func TestOutputInterfaceFormats(t *testing.T) {
	for name, want := range map[string]decoded.Interface{
		// Values checked against tshark: 0x40000001, 0x3FFFFFFF, 0x80000007.
		"akvorado-data-discard-interface.pcap":   {Format: decoded.IfFormatDiscarded, Value: 1},
		"akvorado-data-local-interface.pcap":     {Format: decoded.IfFormatSingle, Value: decoded.IfIndexLocal},
		"akvorado-data-multiple-interfaces.pcap": {Format: decoded.IfFormatMultiple, Value: 7},
	} {
		dg, err := decodeCapture(t, name, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(dg.FlowSamples) != 1 || dg.Stats.TrailingBytes != 964 {
			t.Fatalf("%s: %d samples, stats %+v", name, len(dg.FlowSamples), dg.Stats)
		}
		s := dg.FlowSamples[0]
		if diff := cmp.Diff([2]decoded.Interface{{Format: decoded.IfFormatSingle, Value: 27}, want}, [2]decoded.Interface{s.Input, s.Output}); diff != "" {
			t.Errorf("%s: input/output (-want +got):\n%s", name, diff)
		}
	}
}

// TestExpandedFlowSampleAndGateway: akvorado-data-sflow-expanded-sample
// (flow_sample_expanded with sampled header, ext router, ext gateway).
func TestExpandedFlowSampleAndGateway(t *testing.T) {
	dg, err := decodeCapture(t, "akvorado-data-sflow-expanded-sample.pcap", 0)
	if err != nil {
		t.Fatal(err)
	}
	s := dg.FlowSamples[0]
	s.Records = decoded.FlowRecords{Has: s.Records.Has, ExtRouter: s.Records.ExtRouter, ExtGateway: s.Records.ExtGateway}
	want := decoded.FlowSample{
		Expanded: true, SequenceNumber: 2170480284, SourceID: decoded.SourceID{Type: 0, Index: 11001},
		SamplingRate: 1000, SamplePool: 1521799520,
		Input: decoded.Interface{Format: 0, Value: 29001}, Output: decoded.Interface{Format: 0, Value: 1285816721},
		Records: decoded.FlowRecords{
			Has:       decoded.HasSampledHeader | decoded.HasExtRouter | decoded.HasExtGateway,
			ExtRouter: decoded.ExtRouter{NextHop: netip.MustParseAddr("54.54.54.54"), SrcMaskLen: 32, DstMaskLen: 22},
			ExtGateway: decoded.ExtGateway{NextHop: netip.MustParseAddr("54.54.54.54"), AS: 28976, SrcAS: 203476, SrcPeerAS: 203476,
				ASPath:      []decoded.ASPathSegment{{Type: decoded.ASPathSequence, ASNs: []uint32{8218, 29605, 203361}}},
				Communities: []uint32{538574949, 1911619684, 1911669584, 1911671290}, LocalPref: 100},
		},
	}
	if diff := cmp.Diff(want, s, cmpOpts...); diff != "" {
		t.Errorf("sample (-want +got):\n%s", diff)
	}
	if dg.AgentAddress != netip.MustParseAddr("49.49.49.49") {
		t.Errorf("agent %v", dg.AgentAddress)
	}
}

// TestGatewayASPathCommunities: akvorado-data-1140, sample 2.
func TestGatewayASPathCommunities(t *testing.T) {
	dg, err := decodeCapture(t, "akvorado-data-1140.pcap", 0)
	if err != nil {
		t.Fatal(err)
	}
	var gws []decoded.ExtGateway
	for _, s := range dg.FlowSamples {
		if s.Records.Has&decoded.HasExtGateway != 0 {
			gws = append(gws, s.Records.ExtGateway)
		}
	}
	want := []decoded.ExtGateway{
		{NextHop: netip.MustParseAddr("0.0.0.0"), AS: 39421, SrcAS: 13335, SrcPeerAS: 203698},
		{NextHop: netip.MustParseAddr("31.14.69.110"), AS: 39421,
			ASPath:      []decoded.ASPathSegment{{Type: decoded.ASPathSequence, ASNs: []uint32{203698, 6762, 26615}}},
			Communities: []uint32{2583495656, 2583495657, 4259880000, 4259880001, 4259900001}, LocalPref: 100},
	}
	if diff := cmp.Diff(want, gws, cmpOpts...); diff != "" {
		t.Errorf("gateways (-want +got):\n%s", diff)
	}
}

// TestDropEvents: event_discarded_packet from cistern (a real host-sflow
// drop with 1038 + 1042) and the goflow2 / telegraf hand-made ones.
func TestDropEvents(t *testing.T) {
	type drop struct {
		Seq, Drops, Reason uint32
		Src                decoded.SourceID
		In, Out            decoded.Interface
		Has                decoded.FlowHas
		Queue              uint32
		ACL                decoded.ExtACL
		Function, Reason2  string
	}
	get := func(name string, i int) drop {
		dg, err := decodeCapture(t, name, i)
		if err != nil || len(dg.DropSamples) != 1 {
			t.Fatalf("%s[%d]: %v, %d drops", name, i, err, len(dg.DropSamples))
		}
		s := dg.DropSamples[0]
		d := drop{Seq: s.SequenceNumber, Drops: s.Drops, Reason: s.Reason, Src: s.SourceID, In: s.Input, Out: s.Output, Has: s.Records.Has}
		r := s.Records
		if r.Has&decoded.HasExtEgressQueue != 0 {
			d.Queue = r.ExtEgressQueue
		}
		if r.Has&decoded.HasExtACL != 0 {
			d.ACL = r.ExtACL
		}
		if r.Has&decoded.HasExtFunction != 0 {
			d.Function = string(r.ExtFunction)
		}
		if r.Has&decoded.HasExtLinuxDropReason != 0 {
			d.Reason2 = string(r.ExtLinuxDropReason)
		}
		return d
	}
	got := []drop{get("cistern-sflow-dumps.pcap", 6), get("goflow2-sflow_test.pcap", 2), get("goflow2-sflow_test.pcap", 3),
		get("goflow2-sflow_test.pcap", 4), get("telegraf-tests.pcap", 7)}
	want := []drop{
		{Seq: 17145, Drops: 1799, Reason: 289, Src: decoded.SourceID{Type: 0, Index: 2}, In: decoded.Interface{Format: 0, Value: 2}, Out: decoded.Interface{Format: 0, Value: 0},
			Has: decoded.HasSampledHeader | decoded.HasExtFunction | decoded.HasExtLinuxDropReason, Function: "__udp4_lib_rcv+0xbed/0xd90", Reason2: "NOT_SPECIFIED"},
		{Seq: 2, Drops: 256, Reason: 1, Src: decoded.SourceID{Type: 0, Index: 1}, In: decoded.Interface{Format: 0, Value: 1}, Out: decoded.Interface{Format: 0, Value: 2}, Has: decoded.HasExtEgressQueue, Queue: 42},
		{Seq: 2, Drops: 256, Reason: 1, Src: decoded.SourceID{Type: 0, Index: 1}, In: decoded.Interface{Format: 0, Value: 1}, Out: decoded.Interface{Format: 0, Value: 2}, Has: decoded.HasExtACL,
			ACL: decoded.ExtACL{Number: 42, Name: []byte("foo!"), Direction: 2}},
		{Seq: 2, Drops: 256, Reason: 1, Src: decoded.SourceID{Type: 0, Index: 1}, In: decoded.Interface{Format: 0, Value: 1}, Out: decoded.Interface{Format: 0, Value: 2}, Has: decoded.HasExtFunction, Function: "foobar"},
		{Seq: 2, Drops: 256, Reason: 1, Src: decoded.SourceID{Type: 0, Index: 1}, In: decoded.Interface{Format: 0, Value: 1}, Out: decoded.Interface{Format: 0, Value: 2}, Has: decoded.HasExtEgressQueue, Queue: 42},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("drops (-want +got):\n%s", diff)
	}
}

// TestUnknownEnterpriseRecord: pmacct's enterprise 43874 format 2 record
// (tag/tag2) is counted and skipped, never an error.
func TestUnknownEnterpriseRecord(t *testing.T) {
	d := NewDecoder()
	var dg decoded.Datagram
	var unknown, gw, errs int
	for _, p := range readCapture(t, "pmacct-sfprobe-rate4-gw-tag.pcap") {
		if err := d.Decode(p, &dg); err != nil {
			t.Fatal(err)
		}
		unknown += int(dg.Stats.RecordsUnknown)
		errs += len(dg.Errors) + int(dg.Stats.RecordsMalformed+dg.Stats.SamplesMalformed)
		for _, s := range dg.FlowSamples {
			if s.Records.Has&decoded.HasExtGateway != 0 {
				gw++
			}
		}
	}
	if diff := cmp.Diff([3]int{193, 193, 0}, [3]int{unknown, gw, errs}); diff != "" {
		t.Errorf("[unknown records, gateways, errors] (-want +got):\n%s", diff)
	}
}

// TestMalformedPmacctAgent6: pmacct writes agent address type 2 (IPv6) and
// then only 4 address bytes, so under XDR every later field is off by 12:
// no datagram may panic, none yields a sample, every declared sample is
// accounted for, and the impossible sample counts are datagram errors.
func TestMalformedPmacctAgent6(t *testing.T) {
	d := NewDecoder()
	var dg decoded.Datagram
	var datagramErrs, decoded int
	for _, p := range readCapture(t, "pmacct-sfprobe-agent6-MALFORMED.pcap") {
		err := d.Decode(p, &dg)
		if err != nil {
			datagramErrs++
			if !errors.Is(err, ErrTooMany) {
				t.Errorf("unexpected error %v", err)
			}
			continue
		}
		decoded += int(dg.Stats.SamplesDecoded)
		if s := dg.Stats; s.SamplesDecoded+s.SamplesMalformed+s.SamplesUnknown != s.SamplesDeclared || len(dg.Errors) == 0 {
			t.Errorf("stats %+v, %d errors", s, len(dg.Errors))
		}
	}
	if diff := cmp.Diff([2]int{30, 0}, [2]int{datagramErrs, decoded}); diff != "" {
		t.Errorf("[datagram errors, samples decoded] (-want +got):\n%s", diff)
	}
}

// TestSegvReproducer: tcpdump's CVE-2018-10105 capture declares 5 samples;
// the first claims 768 records in 156 bytes, the second a length of 229633
// in 676 bytes: all 5 are malformed, the datagram header is kept.
func TestSegvReproducer(t *testing.T) {
	dg, err := decodeCapture(t, "tcpdump-sflow_print-segv.pcap", 0)
	if err != nil {
		t.Fatal(err)
	}
	want := decoded.DecodeStats{SamplesDeclared: 5, SamplesMalformed: 5}
	if diff := cmp.Diff(want, dg.Stats); diff != "" {
		t.Errorf("stats (-want +got):\n%s", diff)
	}
	if len(dg.Errors) != 2 || !errors.Is(dg.Errors[0], ErrTooMany) || !errors.Is(dg.Errors[1], ErrBadLength) {
		t.Errorf("errors %v", dg.Errors)
	}
}

// TestGopacketInconsistentFrames: frames 5 and 8 of gopacket-sflow_test
// have a flow sample length 4 and 16 bytes shorter than its records (the
// ext router record runs past the sample): the sample is dropped and the
// bytes after its declared end are trailing bytes. Frame 11 is truncated:
// its counters sample claims 116 bytes where 76 are left.
func TestGopacketInconsistentFrames(t *testing.T) {
	for frame, trailing := range map[int]uint32{5: 4, 8: 16, 11: 0} {
		dg, err := decodeCapture(t, "gopacket-sflow_test.pcap", frame-1)
		if err != nil {
			t.Fatal(err)
		}
		want := decoded.DecodeStats{SamplesDeclared: 1, SamplesMalformed: 1, TrailingBytes: trailing}
		if diff := cmp.Diff(want, dg.Stats); diff != "" {
			t.Errorf("frame %d stats (-want +got):\n%s", frame, diff)
		}
		var se *SampleError
		if len(dg.Errors) != 1 || !errors.As(dg.Errors[0], &se) || se.Offset != 28 || !errors.Is(se, ErrBadLength) {
			t.Errorf("frame %d errors %v", frame, dg.Errors)
		}
	}
}

// TestNotSFlow: the NetFlow v5 packets sent to 6343 in the tcpdump capture
// (first word 0x00050001), garbage and short input.
func TestNotSFlow(t *testing.T) {
	d := NewDecoder()
	var dg decoded.Datagram
	var notSFlow int
	for _, p := range readCapture(t, "tcpdump-sflow_multiple_counter_30_pdus.pcap") {
		if err := d.Decode(p, &dg); err != nil {
			if !errors.Is(err, ErrNotSFlow) || Cause(err) != "not_sflow" {
				t.Errorf("error %v", err)
			}
			notSFlow++
		}
	}
	if notSFlow != 5 {
		t.Errorf("%d datagrams rejected, want the 5 NetFlow ones", notSFlow)
	}
	for _, tc := range []struct {
		data  []byte
		cause string
	}{
		{[]byte{0, 0, 0}, "truncated"},
		{[]byte{0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 0}, "not_sflow"},
		{[]byte{0, 0, 0, 3, 0, 0, 0, 1}, "unsupported_version"},
		{[]byte{0, 0, 0, 1, 0, 0, 0, 1}, "unsupported_version"},
		{[]byte{0, 0, 0, 4, 0, 0, 0, 1}, "truncated"}, // RFC 3176 v4: agent address cut
		{[]byte{0, 0, 0, 2, 0, 0, 0, 1, 1, 2, 3, 4}, "truncated"},
		{[]byte{0, 0, 0, 4, 0, 0, 0, 0, 1, 2, 3, 4}, "agent_address"},
		{[]byte{0, 0, 0, 5, 0, 0, 0, 3, 1, 2, 3, 4}, "agent_address"},
		{[]byte{0, 0, 0, 5, 0, 0, 0, 1, 1, 2, 3, 4}, "truncated"},
		{datagram(10_000_000, func(*xb) {}), "too_many"},
	} {
		err := d.Decode(tc.data, &dg)
		var de *DatagramError
		if !errors.As(err, &de) || Cause(err) != tc.cause {
			t.Errorf("% x: error %v, cause %q, want %q", tc.data, err, Cause(err), tc.cause)
		}
	}
}

// TestRobustness: hand-built hostile and odd datagrams.
func TestRobustness(t *testing.T) {
	sw := func(b *xb) { b.u32(1, 2, 3, 4) }
	for _, tc := range []struct {
		name string
		data []byte
		want decoded.DecodeStats
	}{
		{"records count beyond bytes", datagram(1, func(b *xb) { b.flowSample(10_000_000, func(*xb) {}) }), decoded.DecodeStats{SamplesDeclared: 1, SamplesMalformed: 1}},
		{"record past sample end", datagram(2, func(b *xb) {
			b.flowSample(1, func(b *xb) { b.u32(decoded.FlowExtSwitch, 100).u32(1, 2, 3, 4) })
			b.flowSample(1, func(b *xb) { b.record(decoded.FlowExtSwitch, sw) })
		}), decoded.DecodeStats{SamplesDeclared: 2, SamplesDecoded: 1, SamplesMalformed: 1}},
		{"duplicate record", datagram(1, func(b *xb) {
			b.flowSample(2, func(b *xb) { b.record(decoded.FlowExtSwitch, sw).record(decoded.FlowExtSwitch, sw) })
		}), decoded.DecodeStats{SamplesDeclared: 1, SamplesDecoded: 1, RecordsDuplicate: 1}},
		{"unknown sample", datagram(2, func(b *xb) {
			b.sample(7<<12|1, func(b *xb) { b.u32(1, 2, 3) })
			b.flowSample(1, func(b *xb) { b.record(decoded.FlowExtSwitch, sw) })
		}), decoded.DecodeStats{SamplesDeclared: 2, SamplesDecoded: 1, SamplesUnknown: 1}},
		{"bytes after last record", datagram(1, func(b *xb) { b.flowSample(1, func(b *xb) { b.record(decoded.FlowExtSwitch, sw).u32(0) }) }), decoded.DecodeStats{SamplesDeclared: 1, SamplesDecoded: 1}},
		{"AS path count huge", datagram(1, func(b *xb) {
			b.flowSample(1, func(b *xb) {
				b.record(decoded.FlowExtGateway, func(b *xb) { b.addr("10.0.0.1").u32(1, 2, 3, 0xFFFFFFFF) })
			})
		}), decoded.DecodeStats{SamplesDeclared: 1, SamplesDecoded: 1, RecordsMalformed: 1}},
		{"truncated sample header", datagram(2, func(b *xb) { b.flowSample(1, func(b *xb) { b.record(decoded.FlowExtSwitch, sw) }).u32(1) }), decoded.DecodeStats{SamplesDeclared: 2, SamplesDecoded: 1, SamplesMalformed: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dg := decodeOne(t, tc.data)
			if diff := cmp.Diff(tc.want, dg.Stats); diff != "" {
				t.Errorf("stats (-want +got):\n%s", diff)
			}
		})
	}
}

// TestHugeCountsDoNotAllocate: a 100-byte datagram claiming millions of
// records, AS path segments or communities allocates nothing big.
func TestHugeCountsDoNotAllocate(t *testing.T) {
	data := datagram(1, func(b *xb) {
		b.flowSample(1, func(b *xb) {
			b.record(decoded.FlowExtGateway, func(b *xb) { b.addr("10.0.0.1").u32(1, 2, 3, 1).u32(2, 10_000_000) })
		})
	})
	d := NewDecoder()
	var dg decoded.Datagram
	allocs := testing.AllocsPerRun(100, func() { _ = d.Decode(data, &dg) })
	if allocs > 2 { // the RecordError kept in dg.Errors
		t.Errorf("%v allocations per Decode", allocs)
	}
	if dg.Stats.RecordsMalformed != 1 || !errors.Is(dg.Errors[0], ErrTooMany) {
		t.Errorf("stats %+v errors %v", dg.Stats, dg.Errors)
	}
}

// TestErrorsKeptBounded: MaxErrorsKept errors are kept, all are counted.
func TestErrorsKeptBounded(t *testing.T) {
	data := datagram(10, func(b *xb) {
		for range 10 {
			b.flowSample(100, func(*xb) {})
		}
	})
	dg := decodeOne(t, data)
	if len(dg.Errors) != decoded.MaxErrorsKept || dg.Stats.SamplesMalformed != 10 {
		t.Errorf("%d errors kept, stats %+v", len(dg.Errors), dg.Stats)
	}
}

// TestLayer decodes a capture datagram through a gopacket
// DecodingLayerParser.
func TestLayer(t *testing.T) {
	var l Layer
	parser := gopacket.NewDecodingLayerParser(LayerTypeSFlow, &l)
	var decoded []gopacket.LayerType
	p := readCapture(t, "tcpdump-sflow-print-v6.pcap")[0]
	if err := parser.DecodeLayers(p, &decoded); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]gopacket.LayerType{LayerTypeSFlow}, decoded); diff != "" {
		t.Errorf("layers (-want +got):\n%s", diff)
	}
	if l.AgentAddress != netip.MustParseAddr("30::1:1:1") || len(l.CounterSamples)+len(l.FlowSamples) != 1 || len(l.LayerContents()) != len(p) {
		t.Errorf("layer: agent %v, %d+%d samples", l.AgentAddress, len(l.FlowSamples), len(l.CounterSamples))
	}
	pkt := gopacket.NewPacket(p, LayerTypeSFlow, gopacket.NoCopy)
	if ll, ok := pkt.Layer(LayerTypeSFlow).(*Layer); !ok || ll.SequenceNumber != 109 {
		t.Errorf("NewPacket: %v", pkt)
	}
}
