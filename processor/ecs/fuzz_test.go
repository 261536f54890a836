package ecs

import (
	"bytes"
	"encoding/json"
	"io"
	"path/filepath"
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
		dgs, err := pcapfile.ReadAll(f, 6343)
		if err != nil {
			tb.Fatal(err)
		}
		for _, d := range dgs {
			out = append(out, d.Payload)
		}
	}
	return out
}

// FuzzMap runs the whole datagram path (decoder, header parsing, ECS
// mapping, JSON encoding) on arbitrary bytes, seeded with every datagram of
// every capture: no panic, one event per decoded sample, valid JSON.
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
			if ds, _ := e.Map().GetValue("event.dataset"); ds == nil {
				t.Fatalf("event without event.dataset: %v", e.Map())
			}
		}
	})
}

// BenchmarkMap measures the mapping of decoded samples to events (header
// parsing included) on overflowd-sflow.pcap, plus JSON encoding as the
// decode command does it.
func BenchmarkMap(b *testing.B) {
	dgs, err := pcapfile.ReadAll(filepath.Join(capturesDir, "overflowd-sflow.pcap"), 6343)
	if err != nil {
		b.Fatal(err)
	}
	dec := decoder.NewDecoder()
	decoded := make([]decoded.Datagram, len(dgs))
	for i, d := range dgs {
		if err := dec.Decode(d.Payload, &decoded[i]); err != nil {
			b.Fatal(err)
		}
	}
	m := NewMapper(Options{})
	var evs []Event
	events := 0
	b.ReportAllocs()
	for b.Loop() {
		for i := range decoded {
			evs = m.Map(&decoded[i], time.Unix(0, 0), evs[:0])
			events += len(evs)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(events), "ns/event")
}

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
