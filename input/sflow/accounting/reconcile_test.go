package accounting

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// reconcileCase describes the traffic of interface 7 over a few counter
// intervals.
type reconcileCase struct {
	name         string
	egress       bool
	extra        uint64 // octets per interval the interface counts beyond the sampled traffic
	lossEvery    int    // one flow sample number in lossEvery is lost (its traffic is counted)
	resetAt      int    // interval whose counter sample goes down (a reset); 0 none
	compensation bool
	tolerance    float64 // relative error allowed on FlowBytes and Ratio
}

const (
	recIf        = 7
	perInterval  = 10 // flow sample numbers per counter interval
	intervals    = 6
	warmupFlows  = 200 // before the first counter sample: fills the compensation window
	compWindow   = 64
	recAgentAddr = "192.0.2.1"
)

// run generates the traffic of c into a and returns the reconciliation
// the test expects, computed from what it generated.
func (c *reconcileCase) run(a *Accounting) Reconciliation {
	g := newAgent(recAgentAddr, 0)
	g.egress = c.egress
	factor, n := 1.0, 0
	if c.compensation {
		factor = float64(c.lossEvery) / float64(c.lossEvery-1)
	}
	flows := func(k int) (received uint64) {
		for range k {
			if n++; c.lossEvery > 0 && n%c.lossEvery == 0 {
				g.skip(kindFlow, recIf, 1)
				continue
			}
			feed(a, t0, g.next(flowOn(recIf)))
			received++
		}
		return received
	}
	flows(warmupFlows)
	feed(a, t0, g.next(counterOn(recIf))) // the base
	want := Reconciliation{Exporter: Exporter{Agent: g.addr}, IfIndex: recIf, Direction: Ingress}
	if c.egress {
		want.Direction = Egress
	}
	for i := 1; i <= intervals; i++ {
		before := *g.octets(recIf)
		received := flows(perInterval)
		*g.octets(recIf) += c.extra
		delta := *g.octets(recIf) - before
		if i == c.resetAt {
			*g.octets(recIf) = 1000
		}
		feed(a, t0, g.next(counterOn(recIf)))
		if i != c.resetAt {
			want.FlowBytes += float64(received*g.bytesPerSample()) * factor
			want.CounterOctets += delta
			want.FlowSamples += received
			want.CounterSamples++
		}
	}
	want.Ratio = want.FlowBytes / float64(want.CounterOctets)
	return want
}

func TestReconcile(t *testing.T) {
	tests := []reconcileCase{
		{name: "ingress, counters agree"},
		{name: "ingress, the interface counts 25% more", extra: perInterval * 100 * 1000 / 4},
		{name: "egress sampling uses ifOutOctets", egress: true, extra: 12345},
		{name: "a counter reset skips its interval", resetAt: 3},
		{name: "lost samples, not compensated", lossEvery: 5},
		{name: "lost samples, compensated", lossEvery: 5, compensation: true, tolerance: 0.02},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newTest(t, func(c *Config) {
				c.LossCompensation, c.CompensationWindow = tt.compensation, compWindow
			})
			want := tt.run(a)
			got := a.Reconcile()
			if diff := cmp.Diff([]Reconciliation{want}, got, cmpopts.EquateApprox(tt.tolerance, 1e-9), equateAddr); diff != "" {
				t.Errorf("reconciliation (-want +got):\n%s", diff)
			}
			if again := a.Reconcile(); len(again) != 0 {
				t.Errorf("a second period without counter samples reports %+v", again)
			}
		})
	}
}

// TestReconcilePeriods checks that a period reports only its own intervals,
// and that the flows after the last counter sample wait for the next one.
func TestReconcilePeriods(t *testing.T) {
	a := newTest(t, nil)
	g := newAgent(recAgentAddr, 0)
	feed(a, t0, g.next(flowOn(recIf)), g.next(counterOn(recIf)), g.next(flowOn(recIf)), g.next(counterOn(recIf)),
		g.next(flowOn(recIf)), g.next(flowOn(recIf)))
	first := a.Reconcile()
	feed(a, t0, g.next(flowOn(recIf)), g.next(counterOn(recIf)))
	second := a.Reconcile()
	bytes := float64(g.bytesPerSample())
	row := func(samples uint64) []Reconciliation {
		return []Reconciliation{{Exporter: Exporter{Agent: g.addr}, IfIndex: recIf, FlowBytes: float64(samples) * bytes,
			CounterOctets: samples * g.bytesPerSample(), Ratio: 1, FlowSamples: samples, CounterSamples: 1}}
	}
	if diff := cmp.Diff(row(1), first, equateAddr); diff != "" {
		t.Errorf("first period (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(row(3), second, equateAddr); diff != "" {
		t.Errorf("second period (-want +got):\n%s", diff)
	}
}

// TestReconcileScope checks what is not reconciled: an interface with
// counters and no flow samples, flow samples that neither came in nor
// went out of their data source's interface, and flow samples without a
// rate.
func TestReconcileScope(t *testing.T) {
	a := newTest(t, nil)
	g := newAgent(recAgentAddr, 0)
	through := g.next(flowOn(recIf))
	through.FlowSamples[0].Input.Value, through.FlowSamples[0].Output.Value = 3, 4
	g.rate = 0
	feed(a, t0, g.next(counterOn(9)), through, g.next(flowOn(8)), g.next(counterOn(recIf)), g.next(counterOn(8)),
		g.next(counterOn(9)), g.next(flowOn(8)), g.next(counterOn(recIf)), g.next(counterOn(8)))
	if got := a.Reconcile(); len(got) != 0 {
		t.Errorf("reconciled %+v, want nothing", got)
	}
}

func TestDirectionNames(t *testing.T) {
	if got := []string{Ingress.String(), Egress.String(), Direction(5).String()}; !cmp.Equal(got,
		[]string{"ingress", "egress", "Direction(5)"}) {
		t.Errorf("names = %q", got)
	}
}
