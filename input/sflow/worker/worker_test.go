package worker

import (
	"net/netip"
	"path/filepath"
	"testing"
	"time"

	"github.com/sflowbeat/sflowbeat/beater/pcapfile"
	"github.com/sflowbeat/sflowbeat/input/sflow/accounting"
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
	w := New(ecs.Options{}, accounting.New(accounting.Defaults()), &c)
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
	w := New(ecs.Options{}, accounting.New(accounting.Defaults()), &Counts{})
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

// TestProcessAccounts: the worker runs the accounting stage between
// decoding and mapping: a datagram received twice is dropped the second
// time, and the sampling rules reach the events.
func TestProcessAccounts(t *testing.T) {
	cfg := accounting.Defaults()
	cfg.Rates = []accounting.RateRule{{Exporters: []netip.Prefix{netip.MustParsePrefix("0.0.0.0/0")}, Rate: 4096, Mode: accounting.ModeOverride}}
	acct := accounting.New(cfg)
	var c Counts
	w := New(ecs.Options{}, acct, &c)
	d := capture(t, "overflowd-sflow.pcap")[0]
	first := w.Process(d.Payload, d.Timestamp)
	if first.Err != nil || first.Duplicate || len(first.Events) == 0 {
		t.Fatalf("first: %v, duplicate %v, %d events", first.Err, first.Duplicate, len(first.Events))
	}
	var flow *ecs.Event
	for i := range first.Events {
		if first.Events[i].Dataset == dataset.Flow {
			flow = &first.Events[i]
		}
	}
	if flow == nil {
		t.Fatal("no flow event")
	}
	m := flow.Map()
	if v, _ := m.GetValue("sflow.sampling.applied_rate"); v != uint64(4096) {
		t.Errorf("applied rate %v, want the override's 4096", v)
	}
	again := w.Process(d.Payload, d.Timestamp)
	if !again.Duplicate || len(again.Events) != 0 || acct.Stats().Load().Datagrams.Duplicate != 1 {
		t.Errorf("the same datagram again: duplicate %v, %d events, %d duplicates counted",
			again.Duplicate, len(again.Events), acct.Stats().Load().Datagrams.Duplicate)
	}
}
