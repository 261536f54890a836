package ecs

import (
	"math"
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
// beat.Event{Timestamp, Fields: Doc.Fields()} (or Doc.Map() when
// processors must see the fields as maps).
type Event struct {
	Timestamp time.Time
	Dataset   string // event.dataset: dataset.Flow, dataset.Counters or dataset.Drops
	Doc       *Doc
}

// Map returns the event's fields as nested maps (see Doc.Map).
func (e *Event) Map() mapstr.M { return e.Doc.Map() }

// Options configures a Mapper.
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
// dg to dst, all stamped with received; samples the accounting stage found
// to be duplicates are left out.
func (m *Mapper) Map(dg *decoded.Datagram, received time.Time, dst []Event) []Event {
	for i := range dg.FlowSamples {
		if s := &dg.FlowSamples[i]; !s.Accounted.Duplicate {
			dst = append(dst, Event{Timestamp: received, Doc: m.flowEvent(dg, s), Dataset: dataset.Flow})
		}
	}
	for i := range dg.CounterSamples {
		if s := &dg.CounterSamples[i]; !s.Duplicate {
			m.learnPortName(dg.AgentAddress, s)
			dst = append(dst, Event{Timestamp: received, Doc: counterEvent(dg, s), Dataset: dataset.Counters})
		}
	}
	for i := range dg.DropSamples {
		if s := &dg.DropSamples[i]; !s.Accounted.Duplicate {
			dst = append(dst, Event{Timestamp: received, Doc: m.dropEvent(dg, s), Dataset: dataset.Drops})
		}
	}
	return dst
}

// eventKind is what differs between the three kinds of events: the
// event.* constants.
type eventKind struct {
	dataset, kind string
	typ           []string // event.type
}

// Static lists, shared by every event: nothing changes them (libbeat's
// add_tags copies tags before it appends).
var (
	categoryNetwork = []string{"network"}
	defaultTags     = []string{"sflow", "forwarded"} // the tags of the GoFlow2 integration; inputs may add more
	preservedTags   = []string{"sflow", "forwarded", "preserve_original_event"}
)

// The three kinds of events.
var (
	flowKind    = eventKind{dataset: dataset.Flow, kind: "event", typ: []string{"connection"}}
	counterKind = eventKind{dataset: dataset.Counters, kind: "metric", typ: []string{"info"}}
	dropKind    = eventKind{dataset: dataset.Drops, kind: "event", typ: []string{"denied"}}
)

// Fields every event has.
var (
	fECSVersion     = must("ecs.version")
	fTags           = must("tags")
	fEventKind      = must("event.kind")
	fEventCategory  = must("event.category")
	fEventType      = must("event.type")
	fEventDataset   = must("event.dataset")
	fEventModule    = must("event.module")
	fEventAction    = must("event.action")
	fObserverIP     = must("observer.ip")
	fVersion        = must("sflow.version")
	fSequenceNum    = must("sflow.sequence_num")
	fUptime         = must("sflow.uptime_ms")
	fSubAgentID     = must("sflow.sub_agent_id")
	fSampleType     = must("sflow.sample.type")
	fSampleSequence = must("sflow.sample.sequence_number")
	fSourceIDType   = must("sflow.sample.source_id.type")
	fSourceIDIndex  = must("sflow.sample.source_id.index")
)

// base returns a Doc with the fields every event has: event.*, ecs,
// observer.ip, tags and the datagram header under sflow.*.
func base(dg *decoded.Datagram, k *eventKind) *Doc {
	d := newDoc()
	d.str(fECSVersion, ECSVersion)
	d.list(fTags, defaultTags)
	d.str(fEventKind, k.kind)
	d.list(fEventCategory, categoryNetwork)
	d.list(fEventType, k.typ)
	d.str(fEventDataset, k.dataset)
	d.str(fEventModule, "sflow")
	d.str(fEventAction, action(dg.Version))
	d.ip(fObserverIP, dg.AgentAddress)
	d.uint(fVersion, uint64(dg.Version))
	d.uint(fSequenceNum, uint64(dg.SequenceNumber))
	d.uint(fUptime, uint64(dg.Uptime))
	if dg.Version >= 5 { // RFC 3176 datagrams have no sub-agent
		d.uint(fSubAgentID, uint64(dg.SubAgentID))
	}
	return d
}

// action returns event.action: "SFLOW_" and the datagram version, the value
// the GoFlow2 chain put there ("SFLOW_5").
func action(version uint32) string {
	switch version {
	case 5:
		return "SFLOW_5"
	case 4:
		return "SFLOW_4"
	case 2:
		return "SFLOW_2"
	}
	return "SFLOW_" + strconv.FormatUint(uint64(version), 10)
}

// sampleFields sets sflow.sample.* (flow_sample / counters_sample /
// event_discarded_packet common header).
func sampleFields(d *Doc, typ string, seq uint32, src decoded.SourceID) {
	d.str(fSampleType, typ)
	d.uint(fSampleSequence, uint64(seq))
	d.uint(fSourceIDType, uint64(src.Type))
	d.uint(fSourceIDIndex, uint64(src.Index))
}

// The fields of an interface word, by direction.
var (
	ingress = ifaceFields{id: must("observer.ingress.interface.id"), name: must("observer.ingress.interface.name"),
		alias: must("observer.ingress.interface.alias"), format: must("sflow.input.format"),
		reason: must("sflow.input.discard_reason"), count: must("sflow.input.interfaces")}
	egress = ifaceFields{id: must("observer.egress.interface.id"), name: must("observer.egress.interface.name"),
		alias: must("observer.egress.interface.alias"), format: must("sflow.output.format"),
		reason: must("sflow.output.discard_reason"), count: must("sflow.output.interfaces")}
)

// ifaceFields are the fields of one direction of a flow or drop sample.
type ifaceFields struct {
	id, name, alias       field // observer.<dir>.interface.*
	format, reason, count field // sflow.<input|output>.*
}

// interfaces sets observer.ingress/egress.interface.id (and name, alias
// from the interface-name table) and, for the special output formats,
// sflow.input/output.* (sFlow v5 "interface" words).
func (m *Mapper) interfaces(d *Doc, dg *decoded.Datagram, in, out decoded.Interface) {
	m.setInterface(d, &ingress, in, dg)
	m.setInterface(d, &egress, out, dg)
}

// setInterface maps one interface word. 0x3FFFFFFF means the agent itself
// only in sFlow v5; in RFC 3176 it is an ordinary ifIndex.
func (m *Mapper) setInterface(d *Doc, f *ifaceFields, i decoded.Interface, dg *decoded.Datagram) {
	switch i.Format {
	case decoded.IfFormatSingle:
		switch {
		case i.Value == 0:
			return // unknown
		case i.Value == decoded.IfIndexLocal && dg.Version >= 5:
			d.str(f.format, "local")
		default:
			d.decimal(f.id, uint64(i.Value))
			m.nameInterface(d, f, dg.AgentAddress, i.Value)
		}
	case decoded.IfFormatDiscarded:
		d.str(f.format, "discarded")
		d.uint(f.reason, uint64(i.Value))
	case decoded.IfFormatMultiple:
		d.str(f.format, "multiple")
		if i.Value != 0 && i.Value != decoded.IfMultipleUnknown {
			d.uint(f.count, uint64(i.Value))
		}
	default:
		d.str(f.format, strconv.FormatUint(uint64(i.Format), 10))
	}
}

// Fields of flow and drop samples.
var (
	fSampleRate  = must("sflow.sample_rate")
	fSamplePool  = must("sflow.sample_pool")
	fDrops       = must("sflow.drops")
	fDropReason  = must("sflow.drop.reason")
	fEventReason = must("event.reason")
)

// flowEvent builds the event of a flow_sample / flow_sample_expanded.
func (m *Mapper) flowEvent(dg *decoded.Datagram, s *decoded.FlowSample) *Doc {
	d := base(dg, &flowKind)
	typ := "flow_sample"
	if s.Expanded {
		typ = "flow_sample_expanded"
	}
	sampleFields(d, typ, s.SequenceNumber, s.SourceID)
	d.uint(fSampleRate, uint64(s.SamplingRate))
	d.uint(fSamplePool, uint64(s.SamplePool))
	d.uintNonZero(fDrops, uint64(s.Drops))
	m.interfaces(d, dg, s.Input, s.Output)
	est := flowEstimate(s)
	est.write(d)
	m.flowRecords(d, &s.Records, est)
	return d
}

// dropEvent builds the event of an event_discarded_packet (sFlow drops).
func (m *Mapper) dropEvent(dg *decoded.Datagram, s *decoded.DropSample) *Doc {
	d := base(dg, &dropKind)
	sampleFields(d, "event_discarded_packet", s.SequenceNumber, s.SourceID)
	d.uintNonZero(fDrops, uint64(s.Drops))
	d.uint(fDropReason, uint64(s.Reason))
	if name := dropReasonName(s.Reason); name != "" {
		d.str(fEventReason, name)
	}
	m.interfaces(d, dg, s.Input, s.Output)
	m.flowRecords(d, &s.Records, unsampled)
	return d
}

// estimate is how the packet of a flow or drop sample stands for traffic:
// the sampling rate applied, where it comes from, and the loss
// compensation factor. network.packets is rate x factor, network.bytes
// the frame length times that.
type estimate struct {
	rate   uint32
	source decoded.RateSource
	factor float64
}

// unsampled is the estimate of a drop event: each drop is reported.
var unsampled = estimate{rate: 1, source: decoded.RateUnsampled, factor: 1}

// flowEstimate returns the estimate of a flow sample: what the accounting
// stage decided, or the sample's own sampling_rate when it did not run.
func flowEstimate(s *decoded.FlowSample) estimate {
	a := s.Accounted
	if a.RateSource == decoded.RateNotAccounted {
		e := estimate{rate: s.SamplingRate, source: decoded.RateReported, factor: 1}
		if s.SamplingRate == 0 {
			e.source = decoded.RateMissing
		}
		return e
	}
	return estimate{rate: a.Rate, source: a.RateSource, factor: max(a.Factor, 1)}
}

// Fields of the estimate, set when it is not the plain reported rate.
var (
	fRateSource  = must("sflow.sampling.rate_source")
	fAppliedRate = must("sflow.sampling.applied_rate")
	fFactor      = must("sflow.sampling.compensation_factor")
)

// write sets sflow.sampling.* when the estimate is not the reported
// sampling_rate alone: a rule's rate, no rate at all (then there is no
// network.bytes or network.packets: nothing silently says 0), or a loss
// compensation factor.
func (e estimate) write(d *Doc) {
	if e.source != decoded.RateReported {
		d.str(fRateSource, e.source.String())
		d.uintNonZero(fAppliedRate, uint64(e.rate))
	}
	if e.factor > 1 {
		d.float(fFactor, e.factor)
	}
}

// packets returns the estimated packets, rounded: rate x factor.
func (e estimate) packets() uint64 { return uint64(math.Round(float64(e.rate) * e.factor)) }

// bytes returns the estimated bytes of a frame, rounded.
func (e estimate) bytes(frame uint32) uint64 {
	return uint64(math.Round(float64(frame) * float64(e.rate) * e.factor))
}
