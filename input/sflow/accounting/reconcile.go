package accounting

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
)

// Direction is the direction of the traffic of an interface that its flow
// samples saw.
type Direction uint8

// The directions of Reconciliation.
const (
	Ingress Direction = iota // input ifIndex == data source index; compared with ifInOctets
	Egress                   // output ifIndex == data source index; compared with ifOutOctets
)

// String returns "ingress" or "egress".
func (d Direction) String() string {
	switch d {
	case Ingress:
		return "ingress"
	case Egress:
		return "egress"
	}
	return fmt.Sprintf("Direction(%d)", uint8(d))
}

// Reconciliation compares, for one interface and direction over a period,
// the bytes estimated from flow samples with the octets the interface
// counted.
type Reconciliation struct {
	Exporter       Exporter
	IfIndex        uint32
	Direction      Direction
	FlowBytes      float64 // Σ frame_length x applied rate (x compensation factor)
	CounterOctets  uint64  // Σ ΔifInOctets (ingress) or ΔifOutOctets (egress)
	Ratio          float64 // FlowBytes / CounterOctets; 0 when CounterOctets is 0
	FlowSamples    uint64  // flow samples in FlowBytes
	CounterSamples uint64  // counter samples whose delta is in CounterOctets
}

// ifReconcile is the reconciliation state of an interface: the flow
// samples of its data source and the if_counters of its counter samples.
type ifReconcile struct {
	dir [2]reconcileDir // by Direction
}

// reconcileDir matches the flow bytes of one direction with the counter
// deltas. Flow bytes wait in pending until the next counter sample closes
// their interval, so that both numbers cover the same time.
type reconcileDir struct {
	sampled     bool   // flow samples of this direction were seen
	baseline    bool   // last holds a counter value
	last        uint64 // octets of the last counter sample
	pendBytes   float64
	pendSamples uint64
	// matched in the period
	flowBytes      float64
	flowSamples    uint64
	octets         uint64
	counterSamples uint64
}

// flow adds the bytes a flow sample of the interface index stands for:
// frame length x scale (applied rate x factor).
func (r *ifReconcile) flow(index uint32, fs *decoded.FlowSample, scale float64) {
	d, ok := direction(fs, index)
	length := frameLength(&fs.Records)
	if !ok || scale == 0 || length == 0 {
		return
	}
	x := &r.dir[d]
	x.sampled = true
	x.pendBytes += float64(length) * scale
	x.pendSamples++
}

// direction tells whether the flow sample of the data source index saw the
// packet come in (input == index) or go out (output == index).
func direction(fs *decoded.FlowSample, index uint32) (Direction, bool) {
	switch {
	case fs.Input.Format == decoded.IfFormatSingle && fs.Input.Value == index:
		return Ingress, true
	case fs.Output.Format == decoded.IfFormatSingle && fs.Output.Value == index:
		return Egress, true
	}
	return 0, false
}

// frameLength is the length of the sampled packet: frame_length of
// sampled_header, else the length of sampled_ethernet, sampled_ipv4 or
// sampled_ipv6 (without the layer 2 header), else 0.
func frameLength(r *decoded.FlowRecords) uint32 {
	switch {
	case r.Has&decoded.HasSampledHeader != 0:
		return r.SampledHeader.FrameLength
	case r.Has&decoded.HasSampledEthernet != 0:
		return r.SampledEthernet.Length
	case r.Has&decoded.HasSampledIPv4 != 0:
		return r.SampledIPv4.Length
	case r.Has&decoded.HasSampledIPv6 != 0:
		return r.SampledIPv6.Length
	}
	return 0
}

// counters closes an interval with the if_counters of a counter sample;
// rebase (a restarted counter sequence) starts again from these values.
func (r *ifReconcile) counters(g *decoded.GenericIfCounters, rebase bool) {
	r.dir[Ingress].counter(g.IfInOctets, rebase)
	r.dir[Egress].counter(g.IfOutOctets, rebase)
}

// counter closes an interval at the counter value octets: the flow bytes
// pending and the counter delta are matched. Without a base, or when the
// counter went down (a reset), the interval is skipped, flows and counter.
func (x *reconcileDir) counter(octets uint64, rebase bool) {
	prev, ok := x.last, x.baseline && !rebase && octets >= x.last
	x.last, x.baseline = octets, true
	if ok && x.sampled {
		x.flowBytes += x.pendBytes
		x.flowSamples += x.pendSamples
		x.octets += octets - prev
		x.counterSamples++
	}
	x.pendBytes, x.pendSamples = 0, 0
}

// period returns the reconciliation of the period for the interface and
// starts a new period; ok is false when there is nothing to report.
func (x *reconcileDir) period() (r Reconciliation, ok bool) {
	if !x.sampled || x.flowSamples == 0 && x.counterSamples == 0 {
		return r, false
	}
	r = Reconciliation{FlowBytes: x.flowBytes, CounterOctets: x.octets,
		FlowSamples: x.flowSamples, CounterSamples: x.counterSamples}
	if x.octets != 0 {
		r.Ratio = x.flowBytes / float64(x.octets)
	}
	x.flowBytes, x.flowSamples, x.octets, x.counterSamples = 0, 0, 0, 0
	return r, true
}

// appendPeriod appends the reconciliations of the interface of source s.
func (r *ifReconcile) appendPeriod(rows []Reconciliation, s *source) []Reconciliation {
	for d := range r.dir {
		if row, ok := r.dir[d].period(); ok {
			row.Exporter, row.IfIndex, row.Direction = s.ex.key, s.key.id.Index, Direction(d)
			rows = append(rows, row)
		}
	}
	return rows
}

// sortReconciliations orders rows by exporter, ifIndex and direction.
func sortReconciliations(rows []Reconciliation) {
	slices.SortFunc(rows, func(a, b Reconciliation) int {
		return cmp.Or(compareExporters(a.Exporter, b.Exporter),
			cmp.Compare(a.IfIndex, b.IfIndex), cmp.Compare(a.Direction, b.Direction))
	})
}

// compareExporters orders exporters by agent address, then sub-agent.
func compareExporters(a, b Exporter) int {
	return cmp.Or(a.Agent.Compare(b.Agent), cmp.Compare(a.SubAgentID, b.SubAgentID))
}
