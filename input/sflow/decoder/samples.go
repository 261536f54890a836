package decoder

import "github.com/sflowbeat/sflowbeat/input/sflow/decoded"

// compactSource converts a compact sflow_data_source word (type in the top
// 8 bits, index in the low 24), sFlow v5 section 5.
func compactSource(v uint32) decoded.SourceID {
	return decoded.SourceID{Type: v >> 24, Index: v & 0x00FFFFFF}
}

// compactInterface converts a compact interface word (format in the top 2
// bits, value in the low 30), sFlow v5 flow_sample input/output.
func compactInterface(v uint32) decoded.Interface {
	return decoded.Interface{Format: v >> 30, Value: v & decoded.IfIndexLocal} // the low 30 bits
}

// source reads a sflow_data_source (compact) or sflow_data_source_expanded
// (source_id_type, source_id_index).
func (x *xdr) source(expanded bool) decoded.SourceID {
	if expanded {
		return decoded.SourceID{Type: x.u32(), Index: x.u32()}
	}
	return compactSource(x.u32())
}

// iface reads an interface (compact) or interface_expanded (format, value).
func (x *xdr) iface(expanded bool) decoded.Interface {
	if expanded {
		return decoded.Interface{Format: x.u32(), Value: x.u32()}
	}
	return compactInterface(x.u32())
}

// decodeFlowSample decodes flow_sample (0:1, sFlow v5 section 5.2) or
// flow_sample_expanded (0:3): sequence_number, source_id, sampling_rate,
// sample_pool, drops, input, output, flow_records.
func (d *Decoder) decodeFlowSample(expanded bool) error {
	x, dg := &d.sample, d.out
	n := len(dg.FlowSamples)
	dg.FlowSamples = extend(dg.FlowSamples)
	s := &dg.FlowSamples[n]
	s.Accounted = decoded.Accounted{} // the slot is reused
	s.Expanded = expanded
	s.SequenceNumber = x.u32()
	s.SourceID = x.source(expanded)
	s.SamplingRate = x.u32()
	s.SamplePool = x.u32()
	s.Drops = x.u32()
	s.Input = x.iface(expanded)
	s.Output = x.iface(expanded)
	if err := d.decodeFlowRecords(&s.Records); err != nil {
		dg.FlowSamples = dg.FlowSamples[:n]
		return err
	}
	d.parseSampledHeader(&s.Records)
	dg.Stats.SamplesDecoded++
	return nil
}

// decodeDropSample decodes event_discarded_packet (0:5, sflow_drops.txt):
// sequence_number, source_id (expanded form), drops, input, output (compact
// interface words), reason, discarded flow_records.
func (d *Decoder) decodeDropSample() error {
	x, dg := &d.sample, d.out
	n := len(dg.DropSamples)
	dg.DropSamples = extend(dg.DropSamples)
	s := &dg.DropSamples[n]
	s.Accounted = decoded.Accounted{} // the slot is reused
	s.SequenceNumber = x.u32()
	s.SourceID = x.source(true)
	s.Drops = x.u32()
	s.Input = x.iface(false)
	s.Output = x.iface(false)
	s.Reason = x.u32()
	if err := d.decodeFlowRecords(&s.Records); err != nil {
		dg.DropSamples = dg.DropSamples[:n]
		return err
	}
	d.parseSampledHeader(&s.Records)
	dg.Stats.SamplesDecoded++
	return nil
}

// decodeCounterSample decodes counters_sample (0:2, sFlow v5 section 5.4)
// or counters_sample_expanded (0:4): sequence_number, source_id,
// counter_records.
func (d *Decoder) decodeCounterSample(expanded bool) error {
	x, dg := &d.sample, d.out
	n := len(dg.CounterSamples)
	dg.CounterSamples = extend(dg.CounterSamples)
	s := &dg.CounterSamples[n]
	s.Duplicate = false // the slot is reused
	s.Expanded = expanded
	s.SequenceNumber = x.u32()
	s.SourceID = x.source(expanded)
	s.Interval = 0 // RFC 3176 only
	if err := d.decodeCounterRecords(&s.Records); err != nil {
		dg.CounterSamples = dg.CounterSamples[:n]
		return err
	}
	dg.Stats.SamplesDecoded++
	return nil
}

// recordCount reads the record count of a sample, capped by MaxRecords
// and by the bytes left (a record is at least 8 bytes).
func (d *Decoder) recordCount() (int, error) {
	n := d.sample.count(8, MaxRecords)
	return n, d.sample.err
}

// nextRecord reads a record's data_format and length and sets d.record to
// exactly its bytes. A length beyond the sample breaks the sample's
// framing: the error is returned and the sample dropped.
func (d *Decoder) nextRecord() (format uint32, at int, err error) {
	x := &d.sample
	at = x.offset()
	format = x.u32()
	length := x.u32()
	d.record = x.reader(length)
	return format, at, x.err
}

// decodeFlowRecords decodes the flow_record array of a flow or drop sample
// into r. A record that fails to decode is dropped and counted; the
// duplicate of a record already seen is ignored and counted; a record of
// unknown enterprise:format is skipped and counted. Bytes after the last
// record are tolerated.
func (d *Decoder) decodeFlowRecords(r *decoded.FlowRecords) error {
	return decodeRecords(d, r, &r.Has, flowRecordDecoder)
}

// decodeCounterRecords is decodeFlowRecords for the counter_record array
// of a counter sample.
func (d *Decoder) decodeCounterRecords(r *decoded.CounterRecords) error {
	return decodeRecords(d, r, &r.Has, counterRecordDecoder)
}

// decodeRecords decodes a flow_record or counter_record array into r,
// setting the bit of each decoded record in *has; lookup gives the bit and
// the decoder of a record format (nil for an unknown one).
func decodeRecords[B decoded.FlowHas | decoded.CounterHas, R any](d *Decoder, r *R, has *B, lookup func(uint32) (B, func(*xdr, *R))) error {
	*has = 0
	n, err := d.recordCount()
	if err != nil {
		return err
	}
	for range n {
		format, at, err := d.nextRecord()
		if err != nil {
			return err
		}
		bit, decode := lookup(format)
		switch {
		case decode == nil:
			d.out.Stats.RecordsUnknown++
		case *has&bit != 0:
			d.out.Stats.RecordsDuplicate++
		default:
			decode(&d.record, r)
			if d.record.err != nil {
				d.recordError(format, at, d.record.err)
				continue
			}
			*has |= bit
		}
	}
	return nil
}

// parseSampledHeader parses the sampled_header of r, when it has one, into
// r.SampledHeader.Packet with the header parser's gopacket layers, so that
// the samples leave the decoder fully decoded.
func (d *Decoder) parseSampledHeader(r *decoded.FlowRecords) {
	if r.Has&decoded.HasSampledHeader == 0 {
		return
	}
	h := &r.SampledHeader
	h.Parsed = d.headers.Parse(h.Protocol, h.Header, &h.Packet)
}
