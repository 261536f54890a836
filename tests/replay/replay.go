// Package replay sends the sFlow datagrams of a capture to a UDP address at
// a given rate of samples per second, for the outage tests and the load
// benchmark. Traffic goes where the caller says: the tests use loopback.
package replay

import (
	"fmt"
	"net"
	"time"

	"github.com/sflowbeat/sflowbeat/beater/pcapfile"
	"github.com/sflowbeat/sflowbeat/input/sflow/worker"
	"github.com/sflowbeat/sflowbeat/processor/ecs"
)

// Datagram is one datagram of a capture and the number of samples in it.
type Datagram struct {
	Payload []byte
	Samples int // samples of every kind
	Flows   int // flow samples (flow_sample, flow_sample_expanded)
}

// Load reads the sFlow datagrams of a capture that hold samples.
func Load(path string) ([]Datagram, error) {
	dgs, err := pcapfile.ReadAll(path, 6343)
	if err != nil {
		return nil, err
	}
	w := worker.New(ecs.Options{}, nil, &worker.Counts{})
	var out []Datagram
	for _, d := range dgs {
		if res := w.Process(d.Payload, d.Timestamp); res.Err == nil && len(res.Events) > 0 {
			out = append(out, Datagram{Payload: d.Payload, Samples: len(res.Events), Flows: len(res.Datagram.FlowSamples)})
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s has no sFlow samples", path)
	}
	return out, nil
}

// Totals returns the samples and the flow samples in the first n datagrams
// that Send sends from dgs (round-robin, from the first).
func Totals(dgs []Datagram, n int64) (samples, flows int64) {
	var cycleSamples, cycleFlows int64
	for _, d := range dgs {
		cycleSamples += int64(d.Samples)
		cycleFlows += int64(d.Flows)
	}
	cycles, rest := n/int64(len(dgs)), int(n%int64(len(dgs)))
	samples, flows = cycles*cycleSamples, cycles*cycleFlows
	for _, d := range dgs[:rest] {
		samples += int64(d.Samples)
		flows += int64(d.Flows)
	}
	return samples, flows
}

// Send sends dgs round-robin to addr at rate samples per second for d, in
// 1 ms ticks, numbered as a live exporter numbers them (Sequencer); it
// returns the samples and datagrams sent.
func Send(addr string, dgs []Datagram, rate int, d time.Duration) (samples, datagrams int64, err error) {
	conn, err := net.Dial("udp", addr)
	if err != nil {
		return 0, 0, err
	}
	defer conn.Close()
	seq := NewSequencer()
	start, i := time.Now(), 0
	for tick := time.NewTicker(time.Millisecond); time.Since(start) < d; <-tick.C {
		for due := int64(time.Since(start).Seconds() * float64(rate)); samples < due; i++ {
			dg := dgs[i%len(dgs)]
			if _, err := conn.Write(seq.Next(dg.Payload)); err != nil {
				return samples, datagrams, err
			}
			samples += int64(dg.Samples)
			datagrams++
		}
	}
	return samples, datagrams, nil
}
