// Package worker is the loop that every consumer of sFlow datagrams runs,
// written once: decode the datagram and its sampled headers (package
// decoder, through its gopacket DecodingLayer), count what was decoded and
// what was not, account for it (package accounting: loss on the way in,
// duplicates, sampling rates, compensation) and map the samples to ECS
// events (processor/ecs). The input runs one Worker per decoding
// goroutine; the decode command, the replay tool of the tests and the
// benchmarks run the same code. It knows nothing of libbeat.
package worker

import (
	"time"

	"github.com/google/gopacket"

	"github.com/sflowbeat/sflowbeat/input/sflow/accounting"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoder"
	"github.com/sflowbeat/sflowbeat/processor/ecs"
)

// Counter is what the loop counts into: the input's monitoring metrics, or
// Counts.
type Counter interface {
	// Invalid counts a datagram the decoder rejected as a whole.
	Invalid(err error)
	// Decoded counts a decoded datagram: its samples by kind, and the
	// samples and records that were skipped (dg.Stats).
	Decoded(dg *decoded.Datagram)
}

// Worker turns datagrams into ECS events. It reuses its buffers between
// datagrams and is not safe for concurrent use: use one per goroutine.
type Worker struct {
	layer  decoder.Layer // the sFlow gopacket DecodingLayer; holds the decoded datagram
	acct   *accounting.Accounting
	res    accounting.Result
	mapper *ecs.Mapper
	count  Counter
	events []ecs.Event
}

// New returns a Worker that accounts with acct (shared by the workers of
// an input; nil: no accounting), maps with opts and counts into c.
func New(opts ecs.Options, acct *accounting.Accounting, c Counter) *Worker {
	return &Worker{mapper: ecs.NewMapper(opts), acct: acct, count: c}
}

// Result is what Process made of one datagram.
type Result struct {
	// Datagram is the decoded datagram, nil when Err is set. Its
	// Errors hold the first problems of a partly decoded datagram.
	Datagram *decoded.Datagram
	// Events are the datagram's events, one per sample.
	Events []ecs.Event
	// Err is set when the datagram was rejected as a whole (a
	// *decoder.DatagramError).
	Err error
	// Duplicate is set when the datagram was received already (the
	// accounting stage counted it): it has no events.
	Duplicate bool
}

// Process decodes data, received at received, counts it and maps its
// samples. The Result's slices are reused by the next call.
func (w *Worker) Process(data []byte, received time.Time) Result {
	if err := w.layer.DecodeFromBytes(data, gopacket.NilDecodeFeedback); err != nil {
		w.count.Invalid(err)
		return Result{Err: err}
	}
	dg := &w.layer.Datagram
	w.count.Decoded(dg)
	if w.acct != nil {
		w.acct.Account(dg, received, &w.res)
		if w.res.Verdict == accounting.Duplicate {
			return Result{Datagram: dg, Duplicate: true}
		}
		annotate(dg, &w.res)
	}
	w.events = w.mapper.Map(dg, received, w.events[:0])
	return Result{Datagram: dg, Events: w.events}
}

// annotate writes what the accounting stage decided into the samples, for
// the mapper.
func annotate(dg *decoded.Datagram, res *accounting.Result) {
	for i := range dg.FlowSamples {
		dg.FlowSamples[i].Accounted = accounted(&res.Flows[i])
	}
	for i := range dg.DropSamples {
		dg.DropSamples[i].Accounted = accounted(&res.Drops[i])
	}
	for i := range dg.CounterSamples {
		dg.CounterSamples[i].Duplicate = res.Counters[i] == accounting.Duplicate
	}
}

// accounted converts a sample's accounting result.
func accounted(r *accounting.SampleResult) decoded.Accounted {
	return decoded.Accounted{Duplicate: r.Verdict == accounting.Duplicate, Rate: r.Rate, RateSource: r.RateSource, Factor: r.Factor}
}
