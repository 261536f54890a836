package ecs

import (
	"time"

	"github.com/sflowbeat/sflowbeat/input/sflow/accounting"
	"github.com/sflowbeat/sflowbeat/processor/ecs/dataset"
)

// The kinds of the accounting stage's events: what an exporter sent and
// lost over a period, and the reconciliation of an interface's flow
// estimates with its counters.
var (
	exporterKind  = eventKind{dataset: dataset.Exporters, kind: "metric", typ: []string{"info"}}
	reconcileKind = eventKind{dataset: dataset.Reconcile, kind: "metric", typ: []string{"info"}}
)

// Fields of the accounting stage's events.
var (
	fEventStart = must("event.start")
	fEventEnd   = must("event.end")
	exp         = struct {
		datagrams, flowSamples, counterSamples, dropSamples               field
		dgMissing, dgReordered, dgDuplicate, dgLate, dgMissingPct         field
		smpMissing, smpReordered, smpDuplicate, smpLate, smpMissingPct    field
		resets, noRate, capped, rates, ratesOther, samplePool, agentDrops field
	}{
		must("sflow.exporter.datagrams"), must("sflow.exporter.flow_samples"),
		must("sflow.exporter.counter_samples"), must("sflow.exporter.drop_samples"),
		must("sflow.exporter.datagrams_missing"), must("sflow.exporter.datagrams_reordered"),
		must("sflow.exporter.datagrams_duplicate"), must("sflow.exporter.datagrams_late"),
		must("sflow.exporter.datagrams_missing_pct"),
		must("sflow.exporter.samples_missing"), must("sflow.exporter.samples_reordered"),
		must("sflow.exporter.samples_duplicate"), must("sflow.exporter.samples_late"),
		must("sflow.exporter.samples_missing_pct"),
		must("sflow.exporter.sequence_resets"), must("sflow.exporter.samples_no_rate"),
		must("sflow.exporter.compensation_capped"), must("sflow.exporter.sample_rates"),
		must("sflow.exporter.sample_rates_other"), must("sflow.exporter.sample_pool"),
		must("sflow.exporter.agent_drops"),
	}
	rec = struct {
		ifIndex, direction, flowBytes, counterOctets, ratio, flowSamples, counterSamples field
	}{
		must("sflow.reconcile.if_index"), must("sflow.reconcile.direction"), must("sflow.reconcile.flow_bytes"),
		must("sflow.reconcile.counter_octets"), must("sflow.reconcile.ratio"),
		must("sflow.reconcile.flow_samples"), must("sflow.reconcile.counter_samples"),
	}
)

// periodDoc returns a Doc with the fields of an accounting event for an
// exporter over the period (start, end].
func periodDoc(k *eventKind, e accounting.Exporter, start, end time.Time) *Doc {
	d := newDoc()
	d.str(fECSVersion, ECSVersion)
	d.list(fTags, defaultTags)
	d.str(fEventKind, k.kind)
	d.list(fEventCategory, categoryNetwork)
	d.list(fEventType, k.typ)
	d.str(fEventDataset, k.dataset)
	d.str(fEventModule, "sflow")
	d.str(fEventStart, start.UTC().Format(time.RFC3339Nano))
	d.str(fEventEnd, end.UTC().Format(time.RFC3339Nano))
	d.ip(fObserverIP, e.Agent)
	d.uint(fSubAgentID, uint64(e.SubAgentID))
	return d
}

// ExporterEvent maps what one exporter sent and lost over the period that
// ended at end (accounting.ExporterHealth): dataset sflow.exporters.
func ExporterEvent(h *accounting.ExporterHealth, period time.Duration, end time.Time) Event {
	d := periodDoc(&exporterKind, h.Exporter, end.Add(-period), end)
	d.uint(exp.datagrams, h.Received.Datagrams)
	d.uint(exp.flowSamples, h.Received.FlowSamples)
	d.uint(exp.counterSamples, h.Received.CounterSamples)
	d.uint(exp.dropSamples, h.Received.DropSamples)
	sequence(d, h.Datagrams, h.Received.Datagrams, exp.dgMissing, exp.dgReordered, exp.dgDuplicate, exp.dgLate, exp.dgMissingPct)
	samples := h.Received.FlowSamples + h.Received.CounterSamples + h.Received.DropSamples
	sequence(d, h.Samples, samples, exp.smpMissing, exp.smpReordered, exp.smpDuplicate, exp.smpLate, exp.smpMissingPct)
	d.uint(exp.resets, h.SequenceResets)
	d.uintNonZero(exp.noRate, h.SamplesNoRate)
	d.uintNonZero(exp.capped, h.FactorsCapped)
	if len(h.Rates) > 0 {
		d.numbers(exp.rates, h.Rates)
	}
	d.uintNonZero(exp.ratesOther, h.RatesOther)
	d.uint(exp.samplePool, h.SamplePool)
	d.uint(exp.agentDrops, h.AgentDrops)
	return Event{Timestamp: end, Dataset: dataset.Exporters, Doc: d}
}

// sequence sets the counters of one sequence (datagrams or samples) and
// the share of the numbers that were missing, in percent.
func sequence(d *Doc, s accounting.Sequence, received uint64, missing, reordered, duplicate, late, pct field) {
	d.uint(missing, s.Missing)
	d.uint(reordered, s.Reordered)
	d.uint(duplicate, s.Duplicate)
	d.uint(late, s.Late)
	if total := received + s.Missing; total > 0 {
		d.float(pct, 100*float64(s.Missing)/float64(total))
	}
}

// ReconcileEvent maps the reconciliation of one interface and direction
// over the period that ended at end: dataset sflow.reconcile.
func ReconcileEvent(r *accounting.Reconciliation, period time.Duration, end time.Time) Event {
	d := periodDoc(&reconcileKind, r.Exporter, end.Add(-period), end)
	d.uint(rec.ifIndex, uint64(r.IfIndex))
	d.str(rec.direction, r.Direction.String())
	d.uint(rec.flowBytes, uint64(r.FlowBytes+0.5))
	d.uint(rec.counterOctets, r.CounterOctets)
	if r.CounterOctets > 0 {
		d.float(rec.ratio, r.Ratio)
	}
	d.uint(rec.flowSamples, r.FlowSamples)
	d.uint(rec.counterSamples, r.CounterSamples)
	return Event{Timestamp: end, Dataset: dataset.Reconcile, Doc: d}
}
