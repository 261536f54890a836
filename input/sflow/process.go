package sflow

import (
	"net/netip"

	"github.com/elastic/beats/v7/libbeat/beat"
	"github.com/elastic/beats/v7/libbeat/beat/events"
	"github.com/elastic/elastic-agent-libs/mapstr"
	"github.com/google/gopacket"

	"github.com/sflowbeat/sflowbeat/config"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoder"
	"github.com/sflowbeat/sflowbeat/processor/ecs"
)

// processor turns one datagram into beat events: decode, count, map. It
// reuses its buffers between datagrams and belongs to one worker.
type processor struct {
	m      *metrics
	bad    *rateLog
	layer  decoder.Layer // the sFlow gopacket DecodingLayer; holds the decoded datagram
	mapper *ecs.Mapper
	route  router // data stream of each event; zero: libbeat's index
	evs    []ecs.Event
	out    []beat.Event
}

// newProcessor returns a processor for the input configured by c.
func newProcessor(c config.Input, m *metrics, bad *rateLog, names *ecs.InterfaceNames) *processor {
	return &processor{
		m:      m,
		bad:    bad,
		mapper: ecs.NewMapper(mapperOptions(c, names)),
		route:  newRouter(c.DataStream),
	}
}

// mapperOptions returns the mapping options of an input (its
// configuration was validated, so the networks parse).
func mapperOptions(c config.Input, names *ecs.InterfaceNames) ecs.Options {
	nets, _ := config.ParseNetworks(c.InternalNetworks)
	return ecs.Options{PreserveOriginal: c.PreserveOriginalEvent, InternalNetworks: nets, InterfaceNames: names}
}

// interfaceNames returns the interface-name table of an input, with the
// configured names.
func interfaceNames(c config.Input) *ecs.InterfaceNames {
	names := ecs.NewInterfaceNames()
	for _, n := range c.InterfaceNames {
		names.Set(netip.MustParseAddr(n.Exporter), n.IfIndex, n.Name, n.Alias) // validated
	}
	return names
}

// process decodes d and returns its events; the slice is reused by the
// next call.
func (p *processor) process(d *datagram) []beat.Event {
	data := d.buf[:d.n]
	if d.n == len(d.buf) {
		// The datagram filled the buffer, which is one byte larger than
		// max_message_size: it was larger and the kernel truncated it.
		p.m.invalid(decoder.ErrTruncated)
		p.bad.Warnw(d.at, "datagram larger than max_message_size dropped", "exporter", d.from.String(), "max_message_size", len(d.buf)-1)
		return nil
	}
	if err := p.layer.DecodeFromBytes(data, gopacket.NilDecodeFeedback); err != nil {
		p.m.invalid(err)
		p.bad.Warnw(d.at, "invalid sFlow datagram dropped", "exporter", d.from.String(), "error", err)
		return nil
	}
	dg := &p.layer.Datagram
	p.m.decoded(dg)
	if len(dg.Errors) > 0 {
		p.bad.Warnw(d.at, "sFlow datagram partly decoded", "exporter", d.from.String(), "first_error", dg.Errors[0],
			"samples_invalid", dg.Stats.SamplesMalformed, "records_invalid", dg.Stats.RecordsMalformed)
	}
	p.evs = p.mapper.Map(dg, d.at, p.evs[:0])
	p.out = p.route.filter(p.evs, p.m, p.out[:0])
	return p.out
}

// router sends events to data streams as Elastic Agent expects (see
// config.DataStream): flow and drop events to the flow data stream,
// counter events to the counters data stream, with data_stream.* set.
type router struct {
	flow, counters dataStream
	dropCounters   bool // no counters data stream to write to
}

// dataStream is one data stream: its name and data_stream.* values.
type dataStream struct {
	index, typ, dataset, namespace string
}

// newRouter returns the router of an input's data_stream settings; it
// routes nothing when they are off.
func newRouter(d config.DataStream) router {
	if !d.Enabled() {
		return router{}
	}
	return router{
		flow:         dataStream{index: d.FlowIndex(), typ: d.Type, dataset: d.Dataset, namespace: d.Namespace},
		counters:     dataStream{index: d.CountersIndex(), typ: config.CountersType, dataset: config.CountersDataset, namespace: d.Namespace},
		dropCounters: !d.CountersEnabled(),
	}
}

// filter appends the beat events of evs to dst, without the counter events
// when they are dropped (counted in m).
func (r router) filter(evs []ecs.Event, m *metrics, dst []beat.Event) []beat.Event {
	for _, e := range evs {
		if r.dropCounters && e.Dataset == ecs.DatasetCounters {
			m.countersDropped.Inc()
			continue
		}
		dst = append(dst, r.event(e))
	}
	return dst
}

// event returns the beat event of e, in its data stream when routing is on.
func (r router) event(e ecs.Event) beat.Event {
	ev := beat.Event{Timestamp: e.Timestamp, Fields: e.Fields}
	ds := r.flow
	if e.Dataset == ecs.DatasetCounters {
		ds = r.counters
	}
	if ds.index == "" {
		return ev
	}
	ev.Meta = mapstr.M{events.FieldMetaIndex: ds.index}
	ev.Fields["data_stream"] = mapstr.M{"type": ds.typ, "dataset": ds.dataset, "namespace": ds.namespace}
	return ev
}
