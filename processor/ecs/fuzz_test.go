package ecs

import (
	"bytes"
	"encoding/json"
	"io"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/sflowbeat/sflowbeat/beater/pcapfile"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoder"
)

// captureDatagrams returns the sFlow payloads of every shared capture.
func captureDatagrams(tb testing.TB) [][]byte {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join(capturesDir, "*.pcap"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no captures in %s: %v", capturesDir, err)
	}
	var out [][]byte
	for _, f := range files {
		p, err := pcapfile.Payloads(f, 6343)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, p...)
	}
	return out
}

// FuzzMap runs the whole datagram path (decoder, header parsing, ECS
// mapping, JSON encoding) on arbitrary bytes, seeded with every datagram of
// every capture: no panic, one event per decoded sample, valid JSON, and
// the JSON fast path writes what the visitor writes.
func FuzzMap(f *testing.F) {
	for _, d := range captureDatagrams(f) {
		f.Add(d)
	}
	dec, m := decoder.NewDecoder(), NewMapper(Options{})
	var dg decoded.Datagram
	f.Fuzz(func(t *testing.T, data []byte) {
		if dec.Decode(data, &dg) != nil {
			return
		}
		evs := m.Map(&dg, time.Unix(0, 0), nil)
		if n := dg.Samples(); len(evs) != n {
			t.Fatalf("%d events for %d samples", len(evs), n)
		}
		for _, e := range evs {
			var buf bytes.Buffer
			if err := EncodeJSON(&buf, e); err != nil {
				t.Fatal(err)
			}
			if !json.Valid(buf.Bytes()) {
				t.Fatalf("invalid JSON: %s", buf.Bytes())
			}
			fields := e.Doc.Fields()
			if fast, tokens := encodeWith(t, fields, false, true), encodeWith(t, fields, false, false); !sameJSON(t, fast, tokens) {
				t.Fatalf("the JSON fast path wrote\n%s\nthe visitor\n%s", fast, tokens)
			}
			if ds, _ := e.Map().GetValue("event.dataset"); ds == nil {
				t.Fatalf("event without event.dataset: %v", e.Map())
			}
		}
	})
}

// benchDatagrams decodes overflowd-sflow.pcap (switch traffic: 92% flow
// samples); with flowsOnly, the counter samples are left out.
func benchDatagrams(b testing.TB, flowsOnly bool) []decoded.Datagram {
	dgs, err := pcapfile.ReadAll(filepath.Join(capturesDir, "overflowd-sflow.pcap"), 6343)
	if err != nil {
		b.Fatal(err)
	}
	dec := decoder.NewDecoder()
	out := make([]decoded.Datagram, len(dgs))
	for i, d := range dgs {
		if err := dec.Decode(d.Payload, &out[i]); err != nil {
			b.Fatal(err)
		}
		if flowsOnly {
			out[i].CounterSamples = nil
		}
	}
	return out
}

// benchMap maps dgs b.N times and reports the time and allocations per
// event.
func benchMap(b *testing.B, dgs []decoded.Datagram) {
	m := NewMapper(Options{InterfaceNames: NewInterfaceNames()})
	var evs []Event
	events := 0
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ReportAllocs()
	for b.Loop() {
		for i := range dgs {
			evs = m.Map(&dgs[i], time.Unix(0, 0), evs[:0])
			events += len(evs)
		}
	}
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(events), "ns/event")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(events), "allocs/event")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(events), "B/event")
}

// BenchmarkMap measures the mapping of every sample of overflowd-sflow.pcap
// (flows and counters).
func BenchmarkMap(b *testing.B) { benchMap(b, benchDatagrams(b, false)) }

// BenchmarkMapFlow measures the mapping of its flow samples: the target is
// 1.5 µs and 10 allocations per flow event.
func BenchmarkMapFlow(b *testing.B) { benchMap(b, benchDatagrams(b, true)) }

// BenchmarkEncodeJSON measures EncodeJSON on overflowd-sflow.pcap's events.
func BenchmarkEncodeJSON(b *testing.B) {
	dgs, err := pcapfile.ReadAll(filepath.Join(capturesDir, "overflowd-sflow.pcap"), 6343)
	if err != nil {
		b.Fatal(err)
	}
	dec, m := decoder.NewDecoder(), NewMapper(Options{})
	var dg decoded.Datagram
	var evs []Event
	for _, d := range dgs[:100] {
		if dec.Decode(d.Payload, &dg) == nil {
			evs = m.Map(&dg, time.Unix(0, 0), evs)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, e := range evs {
			_ = EncodeJSON(io.Discard, e)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(evs)), "ns/event")
}
