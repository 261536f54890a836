package tests

import (
	"fmt"
	"maps"
	"net"
	"slices"
	"testing"

	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoder"
	"github.com/sflowbeat/sflowbeat/tests/replay"
)

// reorderWindow is the accounting stage's ReorderWindow: a number this far
// behind the highest of its sequence has left the window.
const reorderWindow = 256

// ledger is what a test sent and left out, decoded by the test itself, and
// what the beat must count for it. It follows the README's rules from the
// datagrams alone, without the accounting code: a number skipped between
// two received numbers is missing; one received below the highest is
// reordered, or late when the highest had moved reorderWindow past it (it
// was counted missing then); one received twice is a duplicate, and so are
// the samples of a duplicate datagram. Every test sends fast, well inside
// the reorder timeout, so receive times play no part.
type ledger struct {
	exporters map[string]*ledgerExporter
	events    int // samples that must be published: one event each
}

// ledgerExporter is the ledger of one exporter (agent address/sub-agent).
type ledgerExporter struct {
	dgs      seqLedger
	sources  map[string]*seqLedger // by kind and data source
	pools    map[string]uint32     // sample_pool at the highest number of a flow source
	totals   exporterTotals
	rates    map[float64]bool // sampling rates reported
	restart  bool             // a restart was planted before the next datagram
	ignoring bool             // the samples of this datagram are not tracked (see sent)
}

// exporterTotals are the sums over all the sflow.exporters events of one
// exporter, as the ledger expects them, and as the beat published them.
type exporterTotals struct {
	Datagrams, FlowSamples, CounterSamples, DropSamples                     float64
	DatagramsMissing, DatagramsReordered, DatagramsDuplicate, DatagramsLate float64
	SamplesMissing, SamplesReordered, SamplesDuplicate, SamplesLate         float64
	SequenceResets, SamplePool                                              float64
	SampleRates                                                             []float64
}

// seqLedger follows one sequence of numbers.
type seqLedger struct {
	started              bool
	first, high, settled uint32 // numbers up to settled have left the window
	seen, counted        map[uint32]bool
	missing, reordered   float64
	duplicate, late      float64
}

// newLedger returns an empty ledger.
func newLedger() *ledger { return &ledger{exporters: map[string]*ledgerExporter{}} }

// exporterKey names the exporter of a datagram as the tests do.
func exporterKey(dg *decoded.Datagram) string { return fmt.Sprint(dg.AgentAddress, "/", dg.SubAgentID) }

// decodeDatagram decodes a datagram the test sends, failing the test if it
// does not decode.
func decodeDatagram(t *testing.T, p []byte) *decoded.Datagram {
	t.Helper()
	var dg decoded.Datagram
	if err := decoder.NewDecoder().Decode(p, &dg); err != nil {
		t.Fatalf("a datagram of the test does not decode: %v", err)
	}
	return &dg
}

// exporter returns the ledger of exporter k.
func (l *ledger) exporter(k string) *ledgerExporter {
	e := l.exporters[k]
	if e == nil {
		e = &ledgerExporter{sources: map[string]*seqLedger{}, pools: map[string]uint32{}, rates: map[float64]bool{}}
		l.exporters[k] = e
	}
	return e
}

// restart notes that the agent of exporter k restarts before its next
// datagram.
func (l *ledger) restart(k string) { l.exporter(k).restart = true }

// sent notes a datagram the test sends, and reports whether it starts a
// sequence: its exporter's, or a data source's.
func (l *ledger) sent(t *testing.T, p []byte) (starts bool) {
	t.Helper()
	dg := decodeDatagram(t, p)
	e := l.exporter(exporterKey(dg))
	if e.restart {
		e.restarted(dg.SequenceNumber)
	}
	cls := e.dgs.arrive(dg.SequenceNumber, false)
	if cls == "duplicate" {
		return false
	}
	e.totals.Datagrams++
	starts = cls == "first"
	outOfOrder := cls == "reordered" || cls == "late"
	published := func(cls string) bool {
		starts = starts || cls == "first"
		if cls == "duplicate" {
			return false
		}
		l.events++
		return true
	}
	for _, f := range dg.FlowSamples {
		e.rates[float64(f.SamplingRate)] = true
		if published(e.sample(fmt.Sprint("flow/", f.SourceID), f.SequenceNumber, outOfOrder, &f)) {
			e.totals.FlowSamples++
		}
	}
	for _, c := range dg.CounterSamples {
		if published(e.sample(fmt.Sprint("counters/", c.SourceID), c.SequenceNumber, outOfOrder, nil)) {
			e.totals.CounterSamples++
		}
	}
	for _, d := range dg.DropSamples {
		if published(e.sample(fmt.Sprint("drops/", d.SourceID), d.SequenceNumber, outOfOrder, nil)) {
			e.totals.DropSamples++
		}
	}
	e.ignoring = false
	return starts
}

// restarted starts the exporter's sequences again at a datagram numbered
// n. When n is reorderWindow or more behind the old highest, the beat
// cannot tell the restart until the next datagram, and forgets the
// numbers of this datagram's samples (README, "Restarts"): its sources
// start at their next samples.
func (e *ledgerExporter) restarted(n uint32) {
	e.ignoring = e.dgs.started && e.dgs.high-n >= reorderWindow && e.dgs.high-n < 1<<31
	e.restart = false
	e.totals.SequenceResets++
	e.dgs.forget()
	for _, s := range e.sources {
		s.forget()
	}
	clear(e.pools)
}

// sample notes a sample of a source, whose datagram came out of order or
// not, and returns its class (see arrive): it is published unless it is a
// duplicate. A flow
// sample's sample_pool grows the exporter's when it brings a new highest
// number.
func (e *ledgerExporter) sample(key string, n uint32, outOfOrder bool, f *decoded.FlowSample) string {
	if e.ignoring {
		return "ignored"
	}
	s := e.sources[key]
	if s == nil {
		s = &seqLedger{}
		e.sources[key] = s
	}
	cls := s.arrive(n, outOfOrder)
	if f != nil {
		switch cls {
		case "first":
			e.pools[key] = f.SamplePool
		case "advance":
			e.totals.SamplePool += float64(f.SamplePool - e.pools[key])
			e.pools[key] = f.SamplePool
		}
	}
	if cls == "restart" {
		e.totals.SequenceResets++
	}
	return cls
}

// arrive notes number n and returns its class: first, advance, reordered,
// late, duplicate, or restart (more than the window behind, in a datagram
// that came in order: the source restarted). outOfOrder says that the
// datagram carrying a sample came out of order: its samples far behind
// are late.
func (s *seqLedger) arrive(n uint32, outOfOrder bool) string {
	if !s.started {
		*s = seqLedger{started: true, first: n, high: n, settled: n, seen: map[uint32]bool{n: true}, counted: map[uint32]bool{},
			missing: s.missing, reordered: s.reordered, duplicate: s.duplicate, late: s.late}
		return "first"
	}
	switch back := s.high - n; {
	case s.seen[n] && back < reorderWindow:
		s.duplicate++
		return "duplicate"
	case back != 0 && back >= 1<<31:
		s.high = n
		s.seen[n] = true
		for ; s.high-s.settled > reorderWindow; s.settled++ {
			s.countMissing(s.settled + 1)
		}
		return "advance"
	case back >= reorderWindow && outOfOrder:
		s.late++
		return "late"
	case back >= reorderWindow:
		s.forget()
		s.arrive(n, false)
		return "restart"
	case s.counted[n]:
		s.late++
	default:
		s.reordered++
	}
	s.seen[n] = true
	return "reordered"
}

// countMissing counts n missing if it was never received.
func (s *seqLedger) countMissing(n uint32) {
	if !s.seen[n] {
		s.missing++
		s.counted[n] = true
	}
}

// forget drops the sequence, but not its counts: the numbers still
// pending are not counted (a restart is not loss).
func (s *seqLedger) forget() { s.started = false }

// final counts every number still pending as missing: what the beat
// counts once the reorder timeout has passed.
func (s *seqLedger) final() {
	if !s.started {
		return
	}
	for ; s.settled != s.high; s.settled++ {
		s.countMissing(s.settled + 1)
	}
}

// totals returns, per exporter, what the sums of its sflow.exporters
// events must be once every gap is final.
func (l *ledger) totals() map[string]exporterTotals {
	out := map[string]exporterTotals{}
	for k, e := range l.exporters {
		e.dgs.final()
		tt := e.totals
		tt.DatagramsMissing, tt.DatagramsReordered, tt.DatagramsDuplicate, tt.DatagramsLate = e.dgs.missing, e.dgs.reordered,
			e.dgs.duplicate, e.dgs.late
		for _, s := range e.sources {
			s.final()
			tt.SamplesMissing += s.missing
			tt.SamplesReordered += s.reordered
			tt.SamplesDuplicate += s.duplicate
			tt.SamplesLate += s.late
		}
		tt.SampleRates = slices.Sorted(maps.Keys(e.rates))
		out[k] = tt
	}
	return out
}

// sum adds up the totals of all exporters: what the input's counters in
// /inputs/ must say.
func sum(ts map[string]exporterTotals) map[string]int {
	m := map[string]int{}
	for _, t := range ts {
		m["datagrams_missing_total"] += int(t.DatagramsMissing)
		m["datagrams_reordered_total"] += int(t.DatagramsReordered)
		m["datagrams_duplicate_total"] += int(t.DatagramsDuplicate)
		m["datagrams_late_total"] += int(t.DatagramsLate)
		m["samples_missing_total"] += int(t.SamplesMissing)
		m["samples_reordered_total"] += int(t.SamplesReordered)
		m["samples_duplicate_total"] += int(t.SamplesDuplicate)
		m["samples_late_total"] += int(t.SamplesLate)
		m["sequence_resets_total"] += int(t.SequenceResets)
	}
	return m
}

// sender sends datagrams to the beat through a Sequencer, and notes in a
// ledger what it sent and what it left out.
type sender struct {
	t    *testing.T
	addr string
	conn net.Conn
	seq  *replay.Sequencer
	l    *ledger
	n    int
	// restarting: the agent restarted before the next datagram.
	restarting bool
	// started: the last datagram written started a sequence (ledger.sent).
	started bool
}

// newSender returns a sender to addr that numbers with seq and notes in l.
func newSender(t *testing.T, addr string, seq *replay.Sequencer, l *ledger) *sender {
	t.Helper()
	conn, err := net.Dial("udp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return &sender{t: t, addr: addr, conn: conn, seq: seq, l: l}
}

// send numbers p and sends it.
func (s *sender) send(p []byte) { s.write(s.seq.Next(p)) }

// write sends a datagram already numbered, pacing itself so that the
// loopback socket buffer does not overflow.
func (s *sender) write(p []byte) {
	s.t.Helper()
	if s.restarting {
		s.l.restart(exporterKey(decodeDatagram(s.t, p)))
		s.restarting = false
	}
	s.started = s.l.sent(s.t, p)
	if _, err := s.conn.Write(p); err != nil {
		s.t.Fatal(err)
	}
	if s.n++; s.n%20 == 0 {
		pace()
	}
}

// skip numbers p and leaves it out, as a network that loses it.
func (s *sender) skip(p []byte) { s.seq.Skip(p) }

// restart restarts the agents of the sender's Sequencer, at uptime, and
// notes it in the ledger.
func (s *sender) restart(uptime uint32) {
	s.seq.Restart(uptime)
	s.restarting = true
}
