package accounting

import (
	"container/list"
	"net/netip"
)

// Exporter identifies an sFlow exporter: the agent_address and sub_agent_id
// of sample_datagram_v5 (sub-agent 0 for v2 and v4). The UDP source address
// of the datagram is not the exporter.
type Exporter struct {
	Agent      netip.Addr
	SubAgentID uint32
}

// exporter is the state of one exporter: its datagram sequence, its data
// sources, and what it did in the current period.
type exporter struct {
	key      Exporter
	w        window   // datagram sequence_number
	uptimes  []uint32 // uptime of each datagram in the window, by slot
	epoch    uint32   // counts the restarts; a source restarts when its epoch differs
	stray    stray
	held     []heldSample // the samples of the stray
	heldAt   int64        // receive time of the stray
	heldLate bool         // the stray was held up: place its samples
	rule     *RateRule    // first sampling rule that matches the agent, or nil
	sources  sourceSet
	elem     *list.Element // in the shard's exporter LRU list
	lastSeen int64
	p        period
}

// stray is a datagram that came ReorderWindow or more numbers behind the
// highest, with an uptime not after the highest one's: an agent that
// restarted, or a datagram that was held up. The next datagram tells which.
type stray struct {
	set  bool
	n, u uint32
}

// heldSample is a sample of a stray datagram. Its number is placed in its
// source only once the next datagram has shown that the stray was held up
// on the way; after a restart it is forgotten. Until then the old numbers
// of its source would tell nothing: a restarted agent's low numbers would
// look like duplicates, or restart the source a second time.
type heldSample struct {
	key         sourceKey
	n           uint32
	pool, drops uint32 // sample_pool and drops of a flow sample
}

// datagram places the sequence_number n and uptime u of a datagram received
// at now, and returns its verdict and its class: clsFirst for the first
// datagram and a restart, clsBehind for a stray, whose samples wait for the
// next datagram (hold).
func (e *exporter) datagram(n, u uint32, now int64, c *params) (Verdict, class) {
	e.p.Datagrams.Missing += e.w.settle(now, c.timeout)
	if e.stray.set {
		e.resolveStray(n, u, c.tolerance)
	}
	cls := e.w.classify(n)
	if cls, broke := e.breaks(cls, n, u, c.tolerance); broke {
		return Process, cls
	}
	e.p.Datagrams.note(cls, e.w.place(n, now, cls))
	if cls == clsDuplicate {
		return Duplicate, cls
	}
	e.uptimes[n&(e.w.size-1)] = u
	return Process, cls
}

// breaks handles a datagram n of class cls that does not continue the
// sequence, and reports whether it did, with the class it takes: the first
// datagram or a restart (clsFirst), or a datagram far behind whose uptime
// is not later (clsBehind: a stray, decided by the next datagram).
func (e *exporter) breaks(cls class, n, u uint32, tol int64) (class, bool) {
	switch {
	case cls == clsBehind && !laterBy(e.uptimeAt(e.w.high), u, tol):
		e.stray = stray{set: true, n: n, u: u}
		e.held = e.held[:0]
		return clsBehind, true
	case cls == clsFirst:
		e.restart(n, u)
	case e.restarted(cls, n, u, tol):
		e.p.SequenceResets++
		e.restart(n, u)
	default:
		return cls, false
	}
	return clsFirst, true
}

// resolveStray decides, with the datagram after it, what the stray was: if
// this datagram continues the sequence, the stray was held up (its number
// was counted missing when the window passed it: it is late), and its
// samples are to be placed (heldLate); otherwise the agent restarted at the
// stray, and the numbers of its samples are forgotten: its sources start
// again at their next sample.
func (e *exporter) resolveStray(n, u uint32, tol int64) {
	s := e.stray
	e.stray.set = false
	if cls := e.w.classify(n); cls != clsBehind && !e.restarted(cls, n, u, tol) {
		e.p.Datagrams.Late++
		e.heldLate = true
		return
	}
	e.held = e.held[:0]
	e.p.SequenceResets++
	e.restart(s.n, s.u)
}

// restarted reports whether a datagram of class cls (not clsFirst) breaks
// the sequence: its uptime is before the uptime of the number below it, or
// after the uptime of the number above it (by more than tol ms), or it
// repeats a number with another uptime, or it is far behind.
func (e *exporter) restarted(cls class, n, u uint32, tol int64) bool {
	switch cls {
	case clsAdvance:
		return laterBy(u, e.uptimeAt(e.w.high), tol)
	case clsDuplicate:
		return u != e.uptimeAt(n)
	case clsBehind:
		return true
	}
	if lo, ok := e.neighbour(n, ^uint32(0)); ok && laterBy(u, e.uptimeAt(lo), tol) {
		return true
	}
	hi, _ := e.neighbour(n, 1)
	return laterBy(e.uptimeAt(hi), u, tol)
}

// neighbour returns the closest number to n, in direction step (1 or -1),
// that was seen inside the window. Going up there is always one: the
// highest.
func (e *exporter) neighbour(n, step uint32) (uint32, bool) {
	w := &e.w
	for m := n + step; w.high-m < w.size; m += step {
		if w.seen(m) {
			return m, true
		}
	}
	return 0, false
}

// restart starts the datagram sequence again at n; the data sources restart
// at their next sample.
func (e *exporter) restart(n, u uint32) {
	e.epoch++
	e.w.start(n)
	e.uptimes[n&(e.w.size-1)] = u
}

// uptimeAt is the uptime of the datagram n, seen inside the window.
func (e *exporter) uptimeAt(n uint32) uint32 {
	return e.uptimes[n&(e.w.size-1)]
}

// uptimeWrap is how close to 2^32 ms an uptime must be, and how close to 0
// the next one, for the pair to be read as the 49.7-day wrap of the 32-bit
// uptime rather than a restart.
const uptimeWrap = 10 * 60 * 1000

// laterBy reports whether uptime b is later than uptime a by more than tol
// milliseconds. Uptimes compare as plain numbers (a device up for weeks
// that reboots goes back to 0), except across the wrap of the 32-bit
// counter.
func laterBy(a, b uint32, tol int64) bool {
	d := int64(b) - int64(a)
	switch {
	case d < -(1<<31) && b-a < uptimeWrap:
		d = int64(b - a)
	case d > 1<<31 && a-b < uptimeWrap:
		d = -int64(a - b)
	}
	return d > tol
}

// settle counts the gaps of the datagram sequence and of the sources that
// have been pending for the reorder timeout at now.
func (e *exporter) settle(now int64, c *params) {
	e.p.Datagrams.Missing += e.w.settle(now, c.timeout)
	for s := range e.sources.all() {
		if s.epoch == e.epoch {
			e.p.Samples.Missing += s.w.settle(now, c.timeout)
		}
	}
}
