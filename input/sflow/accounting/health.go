package accounting

import (
	"slices"
	"time"
)

// Received counts the datagrams and samples received, duplicates excluded.
type Received struct {
	Datagrams      uint64
	FlowSamples    uint64
	CounterSamples uint64
	DropSamples    uint64
}

// ExporterHealth is what one exporter sent, and lost, over a period.
type ExporterHealth struct {
	Exporter  Exporter
	FirstSeen time.Time // receive time of its first datagram in the period
	LastSeen  time.Time // and of its last
	Received  Received
	Counts
	Rates      []uint32 // distinct sampling_rate values reported, ascending, at most MaxRates
	RatesOther uint64   // flow samples whose rate did not fit in Rates
	// SamplePool and AgentDrops sum, over the exporter's flow data sources,
	// the growth of sample_pool (packets that could have been sampled) and
	// of drops (samples the agent lost for lack of resources).
	SamplePool uint64
	AgentDrops uint64
}

// period is what an exporter did since the last Snapshot.
type period struct {
	Counts
	first, last int64
	received    Received
	pool, drops uint64
	rates       rateSet
}

// seen notes a datagram received at now.
func (p *period) seen(now int64) {
	if p.received.Datagrams == 0 || now < p.first {
		p.first = now
	}
	p.last = max(p.last, now)
	p.received.Datagrams++
}

// active reports whether anything happened in the period.
func (p *period) active() bool {
	return p.received.Datagrams != 0 || p.Counts != Counts{}
}

// health returns the period as an ExporterHealth.
func (p *period) health(key Exporter) ExporterHealth {
	h := ExporterHealth{Exporter: key, Received: p.received, Counts: p.Counts,
		Rates: p.rates.sorted(), RatesOther: p.rates.other, SamplePool: p.pool, AgentDrops: p.drops}
	if p.received.Datagrams != 0 {
		h.FirstSeen, h.LastSeen = time.Unix(0, p.first), time.Unix(0, p.last)
	}
	return h
}

// Snapshot settles the gaps that timed out at now (as Flush does) and
// returns, for every exporter that was active since the last Snapshot, what
// it did over that period, ordered by exporter; then it starts a new
// period. Call it every exporter_stats_period.
func (a *Accounting) Snapshot(now time.Time) []ExporterHealth {
	a.Flush(now)
	var out []ExporterHealth
	a.eachShard(func(sh *shard) {
		for _, e := range sh.exporters {
			if e.p.active() {
				out = append(out, e.p.health(e.key))
			}
			e.p = period{}
		}
	})
	slices.SortFunc(out, func(a, b ExporterHealth) int { return compareExporters(a.Exporter, b.Exporter) })
	return out
}
