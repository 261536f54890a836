package accounting

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestSnapshot(t *testing.T) {
	a := newTest(t, nil)
	g, h := newAgent("192.0.2.1", 0), newAgent("198.51.100.1", 3)
	for i := range 10 {
		if i == 6 {
			g.src(kindFlow, 1).drops += 3 // the agent lost 3 samples
		}
		samples := []sample{flowOn(1), flowOn(2), dropOn(1)}
		if i%2 == 0 {
			samples = append(samples, counterOn(1))
		}
		if dg := g.next(samples...); i != 4 { // datagram 5 is lost
			feed(a, t0.Add(time.Duration(i)*time.Second), dg)
		}
	}
	feed(a, t0.Add(2*time.Second), h.next(flowOn(5)))
	want := []ExporterHealth{{
		Exporter: Exporter{Agent: g.addr}, FirstSeen: t0, LastSeen: t0.Add(9 * time.Second),
		Received: Received{Datagrams: 9, FlowSamples: 18, CounterSamples: 4, DropSamples: 9},
		Counts:   Counts{Datagrams: Sequence{Missing: 1}, Samples: Sequence{Missing: 4}},
		Rates:    []uint32{100}, SamplePool: 2 * 9 * 100, AgentDrops: 3,
	}, {
		Exporter: Exporter{Agent: h.addr, SubAgentID: 3}, FirstSeen: t0.Add(2 * time.Second), LastSeen: t0.Add(2 * time.Second),
		Received: Received{Datagrams: 1, FlowSamples: 1}, Rates: []uint32{100},
	}}
	if diff := cmp.Diff(want, a.Snapshot(t0.Add(time.Minute)), equateAddr); diff != "" {
		t.Errorf("first period (-want +got):\n%s", diff)
	}
	if got := a.Snapshot(t0.Add(2 * time.Minute)); len(got) != 0 {
		t.Errorf("a period without datagrams reports %+v", got)
	}
}

// pooled is a flow sample number n with sample_pool pool.
type pooled struct{ n, pool uint32 }

func TestSamplePoolDeltas(t *testing.T) {
	const top = math.MaxUint32
	tests := []struct {
		name    string
		samples []pooled
		want    uint64
	}{
		{name: "grows", samples: []pooled{{1, 100}, {2, 250}, {3, 300}}, want: 200},
		{name: "wraps", samples: []pooled{{1, top - 149}, {2, top - 49}, {3, 50}, {4, 150}}, want: 300},
		{name: "a reordered sample does not count twice", samples: []pooled{{1, 100}, {3, 300}, {2, 200}, {4, 400}}, want: 300},
		{name: "a restarted source starts again from its pool",
			samples: []pooled{{1000, 5000}, {1001, 5100}, {1, 10}, {2, 110}}, want: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newTest(t, func(c *Config) { c.ReorderWindow = 64 })
			g := newAgent("192.0.2.1", 0)
			for _, s := range tt.samples {
				dg := g.next(flowOn(1))
				dg.FlowSamples[0].SequenceNumber, dg.FlowSamples[0].SamplePool = s.n, s.pool
				feed(a, t0, dg)
			}
			if got := a.Snapshot(later); len(got) != 1 || got[0].SamplePool != tt.want {
				t.Errorf("health = %+v, want SamplePool %d", got, tt.want)
			}
		})
	}
}

func TestSnapshotRatesBounded(t *testing.T) {
	a := newTest(t, nil)
	g := newAgent("192.0.2.1", 0)
	for r := range uint32(MaxRates + 4) {
		g.rate = 20 - r
		feed(a, t0, g.next(flowOn(1), flowOn(2)))
	}
	got := a.Snapshot(later)
	want := []uint32{5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}
	if diff := cmp.Diff(want, got[0].Rates); diff != "" || got[0].RatesOther != 8 {
		t.Errorf("rates (-want +got):\n%s\nother = %d, want 8", diff, got[0].RatesOther)
	}
}

func TestBoundedExporters(t *testing.T) {
	a := newTest(t, func(c *Config) { c.MaxExporters = 8 })
	for i := range 20 {
		feed(a, t0.Add(time.Duration(i)*time.Millisecond), newAgent(fmt.Sprintf("192.0.2.%d", i+1), 0).next(flowOn(1)))
	}
	a.Flush(t0.Add(time.Second))
	wantTracked(t, a, 8, 8, 12, 0)
	health := a.Snapshot(t0.Add(time.Second))
	if len(health) != 8 || health[len(health)-1].Exporter.Agent.String() != "192.0.2.20" {
		t.Errorf("the exporters tracked are %+v, want 8 with the last one, 192.0.2.20", health)
	}
}

func TestBoundedSources(t *testing.T) {
	a := newTest(t, func(c *Config) { c.MaxSources = 16 })
	g := newAgent("192.0.2.1", 0)
	for i := range uint32(40) {
		feed(a, t0, g.next(flowOn(i+1)))
	}
	a.Flush(t0)
	wantTracked(t, a, 1, 16, 0, 24)
	// The last source is still tracked: its gap is counted. The first was
	// evicted: it starts again, without loss.
	g.skip(kindFlow, 40, 1)
	g.skip(kindFlow, 1, 5)
	feed(a, t0, g.next(flowOn(40), flowOn(1)))
	a.Flush(later)
	if got := a.Stats().Samples.Missing.Load(); got != 1 {
		t.Errorf("samples missing = %d, want 1", got)
	}
}

func TestIdleExpiry(t *testing.T) {
	a := newTest(t, nil)
	g := newAgent("192.0.2.1", 0)
	feed(a, t0, g.next(flowOn(1), counterOn(1)))
	idle := Defaults().IdleTimeout
	a.Flush(t0.Add(idle - time.Second))
	wantTracked(t, a, 1, 2, 0, 0)
	a.Flush(t0.Add(idle))
	wantTracked(t, a, 0, 0, 0, 0)
	g.skip(kindFlow, 1, 3)
	g.seq += 10
	feed(a, t0.Add(idle), g.next(flowOn(1)))
	a.Flush(t0.Add(idle + time.Minute))
	wantCounts(t, a, Counts{})
}

// wantTracked checks the gauges and the eviction counters.
func wantTracked(t *testing.T, a *Accounting, exporters, sources int64, exEvicted, srcEvicted uint64) {
	t.Helper()
	s := a.Stats()
	got := [4]any{s.Exporters.Load(), s.Sources.Load(), s.ExportersEvicted.Load(), s.SourcesEvicted.Load()}
	if want := [4]any{exporters, sources, exEvicted, srcEvicted}; got != want {
		t.Errorf("exporters, sources, exporters evicted, sources evicted = %v, want %v", got, want)
	}
}

// TestSampleKindsCounted checks Received: each kind of sample is counted,
// duplicates excluded.
func TestSampleKindsCounted(t *testing.T) {
	a := newTest(t, nil)
	g := newAgent("192.0.2.1", 0)
	dg := g.next(flowOn(1), flowOn(2), counterOn(1), dropOn(1), dropOn(2), dropOn(3))
	dg.DropSamples[2].SequenceNumber = dg.DropSamples[1].SequenceNumber
	dg.DropSamples[2].SourceID = dg.DropSamples[1].SourceID
	feed(a, t0, dg, dg)
	got := a.Snapshot(later)[0].Received
	if want := (Received{Datagrams: 1, FlowSamples: 2, CounterSamples: 1, DropSamples: 2}); got != want {
		t.Errorf("received = %+v, want %+v", got, want)
	}
}
