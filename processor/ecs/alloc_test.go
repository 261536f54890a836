//go:build !race

// The race detector allocates on its own: these counts hold without it.

package ecs

import (
	"testing"
	"time"
)

// TestMapFlowAllocations guards what BenchmarkMapFlow measures that does
// not depend on the machine: mapping a flow sample allocates twice (the
// event's Doc and its Community ID string; the target is 10 at most). A
// field boxed into an interface, or a map built per event, fails it.
func TestMapFlowAllocations(t *testing.T) {
	dgs := benchDatagrams(t, true)
	m := NewMapper(Options{InterfaceNames: NewInterfaceNames()})
	var evs []Event
	events := 0
	for i := range dgs {
		events += len(m.Map(&dgs[i], time.Unix(0, 0), evs[:0]))
	}
	perRun := testing.AllocsPerRun(5, func() {
		for i := range dgs {
			evs = m.Map(&dgs[i], time.Unix(0, 0), evs[:0])
		}
	})
	if perEvent := perRun / float64(events); perEvent > 2.5 {
		t.Errorf("mapping a flow sample allocates %.2f times, want 2", perEvent)
	} else {
		t.Logf("%.2f allocations per flow event (%d events)", perEvent, events)
	}
}
