package decoder

import "github.com/sflowbeat/sflowbeat/input/sflow/decoded"

// v24 builds RFC 3176 (sFlow version 2 and 4) datagrams from the
// structures of RFC 3176 section 4, in wire order; the counts
// (samples<>, extended_data<>) are computed by bytes():
//
//	v4Datagram().agentIPv4("192.0.2.1").sequence(7, 1000).
//		flowSample(v24Flow{Seq: 1, Source: 5, Rate: 100, Pool: 1000, In: 3, Out: 4}).
//		headerData(HeaderProtoEthernet, 1514, frame).switchData(ExtSwitch{...}).
//		counterSample(2, 5, 30).counters(countersEthernet, generic, ethernet).
//		bytes()
type v24 struct {
	version     uint32
	agent       xb // agent_address (address union)
	seq, uptime uint32
	samples     []*v24Sample
}

// v24Sample is one sample_record being built.
type v24Sample struct {
	head xb   // sample_types tag and the fixed fields
	data xb   // packet_data (flow sample) or counters (counters sample)
	ext  []xb // extended_data (flow sample)
	flow bool
}

// v24Flow holds the fixed fields of an RFC 3176 flow_sample.
type v24Flow struct {
	Seq, Source, Rate, Pool, Drops, In, Out uint32
}

// v2Datagram and v4Datagram start a datagram from agent 192.0.2.1,
// sequence 1, uptime 2.
func v2Datagram() *v24 { return newV24(2) }
func v4Datagram() *v24 { return newV24(4) }

func newV24(version uint32) *v24 {
	b := &v24{version: version, seq: 1, uptime: 2}
	b.agent.addr("192.0.2.1")
	return b
}

func (b *v24) agentIPv4(a string) *v24 { b.agent = xb{}; b.agent.addr(a); return b }
func (b *v24) agentIPv6(a string) *v24 { return b.agentIPv4(a) } // addr picks the type

func (b *v24) sequence(seq, uptime uint32) *v24 { b.seq, b.uptime = seq, uptime; return b }

// cur returns the sample being built.
func (b *v24) cur() *v24Sample { return b.samples[len(b.samples)-1] }

// flowSample starts a flow_sample (tag 1); packet data and extended data follow.
func (b *v24) flowSample(f v24Flow) *v24 {
	s := &v24Sample{flow: true}
	s.head.u32(decoded.SampleFlow, f.Seq, f.Source, f.Rate, f.Pool, f.Drops, f.In, f.Out)
	b.samples = append(b.samples, s)
	return b
}

// headerData sets packet_data to a sampled_header (HEADER).
func (b *v24) headerData(proto, frameLength uint32, header []byte) *v24 {
	b.cur().data.u32(packetDataHeader, proto, frameLength).opaque(header)
	return b
}

// ipv4Data sets packet_data to a sampled_ipv4 (IPV4).
func (b *v24) ipv4Data(s decoded.SampledIP) *v24 {
	b.cur().data.u32(packetDataIPv4, s.Length, s.Protocol).raw(s.SrcIP.AsSlice()).raw(s.DstIP.AsSlice()).
		u32(s.SrcPort, s.DstPort, s.TCPFlags, s.TOS)
	return b
}

// ipv6Data sets packet_data to a sampled_ipv6 (IPV6).
func (b *v24) ipv6Data(s decoded.SampledIP) *v24 {
	b.cur().data.u32(packetDataIPv6, s.Length, s.Protocol).raw(s.SrcIP.AsSlice()).raw(s.DstIP.AsSlice()).
		u32(s.SrcPort, s.DstPort, s.TCPFlags, s.TOS)
	return b
}

// packetData sets packet_data to any tag and words (for undefined tags).
func (b *v24) packetData(tag uint32, words ...uint32) *v24 {
	b.cur().data.u32(tag).u32(words...)
	return b
}

// ext appends one extended_data_type: the tag and the body built by f.
func (b *v24) ext(tag uint32, f func(*xb)) *v24 {
	var e xb
	e.u32(tag)
	f(&e)
	s := b.cur()
	s.ext = append(s.ext, e)
	return b
}

func (b *v24) switchData(e decoded.ExtSwitch) *v24 {
	return b.ext(extendedSwitch, func(x *xb) { x.u32(e.SrcVLAN, e.SrcPriority, e.DstVLAN, e.DstPriority) })
}

func (b *v24) routerData(nextHop string, srcMask, dstMask uint32) *v24 {
	return b.ext(extendedRouter, func(x *xb) { x.addr(nextHop).u32(srcMask, dstMask) })
}

// gatewayV2 appends a version 2 extended_gateway: as, src_as, src_peer_as
// and the flat dst_as_path.
func (b *v24) gatewayV2(as, srcAS, srcPeerAS uint32, path ...uint32) *v24 {
	return b.ext(extendedGateway, func(x *xb) { x.u32(as, srcAS, srcPeerAS, uint32(len(path))).u32(path...) })
}

// gatewayV4 appends a version 4 extended_gateway (g.NextHop is not encoded).
func (b *v24) gatewayV4(g decoded.ExtGateway) *v24 {
	return b.ext(extendedGateway, func(x *xb) {
		x.u32(g.AS, g.SrcAS, g.SrcPeerAS, uint32(len(g.ASPath)))
		for _, seg := range g.ASPath {
			x.u32(seg.Type, uint32(len(seg.ASNs))).u32(seg.ASNs...)
		}
		x.u32(uint32(len(g.Communities))).u32(g.Communities...).u32(g.LocalPref)
	})
}

func (b *v24) userData(src, dst string) *v24 {
	return b.ext(extendedUser, func(x *xb) { x.str(src).str(dst) })
}

func (b *v24) urlData(direction uint32, url string) *v24 {
	return b.ext(extendedURL, func(x *xb) { x.u32(direction).str(url) })
}

// extData appends any tag and words (for undefined tags).
func (b *v24) extData(tag uint32, words ...uint32) *v24 {
	return b.ext(tag, func(x *xb) { x.u32(words...) })
}

// counterSample starts a counters_sample (tag 2); counters follows.
func (b *v24) counterSample(seq, source, interval uint32) *v24 {
	s := &v24Sample{}
	s.head.u32(decoded.SampleCounters, seq, source, interval)
	b.samples = append(b.samples, s)
	return b
}

// counters sets the counters_type union: the counters_version tag and the
// encoded blocks (if_counters first, then the specific counters).
func (b *v24) counters(version uint32, blocks ...[]byte) *v24 {
	d := &b.cur().data
	d.u32(version)
	for _, bl := range blocks {
		d.raw(bl)
	}
	return b
}

// rawSample appends a sample of any tag and words (for undefined tags).
func (b *v24) rawSample(tag uint32, words ...uint32) *v24 {
	s := &v24Sample{}
	s.head.u32(tag).u32(words...)
	b.samples = append(b.samples, s)
	return b
}

// bytes returns the datagram.
func (b *v24) bytes() []byte {
	var out xb
	out.u32(b.version).raw(b.agent.b).u32(b.seq, b.uptime, uint32(len(b.samples)))
	for _, s := range b.samples {
		out.raw(s.head.b).raw(s.data.b)
		if s.flow {
			out.u32(uint32(len(s.ext)))
			for _, e := range s.ext {
				out.raw(e.b)
			}
		}
	}
	return out.b
}
