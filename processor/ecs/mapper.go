package ecs

import (
	"strconv"
	"time"

	"github.com/elastic/elastic-agent-libs/mapstr"

	"github.com/sflowbeat/sflowbeat/input/sflow/decoder"
	"github.com/sflowbeat/sflowbeat/input/sflow/header"
)

// ECSVersion is the ECS version the events follow.
const ECSVersion = "8.17.0"

// Datasets of the three event kinds.
const (
	DatasetFlow     = "sflow.flow"
	DatasetCounters = "sflow.counters"
	DatasetDrops    = "sflow.drops"
)

// Event is one ECS document: the beat publishes it as
// beat.Event{Timestamp, Fields}.
type Event struct {
	Timestamp time.Time
	Fields    mapstr.M
}

// Options configures a Mapper. It is empty for now.
type Options struct{}

// Mapper maps decoded sFlow datagrams to ECS events. It holds a sampled
// header parser and is not safe for concurrent use: use one per worker.
type Mapper struct {
	opts   Options
	parser *header.Parser
	pkt    header.Packet
}

// NewMapper returns a Mapper.
func NewMapper(opts Options) *Mapper {
	return &Mapper{opts: opts, parser: header.NewParser()}
}

// Map appends one event per flow sample, counter sample and drop sample of
// dg to dst, all stamped with received.
func (m *Mapper) Map(dg *decoder.Datagram, received time.Time, dst []Event) []Event {
	for i := range dg.FlowSamples {
		dst = append(dst, Event{Timestamp: received, Fields: m.flowEvent(dg, &dg.FlowSamples[i])})
	}
	for i := range dg.CounterSamples {
		dst = append(dst, Event{Timestamp: received, Fields: counterEvent(dg, &dg.CounterSamples[i])})
	}
	for i := range dg.DropSamples {
		dst = append(dst, Event{Timestamp: received, Fields: m.dropEvent(dg, &dg.DropSamples[i])})
	}
	return dst
}

// base returns the fields every event has: event.*, ecs, observer.ip and
// the datagram header under sflow.*.
func base(dg *decoder.Datagram, dataset, kind, typ string) mapstr.M {
	return mapstr.M{
		"ecs":      mapstr.M{"version": ECSVersion},
		"event":    mapstr.M{"kind": kind, "category": []string{"network"}, "type": []string{typ}, "dataset": dataset, "module": "sflow"},
		"observer": mapstr.M{"ip": dg.AgentAddress.String()},
		"sflow": mapstr.M{
			"version":      dg.Version,
			"sub_agent_id": dg.SubAgentID,
			"sequence_num": dg.SequenceNumber,
			"uptime_ms":    dg.Uptime,
		},
	}
}

// sub returns the map at key of m, creating it.
func sub(m mapstr.M, key string) mapstr.M {
	if v, ok := m[key].(mapstr.M); ok {
		return v
	}
	v := mapstr.M{}
	m[key] = v
	return v
}

// sampleFields sets sflow.sample.* (flow_sample / counters_sample /
// event_discarded_packet common header).
func sampleFields(s mapstr.M, typ string, seq uint32, src decoder.SourceID) {
	s["sample"] = mapstr.M{
		"type":            typ,
		"sequence_number": seq,
		"source_id":       mapstr.M{"type": src.Type, "index": src.Index},
	}
}

// interfaces sets observer.ingress/egress.interface.id and, for the special
// output formats, sflow.input/output.* (sFlow v5 "interface" words).
func interfaces(f mapstr.M, in, out decoder.Interface) {
	setInterface(f, "ingress", "input", in)
	setInterface(f, "egress", "output", out)
}

// setInterface maps one interface word.
func setInterface(f mapstr.M, dir, name string, i decoder.Interface) {
	switch i.Format {
	case decoder.IfFormatSingle:
		switch i.Value {
		case 0:
			return // unknown
		case decoder.IfIndexLocal:
			sub(sub(f, "sflow"), name)["format"] = "local"
		default:
			sub(sub(sub(f, "observer"), dir), "interface")["id"] = strconv.FormatUint(uint64(i.Value), 10)
		}
	case decoder.IfFormatDiscarded:
		sub(sub(f, "sflow"), name)["format"] = "discarded"
		sub(sub(f, "sflow"), name)["discard_reason"] = i.Value
	case decoder.IfFormatMultiple:
		o := sub(sub(f, "sflow"), name)
		o["format"] = "multiple"
		if i.Value != 0 && i.Value != 0x7FFFFFFF {
			o["interfaces"] = i.Value
		}
	default:
		sub(sub(f, "sflow"), name)["format"] = strconv.FormatUint(uint64(i.Format), 10)
	}
}

// flowEvent builds the event of a flow_sample / flow_sample_expanded.
func (m *Mapper) flowEvent(dg *decoder.Datagram, s *decoder.FlowSample) mapstr.M {
	f := base(dg, DatasetFlow, "event", "connection")
	sf := f["sflow"].(mapstr.M)
	typ := "flow_sample"
	if s.Expanded {
		typ = "flow_sample_expanded"
	}
	sampleFields(sf, typ, s.SequenceNumber, s.SourceID)
	sf["sample_rate"] = s.SamplingRate
	sf["sample_pool"] = s.SamplePool
	sf["drops"] = s.Drops
	interfaces(f, s.Input, s.Output)
	m.flowRecords(f, &s.Records, s.SamplingRate)
	return f
}

// dropEvent builds the event of an event_discarded_packet (sFlow drops).
func (m *Mapper) dropEvent(dg *decoder.Datagram, s *decoder.DropSample) mapstr.M {
	f := base(dg, DatasetDrops, "event", "denied")
	sf := f["sflow"].(mapstr.M)
	sampleFields(sf, "event_discarded_packet", s.SequenceNumber, s.SourceID)
	sf["drops"] = s.Drops
	sf["drop"] = mapstr.M{"reason": s.Reason}
	if name := dropReasonName(s.Reason); name != "" {
		sub(f, "event")["reason"] = name
	}
	interfaces(f, s.Input, s.Output)
	m.flowRecords(f, &s.Records, 1)
	return f
}
