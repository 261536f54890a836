//go:build !race

// The race detector allocates on its own: these counts hold without it.

package esencode

import "testing"

// TestEncodeAllocations guards what BenchmarkEncode measures that does not
// depend on the machine: libbeat's encoder allocates 11 times per typed
// event (the fields map, the encoded copy and libbeat's own), against 135
// on maps. A value that go-structform has to fold by reflection adds at
// least one per event and fails it.
func TestEncodeAllocations(t *testing.T) {
	enc := encoder(t)
	events := captureEvents(t, "overflowd-sflow.pcap")
	for _, maps := range []bool{false, true} {
		perRun := testing.AllocsPerRun(3, func() {
			for i := range events {
				enc.EncodeEntry(publish(&events[i], maps))
			}
		})
		perEvent := perRun / float64(len(events))
		t.Logf("maps %v: %.2f allocations per event", maps, perEvent)
		if !maps && perEvent > 11.5 {
			t.Errorf("encoding a typed event allocates %.2f times, want 11", perEvent)
		}
		if maps && perEvent < 50 {
			t.Errorf("encoding an event as maps allocates %.2f times: the measure no longer sees the reflection it guards against", perEvent)
		}
	}
}
