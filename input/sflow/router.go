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

// router turns an input's ECS events into beat events: it sets their
// @metadata (index, pipeline) and sends them to data streams as Elastic
// Agent expects (see config.DataStream): flow and drop events to the flow
// data stream, counter events to the counters data stream, with
// data_stream.* set. It shares, between the events of an input, what no
// one changes: the data_stream fields and @metadata (the beat's
// Materialize copies them before any processor runs; libbeat's own
// @metadata processor, which would change them, never runs: the client
// has no Meta).
type router struct {
	flow, counters dataStream
	dropCounters   bool     // no counters data stream to write to
	maps           bool     // build the fields as maps: fields_under_root could collide with them
	elasticAgent   mapstr.M // elastic_agent.*, under Elastic Agent
	agentID        string   // agent.id, under Elastic Agent
}

// dataStream is where events go: their @metadata, and the data_stream.*
// fields (nil when events go to libbeat's index or to index).
type dataStream struct {
	meta, fields mapstr.M
}

// newRouter returns the router of an input.
func newRouter(c config.Input) router {
	r := router{maps: c.FieldsUnderRoot && len(c.Fields) > 0, agentID: c.Agent.ID}
	if a := c.Agent; a.ID != "" {
		r.elasticAgent = mapstr.M{"id": a.ID, "version": a.Version, "snapshot": a.Snapshot}
	}
	d := c.DataStream
	if !d.Enabled() {
		r.flow = dataStream{meta: metadata(c, c.Index)}
		r.counters = r.flow
		return r
	}
	r.flow = newDataStream(c, d.FlowIndex(), d.Type, d.Dataset)
	r.counters = newDataStream(c, d.CountersIndex(), dataset.MetricsType, dataset.Counters)
	r.dropCounters = !d.CountersEnabled()
	return r
}

// newDataStream returns the shared fields of a data stream.
func newDataStream(c config.Input, index, typ, ds string) dataStream {
	return dataStream{meta: metadata(c, index),
		fields: mapstr.M{"type": typ, "dataset": ds, "namespace": c.DataStream.Namespace}}
}

// metadata returns the @metadata of an input's events: index and pipeline,
// and, under Elastic Agent, the ids of the unit and stream; nil if empty.
func metadata(c config.Input, index string) mapstr.M {
	m := mapstr.M{}
	for k, v := range map[string]string{events.FieldMetaIndex: index, events.FieldMetaPipeline: c.Pipeline,
		"input_id": c.Agent.InputID, "stream_id": c.Agent.StreamID} {
		if v != "" {
			m[k] = v
		}
	}
	if len(m) == 0 {
		return nil
	}
	return m
}

// filter appends the beat events of evs to dst, without the counter events
// when they are dropped (counted in m).
func (r router) filter(evs []ecs.Event, m *metrics, dst []beat.Event) []beat.Event {
	for i := range evs {
		if r.dropCounters && evs[i].Dataset == dataset.Counters {
			m.countersDropped.Inc()
			continue
		}
		dst = append(dst, r.event(&evs[i]))
	}
	return dst
}

// event returns the beat event of e, in its data stream when routing is on.
func (r router) event(e *ecs.Event) beat.Event {
	ev := beat.Event{Timestamp: e.Timestamp, Fields: e.Doc.Fields()}
	ds := r.flow
	if e.Dataset == dataset.Counters {
		ds = r.counters
	}
	ev.Meta = ds.meta
	if ds.fields != nil {
		ev.Fields["data_stream"] = ds.fields
	}
	if r.agentID != "" {
		ev.Fields["elastic_agent"] = r.elasticAgent
		ev.Fields["agent"] = mapstr.M{"id": r.agentID} // libbeat adds the beat's agent.* to it: one per event
	}
	if r.maps {
		ev.Meta = ev.Meta.Clone()
		ecs.Materialize(ev.Fields)
	}
	return ev
}
