package accounting

import (
	"fmt"
	"testing"
	"time"

	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
)

// benchStream is a datagram that a benchmark accounts again and again,
// moving its numbers forward each time as the agent would.
type benchStream struct {
	dg    *decoded.Datagram
	nums  []*uint32 // the sample numbers of the datagram
	steps []uint32  // how far each moves: the samples of its data source per datagram
}

// newBenchStream returns the datagram of exporter addr with 8 flow samples
// over 4 interfaces, 1 counter sample and 1 drop sample.
func newBenchStream(addr string) *benchStream {
	g := newAgent(addr, 0)
	dg := g.next(flowOn(1), flowOn(2), flowOn(3), flowOn(4), flowOn(1), flowOn(2), flowOn(3), flowOn(4),
		counterOn(1), dropOn(1))
	s := &benchStream{dg: dg}
	for i := range dg.FlowSamples {
		s.add(&dg.FlowSamples[i].SequenceNumber, 2)
	}
	s.add(&dg.CounterSamples[0].SequenceNumber, 1)
	s.add(&dg.DropSamples[0].SequenceNumber, 1)
	return s
}

// add notes a sample number that moves by step.
func (s *benchStream) add(n *uint32, step uint32) {
	s.nums, s.steps = append(s.nums, n), append(s.steps, step)
}

// samples is the number of samples of the datagram.
func (s *benchStream) samples() int { return len(s.nums) }

// next moves the datagram to its next numbers.
func (s *benchStream) next() *decoded.Datagram {
	s.dg.SequenceNumber++
	s.dg.Uptime += 10
	for i, n := range s.nums {
		*n += s.steps[i]
	}
	for i := range s.dg.FlowSamples {
		s.dg.FlowSamples[i].SamplePool += 2 * s.dg.FlowSamples[i].SamplingRate
	}
	s.dg.CounterSamples[0].Records.GenericIf.IfInOctets += 8000
	return s.dg
}

// BenchmarkAccount measures the per-datagram path in steady state, for one
// exporter and for many (whose state does not stay in the CPU caches).
func BenchmarkAccount(b *testing.B) {
	for _, exporters := range []int{1, 1000} {
		for _, comp := range []bool{false, true} {
			b.Run(fmt.Sprintf("exporters=%d/compensation=%v", exporters, comp), func(b *testing.B) {
				benchAccount(b, exporters, comp)
			})
		}
	}
}

// benchAccount accounts the datagrams of the exporters round robin.
func benchAccount(b *testing.B, exporters int, comp bool) {
	a := newTest(b, func(c *Config) { c.LossCompensation = comp })
	streams := make([]*benchStream, exporters)
	for i := range streams {
		streams[i] = newBenchStream(fmt.Sprintf("10.0.%d.%d", i/256, i%256))
	}
	var res Result // warm up: every source exists, the slices of res have grown
	for range 2 {
		for _, s := range streams {
			a.Account(s.next(), t0, &res)
		}
	}
	b.ReportAllocs()
	i, now := 0, t0
	for b.Loop() {
		now = now.Add(10 * time.Microsecond) // 100k datagrams per second
		a.Account(streams[i].next(), now, &res)
		i = (i + 1) % exporters
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*streams[0].samples()), "ns/sample")
}
