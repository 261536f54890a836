package accounting

import (
	"container/list"
	"encoding/binary"
	"slices"
	"sync"
	"time"

	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
)

// Verdict says what the caller does with a datagram or a sample.
type Verdict uint8

// The verdicts.
const (
	Process   Verdict = iota // map and publish it
	Duplicate                // drop it: the same number was received already
)

// SampleResult is what Account says of one flow or drop sample.
type SampleResult struct {
	Verdict    Verdict
	Rate       uint32     // sampling rate to apply: 1 in Rate packets (0: missing)
	RateSource RateSource // where Rate comes from
	Factor     float64    // loss compensation factor, >= 1 (1 without LossCompensation)
}

// unsampled is the result of a drop sample: every drop is reported.
var unsampled = SampleResult{Rate: 1, RateSource: RateUnsampled, Factor: 1}

// Result is what Account says of one datagram. Its slices are reused:
// keep one Result per worker.
type Result struct {
	Verdict  Verdict
	Flows    []SampleResult // one per Datagram.FlowSamples, in order
	Counters []Verdict      // one per Datagram.CounterSamples
	Drops    []SampleResult // one per Datagram.DropSamples: rate 1, RateUnsampled
}

// shardCount is the number of shards of the state; a datagram locks one.
const shardCount = 64

// Accounting counts loss, corrects sampling rates and reconciles flow
// estimates with interface counters, for any number of workers at once.
type Accounting struct {
	c      params
	rules  []RateRule
	stats  Stats
	shards [shardCount]shard
}

// params is the Config in the units the hot path uses.
type params struct {
	window     uint32
	timeout    int64 // ns
	tolerance  int64 // ms
	idle       int64 // ns
	maxExp     int64
	maxSrc     int64
	compWindow int // 0: no compensation
	maxFactor  float64
}

// shard holds the exporters whose key hashes to it, with their sources.
type shard struct {
	mu        sync.Mutex
	exporters map[Exporter]*exporter
	exLRU     list.List // of *exporter, most recently seen first
	srcLRU    list.List // of *source, most recently seen first
	_         [64]byte  // keeps shards' locks off each other's cache lines
}

// New returns an Accounting for a validated cfg.
func New(cfg Config) *Accounting {
	a := &Accounting{rules: slices.Clone(cfg.Rates), c: params{
		window:    cfg.ReorderWindow,
		timeout:   int64(cfg.ReorderTimeout),
		tolerance: cfg.UptimeTolerance.Milliseconds(),
		idle:      int64(cfg.IdleTimeout),
		maxExp:    int64(cfg.MaxExporters),
		maxSrc:    int64(cfg.MaxSources),
		maxFactor: cfg.MaxFactor,
	}}
	if cfg.LossCompensation {
		a.c.compWindow = cfg.CompensationWindow
	}
	for i := range a.shards {
		a.shards[i].exporters = make(map[Exporter]*exporter)
	}
	return a
}

// Stats returns the counters since New; they are updated in place.
func (a *Accounting) Stats() *Stats { return &a.stats }

// Account accounts one decoded datagram received at now and fills res: the
// verdict of the datagram and of each sample, and the sampling rate and
// compensation factor of each flow sample. The exporter is the datagram's
// agent address and sub-agent id. Safe for concurrent use; datagrams of one
// exporter may come in any order.
func (a *Accounting) Account(dg *decoded.Datagram, now time.Time, res *Result) {
	key := Exporter{Agent: dg.AgentAddress, SubAgentID: dg.SubAgentID}
	t := now.UnixNano()
	sh := a.shard(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	e := a.exporter(sh, key, t)
	before := e.p.Counts
	v, cls := e.datagram(dg.SequenceNumber, dg.Uptime, t, &a.c)
	if e.heldLate {
		a.placeHeld(sh, e)
	}
	res.Verdict = v
	switch {
	case v == Duplicate:
		res.duplicate(dg)
	case cls == clsBehind:
		e.p.seen(t)
		a.hold(e, dg, t, res)
	default:
		e.p.seen(t)
		a.samples(sh, e, dg, t, cls == clsReordered || cls == clsLate, res)
	}
	a.stats.add(&before, &e.p.Counts)
}

// duplicate marks every sample of a duplicate datagram as a duplicate.
func (r *Result) duplicate(dg *decoded.Datagram) {
	r.Flows = fill(resize(r.Flows, len(dg.FlowSamples)), SampleResult{Verdict: Duplicate})
	r.Counters = fill(resize(r.Counters, len(dg.CounterSamples)), Duplicate)
	r.Drops = fill(resize(r.Drops, len(dg.DropSamples)), SampleResult{Verdict: Duplicate})
}

// samples accounts the samples of a datagram that is neither a duplicate
// nor a stray; outOfOrder says that the datagram came out of order.
func (a *Accounting) samples(sh *shard, e *exporter, dg *decoded.Datagram, now int64, outOfOrder bool, res *Result) {
	res.Flows = resize(res.Flows, len(dg.FlowSamples))
	for i := range dg.FlowSamples {
		a.flow(sh, e, &dg.FlowSamples[i], now, outOfOrder, &res.Flows[i])
	}
	res.Counters = resize(res.Counters, len(dg.CounterSamples))
	for i := range dg.CounterSamples {
		res.Counters[i] = a.counter(sh, e, &dg.CounterSamples[i], now, outOfOrder)
	}
	res.Drops = resize(res.Drops, len(dg.DropSamples))
	for i := range dg.DropSamples {
		d := &dg.DropSamples[i]
		_, cls := a.place(sh, e, sourceKey{kindDrop, d.SourceID}, d.SequenceNumber, now, outOfOrder)
		res.Drops[i] = unsampled
		res.Drops[i].Verdict = verdict(cls, &e.p.received.DropSamples)
	}
}

// place places sample number n of the data source k and returns the source
// and the class of n.
func (a *Accounting) place(sh *shard, e *exporter, k sourceKey, n uint32, now int64, outOfOrder bool) (*source, class) {
	s := a.source(sh, e, k, now)
	return s, s.sample(n, now, outOfOrder, &a.c)
}

// hold accounts the samples of a stray datagram, received at now: they are
// processed, and their numbers wait in e.held for the next datagram.
func (a *Accounting) hold(e *exporter, dg *decoded.Datagram, now int64, res *Result) {
	e.heldAt = now
	res.Flows = resize(res.Flows, len(dg.FlowSamples))
	for i := range dg.FlowSamples {
		a.holdFlow(e, &dg.FlowSamples[i], &res.Flows[i])
	}
	res.Counters = fill(resize(res.Counters, len(dg.CounterSamples)), Process)
	for i := range dg.CounterSamples {
		c := &dg.CounterSamples[i]
		e.held = append(e.held, heldSample{key: sourceKey{kindCounter, c.SourceID}, n: c.SequenceNumber})
	}
	e.p.received.CounterSamples += uint64(len(dg.CounterSamples))
	res.Drops = fill(resize(res.Drops, len(dg.DropSamples)), unsampled)
	for i := range dg.DropSamples {
		d := &dg.DropSamples[i]
		e.held = append(e.held, heldSample{key: sourceKey{kindDrop, d.SourceID}, n: d.SequenceNumber})
	}
	e.p.received.DropSamples += uint64(len(dg.DropSamples))
}

// holdFlow accounts a flow sample of a stray datagram: the rate of its
// exporter and the factor its source has now; its number and pool wait.
func (a *Accounting) holdFlow(e *exporter, fs *decoded.FlowSample, r *SampleResult) {
	k := sourceKey{kindFlow, fs.SourceID}
	e.held = append(e.held, heldSample{key: k, n: fs.SequenceNumber, pool: fs.SamplePool, drops: fs.Drops})
	e.p.received.FlowSamples++
	*r = SampleResult{Factor: 1}
	r.Rate, r.RateSource = a.rate(e, fs.SamplingRate)
	if s := e.sources.get(k); s != nil && s.comp != nil {
		r.Factor, _ = s.comp.factor(r.Rate, a.c.maxFactor)
	}
}

// placeHeld places the samples of a stray that turned out to have been
// held up on the way: out of order, at the time it was received.
func (a *Accounting) placeHeld(sh *shard, e *exporter) {
	for _, h := range e.held {
		s, cls := a.place(sh, e, h.key, h.n, e.heldAt, true)
		if h.key.kind == kindFlow {
			s.grow(cls, h.pool, h.drops)
		}
	}
	e.held, e.heldLate = e.held[:0], false
}

// verdict returns the verdict of a sample of class cls, and counts it in
// accepted when it is processed.
func verdict(cls class, accepted *uint64) Verdict {
	if cls == clsDuplicate {
		return Duplicate
	}
	*accepted++
	return Process
}

// flow accounts a flow sample: its number, its rate, the pool growth of its
// source and the compensation factor, and its bytes for reconciliation.
func (a *Accounting) flow(sh *shard, e *exporter, fs *decoded.FlowSample, now int64, outOfOrder bool, r *SampleResult) {
	s, cls := a.place(sh, e, sourceKey{kindFlow, fs.SourceID}, fs.SequenceNumber, now, outOfOrder)
	*r = SampleResult{Verdict: verdict(cls, &e.p.received.FlowSamples)}
	if r.Verdict == Duplicate {
		return
	}
	r.Rate, r.RateSource = a.rate(e, fs.SamplingRate)
	r.Factor = a.factor(s, cls, fs, r.Rate)
	if s.rec != nil {
		s.rec.flow(fs.SourceID.Index, fs, float64(r.Rate)*r.Factor)
	}
}

// rate returns the rate to apply to a flow sample of e that reports the
// sampling rate reported, and where it comes from; it counts the rate seen,
// and the sample when it has no rate.
func (a *Accounting) rate(e *exporter, reported uint32) (uint32, RateSource) {
	e.p.rates.add(reported)
	rate, src := applyRate(e.rule, reported)
	if src == RateMissing {
		e.p.SamplesNoRate++
	}
	return rate, src
}

// factor records the pool growth of a flow sample and returns the
// compensation factor of its source.
func (a *Accounting) factor(s *source, cls class, fs *decoded.FlowSample, rate uint32) float64 {
	s.grow(cls, fs.SamplePool, fs.Drops)
	if s.comp == nil {
		return 1
	}
	f, capped := s.comp.factor(rate, a.c.maxFactor)
	if capped {
		s.ex.p.FactorsCapped++
	}
	return f
}

// counter accounts a counter sample; the if_counters of a new highest
// number close a reconciliation interval of the flow source of its ifIndex.
func (a *Accounting) counter(sh *shard, e *exporter, cs *decoded.CounterSample, now int64, outOfOrder bool) Verdict {
	_, cls := a.place(sh, e, sourceKey{kindCounter, cs.SourceID}, cs.SequenceNumber, now, outOfOrder)
	v := verdict(cls, &e.p.received.CounterSamples)
	if cs.Records.Has&decoded.HasGenericIf == 0 || cls != clsAdvance && cls != clsFirst {
		return v
	}
	g := &cs.Records.GenericIf
	if f := e.sources.get(sourceKey{kindFlow, decoded.SourceID{Index: g.IfIndex}}); f != nil && f.rec != nil {
		f.rec.counters(g, cls == clsFirst)
	}
	return v
}

// resize returns s with length n, reusing its array when it is large enough.
func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// fill sets every element of s to v and returns s.
func fill[T any](s []T, v T) []T {
	for i := range s {
		s[i] = v
	}
	return s
}

// shard returns the shard of the exporter k.
func (a *Accounting) shard(k Exporter) *shard {
	b := k.Agent.As16()
	h := binary.LittleEndian.Uint64(b[:8])*0x9E3779B97F4A7C15 ^
		binary.LittleEndian.Uint64(b[8:])*0xC2B2AE3D27D4EB4F ^
		uint64(k.SubAgentID)*0x165667B19E3779F9
	h ^= h >> 32
	return &a.shards[(h*0x9E3779B97F4A7C15)>>58]
}
