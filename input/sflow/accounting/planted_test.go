package accounting

import (
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
)

// plantLoss generates n datagrams, round robin over the agents, each with
// flow samples of two of the data sources 1 to 4 and, every fifth, a
// counter sample of source 1 or 2. With probability pSample a data source
// skips 1 to 3 sample numbers before its sample, and with probability
// pDatagram a datagram is lost: it is not returned.
func plantLoss(rng *rand.Rand, agents []*agent, n int, pDatagram, pSample float64) []*decoded.Datagram {
	var out []*decoded.Datagram
	for i := range n {
		g := agents[i%len(agents)]
		samples := []sample{flowOn(1 + rng.Uint32N(2)), flowOn(3 + rng.Uint32N(2))}
		if i%5 == 0 {
			samples = append(samples, counterOn(1+rng.Uint32N(2)))
		}
		for _, s := range samples {
			if rng.Float64() < pSample {
				g.skip(s.kind, s.index, 1+rng.Uint32N(3))
			}
		}
		if dg := g.next(samples...); rng.Float64() >= pDatagram {
			out = append(out, dg)
		}
	}
	return out
}

// shuffleBlocks reorders the datagrams inside consecutive blocks of size.
func shuffleBlocks(rng *rand.Rand, dgs []*decoded.Datagram, size int) {
	for i := 0; i < len(dgs); i += size {
		b := dgs[i:min(i+size, len(dgs))]
		rng.Shuffle(len(b), func(i, j int) { b[i], b[j] = b[j], b[i] })
	}
}

// seqTruth follows one sequence the way the tests define loss, without
// windows: a number after the first received and below the highest
// received that never arrived is missing; a number that arrives below the
// highest received so far is reordered.
type seqTruth struct {
	started     bool
	first, high uint32
	got         map[uint32]bool
	reordered   uint64
}

// arrive notes the arrival of number n.
func (s *seqTruth) arrive(n uint32) {
	switch {
	case !s.started:
		s.started, s.first, s.high, s.got = true, n, n, map[uint32]bool{}
	case n > s.high:
		s.high = n
	default:
		s.reordered++
	}
	s.got[n] = true
}

// missing counts the numbers after the first and up to the highest that
// never arrived.
func (s *seqTruth) missing() (m uint64) {
	for n := s.first; n < s.high; n++ {
		if !s.got[n+1] {
			m++
		}
	}
	return m
}

// truth returns the counts the datagrams must give when accounted in this
// order (numbers do not wrap, and nothing is far behind or timed out).
func truth(dgs []*decoded.Datagram) Counts {
	seqs := map[any]*seqTruth{}
	arrive := func(k any, n uint32) {
		if seqs[k] == nil {
			seqs[k] = &seqTruth{}
		}
		seqs[k].arrive(n)
	}
	type src struct {
		ex Exporter
		k  sourceKey
	}
	for _, dg := range dgs {
		ex := Exporter{dg.AgentAddress, dg.SubAgentID}
		arrive(ex, dg.SequenceNumber)
		for _, f := range dg.FlowSamples {
			arrive(src{ex, sourceKey{kindFlow, f.SourceID}}, f.SequenceNumber)
		}
		for _, c := range dg.CounterSamples {
			arrive(src{ex, sourceKey{kindCounter, c.SourceID}}, c.SequenceNumber)
		}
	}
	var c Counts
	for k, s := range seqs {
		q := &c.Samples
		if _, ok := k.(Exporter); ok {
			q = &c.Datagrams
		}
		q.Missing += s.missing()
		q.Reordered += s.reordered
	}
	return c
}

// testAgents returns generators for two sub-agents of one agent and one
// other agent.
func testAgents() []*agent {
	return []*agent{newAgent("192.0.2.1", 0), newAgent("192.0.2.1", 1), newAgent("2001:db8::1", 0)}
}

func TestPlantedLoss(t *testing.T) {
	tests := []struct {
		name                  string
		pDatagram, pSample    float64
		shuffle               int // block size of the reordering; 0 none
		wantSome, wantReorder bool
	}{
		{name: "no loss"},
		{name: "datagrams lost", pDatagram: 0.05, wantSome: true},
		{name: "samples skipped", pSample: 0.03, wantSome: true},
		{name: "both, reordered", pDatagram: 0.05, pSample: 0.03, shuffle: 8, wantSome: true, wantReorder: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 2))
			dgs := plantLoss(rng, testAgents(), 6000, tt.pDatagram, tt.pSample)
			if tt.shuffle > 0 {
				shuffleBlocks(rng, dgs[1:], tt.shuffle) // the first stays first
			}
			want := truth(dgs)
			if lost := want.Datagrams.Missing + want.Samples.Missing; (lost > 0) != tt.wantSome ||
				(want.Datagrams.Reordered > 0) != tt.wantReorder {
				t.Fatalf("the generator planted %+v", want)
			}
			a := newTest(t, nil)
			feed(a, t0, dgs...)
			a.Flush(later)
			wantCounts(t, a, want)
		})
	}
}

// TestConcurrentWorkers accounts the datagrams of a few exporters with
// several goroutines, in whatever order they run: the missing counts are
// exact, and nothing is counted duplicate, late or reset.
func TestConcurrentWorkers(t *testing.T) {
	const workers, perAgent = 8, 1200
	rng := rand.New(rand.NewPCG(3, 4))
	agents := testAgents()
	dgs := plantLoss(rng, agents, perAgent*len(agents), 0.05, 0.03)
	want := truth(dgs)
	// Larger than any sequence: no gap is final before the last Flush, so
	// that no ordering of the workers makes a number late.
	a := newTest(t, func(c *Config) { c.ReorderWindow = 4096 })
	prime := 30 * len(agents) // every data source's first sample comes first
	feed(a, t0, dgs[:prime]...)
	work := make(chan *decoded.Datagram)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			var res Result
			for dg := range work {
				a.Account(dg, t0, &res)
			}
		})
	}
	for _, dg := range dgs[prime:] {
		work <- dg
	}
	close(work)
	wg.Wait()
	health := a.Snapshot(later)
	got := a.Stats().Load()
	t.Logf("the workers reordered %d datagrams and %d samples", got.Datagrams.Reordered, got.Samples.Reordered)
	want.Datagrams.Reordered, want.Samples.Reordered = got.Datagrams.Reordered, got.Samples.Reordered
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	if sum := sumHealth(health); sum != got {
		t.Errorf("the exporters' health adds up to %+v, the stats are %+v", sum, got)
	}
}

// sumHealth adds up the counts of the exporters.
func sumHealth(hs []ExporterHealth) Counts {
	var c Counts
	for _, h := range hs {
		c.Datagrams = addSequence(c.Datagrams, h.Datagrams)
		c.Samples = addSequence(c.Samples, h.Samples)
		c.SequenceResets += h.SequenceResets
		c.SamplesNoRate += h.SamplesNoRate
		c.FactorsCapped += h.FactorsCapped
	}
	return c
}

// addSequence returns a+b.
func addSequence(a, b Sequence) Sequence {
	return Sequence{Missing: a.Missing + b.Missing, Reordered: a.Reordered + b.Reordered,
		Duplicate: a.Duplicate + b.Duplicate, Late: a.Late + b.Late}
}
