package worker

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/sflowbeat/sflowbeat/beater/pcapfile"
	"github.com/sflowbeat/sflowbeat/processor/ecs"
	"github.com/sflowbeat/sflowbeat/processor/ecs/dataset"
)

// capture returns the sFlow payloads of a capture of testdata/pcaps.
func capture(t testing.TB, name string) []pcapfile.Datagram {
	t.Helper()
	dgs, err := pcapfile.ReadAll(filepath.Join("..", "..", "..", "testdata", "pcaps", name), 6343)
	if err != nil {
		t.Fatal(err)
	}
	return dgs
}

// TestProcess: every sample of a real capture becomes one event of its
// kind, stamped with the receive time, and is counted; a datagram that is
// not sFlow is counted as invalid with its cause, and yields no event.
func TestProcess(t *testing.T) {
	var c Counts
	w := New(ecs.Options{}, &c)
	at := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	kinds := map[string]int{}
	for _, d := range capture(t, "ovs-3.1-sflow.pcap") {
		res := w.Process(d.Payload, at)
		if res.Err != nil {
			t.Fatalf("a capture datagram was rejected: %v", res.Err)
		}
		if len(res.Events) != res.Datagram.Samples() {
			t.Fatalf("%d events for %d samples", len(res.Events), res.Datagram.Samples())
		}
		for _, e := range res.Events {
			kinds[e.Dataset]++
			if !e.Timestamp.Equal(at) {
				t.Fatalf("event stamped %v, want %v", e.Timestamp, at)
			}
		}
	}
	if total := kinds[dataset.Flow] + kinds[dataset.Counters] + kinds[dataset.Drops]; total != c.Samples || kinds[dataset.Flow] == 0 || kinds[dataset.Counters] == 0 {
		t.Errorf("events by dataset %v, %d samples counted", kinds, c.Samples)
	}
	res := w.Process([]byte("this is NetFlow, not sFlow, at all"), at)
	if res.Err == nil || len(res.Events) != 0 || c.InvalidDatagrams != 1 || c.InvalidByCause["not_sflow"] != 1 {
		t.Errorf("garbage: %v, %d events, counts %+v", res.Err, len(res.Events), c)
	}
	if want := len(capture(t, "ovs-3.1-sflow.pcap")) + 1; c.Datagrams != want {
		t.Errorf("%d datagrams counted, want %d", c.Datagrams, want)
	}
}

// BenchmarkProcess runs the loop (decode with sampled headers, count, map)
// over every datagram of overflowd-sflow.pcap (switch traffic); reported
// per event.
func BenchmarkProcess(b *testing.B) {
	dgs := capture(b, "overflowd-sflow.pcap")
	w := New(ecs.Options{}, &Counts{})
	at := time.Now()
	events := 0
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range dgs {
			events += len(w.Process(d.Payload, at).Events)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(events), "ns/event")
	b.ReportMetric(float64(events)/float64(b.N), "events/op")
}
