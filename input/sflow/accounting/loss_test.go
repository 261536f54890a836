package accounting

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
)

// step is one datagram of a sequence test (or, with flush, a Flush).
type step struct {
	n, u  uint32        // datagram sequence_number and uptime
	sub   uint32        // sub-agent
	at    time.Duration // receive time after t0
	flush bool
}

// ms is a millisecond.
const ms = time.Millisecond

// upAt is the uptime the tests give datagram n: 10 ms per number.
func upAt(n uint32) uint32 { return 1_000_000 + 10*n }

// dgs returns steps for datagrams numbered ns, with consistent uptimes.
func dgs(ns ...uint32) []step {
	s := make([]step, len(ns))
	for i, n := range ns {
		s[i] = step{n: n, u: upAt(n)}
	}
	return s
}

// span returns the numbers from first to last.
func span(first, last uint32) []uint32 {
	var ns []uint32
	for n := first; n != last+1; n++ {
		ns = append(ns, n)
	}
	return ns
}

// cat joins lists of steps.
func cat[T any](parts ...[]T) []T {
	var s []T
	for _, p := range parts {
		s = append(s, p...)
	}
	return s
}

// runSteps accounts the steps and returns the datagram verdicts.
func runSteps(a *Accounting, steps []step) string {
	var v string
	for _, s := range steps {
		if s.flush {
			a.Flush(t0.Add(s.at))
			continue
		}
		v += feed(a, t0.Add(s.at), raw("192.0.2.1", s.sub, s.n, s.u))
	}
	return v
}

// sequenceCase is a case of the sequence tests, whose steps are S.
type sequenceCase[S any] struct {
	name     string
	window   uint32 // 0: the default
	steps    []S
	verdicts string // of the datagrams or samples, "P" process, "D" duplicate
	want     Counts
}

// runSequenceCases runs the cases: run accounts the steps and returns the
// verdicts; then every gap is made final and the counts are checked.
func runSequenceCases[S any](t *testing.T, tests []sequenceCase[S], run func(*Accounting, []S) string) {
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newTest(t, func(c *Config) {
				if tt.window != 0 {
					c.ReorderWindow = tt.window
				}
			})
			if got := run(a, tt.steps); got != tt.verdicts {
				t.Errorf("verdicts = %s, want %s", got, tt.verdicts)
			}
			a.Flush(later)
			wantCounts(t, a, tt.want)
		})
	}
}

func TestDatagramSequence(t *testing.T) {
	const top = math.MaxUint32
	tests := []sequenceCase[step]{
		{name: "in order", steps: dgs(1, 2, 3, 4, 5), verdicts: "PPPPP"},
		{name: "planted loss", steps: dgs(1, 2, 4, 5, 9, 10), verdicts: "PPPPPP",
			want: Counts{Datagrams: Sequence{Missing: 4}}},
		{name: "reordered inside the window", steps: dgs(1, 3, 2, 5, 4, 6), verdicts: "PPPPPP",
			want: Counts{Datagrams: Sequence{Reordered: 2}}},
		{name: "earlier than the first", steps: dgs(3, 1, 2, 4), verdicts: "PPPP",
			want: Counts{Datagrams: Sequence{Reordered: 2}}},
		{name: "inside the timeout: reordered",
			steps:    []step{{n: 1, u: upAt(1)}, {n: 3, u: upAt(3)}, {flush: true, at: time.Second}, {n: 2, u: upAt(2), at: 1500 * time.Millisecond}},
			verdicts: "PPP", want: Counts{Datagrams: Sequence{Reordered: 1}}},
		{name: "after the timeout: missing, then late",
			steps:    []step{{n: 1, u: upAt(1)}, {n: 3, u: upAt(3)}, {flush: true, at: 3 * time.Second}, {n: 2, u: upAt(2), at: 3 * time.Second}},
			verdicts: "PPP", want: Counts{Datagrams: Sequence{Missing: 1, Late: 1}}},
		{name: "timeout judged by the next datagram",
			steps:    []step{{n: 1, u: upAt(1)}, {n: 3, u: upAt(3)}, {n: 4, u: upAt(4), at: 2 * time.Second}, {n: 2, u: upAt(2), at: 2 * time.Second}},
			verdicts: "PPPP", want: Counts{Datagrams: Sequence{Missing: 1, Late: 1}}},
		{name: "more groups of gaps than marks: settled late, never early", steps: cat(
			[]step{{n: 1, u: upAt(1)}, {n: 3, u: upAt(3), at: 100 * ms}, {n: 5, u: upAt(5), at: 200 * ms},
				{n: 7, u: upAt(7), at: 300 * ms}, {n: 9, u: upAt(9), at: 400 * ms}, {n: 11, u: upAt(11), at: 500 * ms}},
			[]step{{flush: true, at: 2150 * ms}, {n: 4, u: upAt(4), at: 2150 * ms}},  // 2 is final, 4 is not
			[]step{{flush: true, at: 2450 * ms}, {n: 8, u: upAt(8), at: 2450 * ms}}), // 6 is final, 8 merged with 10
			verdicts: "PPPPPPPP", want: Counts{Datagrams: Sequence{Missing: 3, Reordered: 2}}},
		{name: "after the window: missing, then a straggler, late", window: 64,
			steps: cat(dgs(1, 2), dgs(span(4, 100)...), dgs(3, 101)), verdicts: "PP" + strings.Repeat("P", 97) + "PP",
			want: Counts{Datagrams: Sequence{Missing: 1, Late: 1}}},
		{name: "duplicate", steps: dgs(1, 2, 2, 3), verdicts: "PPDP",
			want: Counts{Datagrams: Sequence{Duplicate: 1}}},
		{name: "duplicate of a reordered number", steps: dgs(1, 3, 2, 2, 4), verdicts: "PPPDP",
			want: Counts{Datagrams: Sequence{Reordered: 1, Duplicate: 1}}},
		{name: "restart: uptime went back", steps: cat(dgs(1, 2, 3), []step{{n: 4, u: 500}, {n: 5, u: 510}, {n: 7, u: 530}}),
			verdicts: "PPPPPP", want: Counts{SequenceResets: 1, Datagrams: Sequence{Missing: 1}}},
		{name: "restart: numbers start over inside the window",
			steps:    cat(dgs(1, 2, 3, 4, 5), []step{{n: 1, u: 100}, {n: 2, u: 110}, {n: 3, u: 120}}),
			verdicts: "PPPPPPPP", want: Counts{SequenceResets: 1}},
		{name: "restart: numbers start over far behind",
			steps:    cat(dgs(span(1000, 1010)...), []step{{n: 1, u: 50}, {n: 2, u: 60}, {n: 3, u: 70}}),
			verdicts: strings.Repeat("P", 14), want: Counts{SequenceResets: 1}},
		{name: "restart: numbers start over, uptime went on",
			steps:    cat(dgs(span(1000, 1010)...), []step{{n: 1, u: upAt(1010) + 5000}, {n: 2, u: upAt(1010) + 5010}}),
			verdicts: strings.Repeat("P", 13), want: Counts{SequenceResets: 1}},
		{name: "restart into a gap", steps: cat(dgs(1, 2, 3, 5), []step{{n: 4, u: 50}, {n: 5, u: 60}, {n: 6, u: 70}}),
			verdicts: "PPPPPPP", want: Counts{SequenceResets: 1}},
		{name: "restart: numbers far behind, then a gap", window: 64,
			steps:    cat(dgs(span(1000, 1010)...), []step{{n: 1, u: 50}, {n: 3, u: 70}}),
			verdicts: strings.Repeat("P", 13), want: Counts{SequenceResets: 1, Datagrams: Sequence{Missing: 1}}},
		{name: "sequence_number wraps", steps: []step{{n: top - 1, u: 10}, {n: top, u: 20}, {n: 0, u: 30}, {n: 2, u: 50}, {n: 3, u: 60}},
			verdicts: "PPPPP", want: Counts{Datagrams: Sequence{Missing: 1}}},
		{name: "sequence_number wraps, reordered", steps: []step{{n: top - 1, u: 10}, {n: 0, u: 30}, {n: top, u: 20}, {n: 1, u: 40}},
			verdicts: "PPPP", want: Counts{Datagrams: Sequence{Reordered: 1}}},
		{name: "uptime wraps", steps: []step{{n: 1, u: top - 25}, {n: 2, u: top - 5}, {n: 3, u: 15}, {n: 4, u: 35}},
			verdicts: "PPPP"},
		{name: "two sub-agents kept apart",
			steps: []step{{n: 1, u: 10}, {n: 1, u: 10, sub: 1}, {n: 2, u: 20}, {n: 3, u: 30, sub: 1},
				{n: 3, u: 30}, {n: 4, u: 40, sub: 1}},
			verdicts: "PPPPPP", want: Counts{Datagrams: Sequence{Missing: 1}}},
	}
	runSequenceCases(t, tests, runSteps)
}

// sampleStep is a datagram carrying one sample (or, with flush, a Flush).
type sampleStep struct {
	sample
	n     uint32 // sample sequence_number
	sub   uint32
	reset bool // the datagram restarts the agent (its uptime went back)
	at    time.Duration
	flush bool
}

// samplesOf returns steps for samples of source s numbered ns.
func samplesOf(s sample, ns ...uint32) []sampleStep {
	steps := make([]sampleStep, len(ns))
	for i, n := range ns {
		steps[i] = sampleStep{sample: s, n: n}
	}
	return steps
}

// runSampleSteps accounts the steps, each in a datagram of its own with
// consecutive numbers per sub-agent, and returns the sample verdicts.
func runSampleSteps(a *Accounting, steps []sampleStep) string {
	gens := map[uint32]*agent{}
	var v []byte
	var res Result
	for _, s := range steps {
		if s.flush {
			a.Flush(t0.Add(s.at))
			continue
		}
		if gens[s.sub] == nil || s.reset {
			gens[s.sub] = newAgent("192.0.2.1", s.sub)
		}
		if s.reset {
			gens[s.sub].uptime = 100 // went back: the agent restarted
		}
		g := gens[s.sub]
		g.src(s.kind, s.index).seq = s.n
		a.Account(g.next(s.sample), t0.Add(s.at), &res)
		v = append(v, "PD"[sampleVerdict(&res)])
	}
	return string(v)
}

// sampleVerdict is the verdict of the only sample of a datagram.
func sampleVerdict(r *Result) Verdict {
	switch {
	case len(r.Counters) == 1:
		return r.Counters[0]
	case len(r.Drops) == 1:
		return r.Drops[0].Verdict
	}
	return r.Flows[0].Verdict
}

func TestSampleSequence(t *testing.T) {
	const top = math.MaxUint32
	flow1, flow2 := flowOn(1), flowOn(2)
	tests := []sequenceCase[sampleStep]{
		{name: "planted loss", steps: samplesOf(flow1, 1, 2, 5, 6, 8), verdicts: "PPPPP",
			want: Counts{Samples: Sequence{Missing: 3}}},
		{name: "reordered", steps: samplesOf(flow1, 1, 3, 2, 4), verdicts: "PPPP",
			want: Counts{Samples: Sequence{Reordered: 1}}},
		{name: "duplicate", steps: samplesOf(counterOn(1), 1, 2, 2, 3), verdicts: "PPDP",
			want: Counts{Samples: Sequence{Duplicate: 1}}},
		{name: "late after the timeout",
			steps: []sampleStep{{sample: flow1, n: 1}, {sample: flow1, n: 3}, {flush: true, at: 3 * time.Second},
				{sample: flow1, n: 2, at: 3 * time.Second}},
			verdicts: "PPP", want: Counts{Samples: Sequence{Missing: 1, Late: 1}}},
		{name: "numbers go back more than the window: restart", window: 64,
			steps:    samplesOf(dropOn(1), 1000, 1001, 1002, 1, 2, 4),
			verdicts: "PPPPPP", want: Counts{SequenceResets: 1, Samples: Sequence{Missing: 1}}},
		{name: "an agent restart restarts its sources without loss",
			steps: cat(samplesOf(flow1, 10, 11, 12), []sampleStep{{sample: flow1, n: 1, reset: true}},
				samplesOf(flow1, 2, 3)),
			verdicts: "PPPPPP", want: Counts{SequenceResets: 1}},
		{name: "sources kept apart",
			steps: cat(samplesOf(flow1, 1, 2), samplesOf(flow2, 1, 2), samplesOf(counterOn(1), 1, 2),
				samplesOf(dropOn(1), 1, 2), samplesOf(flow1, 3), samplesOf(counterOn(1), 4)),
			verdicts: "PPPPPPPPPP", want: Counts{Samples: Sequence{Missing: 1}}},
		{name: "two sub-agents kept apart",
			steps: []sampleStep{{sample: flow1, n: 1}, {sample: flow1, n: 1, sub: 1}, {sample: flow1, n: 2},
				{sample: flow1, n: 2, sub: 1}, {sample: flow1, n: 4, sub: 1}},
			verdicts: "PPPPP", want: Counts{Samples: Sequence{Missing: 1}}},
		{name: "sequence_number wraps", steps: samplesOf(flow1, top-1, top, 0, 2), verdicts: "PPPP",
			want: Counts{Samples: Sequence{Missing: 1}}},
	}
	runSequenceCases(t, tests, runSampleSteps)
}

// TestDuplicateDatagramSkipsSamples checks that the samples of a duplicate
// datagram are not accounted: they are duplicates too.
func TestDuplicateDatagramSkipsSamples(t *testing.T) {
	a := newTest(t, nil)
	g := newAgent("192.0.2.1", 0)
	dg := g.next(flowOn(1), counterOn(1), dropOn(1))
	var res Result
	a.Account(dg, t0, &res)
	a.Account(dg, t0, &res)
	want := Result{Verdict: Duplicate, Flows: []SampleResult{{Verdict: Duplicate}},
		Counters: []Verdict{Duplicate}, Drops: []SampleResult{{Verdict: Duplicate}}}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("result of the duplicate (-want +got):\n%s", diff)
	}
	wantCounts(t, a, Counts{Datagrams: Sequence{Duplicate: 1}})
}

// accountAll accounts the datagrams, all received at t0, then makes every
// gap final, and returns how many samples were not processed.
func accountAll(a *Accounting, dgs []*decoded.Datagram) (dropped int) {
	var res Result
	for _, dg := range dgs {
		a.Account(dg, t0, &res)
		for _, f := range res.Flows {
			dropped += int(f.Verdict)
		}
		for _, c := range res.Counters {
			dropped += int(c)
		}
	}
	a.Flush(later)
	return dropped
}

// busyAgent generates n datagrams, each with perDatagram flow samples of
// ifIndex 1 and, every tenth, a counter sample of ifIndex 1.
func busyAgent(g *agent, n, perDatagram int) []*decoded.Datagram {
	dgs := make([]*decoded.Datagram, n)
	for i := range dgs {
		samples := slices.Repeat([]sample{flowOn(1)}, perDatagram)
		if (i+1)%10 == 0 {
			samples = append(samples, counterOn(1))
		}
		dgs[i] = g.next(samples...)
	}
	return dgs
}

// TestRestartFarBehind checks an agent restart after more than
// ReorderWindow datagrams, as a real restart is: the first datagram after
// it is a stray until the next one, and its samples must neither be
// dropped as duplicates of the old numbers nor restart their sources once
// more.
func TestRestartFarBehind(t *testing.T) {
	a := newTest(t, nil)
	g := newAgent("192.0.2.1", 0)
	dgs := busyAgent(g, 300, 1)
	g = newAgent("192.0.2.1", 0) // numbers and uptime start again
	g.uptime = 100
	dgs = append(dgs, g.next(flowOn(1), counterOn(1))) // counter sample 1 was seen before
	dgs = append(dgs, busyAgent(g, 20, 1)...)
	accountNoneDropped(t, a, dgs)
	wantCounts(t, a, Counts{SequenceResets: 1})
}

// accountNoneDropped accounts the datagrams as accountAll does, and fails
// the test if a sample is not processed.
func accountNoneDropped(t *testing.T, a *Accounting, dgs []*decoded.Datagram) {
	t.Helper()
	if dropped := accountAll(a, dgs); dropped != 0 {
		t.Errorf("%d samples dropped, want none", dropped)
	}
}

// holdUp moves datagram i of dgs (from 0) to after datagram j.
func holdUp(dgs []*decoded.Datagram, i, j int) []*decoded.Datagram {
	held := dgs[i]
	return slices.Insert(slices.Delete(dgs, i, i+1), j, held)
}

// TestHeldUpFarBehind checks a datagram held up by more than ReorderWindow
// datagrams: once the next datagram shows it was no restart, it is late,
// and so are its samples, placed in their sources then.
func TestHeldUpFarBehind(t *testing.T) {
	a := newTest(t, nil)
	dgs := busyAgent(newAgent("192.0.2.1", 0), 310, 1)
	accountNoneDropped(t, a, holdUp(dgs, 4, 299)) // datagram 5 after datagram 300
	wantCounts(t, a, Counts{Datagrams: Sequence{Missing: 1, Late: 1}, Samples: Sequence{Missing: 1, Late: 1}})
}

// TestLateDatagramOldSamples checks a datagram that comes 50 datagrams
// late, inside the datagram window, whose samples of a busy source (7 per
// datagram) are more than ReorderWindow behind their source: they are
// late, not a restart of the source.
func TestLateDatagramOldSamples(t *testing.T) {
	a := newTest(t, nil)
	dgs := busyAgent(newAgent("192.0.2.1", 0), 100, 7)
	accountNoneDropped(t, a, holdUp(dgs, 19, 69)) // datagram 20 after datagram 70
	// Its counter sample (every tenth datagram has one) is only 5 numbers
	// behind in its source: reordered.
	wantCounts(t, a, Counts{Datagrams: Sequence{Reordered: 1}, Samples: Sequence{Missing: 7, Late: 7, Reordered: 1}})
}
