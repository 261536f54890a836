package decoder

import (
	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
	"net/netip"
)

// This file decodes sFlow versions 2 and 4, RFC 3176 section 4 "sFlow
// Datagram Format", into the same typed samples as sFlow v5. Unlike v5, the
// RFC 3176 structures carry no length: every sample and record is an XDR
// discriminated union whose tag selects a fixed or derivable layout. A tag
// that is not defined therefore cannot be skipped, and neither can a sample
// that fails to decode: the sample and every sample after it are dropped.

// packet_information_type, the tag of the packet_data_type union of an
// RFC 3176 flow_sample.
const (
	packetDataHeader uint32 = 1 // HEADER: sampled_header
	packetDataIPv4   uint32 = 2 // IPV4: sampled_ipv4
	packetDataIPv6   uint32 = 3 // IPV6: sampled_ipv6
)

// extended_information_type, the tag of the extended_data_type union.
const (
	extendedSwitch  uint32 = 1 // extended_switch
	extendedRouter  uint32 = 2 // extended_router
	extendedGateway uint32 = 3 // extended_gateway (v2 and v4 layouts differ)
	extendedUser    uint32 = 4 // extended_user
	extendedURL     uint32 = 5 // extended_url
)

// counters_version, the tag of the counters_type union of an RFC 3176
// counters_sample.
const (
	countersGeneric   uint32 = 1 // if_counters
	countersEthernet  uint32 = 2 // ethernet_counters: if_counters, ethernet_specific_counters
	countersTokenRing uint32 = 3 // tokenring_counters: if_counters, tokenring_specific_counters
	countersFDDI      uint32 = 4 // fddi_counters: if_counters
	countersVG        uint32 = 5 // vg_counters: if_counters, vg_specific_counters
	countersWAN       uint32 = 6 // wan_counters: if_counters
	countersVLAN      uint32 = 7 // vlan_counters
)

// outputMultiple is the high bit of an RFC 3176 flow_sample output word:
// the packet went to several interfaces, the low 31 bits tell how many
// (0: an unknown number greater than 1).
const outputMultiple uint32 = 0x80000000

// minExtendedData is the size of the smallest extended_data_type on the
// wire: a tag and an extended_user with two empty strings.
const minExtendedData = 12

// decodeSamplesV24 decodes the n sample_record of an RFC 3176 datagram: a
// sample_types tag (1 FLOWSAMPLE, 2 COUNTERSSAMPLE) and the sample, with no
// length. A sample that fails, or an unknown tag, leaves the start of the
// next sample unknown: it and the samples after it are counted malformed.
func (d *Decoder) decodeSamplesV24(n int) {
	x := &d.datagram
	for i := range n {
		at := x.offset()
		tag := x.u32()
		err := x.err
		if err == nil {
			err = d.decodeSampleV24(tag)
		}
		if err != nil {
			d.sampleError(i, tag, at, err)
			d.out.Stats.SamplesMalformed += uint32(n - i - 1)
			x.fail(err) // nothing after this sample can be found
			x.err = nil // the datagram header was fine; keep what was decoded
			return
		}
	}
}

// decodeSampleV24 dispatches on the sample_types tag.
func (d *Decoder) decodeSampleV24(tag uint32) error {
	switch tag {
	case decoded.SampleFlow:
		return d.decodeFlowSampleV24()
	case decoded.SampleCounters:
		return d.decodeCounterSampleV24()
	}
	return ErrUnknownType
}

// outputV24 converts an RFC 3176 output interface word: an ifIndex, or,
// with the high bit set, the number of output interfaces.
func outputV24(v uint32) decoded.Interface {
	if v&outputMultiple != 0 {
		return decoded.Interface{Format: decoded.IfFormatMultiple, Value: v &^ outputMultiple}
	}
	return decoded.Interface{Format: decoded.IfFormatSingle, Value: v}
}

// decodeFlowSampleV24 decodes an RFC 3176 flow_sample: sequence_number,
// source_id (type 8 bits, index 24 bits), sampling_rate, sample_pool,
// drops, input and output (ifIndex words), packet_data (packet_data_type)
// and extended_data<> (extended_data_type).
func (d *Decoder) decodeFlowSampleV24() error {
	x, dg := &d.datagram, d.out
	n := len(dg.FlowSamples)
	dg.FlowSamples = extend(dg.FlowSamples)
	s := &dg.FlowSamples[n]
	s.Accounted = decoded.Accounted{} // the slot is reused
	s.Expanded = false
	s.SequenceNumber = x.u32()
	s.SourceID = compactSource(x.u32())
	s.SamplingRate, s.SamplePool, s.Drops = x.u32(), x.u32(), x.u32()
	s.Input = decoded.Interface{Format: decoded.IfFormatSingle, Value: x.u32()}
	s.Output = outputV24(x.u32())
	s.Records.Has = 0
	err := x.err
	if err == nil {
		err = d.decodePacketData(&s.Records)
	}
	if err == nil {
		err = d.decodeExtendedData(&s.Records)
	}
	if err != nil {
		dg.FlowSamples = dg.FlowSamples[:n]
		return err
	}
	d.parseSampledHeader(&s.Records)
	dg.Stats.SamplesDecoded++
	return nil
}

// decodePacketData decodes the packet_data_type union: a sampled_header,
// sampled_ipv4 or sampled_ipv6. Errors are *RecordError with the tag.
func (d *Decoder) decodePacketData(r *decoded.FlowRecords) error {
	x := &d.datagram
	at := x.offset()
	tag := x.u32()
	var bit decoded.FlowHas
	switch tag {
	case packetDataHeader:
		bit = decoded.HasSampledHeader
		decodeSampledHeaderV24(x, r)
	case packetDataIPv4:
		bit = decoded.HasSampledIPv4
		decodeSampledIPv4(x, r)
	case packetDataIPv6:
		bit = decoded.HasSampledIPv6
		decodeSampledIPv6(x, r)
	default:
		if x.err == nil {
			x.fail(ErrUnknownType)
		}
	}
	if x.err != nil {
		return &RecordError{Format: tag, Offset: at, Err: x.err}
	}
	r.Has |= bit
	return nil
}

// decodeExtendedData decodes extended_data<>, an array of
// extended_data_type unions, capped by MaxRecords and by the bytes left.
// A duplicate is decoded into a scratch slot (to find what follows it),
// ignored and counted. Errors are *RecordError with the tag.
func (d *Decoder) decodeExtendedData(r *decoded.FlowRecords) error {
	x := &d.datagram
	n := x.count(minExtendedData, MaxRecords)
	if x.err != nil {
		return x.err
	}
	for range n {
		at := x.offset()
		tag := x.u32()
		bit, decode := extendedDecoderV24(d.out.Version, tag)
		if decode == nil && x.err == nil {
			x.fail(ErrUnknownType)
		}
		if x.err != nil {
			return &RecordError{Format: tag, Offset: at, Err: x.err}
		}
		dst := r
		if r.Has&bit != 0 {
			dst = &d.dup
		}
		if decode(x, dst); x.err != nil {
			return &RecordError{Format: tag, Offset: at, Err: x.err}
		}
		if dst == r {
			r.Has |= bit
		} else {
			d.out.Stats.RecordsDuplicate++
		}
	}
	return nil
}

// extendedDecoderV24 returns the Has bit and the decoder of an
// extended_information_type tag of the given datagram version, or a nil
// decoder for an undefined tag. extended_switch and extended_router have
// the sFlow v5 layout; the others differ.
func extendedDecoderV24(version, tag uint32) (decoded.FlowHas, flowDecodeFunc) {
	switch tag {
	case extendedSwitch:
		return decoded.HasExtSwitch, decodeExtSwitch
	case extendedRouter:
		return decoded.HasExtRouter, decodeExtRouter
	case extendedGateway:
		if version == version2 {
			return decoded.HasExtGateway, decodeExtGatewayV2
		}
		return decoded.HasExtGateway, decodeExtGatewayV4
	case extendedUser:
		return decoded.HasExtUser, decodeExtUserV24
	case extendedURL:
		return decoded.HasExtURL, decodeExtURLV24
	}
	return 0, nil
}

// decodeSampledHeaderV24 decodes the RFC 3176 sampled_header:
// header_protocol, frame_length, header<MAX_HEADER_SIZE> (no stripped).
func decodeSampledHeaderV24(x *xdr, r *decoded.FlowRecords) {
	h := &r.SampledHeader
	h.Protocol = x.u32()
	h.FrameLength = x.u32()
	h.Stripped = 0
	h.Header = x.opaque()
}

// decodeExtGatewayV2 decodes the sFlow version 2 extended_gateway: as,
// src_as, src_peer_as, dst_as_path<> as a flat list of AS numbers, kept as
// one ASPathSequence segment (none when the list is empty). Version 2 has
// no next hop, communities or local preference.
func decodeExtGatewayV2(x *xdr, r *decoded.FlowRecords) {
	g := &r.ExtGateway
	g.NextHop = netip.Addr{}
	g.AS, g.SrcAS, g.SrcPeerAS = x.u32(), x.u32(), x.u32()
	n := x.count(4, maxASNs)
	g.ASPath = g.ASPath[:0]
	if n > 0 {
		g.ASPath = extend(g.ASPath)
		seg := &g.ASPath[0]
		seg.Type = decoded.ASPathSequence
		seg.ASNs = x.u32s(seg.ASNs, n)
	}
	g.Communities = g.Communities[:0]
	g.LocalPref = 0
}

// decodeExtGatewayV4 decodes the RFC 3176 (version 4) extended_gateway:
// as, src_as, src_peer_as, dst_as_path<> (as_path_type: AS_SET or
// AS_SEQUENCE and its AS numbers), communities<>, localpref. It is the
// sFlow v5 structure without the next hop.
func decodeExtGatewayV4(x *xdr, r *decoded.FlowRecords) {
	r.ExtGateway.NextHop = netip.Addr{}
	gatewayRoute(x, &r.ExtGateway)
}

// decodeExtUserV24 decodes the RFC 3176 extended_user: src_user<>,
// dst_user<> (no charsets).
func decodeExtUserV24(x *xdr, r *decoded.FlowRecords) {
	u := &r.ExtUser
	u.SrcCharset, u.DstCharset = 0, 0
	u.SrcUser = x.opaque()
	u.DstUser = x.opaque()
}

// decodeExtURLV24 decodes the RFC 3176 extended_url: direction, url<>
// (no host).
func decodeExtURLV24(x *xdr, r *decoded.FlowRecords) {
	u := &r.ExtURL
	u.Direction = x.u32()
	u.URL = x.opaque()
	u.Host = nil
}

// decodeCounterSampleV24 decodes an RFC 3176 counters_sample:
// sequence_number, source_id (type 8 bits, index 24 bits),
// sampling_interval and counters (counters_type).
func (d *Decoder) decodeCounterSampleV24() error {
	x, dg := &d.datagram, d.out
	n := len(dg.CounterSamples)
	dg.CounterSamples = extend(dg.CounterSamples)
	s := &dg.CounterSamples[n]
	s.Duplicate = false // the slot is reused
	s.Expanded = false
	s.SequenceNumber = x.u32()
	s.SourceID = compactSource(x.u32())
	s.Interval = x.u32()
	err := x.err
	if err == nil {
		err = d.decodeCountersType(&s.Records)
	}
	if err != nil {
		dg.CounterSamples = dg.CounterSamples[:n]
		return err
	}
	dg.Stats.SamplesDecoded++
	return nil
}

// decodeCountersType decodes the counters_type union: every arm but VLAN
// starts with if_counters, followed by the arm's specific counters, if
// any. Errors are *RecordError with the counters_version tag.
func (d *Decoder) decodeCountersType(r *decoded.CounterRecords) error {
	x := &d.datagram
	at := x.offset()
	tag := x.u32()
	has, specific := countersArmV24(tag)
	if has == 0 && x.err == nil {
		x.fail(ErrUnknownType)
	}
	if has&decoded.HasGenericIf != 0 {
		decodeGenericIf(x, r)
	}
	if specific != nil {
		specific(x, r)
	}
	if x.err != nil {
		return &RecordError{Format: tag, Offset: at, Err: x.err}
	}
	r.Has = has
	return nil
}

// countersArmV24 returns the records of a counters_version arm and the
// decoder of its specific counters (after if_counters, or alone for VLAN),
// or 0 for an undefined version.
func countersArmV24(tag uint32) (decoded.CounterHas, counterDecodeFunc) {
	switch tag {
	case countersGeneric:
		return decoded.HasGenericIf, nil
	case countersEthernet:
		return decoded.HasGenericIf | decoded.HasEthernet, decodeEthernet
	case countersTokenRing:
		return decoded.HasGenericIf | decoded.HasTokenRing, decodeTokenRing
	case countersFDDI:
		return decoded.HasGenericIf | decoded.HasFDDI, nil
	case countersVG:
		return decoded.HasGenericIf | decoded.HasVG, decodeVG
	case countersWAN:
		return decoded.HasGenericIf | decoded.HasWAN, nil
	case countersVLAN:
		return decoded.HasVLAN, decodeVLAN
	}
	return 0, nil
}
