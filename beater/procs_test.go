package beater

import (
	"testing"
	"time"

	"github.com/elastic/elastic-agent-libs/logp"
	"github.com/elastic/elastic-agent-libs/monitoring"
)

// loads returns n intervals of the same load.
func loads(n int, used float64) []float64 {
	l := make([]float64, n)
	for i := range l {
		l[i] = used
	}
	return l
}

// steps runs p over the loads and returns the Ps after each.
func steps(p *procsPolicy, loads []float64) []int {
	out := make([]int, len(loads))
	for i, u := range loads {
		out[i] = p.next(u)
	}
	return out
}

func TestProcsPolicy(t *testing.T) {
	moderate, heavy := lowerBelow-0.2, raiseAbove+0.05
	t.Run("a moderate load moves to one P after calmIntervals", func(t *testing.T) {
		got := steps(newProcsPolicy(4), loads(calmIntervals, moderate))
		for i, n := range got[:calmIntervals-1] {
			if n != 4 {
				t.Fatalf("interval %d: %d Ps before the load was calm for long enough", i, n)
			}
		}
		if got[calmIntervals-1] != 1 {
			t.Errorf("after %d calm intervals: %d Ps, want 1", calmIntervals, got[calmIntervals-1])
		}
	})
	t.Run("a load at lowerBelow or an idle beat stays on every P", func(t *testing.T) {
		for _, used := range []float64{lowerBelow, 1.5, 0, idleBelow / 2} {
			p := newProcsPolicy(2)
			if got := steps(p, loads(10*calmIntervals, used)); got[len(got)-1] != 2 {
				t.Errorf("load %.3f: %d Ps, want 2", used, got[len(got)-1])
			}
		}
	})
	t.Run("the load on every P is judged on its mean over the window", func(t *testing.T) {
		// Intervals on either side of lowerBelow, as a load near it swings.
		swinging := func(lo, hi float64) []float64 {
			l := make([]float64, 4*calmIntervals)
			for i := range l {
				l[i] = []float64{lo, hi}[i%2]
			}
			return l
		}
		got := steps(newProcsPolicy(2), swinging(lowerBelow-0.1, lowerBelow+0.05))
		if got[calmIntervals-2] != 2 || got[calmIntervals-1] != 1 {
			t.Errorf("a mean 0.025 below lowerBelow, every other interval above it: %v, want one P after %d intervals", got, calmIntervals)
		}
		if got := steps(newProcsPolicy(2), swinging(lowerBelow-0.05, lowerBelow+0.1)); got[len(got)-1] != 2 {
			t.Errorf("a mean 0.025 above lowerBelow: %d Ps, want 2", got[len(got)-1])
		}
	})
	t.Run("one idle interval starts the calm over", func(t *testing.T) {
		l := append(loads(calmIntervals-1, moderate), 0)
		l = append(l, loads(calmIntervals-1, moderate)...)
		got := steps(newProcsPolicy(2), l)
		if got[len(got)-1] != 2 {
			t.Errorf("%d Ps after an idle interval and %d calm ones, want 2", got[len(got)-1], calmIntervals-1)
		}
		if n := steps(newProcsPolicy(2), append(l, moderate))[len(l)]; n != 1 {
			t.Errorf("%d Ps after an idle interval and %d calm ones, want 1", n, calmIntervals)
		}
	})
	t.Run("one P gives every P back when the load of the last second is heavy", func(t *testing.T) {
		p := newProcsPolicy(8)
		steps(p, loads(calmIntervals, moderate))
		if got := steps(p, loads(raiseWindow-1, 2*heavy)); got[raiseWindow-2] != 1 {
			t.Errorf("%d heavy intervals right after the move to one P: %d Ps, want 1 until a whole window was seen", raiseWindow-1, got[raiseWindow-2])
		}
		if n := p.next(2 * heavy); n != 8 {
			t.Errorf("a heavy window on one P: %d Ps, want the ceiling, 8", n)
		}
	})
	t.Run("a spike on one P is averaged out, a load below raiseAbove stays", func(t *testing.T) {
		p := newProcsPolicy(2)
		steps(p, loads(calmIntervals, moderate))
		if got := steps(p, loads(2*raiseWindow, raiseAbove-0.01)); got[len(got)-1] != 1 {
			t.Errorf("a load just below raiseAbove on one P: %d Ps, want 1", got[len(got)-1])
		}
		steps(p, loads(raiseWindow, 0.5))
		if n := p.next(1.2); n != 1 {
			t.Errorf("one interval at 1.2 cores among 0.5: %d Ps, want 1", n)
		}
		if got := steps(p, loads(raiseWindow, heavy)); got[raiseWindow-1] != 2 {
			t.Errorf("a window above raiseAbove on one P: %d Ps, want 2", got[raiseWindow-1])
		}
	})
	t.Run("a flap doubles the wait, up to its bound", func(t *testing.T) {
		p := newProcsPolicy(2)
		want := calmIntervals
		for range 10 {
			if got := steps(p, loads(want, moderate)); got[want-2] != 2 || got[want-1] != 1 {
				t.Fatalf("wait %d: moved to one P at the wrong interval: %v", want, got)
			}
			steps(p, loads(raiseWindow, heavy)) // back within wait: a flap
			want = min(2*want, maxCalmIntervals)
			if p.wait != want {
				t.Fatalf("wait after a flap: %d, want %d", p.wait, want)
			}
		}
	})
	t.Run("a raise long after the move to one P is no flap", func(t *testing.T) {
		p := newProcsPolicy(2)
		steps(p, loads(calmIntervals, moderate))
		steps(p, loads(calmIntervals+1, moderate))
		if got := steps(p, loads(raiseWindow, heavy)); got[raiseWindow-1] != 2 {
			t.Fatalf("%d Ps after a heavy window, want 2", got[raiseWindow-1])
		}
		if p.wait != calmIntervals {
			t.Errorf("wait %d after a raise %d intervals after lowering, want %d", p.wait, calmIntervals+1+raiseWindow, calmIntervals)
		}
	})
	t.Run("one P held for longer than the wait sets it back", func(t *testing.T) {
		p := newProcsPolicy(2)
		for range 3 { // three flaps: the wait is 8 times calmIntervals
			steps(p, loads(p.wait, moderate))
			steps(p, loads(raiseWindow, heavy))
		}
		if p.wait != 8*calmIntervals {
			t.Fatalf("wait %d after three flaps, want %d", p.wait, 8*calmIntervals)
		}
		steps(p, loads(p.wait, moderate))
		steps(p, loads(p.wait+1, moderate))
		if got := steps(p, loads(raiseWindow, heavy)); got[raiseWindow-1] != 2 {
			t.Fatalf("%d Ps after a heavy window, want 2", got[raiseWindow-1])
		}
		if p.wait != calmIntervals {
			t.Errorf("wait %d after one P was held for longer than it, want %d", p.wait, calmIntervals)
		}
	})
}

// fakeRuntime is the controller's runtime: a CPU clock the test moves and
// GOMAXPROCS. read receives after each reading of the CPU clock, so that
// the test moves it only once the controller has read it.
type fakeRuntime struct {
	cpu   time.Duration
	procs int
	sets  []int
	read  chan struct{}
}

func (f *fakeRuntime) readCPU() (time.Duration, bool) {
	t := f.cpu
	if f.read != nil {
		f.read <- struct{}{}
	}
	return t, true
}

func (f *fakeRuntime) set(n int) int {
	was := f.procs
	f.procs = n
	f.sets = append(f.sets, n)
	return was
}

func TestProcsController(t *testing.T) {
	rt := &fakeRuntime{procs: 2, read: make(chan struct{})}
	reg := monitoring.NewRegistry()
	c := &procsController{policy: newProcsPolicy(2), cpu: rt.readCPU, set: rt.set, gauge: procsGauge(reg), log: logp.NewNopLogger()}
	ticks, done, stopped := make(chan time.Time), make(chan struct{}), make(chan struct{})
	go func() {
		c.run(ticks, done)
		close(stopped)
	}()
	// Each tick is one interval after the last (the first one, after the
	// controller's start), with `used` cores used.
	<-rt.read // the controller's first reading, at its start
	at := time.Now()
	tick := func(used float64) {
		at = at.Add(procsInterval)
		rt.cpu += time.Duration(used * float64(procsInterval))
		ticks <- at
		<-rt.read
	}
	for range calmIntervals + raiseWindow - 1 {
		tick(0.5)
	}
	tick(float64(raiseWindow) * raiseAbove) // takes the window's mean above raiseAbove
	close(done)
	<-stopped
	if want := []int{1, 2}; len(rt.sets) != 2 || rt.sets[0] != want[0] || rt.sets[1] != want[1] {
		t.Errorf("GOMAXPROCS set to %v, want %v: one P after the calm, every P at the heavy window", rt.sets, want)
	}
	if g := reg.Get("sflowbeat.procs"); g == nil || g.(*monitoring.Uint).Get() != 2 {
		t.Errorf("gauge sflowbeat.procs: %v, want 2", g)
	}
	if g := procsGauge(reg); g != reg.Get("sflowbeat.procs") {
		t.Error("a second controller on the same registry has another gauge")
	}
}

func TestProcsControllerGivesBackTheCeiling(t *testing.T) {
	rt := &fakeRuntime{procs: 1}
	c := &procsController{policy: newProcsPolicy(3), cpu: rt.readCPU, set: rt.set, gauge: procsGauge(monitoring.NewRegistry()), log: logp.NewNopLogger()}
	c.policy.procs = 1 // it had moved to one P
	done := make(chan struct{})
	close(done)
	c.run(nil, done)
	if rt.procs != 3 {
		t.Errorf("GOMAXPROCS %d after the controller stopped, want the ceiling 3", rt.procs)
	}
}

func TestProcessCPU(t *testing.T) {
	before, ok := processCPU()
	if !ok {
		t.Skip("no process CPU time on this system: the controller stays off")
	}
	for start := time.Now(); time.Since(start) < 50*time.Millisecond; {
	}
	after, _ := processCPU()
	if d := after - before; d < 20*time.Millisecond || d > time.Second {
		t.Errorf("50 ms of busy loop took %v of process CPU", d)
	}
}
