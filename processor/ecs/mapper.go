package ecs

import (
	"net/netip"
	"strconv"
	"time"

	"github.com/elastic/elastic-agent-libs/mapstr"

	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
	"github.com/sflowbeat/sflowbeat/processor/ecs/dataset"
)

// ECSVersion is the ECS version the events follow.
const ECSVersion = "8.17.0"

// Event is one ECS document: the beat publishes it as
// beat.Event{Timestamp, Fields}.
type Event struct {
	Timestamp time.Time
	Fields    mapstr.M
	Dataset   string // event.dataset: dataset.Flow, dataset.Counters or dataset.Drops
}

// Options configures a Mapper. It is empty for now.
type Options struct {
	// PreserveOriginal sets event.original of flow and drop events to the
	// sampled packet header, hex-encoded.
	PreserveOriginal bool
	// InternalNetworks, when set, gives flows source.locality,
	// destination.locality and network.direction, as Filebeat's netflow
	// input does.
	InternalNetworks []netip.Prefix
	// InterfaceNames names the interfaces of flow and drop events; counter
	// samples with port names teach it. Share one between the mappers of an
	// input. Nil: no names.
	InterfaceNames *InterfaceNames
}

// Mapper maps decoded sFlow datagrams to ECS events. It is not safe for
// concurrent use: use one per worker.
type Mapper struct {
	opts  Options
	names *InterfaceNames
}

// NewMapper returns a Mapper.
func NewMapper(opts Options) *Mapper {
	return &Mapper{opts: opts, names: opts.InterfaceNames}
}

// Map appends one event per flow sample, counter sample and drop sample of
// dg to dst, all stamped with received.
func (m *Mapper) Map(dg *decoded.Datagram, received time.Time, dst []Event) []Event {
	for i := range dg.FlowSamples {
		dst = append(dst, Event{Timestamp: received, Fields: m.flowEvent(dg, &dg.FlowSamples[i]), Dataset: dataset.Flow})
	}
	for i := range dg.CounterSamples {
		m.learnPortName(dg.AgentAddress, &dg.CounterSamples[i])
		dst = append(dst, Event{Timestamp: received, Fields: counterEvent(dg, &dg.CounterSamples[i]), Dataset: dataset.Counters})
	}
	for i := range dg.DropSamples {
		dst = append(dst, Event{Timestamp: received, Fields: m.dropEvent(dg, &dg.DropSamples[i]), Dataset: dataset.Drops})
	}
	return dst
}

// eventKind is what differs between the three kinds of events: the
// event.* constants and the expected sizes of the maps that outgrow Go's
// small-map size (8 entries), allocated up front so that they do not grow
// while the event is built.
type eventKind struct {
	dataset, kind, typ string
	topKeys, sflowKeys int
}

// The three kinds of events.
var (
	flowKind    = eventKind{dataset: dataset.Flow, kind: "event", typ: "connection", topKeys: 10, sflowKeys: 14}
	counterKind = eventKind{dataset: dataset.Counters, kind: "metric", typ: "info", topKeys: 5, sflowKeys: 6}
	dropKind    = eventKind{dataset: dataset.Drops, kind: "event", typ: "denied", topKeys: 10, sflowKeys: 14}
)

// base returns the fields every event has: event.*, ecs, observer.ip and
// the datagram header under sflow.*.
func base(dg *decoded.Datagram, k *eventKind) mapstr.M {
	s := make(mapstr.M, k.sflowKeys)
	s["version"], s["sequence_num"], s["uptime_ms"] = dg.Version, dg.SequenceNumber, dg.Uptime
	if dg.Version >= 5 { // RFC 3176 datagrams have no sub-agent
		s["sub_agent_id"] = dg.SubAgentID
	}
	f := make(mapstr.M, k.topKeys)
	f["ecs"] = mapstr.M{"version": ECSVersion}
	f["tags"] = []string{"sflow", "forwarded"} // the tags of the GoFlow2 integration; inputs may add more
	f["event"] = mapstr.M{"kind": k.kind, "category": []string{"network"}, "type": []string{k.typ},
		"dataset": k.dataset, "module": "sflow", "action": action(dg.Version)}
	f["observer"] = mapstr.M{"ip": dg.AgentAddress.String()}
	f["sflow"] = s
	return f
}

// action returns event.action: "SFLOW_" and the datagram version, the value
// the GoFlow2 chain put there ("SFLOW_5").
func action(version uint32) string {
	if version == 5 {
		return "SFLOW_5"
	}
	return "SFLOW_" + strconv.FormatUint(uint64(version), 10)
}

// child returns the map at key of m, creating it.
func child(m mapstr.M, key string) mapstr.M {
	if v, ok := m[key].(mapstr.M); ok {
		return v
	}
	v := mapstr.M{}
	m[key] = v
	return v
}

// sampleFields sets sflow.sample.* (flow_sample / counters_sample /
// event_discarded_packet common header).
func sampleFields(s mapstr.M, typ string, seq uint32, src decoded.SourceID) {
	s["sample"] = mapstr.M{
		"type":            typ,
		"sequence_number": seq,
		"source_id":       mapstr.M{"type": src.Type, "index": src.Index},
	}
}

// interfaces sets observer.ingress/egress.interface.id (and name, alias
// from the interface-name table) and, for the special output formats,
// sflow.input/output.* (sFlow v5 "interface" words).
func (m *Mapper) interfaces(f mapstr.M, dg *decoded.Datagram, in, out decoded.Interface) {
	m.setInterface(f, "ingress", "input", in, dg)
	m.setInterface(f, "egress", "output", out, dg)
}

// setInterface maps one interface word. 0x3FFFFFFF means the agent itself
// only in sFlow v5; in RFC 3176 it is an ordinary ifIndex.
func (m *Mapper) setInterface(f mapstr.M, dir, name string, i decoded.Interface, dg *decoded.Datagram) {
	switch i.Format {
	case decoded.IfFormatSingle:
		switch {
		case i.Value == 0:
			return // unknown
		case i.Value == decoded.IfIndexLocal && dg.Version >= 5:
			child(child(f, "sflow"), name)["format"] = "local"
		default:
			iface := child(child(child(f, "observer"), dir), "interface")
			iface["id"] = strconv.FormatUint(uint64(i.Value), 10)
			m.nameInterface(iface, dg.AgentAddress, i.Value)
		}
	case decoded.IfFormatDiscarded:
		child(child(f, "sflow"), name)["format"] = "discarded"
		child(child(f, "sflow"), name)["discard_reason"] = i.Value
	case decoded.IfFormatMultiple:
		o := child(child(f, "sflow"), name)
		o["format"] = "multiple"
		if i.Value != 0 && i.Value != decoded.IfMultipleUnknown {
			o["interfaces"] = i.Value
		}
	default:
		child(child(f, "sflow"), name)["format"] = strconv.FormatUint(uint64(i.Format), 10)
	}
}

// flowEvent builds the event of a flow_sample / flow_sample_expanded.
func (m *Mapper) flowEvent(dg *decoded.Datagram, s *decoded.FlowSample) mapstr.M {
	f := base(dg, &flowKind)
	sf := f["sflow"].(mapstr.M)
	typ := "flow_sample"
	if s.Expanded {
		typ = "flow_sample_expanded"
	}
	sampleFields(sf, typ, s.SequenceNumber, s.SourceID)
	sf["sample_rate"] = s.SamplingRate
	sf["sample_pool"] = s.SamplePool
	sf["drops"] = s.Drops
	m.interfaces(f, dg, s.Input, s.Output)
	m.flowRecords(f, &s.Records, s.SamplingRate)
	return f
}

// dropEvent builds the event of an event_discarded_packet (sFlow drops).
func (m *Mapper) dropEvent(dg *decoded.Datagram, s *decoded.DropSample) mapstr.M {
	f := base(dg, &dropKind)
	sf := f["sflow"].(mapstr.M)
	sampleFields(sf, "event_discarded_packet", s.SequenceNumber, s.SourceID)
	sf["drops"] = s.Drops
	sf["drop"] = mapstr.M{"reason": s.Reason}
	if name := dropReasonName(s.Reason); name != "" {
		child(f, "event")["reason"] = name
	}
	m.interfaces(f, dg, s.Input, s.Output)
	m.flowRecords(f, &s.Records, 1)
	return f
}
