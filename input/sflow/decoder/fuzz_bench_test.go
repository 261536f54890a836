package decoder

import (
	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
	"path/filepath"
	"testing"
)

// allCapturePayloads returns every sFlow payload of every capture.
func allCapturePayloads(t testing.TB) [][]byte {
	files, _ := filepath.Glob(filepath.Join(capturesDir, "*.pcap"))
	var out [][]byte
	for _, f := range files {
		out = append(out, readCapture(t, filepath.Base(f))...)
	}
	return out
}

// FuzzDecode: no input may panic, and the decoded datagram must be
// consistent with its input. Seeds: every capture (v5) and the RFC 3176
// v2/v4 datagrams of v24Datagrams.
func FuzzDecode(f *testing.F) {
	for _, p := range allCapturePayloads(f) {
		f.Add(p)
	}
	for _, p := range v24Datagrams() { // RFC 3176 v2/v4: no capture exists
		f.Add(p)
	}
	d := NewDecoder()
	var dg decoded.Datagram
	f.Fuzz(func(t *testing.T, data []byte) {
		err := d.Decode(data, &dg)
		if err != nil {
			if Cause(err) == "panic" || Cause(err) == "other" {
				t.Fatalf("error %v", err)
			}
			return
		}
		checkInvariants(t, &dg, data)
	})
}

// checkInvariants checks what must hold for any decoded datagram.
func checkInvariants(t *testing.T, dg *decoded.Datagram, data []byte) {
	s := dg.Stats
	n := uint32(dg.Samples())
	if n != s.SamplesDecoded || s.SamplesDecoded+s.SamplesUnknown+s.SamplesMalformed != s.SamplesDeclared {
		t.Fatalf("samples %d, stats %+v", n, s)
	}
	if int(s.TrailingBytes) > len(data) || len(dg.Errors) > decoded.MaxErrorsKept {
		t.Fatalf("stats %+v, %d errors, %d bytes", s, len(dg.Errors), len(data))
	}
	for _, fs := range dg.FlowSamples {
		checkFlowRecords(t, &fs.Records, len(data))
	}
	for _, ds := range dg.DropSamples {
		checkFlowRecords(t, &ds.Records, len(data))
	}
	for _, cs := range dg.CounterSamples {
		r := &cs.Records
		if r.Has&decoded.HasHostAdapters != 0 && len(r.HostAdapters)*8 > len(data) {
			t.Fatalf("%d adapters in %d bytes", len(r.HostAdapters), len(data))
		}
		if r.Has&decoded.HasSFP != 0 && len(r.SFP.Lanes) > maxLanes {
			t.Fatalf("%d lanes", len(r.SFP.Lanes))
		}
	}
}

// checkFlowRecords checks the sizes of the flow record slices.
func checkFlowRecords(t *testing.T, r *decoded.FlowRecords, n int) {
	if r.Has&decoded.HasSampledHeader != 0 && len(r.SampledHeader.Header) > n {
		t.Fatalf("header of %d bytes in a %d-byte datagram", len(r.SampledHeader.Header), n)
	}
	if r.Has&decoded.HasExtGateway != 0 {
		g := &r.ExtGateway
		if len(g.ASPath) > maxASPathSegments || len(g.Communities)*4 > n {
			t.Fatalf("gateway %d segments, %d communities", len(g.ASPath), len(g.Communities))
		}
		for _, seg := range g.ASPath {
			if len(seg.ASNs) > maxASNs {
				t.Fatalf("%d ASNs", len(seg.ASNs))
			}
		}
	}
	if r.Has&decoded.HasExtMPLS != 0 && (len(r.ExtMPLS.InStack) > maxLabels || len(r.ExtMPLS.OutStack) > maxLabels) {
		t.Fatalf("MPLS stacks %d %d", len(r.ExtMPLS.InStack), len(r.ExtMPLS.OutStack))
	}
	if r.Has&decoded.HasExtVLANTunnel != 0 && len(r.ExtVLANTunnel) > maxVLANStack {
		t.Fatalf("%d VLAN tags", len(r.ExtVLANTunnel))
	}
}

// TestFuzzSeedsInvariants runs the invariants over the seed corpus (every
// capture and the RFC 3176 datagrams), so that they are checked by go test
// too.
func TestFuzzSeedsInvariants(t *testing.T) {
	d := NewDecoder()
	var dg decoded.Datagram
	for _, p := range append(allCapturePayloads(t), v24Datagrams()...) {
		if err := d.Decode(p, &dg); err == nil {
			checkInvariants(t, &dg, p)
		}
	}
}

// benchPayloads are the datagrams of the two large real captures.
func benchPayloads(t testing.TB) ([][]byte, int) {
	var out [][]byte
	for _, name := range []string{"overflowd-sflow.pcap", "ovs-3.1-sflow.pcap"} {
		out = append(out, readCapture(t, name)...)
	}
	d := NewDecoder()
	var dg decoded.Datagram
	samples := 0
	for _, p := range out {
		if err := d.Decode(p, &dg); err != nil {
			t.Fatal(err)
		}
		samples += int(dg.Stats.SamplesDecoded)
	}
	return out, samples
}

// TestDecodeZeroAllocs: decoding into a reused Datagram does not allocate
// once the slices have grown.
func TestDecodeZeroAllocs(t *testing.T) {
	payloads, _ := benchPayloads(t)
	d := NewDecoder()
	var dg decoded.Datagram
	for _, p := range payloads { // warm-up: grow the slices
		_ = d.Decode(p, &dg)
	}
	allocs := testing.AllocsPerRun(5, func() {
		for _, p := range payloads {
			_ = d.Decode(p, &dg)
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations per pass over %d datagrams", allocs, len(payloads))
	}
}

// BenchmarkDecode decodes every datagram of overflowd-sflow.pcap (switch
// traffic) and ovs-3.1-sflow.pcap (Open vSwitch) per iteration, sampled
// headers included: what the input does per sample before mapping. The
// target is 250 ns per sample with no allocation.
func BenchmarkDecode(b *testing.B) {
	payloads, samples := benchPayloads(b)
	d := NewDecoder()
	var dg decoded.Datagram
	bytes := 0
	for _, p := range payloads {
		bytes += len(p)
	}
	b.SetBytes(int64(bytes))
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range payloads {
			_ = d.Decode(p, &dg)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(samples), "ns/sample")
}
