package accounting

import (
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
)

// t0 is the receive time of the tests' first datagram.
var t0 = time.Unix(1_700_000_000, 0)

// agent generates the datagrams of one exporter: consecutive datagram
// numbers, uptimes 10 ms apart, and per data source consecutive sample
// numbers, a sample_pool that grows by rate per number, and interface
// counters that grow by the bytes the flow samples stand for. Tests plant
// loss by dropping datagrams, or with skip, which skips sample numbers.
type agent struct {
	addr     netip.Addr
	sub      uint32
	seq      uint32
	uptime   uint32
	rate     uint32 // sampling_rate of the flow samples
	frame    uint32 // frame_length of the flow samples
	egress   bool   // flow samples see packets leave (output ifIndex = source index)
	sources  map[sourceKey]*genSource
	uptimeMs uint32 // uptime step; 10 when 0
}

// genSource is the generator state of one data source.
type genSource struct {
	seq     uint32 // next sample number
	pool    uint32 // sample_pool (flow sources)
	drops   uint32 // drops (flow sources)
	octets  uint64 // ifInOctets of its counter samples (counter sources)
	outOcts uint64 // ifOutOctets
}

// newAgent returns a generator for the exporter addr, sub-agent sub, whose
// numbers start at 1, sampling 1 in 100 frames of 1000 bytes.
func newAgent(addr string, sub uint32) *agent {
	return &agent{addr: netip.MustParseAddr(addr), sub: sub, seq: 1, uptime: 1_000_000,
		rate: 100, frame: 1000, sources: map[sourceKey]*genSource{}}
}

// src returns the generator state of a data source (ifIndex index).
func (g *agent) src(k kind, index uint32) *genSource {
	key := sourceKey{kind: k, id: decoded.SourceID{Index: index}}
	s := g.sources[key]
	if s == nil {
		s = &genSource{seq: 1}
		g.sources[key] = s
	}
	return s
}

// skip skips n sample numbers of a data source, as if the samples were
// lost; their packets still grow sample_pool and the interface counters.
func (g *agent) skip(k kind, index, n uint32) {
	s := g.src(k, index)
	s.seq += n
	if k == kindFlow {
		s.pool += n * g.rate
		*g.octets(index) += uint64(n) * g.bytesPerSample()
	}
}

// octets returns the interface counter (ifInOctets, or ifOutOctets for
// egress sampling) that the flow samples of the interface index grow.
func (g *agent) octets(index uint32) *uint64 {
	if g.egress {
		return &g.src(kindCounter, index).outOcts
	}
	return &g.src(kindCounter, index).octets
}

// bytesPerSample is the traffic one flow sample stands for.
func (g *agent) bytesPerSample() uint64 { return uint64(g.frame) * uint64(g.rate) }

// sample says what sample a datagram carries: a kind and an ifIndex.
type sample struct {
	kind  kind
	index uint32
}

// flowOn, counterOn and dropOn are samples of the data source ifIndex i.
func flowOn(i uint32) sample    { return sample{kindFlow, i} }
func counterOn(i uint32) sample { return sample{kindCounter, i} }
func dropOn(i uint32) sample    { return sample{kindDrop, i} }

// next returns the next datagram, carrying the given samples.
func (g *agent) next(samples ...sample) *decoded.Datagram {
	dg := &decoded.Datagram{Version: 5, AgentAddress: g.addr, SubAgentID: g.sub,
		SequenceNumber: g.seq, Uptime: g.uptime}
	g.seq++
	g.uptime += max(g.uptimeMs, 10)
	for _, s := range samples {
		g.add(dg, s)
	}
	return dg
}

// add appends a sample of the next number of its data source to dg.
func (g *agent) add(dg *decoded.Datagram, s sample) {
	src := g.src(s.kind, s.index)
	id := decoded.SourceID{Index: s.index}
	n := src.seq
	src.seq++
	switch s.kind {
	case kindFlow:
		src.pool += g.rate
		*g.octets(s.index) += g.bytesPerSample()
		dg.FlowSamples = append(dg.FlowSamples, g.flowSample(n, id, src))
	case kindCounter:
		dg.CounterSamples = append(dg.CounterSamples, decoded.CounterSample{SequenceNumber: n, SourceID: id,
			Records: decoded.CounterRecords{Has: decoded.HasGenericIf, GenericIf: decoded.GenericIfCounters{
				IfIndex: s.index, IfInOctets: src.octets, IfOutOctets: src.outOcts}}})
	case kindDrop:
		dg.DropSamples = append(dg.DropSamples, decoded.DropSample{SequenceNumber: n, SourceID: id})
	}
}

// flowSample returns flow sample n of data source id, sampled on input id
// (on output id with egress), the other interface being 1000.
func (g *agent) flowSample(n uint32, id decoded.SourceID, src *genSource) decoded.FlowSample {
	in, out := id.Index, uint32(1000)
	if g.egress {
		in, out = out, in
	}
	return decoded.FlowSample{SequenceNumber: n, SourceID: id, SamplingRate: g.rate,
		SamplePool: src.pool, Drops: src.drops,
		Input:  decoded.Interface{Format: decoded.IfFormatSingle, Value: in},
		Output: decoded.Interface{Format: decoded.IfFormatSingle, Value: out},
		Records: decoded.FlowRecords{Has: decoded.HasSampledHeader,
			SampledHeader: decoded.SampledHeader{Protocol: decoded.HeaderProtoEthernet, FrameLength: g.frame}}}
}

// raw returns a datagram of exporter (addr, sub) with number n and uptime
// u, and no samples.
func raw(addr string, sub, n, u uint32) *decoded.Datagram {
	return &decoded.Datagram{Version: 5, AgentAddress: netip.MustParseAddr(addr), SubAgentID: sub,
		SequenceNumber: n, Uptime: u}
}

// testConfig returns the defaults, changed by f.
func testConfig(f func(*Config)) Config {
	c := Defaults()
	if f != nil {
		f(&c)
	}
	return c
}

// newTest returns an Accounting for the defaults changed by f, failing the
// test if they do not validate.
func newTest(t testing.TB, f func(*Config)) *Accounting {
	t.Helper()
	c := testConfig(f)
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	return New(c)
}

// feed accounts the datagrams, all received at at, and returns the
// verdicts of the datagrams, as "P" (process) and "D" (duplicate).
func feed(a *Accounting, at time.Time, dgs ...*decoded.Datagram) string {
	var res Result
	var v []byte
	for _, dg := range dgs {
		a.Account(dg, at, &res)
		v = append(v, "PD"[res.Verdict])
	}
	return string(v)
}

// wantCounts fails the test if the counters of a differ from want.
func wantCounts(t *testing.T, a *Accounting, want Counts) {
	t.Helper()
	if diff := cmp.Diff(want, a.Stats().Load()); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
}

// later is the time far enough after t0 for every gap to be final, and
// before the state expires.
var later = t0.Add(time.Minute)

// equateAddr lets cmp compare netip.Addr values.
var equateAddr = cmp.Comparer(func(a, b netip.Addr) bool { return a == b })
