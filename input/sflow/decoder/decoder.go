package decoder

import (
	"fmt"

	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoder/header"
)

// Caps on the counts of a datagram, applied before anything is allocated
// (in addition to the cap by the bytes left). Real agents send a few
// samples of a few records each.
const (
	// MaxSamples caps num_samples: a datagram declaring more is rejected
	// with ErrTooMany.
	MaxSamples = 512
	// MaxRecords caps the records of a sample: a sample declaring more is
	// dropped with ErrTooMany.
	MaxRecords = 64
)

// Caps on the arrays inside records, applied before anything is allocated
// (in addition to the cap by the bytes left).
const (
	maxASPathSegments = 64   // extended_gateway dst_as_path
	maxASNs           = 255  // per as_path_segment (a BGP segment holds 255)
	maxCommunities    = 1024 // extended_gateway communities
	maxLabels         = 64   // extended_mpls label stacks
	maxVLANStack      = 16   // extended_vlantunnel
	maxAdapters       = 256  // host_adapters
	maxMACs           = 64   // MAC addresses per host_adapter
	maxLanes          = 16   // sfp lanes
)

// Decoder decodes sFlow datagrams, sampled headers included. It is not
// safe for concurrent use: use one per worker.
type Decoder struct {
	out      *decoded.Datagram   // datagram being decoded
	datagram xdr                 // reader over the whole datagram
	sample   xdr                 // reader over the current sample
	record   xdr                 // reader over the current record
	headers  *header.Parser      // parses the sampled headers
	dup      decoded.FlowRecords // RFC 3176 duplicate extended_data is decoded here (to find what follows) and ignored
}

// NewDecoder returns a Decoder.
func NewDecoder() *Decoder {
	return &Decoder{headers: header.NewParser()}
}

// Decode decodes the sFlow datagram data (version 5, or 2 and 4 of RFC
// 3176) into dg, which is reset first
// (its slices are reused). Byte slices of the records point into data.
// A malformed or unknown sample or record is skipped and counted in
// dg.Stats (the first ones also kept in dg.Errors); an error is returned
// only when the datagram as a whole cannot be decoded: it is then a
// *DatagramError wrapping one of the sentinels (ErrNotSFlow,
// ErrUnsupportedVersion, ErrTruncated, ErrTooMany, ErrAgentAddress,
// ErrPanic).
func (d *Decoder) Decode(data []byte, dg *decoded.Datagram) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &DatagramError{Offset: d.datagram.offset(), Err: fmt.Errorf("%w: %v", ErrPanic, r)}
		}
		d.out = nil
	}()
	dg.Reset()
	d.out = dg
	d.datagram = xdr{b: data}
	n, err := d.decodeHeader()
	if err != nil {
		return err
	}
	if dg.Version == version5 {
		d.decodeSamples(n)
	} else {
		d.decodeSamplesV24(n)
	}
	dg.Stats.TrailingBytes = uint32(d.datagram.left())
	return nil
}

// sFlow datagram versions: 5 (sFlow v5), 2 and 4 (RFC 3176); 1 and 3 were
// never deployed widely and are rejected with ErrUnsupportedVersion.
const (
	version1 uint32 = 1
	version2 uint32 = 2
	version3 uint32 = 3
	version4 uint32 = 4
	version5 uint32 = 5
)

// decodeHeader reads the version word and dispatches to the header
// decoder of that version; it returns num_samples.
func (d *Decoder) decodeHeader() (int, error) {
	x := &d.datagram
	v := x.u32()
	if x.err != nil {
		return 0, &DatagramError{Offset: 0, Err: ErrTruncated}
	}
	d.out.Version = v
	switch v {
	case version5:
		return d.decodeHeaderV5()
	case version2, version4:
		return d.decodeHeaderV24()
	case version1, version3:
		return 0, &DatagramError{Offset: 0, Err: fmt.Errorf("version %d: %w", v, ErrUnsupportedVersion)}
	}
	return 0, &DatagramError{Offset: 0, Err: fmt.Errorf("first word %#08x: %w", v, ErrNotSFlow)}
}

// decodeHeaderV5 decodes the rest of sample_datagram_v5 up to num_samples:
// agent_address, sub_agent_id, sequence_number, uptime, num_samples.
func (d *Decoder) decodeHeaderV5() (int, error) {
	if err := d.decodeAgent(); err != nil {
		return 0, err
	}
	d.out.SubAgentID = d.datagram.u32()
	return d.decodeHeaderTail()
}

// decodeHeaderV24 decodes the rest of the RFC 3176 sample_datagram_v4 (and
// v2) up to the samples count: agent_address, sequence_number, uptime, the
// count of samples<>. There is no sub_agent_id.
func (d *Decoder) decodeHeaderV24() (int, error) {
	if err := d.decodeAgent(); err != nil {
		return 0, err
	}
	return d.decodeHeaderTail()
}

// decodeAgent reads agent_address, an address union of type 1 (IPv4) or 2
// (IPv6); type 0 "unknown" is not an agent.
func (d *Decoder) decodeAgent() error {
	x, dg := &d.datagram, d.out
	at := x.offset()
	dg.AgentAddress = x.addr(ErrAgentAddress)
	if x.err == nil && !dg.AgentAddress.IsValid() {
		x.fail(ErrAgentAddress)
	}
	if x.err != nil {
		return &DatagramError{Offset: at, Err: x.err}
	}
	return nil
}

// decodeHeaderTail reads sequence_number, uptime and the samples count,
// which it checks against MaxSamples and against the bytes left (a sample
// is at least 8 bytes).
func (d *Decoder) decodeHeaderTail() (int, error) {
	x, dg := &d.datagram, d.out
	dg.SequenceNumber = x.u32()
	dg.Uptime = x.u32()
	at := x.offset()
	n := x.count(8, MaxSamples)
	if x.err != nil {
		return 0, &DatagramError{Offset: at, Err: x.err}
	}
	dg.Stats.SamplesDeclared = uint32(n)
	return n, nil
}

// decodeSamples decodes n samples (sample_record: data_format, opaque
// sample_data). The sample length is authoritative: the next sample starts
// after it whatever the sample decoder read.
func (d *Decoder) decodeSamples(n int) {
	x, dg := &d.datagram, d.out
	for i := range n {
		at := x.offset()
		format := x.u32()
		length := x.u32()
		d.sample = x.reader(length)
		if x.err != nil {
			// The sample's framing is broken: nothing after it can be
			// found. Count it and the samples not reached as malformed.
			d.sampleError(i, format, at, x.err)
			dg.Stats.SamplesMalformed += uint32(n - i - 1)
			x.err = nil // the datagram header was fine; keep what was decoded
			return
		}
		if err := d.decodeSample(format); err != nil {
			d.sampleError(i, format, at, err)
		}
	}
}

// sampleError counts a dropped sample and keeps its error.
func (d *Decoder) sampleError(i int, format uint32, at int, err error) {
	d.out.Stats.SamplesMalformed++
	d.keep(&SampleError{Index: i, Format: format, Offset: at, Err: err})
}

// recordError counts a dropped record and keeps its error.
func (d *Decoder) recordError(format uint32, at int, err error) {
	d.out.Stats.RecordsMalformed++
	d.keep(&RecordError{Format: format, Offset: at, Err: err})
}

// keep appends err to dg.Errors unless MaxErrorsKept are kept already.
func (d *Decoder) keep(err error) {
	if len(d.out.Errors) < decoded.MaxErrorsKept {
		d.out.Errors = append(d.out.Errors, err)
	}
}

// decodeSample dispatches on the sample data_format; unknown formats are
// counted and skipped.
func (d *Decoder) decodeSample(format uint32) error {
	switch format {
	case decoded.SampleFlow:
		return d.decodeFlowSample(false)
	case decoded.SampleFlowExpanded:
		return d.decodeFlowSample(true)
	case decoded.SampleCounters:
		return d.decodeCounterSample(false)
	case decoded.SampleCountersExpanded:
		return d.decodeCounterSample(true)
	case decoded.SampleDiscarded:
		return d.decodeDropSample()
	}
	d.out.Stats.SamplesUnknown++
	return nil
}
