package accounting

import (
	"math"
	"math/rand/v2"
	"testing"
)

// compensated accounts n sample numbers of flow data source 1, one per
// datagram, losing those for which lost says so, and returns the factor of
// every received sample.
func compensated(a *Accounting, g *agent, n int, lost func(i int) bool) []float64 {
	var fs []float64
	var res Result
	for i := range n {
		if lost(i) {
			g.skip(kindFlow, 1, 1)
			continue
		}
		a.Account(g.next(flowOn(1)), t0, &res)
		fs = append(fs, res.Flows[0].Factor)
	}
	return fs
}

func TestCompensation(t *testing.T) {
	const window = 64
	tests := []struct {
		name      string
		lost      func(i int) bool
		override  uint32  // rate of an override rule; 0 none
		maxFactor float64 // 0: 100
		want      float64 // factor: sample numbers per received sample
		capped    bool
	}{
		{name: "no loss", lost: func(int) bool { return false }, want: 1},
		{name: "1 sample in 5 lost", lost: func(i int) bool { return i%5 == 4 }, want: 5.0 / 4},
		{name: "1 sample in 3 lost", lost: func(i int) bool { return i%3 == 2 }, want: 3.0 / 2},
		{name: "rate overridden above the agent's: never below 1", lost: func(int) bool { return false },
			override: 200, want: 1},
		{name: "capped", lost: func(i int) bool { return i%20 != 0 }, maxFactor: 8, want: 8, capped: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newTest(t, func(c *Config) {
				c.LossCompensation, c.CompensationWindow = true, window
				if tt.maxFactor != 0 {
					c.MaxFactor = tt.maxFactor
				}
				if tt.override != 0 {
					c.Rates = []RateRule{rule(ModeOverride, tt.override, "0.0.0.0/0")}
				}
			})
			fs := compensated(a, newAgent("192.0.2.1", 0), 6000, tt.lost)
			// The first sample has no pool growth; then the window fills.
			for i, f := range fs[:window] {
				if f != 1 {
					t.Fatalf("factor of sample %d = %v before the window is full, want 1", i, f)
				}
			}
			for i, f := range fs[2*window:] {
				if math.Abs(f/tt.want-1) > 0.02 {
					t.Fatalf("factor of sample %d = %v, want %v within 2%%", 2*window+i, f, tt.want)
				}
			}
			// With whole buckets the estimate is exact: samples 1+8k.
			if last := fs[len(fs)-1-(len(fs)-1)%8]; math.Abs(last-tt.want) > 1e-12 {
				t.Errorf("factor with whole buckets = %v, want %v", last, tt.want)
			}
			if got := a.Stats().FactorsCapped.Load(); (got > 0) != tt.capped {
				t.Errorf("factors capped: %d, want some: %v", got, tt.capped)
			}
		})
	}
}

// TestCompensationDatagramLoss checks that the samples of lost datagrams
// count as lost: one datagram in 4 lost gives 4/3.
func TestCompensationDatagramLoss(t *testing.T) {
	a := newTest(t, func(c *Config) { c.LossCompensation, c.CompensationWindow = true, 96 })
	g := newAgent("192.0.2.1", 0)
	var res Result
	var f float64
	for i := range 1000 {
		dg := g.next(flowOn(1))
		if i%4 == 3 {
			continue
		}
		a.Account(dg, t0, &res)
		f = res.Flows[0].Factor
	}
	if want := 4.0 / 3; math.Abs(f/want-1) > 0.02 {
		t.Errorf("factor = %v, want %v", f, want)
	}
}

// TestCompensationRandomSampling documents the noise of the estimate: an
// agent that samples at random (geometric skips of mean rate) loses
// nothing, yet the factor of a window of 1024 samples strays above 1 (it
// is never below): by 0.4/sqrt(1024) = 1.2% on average in theory, about 2%
// with this seed.
func TestCompensationRandomSampling(t *testing.T) {
	a := newTest(t, func(c *Config) { c.LossCompensation = true })
	g := newAgent("192.0.2.1", 0)
	rng := rand.New(rand.NewPCG(5, 6))
	p := math.Log(1 - 1/float64(g.rate))
	var res Result
	var sum float64
	var n int
	for i := range 40_000 {
		skip := uint32(max(1, math.Ceil(math.Log(1-rng.Float64())/p))) // geometric, mean rate
		g.src(kindFlow, 1).pool += skip - g.rate
		a.Account(g.next(flowOn(1)), t0, &res)
		if f := res.Flows[0].Factor; i >= 2048 {
			sum, n = sum+f, n+1
			if f < 1 || f > 1.15 {
				t.Fatalf("factor of sample %d = %v, want 1 to 1.15", i, f)
			}
		}
	}
	mean := sum / float64(n)
	t.Logf("mean factor without loss: %.4f", mean)
	if mean > 1.03 {
		t.Errorf("mean factor without loss = %v, want at most 1.03", mean)
	}
}
