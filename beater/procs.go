package beater

import (
	"runtime"
	"time"

	"github.com/elastic/elastic-agent-libs/logp"
	"github.com/elastic/elastic-agent-libs/monitoring"
)

// The thresholds of procsPolicy, in cores of CPU used by the process over
// one interval.
//
// On more than one P, libbeat's memory queue costs more than its work: it
// takes events one Publish at a time, and each hand-over between the
// publishing decoder and the queue's goroutine wakes an idle P's thread
// (futex, spinning, findRunnable). Measured with loadbench at 45,000
// samples/s on 2 cores, that is 13 to 23% of sflowbeat's CPU. On one P
// there is no idle P to wake.
const (
	// raiseAbove: on one P, a load above this over the last raiseWindow
	// intervals gets every P back. One P carried 0.86 cores (90,000
	// samples/s, preset: throughput) without loss.
	raiseAbove = 0.85
	// raiseWindow is how many intervals the load is averaged over on one P
	// (1 s): a quarter of a second swings with the output's bulk requests
	// and garbage collection; a load that outgrows one P shows within it.
	raiseWindow = 4
	// lowerBelow: on every P, a mean load below this over the last
	// calmIntervals moves to one P. On one P the same load takes 13 to 23%
	// less (loadbench, 45,000 samples/s on 2 cores), so it lands at 0.69
	// to 0.78 cores: below raiseAbove. It is a mean, not a bound on every
	// interval: at 0.84 cores on two Ps, an interval at 0.85 or more came
	// every few seconds, and the move to one P took 27 s, or never came
	// in a run, which then cost 20% more.
	lowerBelow = 0.9
	// idleBelow: a load below this is no load: it starts the calm over, so
	// that an idle beat, which has nothing to spare, meets the first load
	// on every P.
	idleBelow = 0.05
	// calmIntervals is the window the load is averaged over on every P,
	// and the least time before sflowbeat moves to one P: 5 s.
	calmIntervals = 20
	// maxCalmIntervals bounds calm after flapping (see procsPolicy.next):
	// about 10 minutes.
	maxCalmIntervals = 2560
	// procsInterval is how often the load is measured.
	procsInterval = 250 * time.Millisecond
)

// procsPolicy decides how many Ps (GOMAXPROCS) sflowbeat runs on: one
// while one is enough, else the ceiling (max_procs, or the runtime's
// default: the cores the process may use).
type procsPolicy struct {
	ceiling  int                    // never more: max_procs is a maximum
	procs    int                    // now
	busy     int                    // intervals in a row not idle, on the ceiling
	window   [calmIntervals]float64 // their last loads, at busy % calmIntervals
	calm     int                    // intervals in a row whose window's mean is below lowerBelow
	wait     int                    // intervals the load must be calm to lower: doubles after each flap
	sinceLow int                    // intervals since the last move to one P
	recent   [raiseWindow]float64   // the last loads on one P, at sinceLow % raiseWindow
}

// newProcsPolicy starts on the ceiling.
func newProcsPolicy(ceiling int) *procsPolicy {
	return &procsPolicy{ceiling: ceiling, procs: ceiling, wait: calmIntervals}
}

// next returns the Ps to run on after an interval in which the process
// used `used` cores. On the ceiling, the load is calm while the mean of
// the last calmIntervals is below lowerBelow, none of them idle; once it
// has been calm over `wait` intervals (the window's own included),
// sflowbeat moves to one P. A load that needs every P again within `wait`
// intervals of that doubles `wait`, up to maxCalmIntervals, so that a
// load the thresholds misjudge does not flap; one that needs them later
// sets it back to calmIntervals.
func (p *procsPolicy) next(used float64) int {
	if p.procs == 1 {
		p.recent[p.sinceLow%raiseWindow] = used
		p.sinceLow++
		if p.sinceLow >= raiseWindow && mean(p.recent[:]) > raiseAbove {
			if p.sinceLow <= p.wait {
				p.wait = min(2*p.wait, maxCalmIntervals)
			} else {
				p.wait = calmIntervals // one P held for longer than the wait: the flaps are behind
			}
			p.procs = p.ceiling
		}
		return p.procs
	}
	if used < idleBelow {
		p.busy, p.calm = 0, 0
		return p.procs
	}
	p.window[p.busy%calmIntervals] = used
	p.busy++
	if p.busy >= calmIntervals && mean(p.window[:]) < lowerBelow {
		p.calm++
	} else {
		p.calm = 0
	}
	if p.calm > 0 && p.calm+calmIntervals-1 >= p.wait { // calm over wait intervals, its first window included
		p.procs, p.busy, p.calm, p.sinceLow = 1, 0, 0, 0
	}
	return p.procs
}

// mean is the mean of loads.
func mean(loads []float64) float64 {
	sum := 0.0
	for _, u := range loads {
		sum += u
	}
	return sum / float64(len(loads))
}

// procsController applies procsPolicy to the runtime, once per interval,
// from the CPU time the process used.
type procsController struct {
	policy *procsPolicy
	cpu    func() (time.Duration, bool) // CPU time of the process so far
	set    func(int) int                // runtime.GOMAXPROCS, called on a change
	gauge  *monitoring.Uint             // sflowbeat.procs
	log    *logp.Logger
}

// startProcs runs the controller until done is closed, then gives back
// the ceiling. It does nothing when the ceiling is one P or the process
// CPU time cannot be read on this system. The ceiling is GOMAXPROCS at
// start: once the controller has set it, the Go runtime no longer follows
// changes of a container's CPU limit by itself.
func startProcs(reg *monitoring.Registry, log *logp.Logger, done <-chan struct{}) {
	ceiling := runtime.GOMAXPROCS(0)
	if _, ok := processCPU(); !ok || ceiling <= 1 {
		return
	}
	c := &procsController{policy: newProcsPolicy(ceiling), cpu: processCPU, set: runtime.GOMAXPROCS,
		gauge: procsGauge(reg), log: log}
	c.gauge.Set(uint64(ceiling))
	ticks := time.NewTicker(procsInterval)
	go func() {
		defer ticks.Stop()
		c.run(ticks.C, done)
	}()
}

// procsGauge returns the gauge sflowbeat.procs of reg (the beat's stats).
func procsGauge(reg *monitoring.Registry) *monitoring.Uint {
	reg = reg.GetOrCreateRegistry("sflowbeat")
	if g, ok := reg.Get("procs").(*monitoring.Uint); ok {
		return g
	}
	return monitoring.NewUint(reg, "procs")
}

// run measures the load at every tick and applies the policy.
func (c *procsController) run(ticks <-chan time.Time, done <-chan struct{}) {
	last, _ := c.cpu()
	lastAt := time.Now()
	defer func() { c.apply(c.policy.procs, c.policy.ceiling, 0) }()
	for {
		select {
		case <-done:
			return
		case now := <-ticks:
			if !now.After(lastAt) {
				continue
			}
			t, _ := c.cpu()
			used := float64(t-last) / float64(now.Sub(lastAt))
			last, lastAt = t, now
			was := c.policy.procs
			c.apply(was, c.policy.next(used), used)
		}
	}
}

// apply sets GOMAXPROCS when the policy changes it, and logs why.
func (c *procsController) apply(was, procs int, used float64) {
	if procs != was {
		c.set(procs)
		c.gauge.Set(uint64(procs))
		c.log.Infow("the number of Ps (GOMAXPROCS) follows the load: one while one is enough, to spare the memory queue's hand-overs",
			"procs", procs, "was", was, "cpu_cores_used", used)
	}
}
