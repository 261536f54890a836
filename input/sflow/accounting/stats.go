package accounting

import "sync/atomic"

// Sequence counts what happened to the numbers of a sequence: datagram
// sequence_number, or sample sequence_number of the data sources.
type Sequence struct {
	Missing   uint64 // numbers never received, counted when their gap was final
	Reordered uint64 // numbers received late, inside the window: no loss
	Duplicate uint64 // numbers received again (dropped by the caller)
	Late      uint64 // numbers received after their gap was counted missing
}

// note counts a number of class cls that settled missing numbers.
func (s *Sequence) note(cls class, missing uint64) {
	s.Missing += missing
	switch cls {
	case clsReordered:
		s.Reordered++
	case clsLate:
		s.Late++
	case clsDuplicate:
		s.Duplicate++
	}
}

// Counts are loss and rate counters: of an exporter over a period
// (ExporterHealth), or of an Accounting since New (Stats.Load).
type Counts struct {
	Datagrams      Sequence
	Samples        Sequence // of flow, counter and drop data sources together
	SequenceResets uint64   // agent restarts, and data sources whose numbers went back
	SamplesNoRate  uint64   // flow samples with sampling_rate 0 and no rule
	FactorsCapped  uint64   // flow samples whose compensation factor was capped
}

// SequenceStats is Sequence as atomic counters.
type SequenceStats struct {
	Missing, Reordered, Duplicate, Late atomic.Uint64
}

// Stats are the counters of an Accounting since New, for the input's
// monitoring registry: datagrams_missing, samples_missing, sequence_resets,
// datagrams_reordered, ..., exporters_evicted, sources_evicted. Read them
// with Load; they are safe to read while datagrams are accounted.
type Stats struct {
	Datagrams        SequenceStats
	Samples          SequenceStats
	SequenceResets   atomic.Uint64
	SamplesNoRate    atomic.Uint64
	FactorsCapped    atomic.Uint64
	ExportersEvicted atomic.Uint64 // exporters forgotten to keep MaxExporters
	SourcesEvicted   atomic.Uint64 // data sources forgotten to keep MaxSources
	Exporters        atomic.Int64  // exporters tracked now
	Sources          atomic.Int64  // data sources tracked now
}

// add adds to s what changed from before to after.
func (s *Stats) add(before, after *Counts) {
	s.Datagrams.add(&before.Datagrams, &after.Datagrams)
	s.Samples.add(&before.Samples, &after.Samples)
	addDiff(&s.SequenceResets, before.SequenceResets, after.SequenceResets)
	addDiff(&s.SamplesNoRate, before.SamplesNoRate, after.SamplesNoRate)
	addDiff(&s.FactorsCapped, before.FactorsCapped, after.FactorsCapped)
}

// add adds to s what changed from before to after.
func (s *SequenceStats) add(before, after *Sequence) {
	addDiff(&s.Missing, before.Missing, after.Missing)
	addDiff(&s.Reordered, before.Reordered, after.Reordered)
	addDiff(&s.Duplicate, before.Duplicate, after.Duplicate)
	addDiff(&s.Late, before.Late, after.Late)
}

// addDiff adds after-before to c, touching c only when it changed, so that
// workers do not contend on counters that rarely move.
func addDiff(c *atomic.Uint64, before, after uint64) {
	if after != before {
		c.Add(after - before)
	}
}

// Load returns the counters of s as plain numbers.
func (s *SequenceStats) Load() Sequence {
	return Sequence{Missing: s.Missing.Load(), Reordered: s.Reordered.Load(),
		Duplicate: s.Duplicate.Load(), Late: s.Late.Load()}
}

// Load returns the loss and rate counters of s as plain numbers.
func (s *Stats) Load() Counts {
	return Counts{
		Datagrams:      s.Datagrams.Load(),
		Samples:        s.Samples.Load(),
		SequenceResets: s.SequenceResets.Load(),
		SamplesNoRate:  s.SamplesNoRate.Load(),
		FactorsCapped:  s.FactorsCapped.Load(),
	}
}
