package replay

import (
	"encoding/binary"
	"sync"
	"time"
)

// Sequencer makes replayed sFlow v5 datagrams look like a live exporter's:
// it rewrites, in a copy, the datagram sequence_number (one sequence per
// agent and sub-agent), the uptime (milliseconds since the Sequencer
// started, plus the capture's first uptime) and the sequence_number of
// every sample (one sequence per data source and kind). A capture sent
// twice unchanged would be dropped the second time as duplicates, as it
// should: a collector cannot tell a replay from a network that repeats
// datagrams. Skip leaves numbers out, as lost datagrams do. RFC 3176
// (v2/v4) datagrams and anything that does not parse are sent unchanged.
// Safe for concurrent use.
type Sequencer struct {
	mu      sync.Mutex
	start   time.Time
	next    map[string]uint32 // by exporter or data source key
	base    map[string]uint32 // the first uptime seen, by exporter
	skipped int64
}

// NewSequencer returns a Sequencer that starts counting now.
func NewSequencer() *Sequencer {
	return &Sequencer{start: time.Now(), next: map[string]uint32{}, base: map[string]uint32{}}
}

// Next returns a copy of the datagram p with fresh numbers.
func (s *Sequencer) Next(p []byte) []byte {
	out := append([]byte(nil), p...)
	s.mu.Lock()
	defer s.mu.Unlock()
	rewrite(out, s.number, s.uptime)
	return out
}

// Skip consumes the numbers of p, as if it had been sent, and returns
// nothing to send: the receiver must count its datagram and samples as
// missing.
func (s *Sequencer) Skip(p []byte) {
	s.Next(p)
	s.mu.Lock()
	s.skipped++
	s.mu.Unlock()
}

// Skipped returns how many datagrams Skip left out.
func (s *Sequencer) Skipped() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.skipped
}

// number returns the next number of the sequence key.
func (s *Sequencer) number(key string) uint32 {
	n := s.next[key]
	s.next[key] = n + 1
	return n + 1
}

// uptime returns the uptime of a datagram of exporter key whose captured
// uptime was captured: the exporter's first captured uptime plus the time
// since the Sequencer started, so that it never goes back.
func (s *Sequencer) uptime(key string, captured uint32) uint32 {
	b, ok := s.base[key]
	if !ok {
		b = captured
		s.base[key] = b
	}
	return b + uint32(time.Since(s.start).Milliseconds())
}

// rewrite renumbers a v5 datagram in place; number gives the next number
// of a sequence, uptime the uptime of an exporter.
func rewrite(p []byte, number func(string) uint32, uptime func(string, uint32) uint32) {
	if len(p) < 8 || binary.BigEndian.Uint32(p) != 5 {
		return
	}
	addrLen := map[uint32]int{1: 4, 2: 16}[binary.BigEndian.Uint32(p[4:])]
	at := 8 + addrLen
	if addrLen == 0 || len(p) < at+16 {
		return
	}
	exporter := string(p[4:at+4]) + "/"
	binary.BigEndian.PutUint32(p[at+4:], number(exporter))
	binary.BigEndian.PutUint32(p[at+8:], uptime(exporter, binary.BigEndian.Uint32(p[at+8:])))
	n, at := int(binary.BigEndian.Uint32(p[at+12:])), at+16
	for i := 0; i < n && at+12 <= len(p); i++ {
		format, length := binary.BigEndian.Uint32(p[at:]), int(binary.BigEndian.Uint32(p[at+4:]))
		body := p[at+8 : min(at+8+length, len(p))]
		if len(body) >= 12 {
			key := exporter + string(rune('0'+format)) + string(sourceID(format, body))
			binary.BigEndian.PutUint32(body, number(key))
		}
		at += 8 + length
	}
}

// sourceID returns the bytes of the data source of a sample body: the
// compact source_id word of flow_sample and counters_sample, the type and
// index words of the expanded samples and of event_discarded_packet.
func sourceID(format uint32, body []byte) []byte {
	switch format {
	case 3, 4, 5: // flow_sample_expanded, counters_sample_expanded, event_discarded_packet
		return body[4:12]
	}
	return body[4:8]
}
