package tests

import (
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
)

// interval is one reconciliation interval of an interface and direction:
// between two of its counter samples, the bytes its flow samples stand for
// and the growth of its octets counter.
type interval struct {
	flowBytes, flowSamples, octets float64
}

// ifDir names an interface and a direction as sflow.reconcile events do.
type ifDir struct {
	ifIndex   float64
	direction string
}

// ifState is expectedIntervals' state of one interface and direction.
type ifState struct {
	sampled   bool // a flow sample of this direction was seen
	baseline  bool // last holds a counter value
	last      uint64
	pending   interval
	intervals []interval
}

// expectedIntervals recomputes, from the datagrams of one exporter in the
// order sent, the reconciliation intervals of every interface and
// direction, following the rules of the README and accounting/doc.go
// (reconcile.go): a flow sample of data source ifIndex i whose input is i
// is ingress, whose output is i egress, and stands for frame_length x
// sampling rate bytes. Counter samples of i count once a flow sample of i
// was seen (the state lives with the flow source). The first is the base;
// each next one closes an interval of each direction that has seen flow
// samples: the flows since the previous counter sample against the growth
// of ifInOctets (ingress) or ifOutOctets (egress); a counter that went down
// skips the interval. Flows before the base count nowhere.
func expectedIntervals(dgs []*decoded.Datagram) map[ifDir][]interval {
	states := map[ifDir]*ifState{}
	state := func(i uint32, dir string) *ifState {
		k := ifDir{float64(i), dir}
		if states[k] == nil {
			states[k] = &ifState{}
		}
		return states[k]
	}
	flowSeen := map[uint32]bool{}
	for _, dg := range dgs {
		for _, f := range dg.FlowSamples {
			i := f.SourceID.Index
			if f.SourceID.Type != 0 || f.Records.Has&decoded.HasSampledHeader == 0 {
				continue
			}
			flowSeen[i] = true
			if dir := flowDirection(f); dir != "" {
				s := state(i, dir)
				s.sampled = true
				s.pending.flowBytes += float64(f.Records.SampledHeader.FrameLength) * float64(f.SamplingRate)
				s.pending.flowSamples++
			}
		}
		for _, c := range dg.CounterSamples {
			g := c.Records.GenericIf
			if c.Records.Has&decoded.HasGenericIf == 0 || !flowSeen[g.IfIndex] {
				continue
			}
			state(g.IfIndex, "ingress").counter(g.IfInOctets)
			state(g.IfIndex, "egress").counter(g.IfOutOctets)
		}
	}
	out := map[ifDir][]interval{}
	for k, s := range states {
		if len(s.intervals) > 0 {
			out[k] = s.intervals
		}
	}
	return out
}

// flowDirection is ingress when a flow sample's input is its data
// source's ifIndex, else egress when its output is, else "".
func flowDirection(f decoded.FlowSample) string {
	is := func(ifc decoded.Interface) bool {
		return ifc.Format == decoded.IfFormatSingle && ifc.Value == f.SourceID.Index
	}
	switch {
	case is(f.Input):
		return "ingress"
	case is(f.Output):
		return "egress"
	}
	return ""
}

// counter closes an interval at the counter value octets.
func (s *ifState) counter(octets uint64) {
	if s.baseline && octets >= s.last && s.sampled {
		s.pending.octets = float64(octets - s.last)
		s.intervals = append(s.intervals, s.pending)
	}
	s.last, s.baseline, s.pending = octets, true, interval{}
}

// TestTotalsReconcile replays overflowd-sflow.pcap as captured (ifIndex 47
// has flow samples, ingress and egress, and counter samples) and checks
// each sflow.reconcile event against the consecutive intervals it covers,
// which the test computes from the capture on its own.
func TestTotalsReconcile(t *testing.T) {
	t.Parallel()
	r := startTotals(t, totalsOptions{workers: 1, reconcile: "1s"})
	var dgs []*decoded.Datagram
	for _, p := range payloadsOf(t, "overflowd-sflow.pcap") {
		dgs = append(dgs, decodeDatagram(t, p))
	}
	want := expectedIntervals(dgs)
	if len(want[ifDir{47, "ingress"}]) == 0 || len(want[ifDir{47, "egress"}]) == 0 {
		t.Fatalf("the capture gives no intervals for ifIndex 47 in both directions: %v", want)
	}
	sendCapture(t, r.addr, capture("overflowd-sflow.pcap"))
	events := waitReconcile(t, r, want)
	for k, evs := range events {
		ivs := want[k]
		for _, e := range evs {
			n := int(num(e, "sflow.reconcile.counter_samples"))
			if n == 0 || n > len(ivs) {
				t.Fatalf("%v: an event covers %d intervals, %d left", k, n, len(ivs))
			}
			var sum interval
			for _, iv := range ivs[:n] {
				sum.flowBytes += iv.flowBytes
				sum.flowSamples += iv.flowSamples
				sum.octets += iv.octets
			}
			ivs = ivs[n:]
			got := interval{num(e, "sflow.reconcile.flow_bytes"), num(e, "sflow.reconcile.flow_samples"), num(e, "sflow.reconcile.counter_octets")}
			ratio := num(e, "sflow.reconcile.ratio")
			if math.Abs(got.flowBytes-sum.flowBytes) > 0.5 || got.flowSamples != sum.flowSamples || got.octets != sum.octets ||
				math.Abs(ratio-sum.flowBytes/sum.octets) > 1e-9*ratio {
				t.Errorf("%v: event %+v ratio %v, want %+v ratio %v", k, got, ratio, sum, sum.flowBytes/sum.octets)
			}
		}
	}
}

// waitReconcile waits until the sflow.reconcile events cover every
// interval of want, and returns them by interface and direction, in the
// order of their periods.
func waitReconcile(t *testing.T, r *totalsRun, want map[ifDir][]interval) map[ifDir][]map[string]any {
	t.Helper()
	var got map[ifDir][]map[string]any
	covered := map[ifDir]int{}
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		got, covered = map[ifDir][]map[string]any{}, map[ifDir]int{}
		for _, d := range r.es.Docs() {
			if lookup(d.Source, "event.dataset") != "sflow.reconcile" {
				continue
			}
			k := ifDir{num(d.Source, "sflow.reconcile.if_index"), fmt.Sprint(lookup(d.Source, "sflow.reconcile.direction"))}
			got[k] = append(got[k], d.Source)
			covered[k] += int(num(d.Source, "sflow.reconcile.counter_samples"))
		}
		done := len(covered) == len(want)
		for k, ivs := range want {
			done = done && covered[k] == len(ivs)
		}
		if done {
			for _, evs := range got {
				slices.SortFunc(evs, func(a, b map[string]any) int { return eventEnd(t, a).Compare(eventEnd(t, b)) })
			}
			return got
		}
	}
	t.Fatalf("sflow.reconcile events cover %v intervals by interface and direction, want %d for %d keys", covered, countIntervals(want), len(want))
	return nil
}

// eventEnd returns the event.end of an event.
func eventEnd(t *testing.T, d map[string]any) time.Time {
	t.Helper()
	end, err := time.Parse(time.RFC3339Nano, fmt.Sprint(lookup(d, "event.end")))
	if err != nil {
		t.Fatal(err)
	}
	return end
}

// countIntervals counts the intervals of all interfaces and directions.
func countIntervals(m map[ifDir][]interval) int {
	n := 0
	for _, ivs := range m {
		n += len(ivs)
	}
	return n
}
