package sflow

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/elastic/beats/v7/libbeat/beat"
	"github.com/elastic/elastic-agent-libs/monitoring"
)

// acks follows the events of an input's pipeline client: it is both its
// beat.EventListener (acknowledgements, counted in events_acked_total) and
// its beat.ClientListener (events the closing pipeline refused, counted in
// events_dropped_total), and it knows how many events still wait for their
// acknowledgement. The pipeline keeps acknowledging a client's events after
// the client is closed, so an input that stops for a reload closes its
// client at once, and the beat, when it exits, waits for the events of
// every input it ran (Factory.WaitAcked).
type acks struct {
	pending  atomic.Int64
	stopped  atomic.Bool // the input stopped: it publishes no more events
	acked    *monitoring.Uint
	dropped  *monitoring.Uint
	inFlight bool // AddEvent counted the event being published; guarded by the client's publish lock
}

// AddEvent counts an event that passed the processors; the pipeline calls
// it before it hands the event to its queue.
func (a *acks) AddEvent(_ beat.Event, published bool) {
	if published {
		a.pending.Add(1)
		a.inFlight = true
	}
}

// ACKEvents counts n acknowledged events.
func (a *acks) ACKEvents(n int) {
	a.acked.Add(uint64(n))
	a.pending.Add(-int64(n))
}

// ClientClosed is part of beat.EventListener; acknowledgements go on.
func (a *acks) ClientClosed() {}

// Published: the queue took the event counted by AddEvent.
func (a *acks) Published() { a.inFlight = false }

// DroppedOnPublish: the pipeline refused an event (the client or the queue
// was closing); if AddEvent had counted it, it will never be acknowledged.
func (a *acks) DroppedOnPublish(beat.Event) {
	a.dropped.Inc()
	if a.inFlight {
		a.inFlight = false
		a.pending.Add(-1)
	}
}

// Closing, Closed, NewEvent and Filtered complete beat.ClientListener.
func (a *acks) Closing()  {}
func (a *acks) Closed()   {}
func (a *acks) NewEvent() {}
func (a *acks) Filtered() {}

// ackSet is the acks of every input a Factory created, until their events
// are all acknowledged.
type ackSet struct {
	mu   sync.Mutex
	list []*acks
}

// add records a for WaitAcked, forgetting the inputs that stopped with
// nothing pending. A running input is kept even when nothing is pending: it
// may publish again before the beat exits.
func (s *ackSet) add(a *acks) {
	s.mu.Lock()
	defer s.mu.Unlock()
	kept := s.list[:0]
	for _, o := range s.list {
		if !o.stopped.Load() || o.pending.Load() > 0 {
			kept = append(kept, o)
		}
	}
	s.list = append(kept, a)
}

// pending returns the number of events still waiting for acknowledgement.
func (s *ackSet) pending() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	var n int64
	for _, a := range s.list {
		n += a.pending.Load()
	}
	return n
}

// waitAll waits until no event is pending, or timeout passes; it returns
// the number still pending.
func (s *ackSet) waitAll(timeout time.Duration) int64 {
	deadline := time.Now().Add(timeout)
	for {
		n := s.pending()
		if n <= 0 || time.Now().After(deadline) {
			return n
		}
		time.Sleep(10 * time.Millisecond)
	}
}
