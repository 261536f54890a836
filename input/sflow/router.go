package sflow

import (
	"github.com/elastic/beats/v7/libbeat/beat"
	"github.com/elastic/beats/v7/libbeat/beat/events"
	"github.com/elastic/elastic-agent-libs/mapstr"

	"github.com/sflowbeat/sflowbeat/config"
	"github.com/sflowbeat/sflowbeat/processor/ecs"
	"github.com/sflowbeat/sflowbeat/processor/ecs/dataset"
)

// mapperOptions returns the mapping options of an input, with the
// interface-name table its workers share.
func mapperOptions(c config.Input, names *ecs.InterfaceNames) ecs.Options {
	return ecs.Options{PreserveOriginal: c.PreserveOriginalEvent, InternalNetworks: c.InternalNetworks, InterfaceNames: names}
}

// interfaceNames returns the interface-name table of an input, with the
// configured names.
func interfaceNames(c config.Input) *ecs.InterfaceNames {
	names := ecs.NewInterfaceNames()
	for _, n := range c.InterfaceNames {
		names.Set(n.Exporter.Addr, n.IfIndex, n.Name, n.Alias)
	}
	return names
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
		counters:     dataStream{index: d.CountersIndex(), typ: dataset.MetricsType, dataset: dataset.Counters, namespace: d.Namespace},
		dropCounters: !d.CountersEnabled(),
	}
}

// filter appends the beat events of evs to dst, without the counter events
// when they are dropped (counted in m).
func (r router) filter(evs []ecs.Event, m *metrics, dst []beat.Event) []beat.Event {
	for _, e := range evs {
		if r.dropCounters && e.Dataset == dataset.Counters {
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
	if e.Dataset == dataset.Counters {
		ds = r.counters
	}
	if ds.index == "" {
		return ev
	}
	ev.Meta = mapstr.M{events.FieldMetaIndex: ds.index}
	ev.Fields["data_stream"] = mapstr.M{"type": ds.typ, "dataset": ds.dataset, "namespace": ds.namespace}
	return ev
}
