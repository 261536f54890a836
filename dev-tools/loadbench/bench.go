package main

import (
	"fmt"
	"maps"
	"net"
	"os"
	"time"

	"github.com/sflowbeat/sflowbeat/tests/esmock"
	"github.com/sflowbeat/sflowbeat/tests/replay"
)

// side is one of the systems measured: sflowbeat, or the chain it replaces.
type side interface {
	// info names the side in the report.
	info() sideInfo
	// start starts the side's processes, with their files in dir,
	// publishing to the sink at esURL; it returns the UDP address they
	// receive sFlow on.
	start(dir, esURL string) (addr string, err error)
	// procs are the processes whose CPU and memory are measured.
	procs() []*proc
	// expected returns the documents the sink should receive for the
	// samples and the flow samples sent.
	expected(samples, flows int64) int64
	// counters returns the side's counters of where data is lost, so far.
	counters() map[string]int64
	// stop stops the processes that were started.
	stop()
}

// sideInfo names a side in the report.
type sideInfo struct {
	name   string // sideSflowbeat, sideBaseline or sideChain
	config string // its settings
	counts string // what it delivers and loss is counted over: events or flows
}

// The names of the sides.
const (
	sideSflowbeat = "sflowbeat"
	sideBaseline  = "baseline" // -baseline: another sflowbeat binary
	sideChain     = "chain"
)

// The longest waits: for the first document during the warm-up (Filebeat
// finds a new file at its next scan, every 10 s, and its queue flushes
// after 10 s), and for a side to drain after sending.
const (
	warmUpMax = 90 * time.Second
	drainMax  = 10 * time.Minute
)

// measure runs one side at one rate and returns its row of the report.
func measure(s side, dgs []replay.Datagram, rate int, o options) (row, error) {
	sink := esmock.StartCounting()
	defer sink.Close()
	dir, err := os.MkdirTemp("", "loadbench")
	if err != nil {
		return row{}, err
	}
	defer os.RemoveAll(dir)
	defer s.stop()
	addr, err := s.start(dir, sink.URL)
	if err != nil {
		return row{}, err
	}
	if err := warmUp(s, sink, addr, dgs, o.settle); err != nil {
		return row{}, err
	}
	base, cpu0, counters0 := sink.Count(), cpuTimes(s.procs()), s.counters()
	_, n, err := replay.Send(addr, dgs, rate, o.duration)
	if err != nil {
		return row{}, err
	}
	sent, want := time.Now(), s.expected(replay.Totals(dgs, n))
	delivered, last := waitSettled(func() int64 { return sink.Count() - base }, want, o.settle)
	r := newRow(s.info(), want, delivered, stats(s.procs(), cpu0))
	r.Drain = max(0, last.Sub(sent).Seconds())
	r.Counters = diff(s.counters(), counters0)
	return r, nil
}

// warmUp sends a datagram every 100 ms until documents reach the sink,
// then waits until the sink has all of them: the measured run starts with
// connections open, templates loaded and GoFlow2's file being read.
func warmUp(s side, sink *esmock.Server, addr string, dgs []replay.Datagram, settle time.Duration) error {
	conn, err := net.Dial("udp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	var n int64
	for deadline := time.Now().Add(warmUpMax); sink.Count() == 0; n++ {
		if time.Now().After(deadline) {
			return fmt.Errorf("%s: nothing reached the sink within %s", s.info().name, warmUpMax)
		}
		if err := exited(s.procs()); err != nil {
			return err
		}
		if _, err := conn.Write(dgs[n%int64(len(dgs))].Payload); err != nil {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
	waitSettled(sink.Count, s.expected(replay.Totals(dgs, n)), settle)
	return nil
}

// waitSettled waits until count reaches want, or has not moved for stall
// (longer than libbeat's queue flush timeout, and than Filebeat's wait at
// the end of a file), or drainMax has passed; it returns the last count
// and when it was reached.
func waitSettled(count func() int64, want int64, stall time.Duration) (int64, time.Time) {
	last, since := count(), time.Now()
	for deadline := time.Now().Add(drainMax); last < want && time.Now().Before(deadline); {
		time.Sleep(200 * time.Millisecond)
		if c := count(); c != last {
			last, since = c, time.Now()
		} else if time.Since(since) > stall {
			break
		}
	}
	return last, since
}

// exited returns the error of the first of procs that has exited.
func exited(procs []*proc) error {
	for _, p := range procs {
		if err := p.exited(); err != nil {
			return err
		}
	}
	return nil
}

// cpuTimes returns the CPU time of each process so far.
func cpuTimes(procs []*proc) []time.Duration {
	out := make([]time.Duration, len(procs))
	for i, p := range procs {
		out[i] = p.cpu()
	}
	return out
}

// stats returns the CPU time of each process since cpu0, and its peak
// resident memory.
func stats(procs []*proc, cpu0 []time.Duration) []procStat {
	out := make([]procStat, len(procs))
	for i, p := range procs {
		out[i] = procStat{Name: p.name, CPU: (p.cpu() - cpu0[i]).Seconds(), PeakRSSMB: float64(p.peakRSS()) / (1 << 20)}
	}
	return out
}

// diff returns now minus before, counter by counter.
func diff(now, before map[string]int64) map[string]int64 {
	out := maps.Clone(now)
	for k, v := range before {
		out[k] -= v
	}
	return out
}
