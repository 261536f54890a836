package accounting

import (
	"container/list"
	"iter"

	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
)

// kind is the kind of samples of a data source: each kind has its own
// sample sequence_number.
type kind uint8

const (
	kindFlow    kind = iota // flow_sample, flow_sample_expanded
	kindCounter             // counters_sample, counters_sample_expanded
	kindDrop                // event_discarded_packet
)

// sourceKey identifies a data source (sflow_data_source) of an exporter and
// the kind of its samples.
type sourceKey struct {
	kind kind
	id   decoded.SourceID
}

// sourceSet holds the data sources of an exporter: a map per kind, keyed
// by the source_id as one word (type << 32 | index), which hashes faster
// than a struct.
type sourceSet struct {
	byKind [kindDrop + 1]map[uint64]*source
	n      int
}

// word packs a source_id into a map key.
func word(id decoded.SourceID) uint64 { return uint64(id.Type)<<32 | uint64(id.Index) }

// get returns the source k, or nil.
func (m *sourceSet) get(k sourceKey) *source { return m.byKind[k.kind][word(k.id)] }

// put adds s.
func (m *sourceSet) put(s *source) {
	if m.byKind[s.key.kind] == nil {
		m.byKind[s.key.kind] = make(map[uint64]*source)
	}
	m.byKind[s.key.kind][word(s.key.id)] = s
	m.n++
}

// remove forgets the source k.
func (m *sourceSet) remove(k sourceKey) {
	delete(m.byKind[k.kind], word(k.id))
	m.n--
}

// all yields every source.
func (m *sourceSet) all() iter.Seq[*source] {
	return func(yield func(*source) bool) {
		for _, byID := range m.byKind {
			for _, s := range byID {
				if !yield(s) {
					return
				}
			}
		}
	}
}

// source is the state of one data source of one kind.
type source struct {
	key      sourceKey
	ex       *exporter
	w        window // sample sequence_number
	epoch    uint32 // the exporter's epoch the sequence belongs to
	pool     uint32 // sample_pool of the highest number (flow sources)
	drops    uint32 // drops of the highest number (flow sources)
	comp     *compensation
	rec      *ifReconcile  // flow sources of an ifIndex (source_id type 0)
	elem     *list.Element // in the shard's source LRU list
	lastSeen int64
}

// sample places the sample sequence_number n, received at now, and returns
// its class. A restart of the exporter restarts the sequence (clsFirst), and
// so does a number ReorderWindow or more behind, unless its datagram came
// out of order (outOfOrder): a busy source moves its numbers many times
// faster than the datagrams, so a datagram a little late carries samples
// far behind. Those are late (clsLate): their numbers were counted missing
// when the window passed them.
func (s *source) sample(n uint32, now int64, outOfOrder bool, c *params) class {
	e := s.ex
	if s.epoch != e.epoch {
		s.epoch = e.epoch
		s.w.start(n)
		return clsFirst
	}
	e.p.Samples.Missing += s.w.settle(now, c.timeout)
	cls := s.w.classify(n)
	switch {
	case cls == clsBehind && outOfOrder:
		e.p.Samples.Late++
		return clsLate
	case cls == clsBehind:
		e.p.SequenceResets++
		cls = clsFirst
	}
	e.p.Samples.note(cls, s.w.place(n, now, cls))
	return cls
}

// grow records the sample_pool and drops of a flow sample of class cls:
// in the exporter's period (poolDelta) and, when compensation is on, the
// pool growth in the source's window (a restart adds none).
func (s *source) grow(cls class, pool, drops uint32) {
	d := s.poolDelta(cls, pool, drops)
	if s.comp != nil && cls != clsFirst {
		s.comp.add(d)
	}
}

// poolDelta records the sample_pool and drops of a flow sample of class cls,
// in the source and in its exporter's period, and returns how much
// sample_pool grew since the previous highest number:
// only a new highest number moves them (32-bit, modulo 2^32); a restart
// takes them as the new base.
func (s *source) poolDelta(cls class, pool, drops uint32) uint32 {
	p := &s.ex.p
	switch cls {
	case clsFirst:
		s.pool, s.drops = pool, drops
	case clsAdvance:
		d := pool - s.pool
		p.pool += uint64(d)
		p.drops += uint64(drops - s.drops)
		s.pool, s.drops = pool, drops
		return d
	}
	return 0
}

// compensation measures the effective sampling rate of a flow data source:
// sample_pool growth per received sample over the last window received
// samples, kept in compBuckets buckets so that the window slides by
// window/compBuckets samples.
type compensation struct {
	pool    [compBuckets]uint64 // sample_pool growth credited in each bucket
	n       [compBuckets]uint32 // received samples in each bucket
	cur     int
	perBuck uint32
	sumPool uint64 // of all buckets
	sumN    uint32
	full    bool // every bucket has been filled once
}

// newCompensation returns a compensation over window received samples.
func newCompensation(window int) *compensation {
	return &compensation{perBuck: uint32(window / compBuckets)}
}

// add counts a received sample that grew sample_pool by d (0 for a sample
// that filled a gap: the pool growth over the gap came with the number
// after it).
func (c *compensation) add(d uint32) {
	if c.n[c.cur] == c.perBuck {
		c.cur = (c.cur + 1) % compBuckets
		c.full = c.full || c.cur == 0
		c.sumPool -= c.pool[c.cur]
		c.sumN -= c.n[c.cur]
		c.pool[c.cur], c.n[c.cur] = 0, 0
	}
	c.pool[c.cur] += uint64(d)
	c.n[c.cur]++
	c.sumPool += uint64(d)
	c.sumN++
}

// factor returns effective rate / rate, between 1 and max, and whether it
// was capped; 1 until the window has been filled once.
func (c *compensation) factor(rate uint32, max float64) (float64, bool) {
	if rate == 0 || !c.ready() {
		return 1, false
	}
	f := float64(c.sumPool) / float64(c.sumN) / float64(rate)
	switch {
	case f > max:
		return max, true
	case f < 1:
		return 1, false
	}
	return f, false
}

// ready reports whether a full window of samples was seen.
func (c *compensation) ready() bool {
	return c.full || c.n[compBuckets-1] == c.perBuck
}
