package sflow

import (
	"sync/atomic"
	"time"

	"github.com/elastic/beats/v7/libbeat/beat"
	"github.com/elastic/elastic-agent-libs/monitoring"
)

// acks is the beat.EventListener of an input's pipeline client: it counts
// acknowledged events (events_acked_total) and the events still waiting for
// their acknowledgement. The pipeline keeps acknowledging a client's events
// after the client is closed, so an input that stops for a reload closes
// its client at once (its events stay in the beat's queue), and only an
// input that stops because the beat exits waits for them (waitAll).
type acks struct {
	pending atomic.Int64
	acked   *monitoring.Uint
}

// AddEvent counts an event that passed the processors.
func (a *acks) AddEvent(_ beat.Event, published bool) {
	if published {
		a.pending.Add(1)
	}
}

// ACKEvents counts n acknowledged events.
func (a *acks) ACKEvents(n int) {
	a.acked.Add(uint64(n))
	a.pending.Add(-int64(n))
}

// ClientClosed is part of beat.EventListener; acknowledgements go on.
func (a *acks) ClientClosed() {}

// waitAll waits until every published event is acknowledged, or timeout
// passes; it reports whether all were.
func (a *acks) waitAll(timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for a.pending.Load() > 0 {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
	return true
}
