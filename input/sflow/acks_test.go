package sflow

import (
	"testing"
	"time"

	"github.com/elastic/beats/v7/libbeat/beat"
	"github.com/elastic/elastic-agent-libs/monitoring"
)

func TestAcks(t *testing.T) {
	a := &acks{acked: monitoring.NewUint(nil, "acked")}
	a.AddEvent(beat.Event{}, true)
	a.AddEvent(beat.Event{}, true)
	a.AddEvent(beat.Event{}, false) // dropped by a processor: never acknowledged
	if a.waitAll(20 * time.Millisecond) {
		t.Error("waitAll returned true with two events unacknowledged")
	}
	go func() {
		time.Sleep(30 * time.Millisecond)
		a.ACKEvents(2)
	}()
	if !a.waitAll(5 * time.Second) {
		t.Errorf("waitAll timed out with %d events pending", a.pending.Load())
	}
	if a.acked.Get() != 2 {
		t.Errorf("events_acked_total %d, want 2", a.acked.Get())
	}
}
