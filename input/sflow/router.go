package sflow

import (
	"fmt"
	"strings"
	"time"

	"github.com/elastic/beats/v7/libbeat/beat"
	"github.com/elastic/beats/v7/libbeat/beat/events"
	"github.com/elastic/beats/v7/libbeat/common/fmtstr"
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
	index          *fmtstr.TimestampFormatString // index, when it depends on the event time
	dropCounters   bool                          // no counters data stream to write to
	maps           bool                          // build the fields as maps: fields_under_root could collide with them
	builtin        map[string]*ecs.Object        // agent.*, host.*, and elastic_agent.* under Elastic Agent
}

// dataStream is where events go: their @metadata, and the data_stream.*
// fields (nil when events go to libbeat's index or to index).
type dataStream struct {
	meta, fields mapstr.M
}

// newRouter returns the router of an input; o holds the static fields of
// its index format string and the beat's metadata.
func newRouter(c config.Input, o options) router {
	r := router{maps: c.FieldsUnderRoot && len(c.Fields) > 0, builtin: builtinObjects(c, o.builtin)}
	indexFields := o.indexFields
	d := c.DataStream
	if !d.Enabled() {
		index, timed := staticIndex(c.Index, indexFields)
		r.flow = dataStream{meta: metadata(c, index)}
		r.counters, r.index = r.flow, timed
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

// staticIndex returns the index of an input when it does not depend on
// the event ("" for none), else the format string to run per event (one
// with a time part, %{+yyyy.MM.dd}). Index format strings see the beat's
// static fields and the event time only, as Filebeat's.
func staticIndex(f *fmtstr.EventFormatString, static mapstr.M) (string, *fmtstr.TimestampFormatString) {
	if f == nil || f.IsEmpty() {
		return "", nil
	}
	ts, _ := fmtstr.NewTimestampFormatString(f, static) // cannot fail
	if strings.Contains(ts.String(), "%{+") {
		return "", ts
	}
	index, _ := ts.Run(time.Time{}) // checkIndex refused what would fail
	return index, nil
}

// checkIndex refuses an index format string that reads a field other than
// the beat's static ones: it would name no index.
func checkIndex(f *fmtstr.EventFormatString, static mapstr.M) error {
	if f == nil || f.IsEmpty() {
		return nil
	}
	ts, _ := fmtstr.NewTimestampFormatString(f, static)
	if _, err := ts.Run(time.Now()); err != nil {
		return fmt.Errorf("index %q: %w: an input's index may use the beat's fields (%%{[agent.name]}, %%{[agent.version]}) "+
			"and the event time (%%{+yyyy.MM.dd}) only, as in Filebeat", ts.String(), err)
	}
	return nil
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

// builtinObjects returns the metadata every event gets (agent.*, host.*:
// libbeat's own, given by the beat; under Elastic Agent, agent.id is the
// Agent's and elastic_agent.* is added), as shared objects that
// go-structform folds without reflection; libbeat then leaves these keys
// as they are.
func builtinObjects(c config.Input, builtin mapstr.M) map[string]*ecs.Object {
	out := map[string]*ecs.Object{}
	for k, v := range builtin {
		if m, ok := v.(mapstr.M); ok {
			out[k] = ecs.NewObject(m)
		}
	}
	if a := c.Agent; a.ID != "" {
		agent := mapstr.M{}
		if m, ok := builtin["agent"].(mapstr.M); ok {
			agent = m.Clone()
		}
		agent["id"] = a.ID
		out["agent"] = ecs.NewObject(agent)
		out["elastic_agent"] = ecs.NewObject(mapstr.M{"id": a.ID, "version": a.Version, "snapshot": a.Snapshot})
	}
	return out
}

// timedIndex returns the @metadata of an event whose index depends on its
// time (index: sflow-%{+yyyy.MM.dd}).
func (r router) timedIndex(e *ecs.Event) mapstr.M {
	m := r.flow.meta.Clone()
	if index, err := r.index.Run(e.Timestamp); err == nil {
		m[events.FieldMetaIndex] = index
	}
	return m
}

// filter appends the beat events of evs to dst, without the counter events
// when they are dropped (counted in m).
func (r router) filter(evs []ecs.Event, m *metrics, dst []beat.Event) []beat.Event {
	for i := range evs {
		if r.dropCounters && dataset.IsMetric(evs[i].Dataset) {
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
	if dataset.IsMetric(e.Dataset) {
		ds = r.counters
	}
	ev.Meta = ds.meta
	if r.index != nil {
		ev.Meta = r.timedIndex(e)
	}
	if ds.fields != nil {
		ev.Fields["data_stream"] = ds.fields
	}
	for k, o := range r.builtin {
		ev.Fields[k] = o
	}
	if r.maps {
		ev.Meta = ev.Meta.Clone()
		ecs.Materialize(ev.Fields)
	}
	return ev
}
