package sflow

import (
	"testing"
	"time"

	"github.com/elastic/beats/v7/libbeat/beat"
	"github.com/elastic/elastic-agent-libs/monitoring"
)

func newAcks() *acks {
	reg := monitoring.NewRegistry()
	return &acks{acked: monitoring.NewUint(reg, "acked"), dropped: monitoring.NewUint(reg, "dropped")}
}

// TestAcks follows events through the pipeline's callbacks: published then
// acknowledged, filtered by a processor, refused by the closing pipeline.
func TestAcks(t *testing.T) {
	a := newAcks()
	set := &ackSet{}
	set.add(a)
	for range 2 {
		a.AddEvent(beat.Event{}, true)
		a.Published()
	}
	a.AddEvent(beat.Event{}, false) // dropped by a processor: never acknowledged
	a.AddEvent(beat.Event{}, true)  // refused by the closing pipeline
	a.DroppedOnPublish(beat.Event{})
	a.DroppedOnPublish(beat.Event{}) // refused before AddEvent (client closed)
	if n := set.waitAll(20 * time.Millisecond); n != 2 {
		t.Errorf("%d events pending, want the 2 published ones", n)
	}
	go func() {
		time.Sleep(30 * time.Millisecond)
		a.ACKEvents(2)
	}()
	if n := set.waitAll(5 * time.Second); n != 0 {
		t.Errorf("waitAll timed out with %d events pending", n)
	}
	if a.acked.Get() != 2 || a.dropped.Get() != 2 {
		t.Errorf("events_acked_total %d, events_dropped_total %d; want 2 and 2", a.acked.Get(), a.dropped.Get())
	}
}

// TestAckSetKeepsStoppedInputs: the events of an input stopped by a reload
// are still waited for at exit; stopped inputs with nothing pending are
// forgotten.
func TestAckSetKeepsStoppedInputs(t *testing.T) {
	set := &ackSet{}
	old, idle := newAcks(), newAcks()
	old.AddEvent(beat.Event{}, true)
	old.Published()
	set.add(old)
	set.add(idle)
	old.stopped.Store(true)
	idle.stopped.Store(true)
	set.add(newAcks()) // a later input: idle is forgotten, old is kept
	if len(set.list) != 2 || set.list[0] != old {
		t.Fatalf("the set holds %d inputs, want the one with a pending event and the new one", len(set.list))
	}
	if n := set.waitAll(10 * time.Millisecond); n != 1 {
		t.Errorf("%d pending, want the stopped input's 1", n)
	}
}

// TestAckSetKeepsRunningInputs: an input that is still running is waited
// for at exit even if it had nothing pending when a later input was
// created (standalone, every input is created before any publishes: the
// first ones used to be forgotten, and only the in-order acknowledgement
// of the memory queue hid it).
func TestAckSetKeepsRunningInputs(t *testing.T) {
	set := &ackSet{}
	first, second := newAcks(), newAcks()
	set.add(first)
	set.add(second) // first has nothing pending yet, but runs
	first.AddEvent(beat.Event{}, true)
	first.Published()
	if n := set.waitAll(10 * time.Millisecond); n != 1 {
		t.Errorf("%d pending at exit, want the first input's event", n)
	}
}
