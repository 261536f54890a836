package sflow

import (
	"fmt"
	"time"

	"github.com/elastic/beats/v7/libbeat/beat"
	"github.com/elastic/elastic-agent-libs/monitoring"

	"github.com/sflowbeat/sflowbeat/config"
	"github.com/sflowbeat/sflowbeat/input/sflow/accounting"
	"github.com/sflowbeat/sflowbeat/processor/ecs"
)

// flushPeriod is how often the accounting stage settles the gaps that
// timed out, and its counters reach the monitoring registry.
const flushPeriod = time.Second

// newAccounting returns the accounting stage of an input, shared by its
// decoders.
func newAccounting(c config.Input) (*accounting.Accounting, error) {
	ac := accounting.Defaults()
	ac.LossCompensation = c.LossCompensation
	for _, r := range c.Sampling {
		mode, err := accounting.ParseRateMode(r.Mode)
		if err != nil {
			return nil, err
		}
		ac.Rates = append(ac.Rates, accounting.RateRule{Exporters: r.Exporters, Rate: r.Rate, Mode: mode})
	}
	if err := ac.Validate(); err != nil {
		return nil, fmt.Errorf("sflow input %s: %w", c.ID, err)
	}
	return accounting.New(ac), nil
}

// accountingMetrics are the accounting stage's counters in the input's
// registry, copied from accounting.Stats every flushPeriod.
type accountingMetrics struct {
	datagrams, samples sequenceMetrics
	resets, noRate     *monitoring.Uint
	capped             *monitoring.Uint
	exportersEvicted   *monitoring.Uint
	sourcesEvicted     *monitoring.Uint
	exporters, sources *monitoring.Uint // gauges: tracked now
}

// sequenceMetrics are the counters of one kind of sequence number.
type sequenceMetrics struct {
	missing, reordered, duplicate, late *monitoring.Uint
}

// newAccountingMetrics creates the counters in reg.
func newAccountingMetrics(reg *monitoring.Registry) accountingMetrics {
	seq := func(kind string) sequenceMetrics {
		return sequenceMetrics{missing: monitoring.NewUint(reg, kind+"_missing_total"),
			reordered: monitoring.NewUint(reg, kind+"_reordered_total"),
			duplicate: monitoring.NewUint(reg, kind+"_duplicate_total"), late: monitoring.NewUint(reg, kind+"_late_total")}
	}
	return accountingMetrics{datagrams: seq("datagrams"), samples: seq("samples"),
		resets: monitoring.NewUint(reg, "sequence_resets_total"), noRate: monitoring.NewUint(reg, "samples_no_rate_total"),
		capped:           monitoring.NewUint(reg, "compensation_capped_total"),
		exportersEvicted: monitoring.NewUint(reg, "exporters_evicted_total"),
		sourcesEvicted:   monitoring.NewUint(reg, "sources_evicted_total"),
		exporters:        monitoring.NewUint(reg, "exporters_tracked_gauge"),
		sources:          monitoring.NewUint(reg, "sources_tracked_gauge")}
}

// set copies the stage's counters.
func (m *accountingMetrics) set(s *accounting.Stats) {
	c := s.Load()
	m.datagrams.set(c.Datagrams)
	m.samples.set(c.Samples)
	m.resets.Set(c.SequenceResets)
	m.noRate.Set(c.SamplesNoRate)
	m.capped.Set(c.FactorsCapped)
	m.exportersEvicted.Set(s.ExportersEvicted.Load())
	m.sourcesEvicted.Set(s.SourcesEvicted.Load())
	m.exporters.Set(uint64(max(s.Exporters.Load(), 0)))
	m.sources.Set(uint64(max(s.Sources.Load(), 0)))
}

// set copies the counters of one sequence.
func (m *sequenceMetrics) set(s accounting.Sequence) {
	m.missing.Set(s.Missing)
	m.reordered.Set(s.Reordered)
	m.duplicate.Set(s.Duplicate)
	m.late.Set(s.Late)
}

// account runs the accounting stage's timers until the input stops:
// settling gaps and copying the counters every flushPeriod, publishing the
// exporters' health every exporter_stats_period and the reconciliation
// every reconcile_period.
func (in *Input) account() {
	defer in.timers.Done()
	flush := time.NewTicker(flushPeriod)
	defer flush.Stop()
	stats, stopStats := ticker(in.cfg.ExporterStatsPeriod)
	defer stopStats()
	recon, stopRecon := ticker(in.cfg.ReconcilePeriod)
	defer stopRecon()
	for {
		select {
		case now := <-flush.C:
			in.acct.Flush(now)
			in.m.accounting.set(in.acct.Stats())
		case now := <-stats:
			in.publishPeriod(exporterEvents(in.acct.Snapshot(now), in.cfg.ExporterStatsPeriod, now))
		case now := <-recon:
			in.publishPeriod(reconcileEvents(in.acct.Reconcile(), in.cfg.ReconcilePeriod, now))
		case <-in.closing:
			return
		}
	}
}

// ticker returns the channel of a ticker of period d, or nil (never) for
// 0, and its stop function.
func ticker(d time.Duration) (<-chan time.Time, func()) {
	if d <= 0 {
		return nil, func() {}
	}
	t := time.NewTicker(d)
	return t.C, t.Stop
}

// exporterEvents maps the exporters' health of a period.
func exporterEvents(hs []accounting.ExporterHealth, period time.Duration, end time.Time) []ecs.Event {
	evs := make([]ecs.Event, len(hs))
	for i := range hs {
		evs[i] = ecs.ExporterEvent(&hs[i], period, end)
	}
	return evs
}

// reconcileEvents maps the reconciliation of a period.
func reconcileEvents(rs []accounting.Reconciliation, period time.Duration, end time.Time) []ecs.Event {
	evs := make([]ecs.Event, len(rs))
	for i := range rs {
		evs[i] = ecs.ReconcileEvent(&rs[i], period, end)
	}
	return evs
}

// publishPeriod publishes the events of a period, through the input's
// router and client.
func (in *Input) publishPeriod(evs []ecs.Event) {
	if len(evs) == 0 {
		return
	}
	out := newRouter(in.cfg, in.opts).filter(evs, in.m, make([]beat.Event, 0, len(evs)))
	if len(out) > 0 {
		in.client.PublishAll(out)
		in.m.eventsPublished.Add(uint64(len(out)))
	}
}
