// Package worker is the loop that every consumer of sFlow datagrams runs,
// written once: decode the datagram and its sampled headers (package
// decoder, through its gopacket DecodingLayer), count what was decoded and
// what was not, and map the samples to ECS events (processor/ecs). The
// input runs one Worker per decoding goroutine; the decode command, the
// replay tool of the tests and the benchmarks run the same code. It knows
// nothing of libbeat.
package worker

import (
	"time"

	"github.com/google/gopacket"

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
	mapper *ecs.Mapper
	count  Counter
	events []ecs.Event
}

// New returns a Worker that maps with opts and counts into c.
func New(opts ecs.Options, c Counter) *Worker {
	return &Worker{mapper: ecs.NewMapper(opts), count: c}
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
	w.events = w.mapper.Map(dg, received, w.events[:0])
	return Result{Datagram: dg, Events: w.events}
}
