package decoder

import (
	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
	"runtime"
	"testing"
)

// TestHostileCountsAllocateLittle decodes small datagrams whose counts claim
// millions of elements, each with a fresh Decoder and Datagram (so nothing
// is reused), and checks that decoding allocates kilobytes, not megabytes.
func TestHostileCountsAllocateLittle(t *testing.T) {
	const huge = 10_000_000
	cases := map[string][]byte{
		"samples": datagram(huge, func(*xb) {}),
		"records": datagram(1, func(b *xb) { b.flowSample(huge, func(*xb) {}) }),
		"as path": datagram(1, func(b *xb) {
			b.flowSample(1, func(b *xb) {
				b.record(decoded.FlowExtGateway, func(b *xb) { b.addr("10.0.0.1").u32(1, 2, 3, 1).u32(2, huge) })
			})
		}),
		"communities": datagram(1, func(b *xb) {
			b.flowSample(1, func(b *xb) {
				b.record(decoded.FlowExtGateway, func(b *xb) { b.addr("10.0.0.1").u32(1, 2, 3, 0).u32(huge) })
			})
		}),
		"mpls labels": datagram(1, func(b *xb) {
			b.flowSample(1, func(b *xb) { b.record(decoded.FlowExtMPLS, func(b *xb) { b.addr("10.0.0.1").u32(huge) }) })
		}),
		"host adapters": datagram(1, func(b *xb) {
			b.counterSample(1, func(b *xb) { b.record(decoded.CounterHostAdapters, func(b *xb) { b.u32(huge) }) })
		}),
		"sfp lanes": datagram(1, func(b *xb) {
			b.counterSample(1, func(b *xb) { b.record(decoded.CounterSFP, func(b *xb) { b.u32(1, 4, 3300, 25000, huge) }) })
		}),
	}
	for name, data := range cases {
		if len(data) > 200 {
			t.Fatalf("%s: test datagram is %d bytes, want a small one", name, len(data))
		}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		for range 10 {
			var dg decoded.Datagram
			_ = NewDecoder().Decode(data, &dg)
		}
		runtime.ReadMemStats(&after)
		if per := (after.TotalAlloc - before.TotalAlloc) / 10; per > 64<<10 {
			t.Errorf("%s: a %d-byte datagram allocated %d bytes", name, len(data), per)
		}
	}
}
