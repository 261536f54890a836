package replay

import (
	"encoding/binary"
	"net/netip"
	"sync"
	"time"
)

// Sequencer makes replayed sFlow v5 datagrams look like a live exporter's:
// it rewrites, in a copy, the datagram sequence_number (one sequence per
// agent and sub-agent), the uptime (milliseconds since the Sequencer
// started, plus the capture's first uptime), the sequence_number of every
// sample (one sequence per data source and kind of sample: compact and
// expanded samples of a source share it, as they do in an agent) and the
// sample_pool of every flow sample (it grows by the sampling rate at every
// number, so that the pool covers the samples left out too). A capture sent
// twice unchanged would be dropped the second time as duplicates, as it
// should: a collector cannot tell a replay from a network that repeats
// datagrams. Skip leaves numbers out, as lost datagrams do; Restart starts
// every number again, as an agent that reboots does. Options rewrite the
// exporter or the sampling rate first. RFC 3176 (v2/v4) datagrams and
// anything that does not parse are sent unchanged. Safe for concurrent use.
type Sequencer struct {
	mu      sync.Mutex
	start   time.Time
	first   uint32            // number every new sequence starts at (StartAt)
	next    map[string]uint32 // next number, by exporter or data source key
	pool    map[string]uint32 // sample_pool, by flow data source key
	base    map[string]uint32 // uptime at start, by exporter
	skipped int64
	// restartUptime is the uptime exporters start from after Restart,
	// instead of their first captured uptime.
	restartUptime *uint32
	edits         []func([]byte) []byte
}

// Option changes what a Sequencer writes.
type Option func(*Sequencer)

// WithSamplingRate makes every flow sample report the sampling rate r.
func WithSamplingRate(r uint32) Option {
	return edit(func(p []byte) []byte {
		eachSample(p, func(format uint32, body []byte) {
			if at := flowField(format, rateWord); at >= 0 && len(body) >= at+4 {
				binary.BigEndian.PutUint32(body[at:], r)
			}
		})
		return p
	})
}

// WithSubAgent makes every datagram come from the sub-agent id.
func WithSubAgent(id uint32) Option {
	return edit(func(p []byte) []byte {
		if at, ok := headerEnd(p); ok {
			binary.BigEndian.PutUint32(p[at:], id)
		}
		return p
	})
}

// WithAgent makes every datagram come from the agent address a (IPv4 or
// IPv6, whatever the captured address was).
func WithAgent(a netip.Addr) Option {
	return edit(func(p []byte) []byte {
		at, ok := headerEnd(p)
		if !ok {
			return p
		}
		out := binary.BigEndian.AppendUint32(append([]byte(nil), p[:4]...), map[bool]uint32{true: 1, false: 2}[a.Is4()])
		return append(append(out, a.AsSlice()...), p[at:]...)
	})
}

// edit returns an Option that adds a rewrite, applied before renumbering.
func edit(f func([]byte) []byte) Option {
	return func(s *Sequencer) { s.edits = append(s.edits, f) }
}

// NewSequencer returns a Sequencer that starts counting now, at 1.
func NewSequencer(opts ...Option) *Sequencer {
	s := &Sequencer{start: time.Now(), first: 1}
	s.reset()
	for _, o := range opts {
		o(s)
	}
	return s
}

// reset forgets every number and sample_pool.
func (s *Sequencer) reset() {
	s.next, s.pool, s.base = map[string]uint32{}, map[string]uint32{}, map[string]uint32{}
}

// StartAt makes the sequences that start from now on (all of them after
// Restart) start at n, so that tests can start near 2^32 to see it wrap.
func (s *Sequencer) StartAt(n uint32) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.first = n
}

// Restart makes every exporter restart, as an agent that reboots: its
// numbers and sample_pool start again, and its uptime from uptime
// milliseconds (a real agent sends its first datagram a few seconds after
// it booted; two restarts need different uptimes, or their first
// datagrams are the same datagram twice).
func (s *Sequencer) Restart(uptime uint32) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reset()
	s.start = time.Now()
	s.restartUptime = &uptime
}

// Next returns a copy of the datagram p with fresh numbers.
func (s *Sequencer) Next(p []byte) []byte {
	out := append([]byte(nil), p...)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range s.edits {
		out = e(out)
	}
	s.rewrite(out)
	return out
}

// Skip consumes the numbers of p, as if it had been sent, and returns the
// datagram it left out, for the test to know what was lost: the receiver
// must count its datagram and samples as missing.
func (s *Sequencer) Skip(p []byte) []byte {
	out := s.Next(p)
	s.mu.Lock()
	s.skipped++
	s.mu.Unlock()
	return out
}

// Skipped returns how many datagrams Skip left out.
func (s *Sequencer) Skipped() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.skipped
}

// number returns the next number of the sequence key.
func (s *Sequencer) number(key string) uint32 {
	n, ok := s.next[key]
	if !ok {
		n = s.first
	}
	s.next[key] = n + 1
	return n
}

// uptime returns the uptime of a datagram of exporter key whose captured
// uptime was captured: the exporter's first captured uptime (the one
// Restart gave after a restart) plus the time since the Sequencer started
// or restarted, so that it never goes back until a restart.
func (s *Sequencer) uptime(key string, captured uint32) uint32 {
	b, ok := s.base[key]
	if !ok {
		b = captured
		if s.restartUptime != nil {
			b = *s.restartUptime
		}
		s.base[key] = b
	}
	return b + uint32(time.Since(s.start).Milliseconds())
}

// rewrite renumbers a v5 datagram in place.
func (s *Sequencer) rewrite(p []byte) {
	at, ok := headerEnd(p)
	if !ok {
		return
	}
	exporter := string(p[4:at+4]) + "/" // address type, address and sub_agent_id
	binary.BigEndian.PutUint32(p[at+4:], s.number(exporter))
	binary.BigEndian.PutUint32(p[at+8:], s.uptime(exporter, binary.BigEndian.Uint32(p[at+8:])))
	eachSample(p, func(format uint32, body []byte) {
		key := exporter + sampleKey(format, body)
		binary.BigEndian.PutUint32(body, s.number(key))
		if at := flowField(format, poolWord); at >= 0 && len(body) >= at+4 {
			s.pool[key] += binary.BigEndian.Uint32(body[at-4:]) // the rate, before the pool
			binary.BigEndian.PutUint32(body[at:], s.pool[key])
		}
	})
}

// headerEnd returns the offset of the sub_agent_id of a v5 datagram, after
// its agent address, and whether the header is all there.
func headerEnd(p []byte) (int, bool) {
	if len(p) < 8 || binary.BigEndian.Uint32(p) != 5 {
		return 0, false
	}
	addrLen := map[uint32]int{1: 4, 2: 16}[binary.BigEndian.Uint32(p[4:])]
	at := 8 + addrLen
	return at, addrLen != 0 && len(p) >= at+16
}

// eachSample calls f with the format and the body of every sample of a v5
// datagram whose body holds at least its sequence_number and source.
func eachSample(p []byte, f func(format uint32, body []byte)) {
	at, ok := headerEnd(p)
	if !ok {
		return
	}
	n, at := int(binary.BigEndian.Uint32(p[at+12:])), at+16
	for i := 0; i < n && at+8 <= len(p); i++ {
		format, length := binary.BigEndian.Uint32(p[at:]), int(binary.BigEndian.Uint32(p[at+4:]))
		if body := p[at+8 : min(at+8+length, len(p))]; len(body) >= 12 {
			f(format, body)
		}
		at += 8 + length
	}
}

// Words of a flow sample, counted from the sampling_rate.
const (
	rateWord = 0
	poolWord = 1
)

// flowField returns the offset in the body of a flow_sample (format 1) or
// flow_sample_expanded (3) of the word w after its source, or -1 for
// other samples.
func flowField(format uint32, w int) int {
	switch format {
	case 1:
		return 8 + 4*w
	case 3:
		return 12 + 4*w
	}
	return -1
}

// sampleKinds names the sequence of each sample format: compact and
// expanded samples of a kind share it.
var sampleKinds = map[uint32]string{1: "flow", 3: "flow", 2: "counters", 4: "counters", 5: "drops"}

// sampleKey returns the sequence a sample belongs to: its kind (flow,
// counters or discarded packets, compact or expanded alike) and its data
// source (type and index, a 32-bit word each).
func sampleKey(format uint32, body []byte) string {
	var src [8]byte
	switch format {
	case 3, 4, 5: // expanded: source_id_type and source_id_index words
		copy(src[:], body[4:12])
	default:
		id := binary.BigEndian.Uint32(body[4:])
		binary.BigEndian.PutUint32(src[:], id>>24)
		binary.BigEndian.PutUint32(src[4:], id&0xffffff)
	}
	return sampleKinds[format] + "/" + string(src[:])
}

// FirstSamples returns a copy of the v5 datagram p that keeps only its
// first n samples, or nil when p has fewer or does not parse.
func FirstSamples(p []byte, n int) []byte {
	at, ok := headerEnd(p)
	if !ok || int(binary.BigEndian.Uint32(p[at+12:])) < n {
		return nil
	}
	end := at + 16
	for range n {
		if end+8 > len(p) {
			return nil
		}
		end += 8 + int(binary.BigEndian.Uint32(p[end+4:]))
	}
	if end > len(p) {
		return nil
	}
	out := append([]byte(nil), p[:end]...)
	binary.BigEndian.PutUint32(out[at+12:], uint32(n))
	return out
}
