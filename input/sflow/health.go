package sflow

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/elastic/beats/v7/libbeat/management/status"
)

// SetStatusReporter implements status.WithStatusReporter: under Elastic
// Agent, libbeat gives each input the reporter of its stream before Start,
// and the input reports HEALTHY while it listens and publishes, DEGRADED
// while datagrams are dropped, denied, invalid or lost on the way in, and
// STOPPED when it has stopped. (A port that cannot be bound fails Create, which Agent sees as
// a FAILED unit.)
func (in *Input) SetStatusReporter(r status.StatusReporter) {
	in.health = &health{r: r, m: in.m, period: in.cfg.StatusPeriod, addr: in.Addr().String(), done: make(chan struct{}),
		noCounters: !in.cfg.DataStream.CountersEnabled()}
}

// health evaluates and reports the state of one input every period.
type health struct {
	r      status.StatusReporter
	m      *metrics
	period time.Duration // 0: report only start and stop
	addr   string
	// noCounters: counter events are dropped (the policy has no counters
	// stream); HEALTHY says so.
	noCounters bool
	last       losses
	done       chan struct{}
	wg         sync.WaitGroup
}

// losses are the counters whose increase makes an input DEGRADED.
type losses struct {
	kernel, dropped, denied, invalid uint64
	missing                          uint64 // datagrams lost on the way in (sequence numbers never received)
}

// start reports HEALTHY and starts the periodic evaluation.
func (h *health) start() {
	h.last = h.read()
	h.r.UpdateStatus(status.Running, h.healthy())
	if h.period <= 0 {
		return
	}
	h.wg.Add(1)
	go h.loop()
}

// loop evaluates the state every period until stop.
func (h *health) loop() {
	defer h.wg.Done()
	t := time.NewTicker(h.period)
	defer t.Stop()
	for {
		select {
		case <-h.done:
			return
		case <-t.C:
			h.check()
		}
	}
}

// check reports DEGRADED when losses grew during the last period, and
// HEALTHY otherwise.
func (h *health) check() {
	now := h.read()
	msg := now.since(h.last).describe(h.period)
	h.last = now
	if msg != "" {
		h.r.UpdateStatus(status.Degraded, msg)
		return
	}
	h.r.UpdateStatus(status.Running, h.healthy())
}

// stopping ends the evaluation and reports STOPPING.
func (h *health) stopping() {
	close(h.done)
	h.wg.Wait()
	h.r.UpdateStatus(status.Stopping, "stopping: publishing what was received")
}

// stopped reports STOPPED.
func (h *health) stopped() {
	h.r.UpdateStatus(status.Stopped, "stopped")
}

// healthy is the message of the HEALTHY state.
func (h *health) healthy() string {
	if h.noCounters {
		return "receiving sFlow on " + h.addr + "; counter samples are dropped: the policy has no sflow.counters stream"
	}
	return "receiving sFlow on " + h.addr
}

// read returns the current loss counters.
func (h *health) read() losses {
	l := losses{dropped: h.m.datagramsDropped.Get(), denied: h.m.datagramsDenied.Get(), invalid: h.m.datagramsInvalid.Get(),
		missing: h.m.accounting.datagrams.missing.Get()}
	if h.m.kernelDrops != nil {
		l.kernel = h.m.kernelDrops.Get()
	}
	return l
}

// since returns the losses that happened after before.
func (l losses) since(before losses) losses {
	return losses{kernel: gaugeDelta(l.kernel, before.kernel), dropped: l.dropped - before.dropped,
		denied: l.denied - before.denied, invalid: l.invalid - before.invalid, missing: l.missing - before.missing}
}

// gaugeDelta returns a-b, or 0 when the gauge went down (the kernel's drop count
// is a gauge read from /proc that restarts with the socket).
func gaugeDelta(a, b uint64) uint64 {
	if a < b {
		return 0
	}
	return a - b
}

// describe explains the losses of a period, or returns "" when there were
// none.
func (l losses) describe(period time.Duration) string {
	var parts []string
	if l.kernel > 0 {
		parts = append(parts, fmt.Sprintf("%d datagrams dropped by the kernel (socket receive buffer full: raise read_buffer and net.core.rmem_max)", l.kernel))
	}
	if l.dropped > 0 {
		parts = append(parts, fmt.Sprintf("%d datagrams dropped because the decode queue was full (decoders or output too slow)", l.dropped))
	}
	if l.denied > 0 {
		parts = append(parts, fmt.Sprintf("%d datagrams rejected from exporters not in allowed_exporters", l.denied))
	}
	if l.invalid > 0 {
		parts = append(parts, fmt.Sprintf("%d invalid datagrams rejected", l.invalid))
	}
	if l.missing > 0 {
		parts = append(parts, fmt.Sprintf("%d datagrams lost between the exporters and the collector (sequence numbers never received; "+
			"the sflow.exporters events say which exporters)", l.missing))
	}
	if len(parts) == 0 {
		return ""
	}
	return fmt.Sprintf("in the last %s: %s", period, strings.Join(parts, "; "))
}
