package decoder

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
)

var (
	v24Frame = []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00, 0x45, 0} // 16 bytes of a frame
	v24IPv4  = decoded.SampledIP{Length: 1500, Protocol: 6, SrcIP: netip.MustParseAddr("198.51.100.1"), DstIP: netip.MustParseAddr("203.0.113.2"),
		SrcPort: 44321, DstPort: 443, TCPFlags: 0x18, TOS: 0x20}
	v24IPv6 = decoded.SampledIP{Length: 80, Protocol: 17, SrcIP: netip.MustParseAddr("2001:db8::10"), DstIP: netip.MustParseAddr("2001:db8::20"),
		SrcPort: 5353, DstPort: 53, TOS: 7}
	v24Gateway = decoded.ExtGateway{AS: 65000, SrcAS: 64500, SrcPeerAS: 64501,
		ASPath:      []decoded.ASPathSegment{{Type: decoded.ASPathSequence, ASNs: []uint32{64502, 64503}}, {Type: decoded.ASPathSet, ASNs: []uint32{64504, 64505, 64506}}},
		Communities: []uint32{65000<<16 | 100, 65000<<16 | 200}, LocalPref: 150}
)

// TestV4FlowSample: an RFC 3176 version 4 datagram from an IPv6 agent with
// a flow sample of every extended data type; the input ifIndex has bit 30
// set (a plain number in v4, not v5's "discarded" format) and the output
// is "multiple, 3 interfaces".
func TestV4FlowSample(t *testing.T) {
	data := v4Datagram().agentIPv6("2001:db8::1").sequence(77, 123456).
		flowSample(v24Flow{Seq: 9, Source: 1<<24 | 42, Rate: 512, Pool: 5120, Drops: 3, In: 0x40000001, Out: 0x80000003}).
		headerData(decoded.HeaderProtoEthernet, 1514, v24Frame).
		switchData(decoded.ExtSwitch{SrcVLAN: 10, SrcPriority: 1, DstVLAN: 20, DstPriority: 2}).
		routerData("10.0.0.254", 24, 16).
		gatewayV4(v24Gateway).
		userData("alice", "bob").
		urlData(2, "http://example.com/x").
		bytes()
	want := &decoded.Datagram{
		Version: 4, AgentAddress: netip.MustParseAddr("2001:db8::1"), SequenceNumber: 77, Uptime: 123456,
		FlowSamples: []decoded.FlowSample{{
			SequenceNumber: 9, SourceID: decoded.SourceID{Type: 1, Index: 42}, SamplingRate: 512, SamplePool: 5120, Drops: 3,
			Input: decoded.Interface{Format: decoded.IfFormatSingle, Value: 0x40000001}, Output: decoded.Interface{Format: decoded.IfFormatMultiple, Value: 3},
			Records: decoded.FlowRecords{
				Has:           decoded.HasSampledHeader | decoded.HasExtSwitch | decoded.HasExtRouter | decoded.HasExtGateway | decoded.HasExtUser | decoded.HasExtURL,
				SampledHeader: decoded.SampledHeader{Protocol: decoded.HeaderProtoEthernet, FrameLength: 1514, Header: v24Frame},
				ExtSwitch:     decoded.ExtSwitch{SrcVLAN: 10, SrcPriority: 1, DstVLAN: 20, DstPriority: 2},
				ExtRouter:     decoded.ExtRouter{NextHop: netip.MustParseAddr("10.0.0.254"), SrcMaskLen: 24, DstMaskLen: 16},
				ExtGateway:    v24Gateway,
				ExtUser:       decoded.ExtUser{SrcUser: []byte("alice"), DstUser: []byte("bob")},
				ExtURL:        decoded.ExtURL{Direction: 2, URL: []byte("http://example.com/x")},
			},
		}},
		Stats: decoded.DecodeStats{SamplesDeclared: 1, SamplesDecoded: 1},
	}
	if diff := cmp.Diff(want, decodeOne(t, data), cmpOpts...); diff != "" {
		t.Errorf("datagram (-want +got):\n%s", diff)
	}
}

// TestV2FlowSamples: a version 2 datagram with sampled_ipv4 and
// sampled_ipv6 packet data, the version 2 gateway (flat AS list, no
// communities) and an output of an unknown number of interfaces.
func TestV2FlowSamples(t *testing.T) {
	data := v2Datagram().sequence(5, 6).
		flowSample(v24Flow{Seq: 1, Source: 7, Rate: 100, Pool: 200, In: 7, Out: 0x80000000}).
		ipv4Data(v24IPv4).gatewayV2(65000, 64500, 64501, 64501, 64502, 64503).
		flowSample(v24Flow{Seq: 2, Source: 7, Rate: 100, Pool: 300, In: 8, Out: 0}).
		ipv6Data(v24IPv6).gatewayV2(65000, 0, 0).
		bytes()
	dg := decodeOne(t, data)
	want := []decoded.FlowSample{{
		SequenceNumber: 1, SourceID: decoded.SourceID{Type: 0, Index: 7}, SamplingRate: 100, SamplePool: 200,
		Input: decoded.Interface{Format: decoded.IfFormatSingle, Value: 7}, Output: decoded.Interface{Format: decoded.IfFormatMultiple, Value: 0},
		Records: decoded.FlowRecords{Has: decoded.HasSampledIPv4 | decoded.HasExtGateway, SampledIPv4: v24IPv4,
			ExtGateway: decoded.ExtGateway{AS: 65000, SrcAS: 64500, SrcPeerAS: 64501, ASPath: []decoded.ASPathSegment{{Type: decoded.ASPathSequence, ASNs: []uint32{64501, 64502, 64503}}}}},
	}, {
		SequenceNumber: 2, SourceID: decoded.SourceID{Type: 0, Index: 7}, SamplingRate: 100, SamplePool: 300,
		Input: decoded.Interface{Format: decoded.IfFormatSingle, Value: 8}, Output: decoded.Interface{Format: decoded.IfFormatSingle, Value: 0},
		Records: decoded.FlowRecords{Has: decoded.HasSampledIPv6 | decoded.HasExtGateway, SampledIPv6: v24IPv6, ExtGateway: decoded.ExtGateway{AS: 65000}},
	}}
	if diff := cmp.Diff(want, dg.FlowSamples, cmpOpts...); diff != "" {
		t.Errorf("samples (-want +got):\n%s", diff)
	}
	got := [4]any{dg.Version, dg.AgentAddress, dg.SequenceNumber, dg.Stats}
	if diff := cmp.Diff([4]any{uint32(2), netip.MustParseAddr("192.0.2.1"), uint32(5), decoded.DecodeStats{SamplesDeclared: 2, SamplesDecoded: 2}}, got, cmpOpts...); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
}

// TestV24CounterSamples: every counters_version arm, in a version 2 and a
// version 4 datagram; all but VLAN carry if_counters.
func TestV24CounterSamples(t *testing.T) {
	generic, genericB := seqStruct[decoded.GenericIfCounters]()
	eth, ethB := seqStruct[decoded.EthernetCounters]()
	tr, trB := seqStruct[decoded.TokenRingCounters]()
	vg, vgB := seqStruct[decoded.VGCounters]()
	vlan, vlanB := seqStruct[decoded.VLANCounters]()
	for _, tc := range []struct {
		name    string
		version uint32
		blocks  [][]byte
		want    decoded.CounterRecords
	}{
		{"generic", countersGeneric, [][]byte{genericB}, decoded.CounterRecords{Has: decoded.HasGenericIf, GenericIf: generic}},
		{"ethernet", countersEthernet, [][]byte{genericB, ethB}, decoded.CounterRecords{Has: decoded.HasGenericIf | decoded.HasEthernet, GenericIf: generic, Ethernet: eth}},
		{"token ring", countersTokenRing, [][]byte{genericB, trB}, decoded.CounterRecords{Has: decoded.HasGenericIf | decoded.HasTokenRing, GenericIf: generic, TokenRing: tr}},
		{"fddi", countersFDDI, [][]byte{genericB}, decoded.CounterRecords{Has: decoded.HasGenericIf | decoded.HasFDDI, GenericIf: generic}},
		{"100basevg", countersVG, [][]byte{genericB, vgB}, decoded.CounterRecords{Has: decoded.HasGenericIf | decoded.HasVG, GenericIf: generic, VG: vg}},
		{"wan", countersWAN, [][]byte{genericB}, decoded.CounterRecords{Has: decoded.HasGenericIf | decoded.HasWAN, GenericIf: generic}},
		{"vlan", countersVLAN, [][]byte{vlanB}, decoded.CounterRecords{Has: decoded.HasVLAN, VLAN: vlan}},
	} {
		for _, b := range []*v24{v2Datagram(), v4Datagram()} {
			// A flow sample after the counters checks that the arm's length was right.
			data := b.counterSample(31, 2<<24|9, 30).counters(tc.version, tc.blocks...).
				flowSample(v24Flow{Seq: 32}).headerData(decoded.HeaderProtoIPv4, 60, nil).bytes()
			dg := decodeOne(t, data)
			if len(dg.CounterSamples) != 1 || len(dg.FlowSamples) != 1 || dg.Stats.SamplesDecoded != 2 || dg.FlowSamples[0].SequenceNumber != 32 {
				t.Fatalf("%s v%d: stats %+v errors %v", tc.name, b.version, dg.Stats, dg.Errors)
			}
			want := decoded.CounterSample{SequenceNumber: 31, SourceID: decoded.SourceID{Type: 2, Index: 9}, Interval: 30, Records: tc.want}
			if diff := cmp.Diff(want, dg.CounterSamples[0], cmpOpts...); diff != "" {
				t.Errorf("%s v%d (-want +got):\n%s", tc.name, b.version, diff)
			}
		}
	}
}

// TestV24Malformed: RFC 3176 structures have no length, so an undefined
// tag or a broken sample drops that sample and every one after it; the
// samples before are kept.
func TestV24Malformed(t *testing.T) {
	good := func(b *v24) *v24 { return b.flowSample(v24Flow{Seq: 1}).ipv4Data(v24IPv4) }
	for _, tc := range []struct {
		name  string
		data  []byte
		stats decoded.DecodeStats
		cause string
	}{
		{"unknown sample type", good(v4Datagram()).rawSample(3, 1, 2, 3).flowSample(v24Flow{}).ipv4Data(v24IPv4).bytes(), decoded.DecodeStats{SamplesDeclared: 3, SamplesDecoded: 1, SamplesMalformed: 2}, "unknown_type"},
		{"unknown packet data type", good(v4Datagram()).flowSample(v24Flow{}).packetData(4, 1, 2).bytes(), decoded.DecodeStats{SamplesDeclared: 2, SamplesDecoded: 1, SamplesMalformed: 1}, "unknown_type"},
		{"unknown extended type", good(v2Datagram()).flowSample(v24Flow{}).ipv4Data(v24IPv4).switchData(decoded.ExtSwitch{}).extData(6, 1).
			counterSample(1, 1, 1).counters(countersVLAN, make([]byte, 28)).bytes(), decoded.DecodeStats{SamplesDeclared: 3, SamplesDecoded: 1, SamplesMalformed: 2}, "unknown_type"},
		{"unknown counters version", good(v4Datagram()).counterSample(1, 1, 1).counters(8, make([]byte, 88)).bytes(), decoded.DecodeStats{SamplesDeclared: 2, SamplesDecoded: 1, SamplesMalformed: 1}, "unknown_type"},
		{"truncated counters", good(v4Datagram()).counterSample(1, 1, 1).counters(countersEthernet, make([]byte, 88+40)).bytes(), decoded.DecodeStats{SamplesDeclared: 2, SamplesDecoded: 1, SamplesMalformed: 1}, "truncated"},
		{"truncated header data", good(v4Datagram()).flowSample(v24Flow{}).packetData(packetDataHeader, 1, 64, 100, 0).bytes(), decoded.DecodeStats{SamplesDeclared: 2, SamplesDecoded: 1, SamplesMalformed: 1}, "truncated"},
		{"v2 AS path huge", good(v2Datagram()).flowSample(v24Flow{}).ipv4Data(v24IPv4).extData(extendedGateway, 1, 2, 3, 0xFFFFFFFF).bytes(), decoded.DecodeStats{SamplesDeclared: 2, SamplesDecoded: 1, SamplesMalformed: 1}, "too_many"},
		{"v4 communities huge", good(v4Datagram()).flowSample(v24Flow{}).ipv4Data(v24IPv4).extData(extendedGateway, 1, 2, 3, 0, 1000).bytes(), decoded.DecodeStats{SamplesDeclared: 2, SamplesDecoded: 1, SamplesMalformed: 1}, "too_many"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dg := decodeOne(t, tc.data)
			if diff := cmp.Diff(tc.stats, dg.Stats); diff != "" {
				t.Errorf("stats (-want +got):\n%s", diff)
			}
			var se *SampleError
			if len(dg.Errors) != 1 || !errors.As(dg.Errors[0], &se) || Cause(se) != tc.cause {
				t.Errorf("errors %v, want one SampleError of cause %s", dg.Errors, tc.cause)
			}
			if len(dg.FlowSamples) != 1 || dg.FlowSamples[0].Records.SampledIPv4 != v24IPv4 {
				t.Errorf("the first sample was not kept: %+v", dg.FlowSamples)
			}
		})
	}
}

// TestV24DuplicateAndHugeCounts: a duplicate extended record is decoded (to
// find the next one), ignored and counted, the first one wins; a count of
// extended records beyond the bytes left drops the sample without
// allocating.
func TestV24DuplicateAndHugeCounts(t *testing.T) {
	dup := v4Datagram().flowSample(v24Flow{}).ipv4Data(v24IPv4).
		switchData(decoded.ExtSwitch{SrcVLAN: 1}).gatewayV4(v24Gateway).switchData(decoded.ExtSwitch{SrcVLAN: 2}).urlData(1, "u").bytes()
	dg := decodeOne(t, dup)
	r := dg.FlowSamples[0].Records
	if r.Has != decoded.HasSampledIPv4|decoded.HasExtSwitch|decoded.HasExtGateway|decoded.HasExtURL || r.ExtSwitch.SrcVLAN != 1 || string(r.ExtURL.URL) != "u" ||
		dg.Stats != (decoded.DecodeStats{SamplesDeclared: 1, SamplesDecoded: 1, RecordsDuplicate: 1}) {
		t.Errorf("records %+v, stats %+v", r, dg.Stats)
	}

	huge := v4Datagram().flowSample(v24Flow{}).ipv4Data(v24IPv4).bytes()
	huge = append(huge[:len(huge)-4], 0x7F, 0xFF, 0xFF, 0xFF) // extended_data count
	d := NewDecoder()
	allocs := testing.AllocsPerRun(100, func() { _ = d.Decode(huge, dg) })
	if allocs > 2 { // the SampleError kept in dg.Errors
		t.Errorf("%v allocations per Decode", allocs)
	}
	if dg.Stats != (decoded.DecodeStats{SamplesDeclared: 1, SamplesMalformed: 1}) || !errors.Is(dg.Errors[0], ErrTooMany) {
		t.Errorf("stats %+v errors %v", dg.Stats, dg.Errors)
	}
}

// TestV24SamplesCount: a samples<> count beyond the bytes left is a
// datagram error, as in v5.
func TestV24SamplesCount(t *testing.T) {
	data := v4Datagram().bytes()
	data[len(data)-1] = 2
	var dg decoded.Datagram
	if err := NewDecoder().Decode(data, &dg); Cause(err) != "too_many" {
		t.Errorf("error %v", err)
	}
}

// v24Datagrams returns every RFC 3176 datagram of these tests that decodes
// cleanly: the fuzz seeds and the allocation test use them.
func v24Datagrams() [][]byte {
	_, genericB := seqStruct[decoded.GenericIfCounters]()
	_, ethB := seqStruct[decoded.EthernetCounters]()
	_, vgB := seqStruct[decoded.VGCounters]()
	_, trB := seqStruct[decoded.TokenRingCounters]()
	_, vlanB := seqStruct[decoded.VLANCounters]()
	var out [][]byte
	for _, b := range []*v24{v2Datagram(), v4Datagram()} {
		gw := func(b *v24) *v24 {
			if b.version == 2 {
				return b.gatewayV2(1, 2, 3, 4, 5)
			}
			return b.gatewayV4(v24Gateway)
		}
		b = b.flowSample(v24Flow{Seq: 1, Source: 3, Rate: 10, Pool: 20, In: 1, Out: 0x80000002}).headerData(decoded.HeaderProtoEthernet, 64, v24Frame).
			switchData(decoded.ExtSwitch{SrcVLAN: 5}).routerData("192.0.2.9", 8, 8).userData("a", "bc").urlData(1, "http://x/")
		b = gw(b).flowSample(v24Flow{Seq: 2}).ipv4Data(v24IPv4)
		b = gw(b).flowSample(v24Flow{Seq: 3}).ipv6Data(v24IPv6).
			counterSample(1, 1, 30).counters(countersGeneric, genericB).
			counterSample(2, 1, 30).counters(countersEthernet, genericB, ethB).
			counterSample(3, 1, 30).counters(countersTokenRing, genericB, trB).
			counterSample(4, 1, 30).counters(countersFDDI, genericB).
			counterSample(5, 1, 30).counters(countersVG, genericB, vgB).
			counterSample(6, 1, 30).counters(countersWAN, genericB).
			counterSample(7, 1, 30).counters(countersVLAN, vlanB)
		out = append(out, b.bytes())
	}
	return out
}

// TestV24ZeroAllocs: decoding RFC 3176 datagrams into a reused Datagram
// does not allocate once the slices have grown.
func TestV24ZeroAllocs(t *testing.T) {
	payloads := v24Datagrams()
	d := NewDecoder()
	var dg decoded.Datagram
	for _, p := range payloads {
		if err := d.Decode(p, &dg); err != nil || dg.Stats.SamplesDecoded != 10 || len(dg.Errors) > 0 {
			t.Fatalf("seed: %v, stats %+v, errors %v", err, dg.Stats, dg.Errors)
		}
	}
	allocs := testing.AllocsPerRun(20, func() {
		for _, p := range payloads {
			_ = d.Decode(p, &dg)
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations per pass over %d datagrams", allocs, len(payloads))
	}
}
