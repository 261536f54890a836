package ecs

import (
	"encoding/hex"
	"net/netip"

	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
)

// flow is the flow key and sizes gathered from a sample's records before
// they are written: the sampled header wins over sampled_ipv4/ipv6/ethernet.
type flow struct {
	srcIP, dstIP     netip.Addr
	srcPort, dstPort uint16
	hasPorts         bool
	proto            uint8
	hasProto         bool
	icmpType         uint8
	icmpCode         uint8
	isICMP           bool
	srcMAC, dstMAC   [6]byte
	hasMAC           bool
	etherType        uint16 // of the (outer) Ethernet frame, when hasMAC
	frameLength      uint32
	hasLength        bool
}

// flowRecords maps the flow records of a flow or drop sample onto d.
func (m *Mapper) flowRecords(d *Doc, r *decoded.FlowRecords, est estimate) {
	var fl flow
	if r.Has&decoded.HasSampledEthernet != 0 {
		fromEthernet(&fl, &r.SampledEthernet)
	}
	if r.Has&decoded.HasSampledIPv6 != 0 {
		fromSampledIP(&fl, &r.SampledIPv6)
	}
	if r.Has&decoded.HasSampledIPv4 != 0 {
		fromSampledIP(&fl, &r.SampledIPv4)
	}
	if r.Has&decoded.HasSampledHeader != 0 {
		m.sampledHeader(d, &fl, &r.SampledHeader)
	}
	writeFlow(d, &fl, est)
	if len(m.opts.InternalNetworks) > 0 {
		locality(d, &fl, m.opts.InternalNetworks)
	}
	extendedRecords(d, r)
}

// fromEthernet takes the MACs and length of sampled_ethernet (0:2).
func fromEthernet(fl *flow, e *decoded.SampledEthernet) {
	fl.srcMAC, fl.dstMAC, fl.hasMAC = e.SrcMAC, e.DstMAC, true
	fl.etherType = uint16(e.EtherType)
	fl.frameLength, fl.hasLength = e.Length, true
}

// fromSampledIP takes the flow key of sampled_ipv4 (0:3) / sampled_ipv6 (0:4).
func fromSampledIP(fl *flow, s *decoded.SampledIP) {
	fl.srcIP, fl.dstIP = s.SrcIP, s.DstIP
	fl.proto, fl.hasProto = uint8(s.Protocol), true
	switch s.Protocol {
	case uint32(decoded.IPProtoTCP), uint32(decoded.IPProtoUDP), uint32(decoded.IPProtoSCTP):
		fl.srcPort, fl.dstPort, fl.hasPorts = uint16(s.SrcPort), uint16(s.DstPort), true
	}
	if !fl.hasLength {
		fl.frameLength, fl.hasLength = s.Length, true
	}
}

// Fields of the sampled header record.
var (
	fHeaderProtocol  = must("sflow.header.protocol")
	fHeaderSize      = must("sflow.header.size")
	fHeaderStripped  = must("sflow.header.stripped")
	fHeaderTruncated = must("sflow.header.truncated")
	fEventOriginal   = must("event.original")
)

// sampledHeader takes the flow key of sampled_header (0:1), which the
// decoder parsed; the header's own details go under
// sflow.header/ip/tcp/icmp/mpls/vxlan/inner.
func (m *Mapper) sampledHeader(d *Doc, fl *flow, h *decoded.SampledHeader) {
	fl.frameLength, fl.hasLength = h.FrameLength, true
	d.str(fHeaderProtocol, headerProtocolName(h.Protocol))
	d.uint(fHeaderSize, uint64(len(h.Header)))
	d.uintNonZero(fHeaderStripped, uint64(h.Stripped))
	if m.opts.PreserveOriginal {
		d.str(fEventOriginal, hex.EncodeToString(h.Header))
		d.list(fTags, preservedTags) // as the integration tags it
	}
	if !h.Parsed {
		return
	}
	p := &h.Packet
	if p.Truncated {
		d.bool(fHeaderTruncated, true)
	}
	if p.Layers&decoded.LayerEthernet != 0 {
		fl.srcMAC, fl.dstMAC, fl.hasMAC = p.SrcMAC, p.DstMAC, true
		fl.etherType = p.EtherType
	}
	if p.Layers&(decoded.LayerIPv4|decoded.LayerIPv6) != 0 {
		fromL3(fl, &p.L3)
		ipDetails(d, &p.L3)
	}
	if p.Layers&decoded.LayerTransport != 0 {
		fromL4(fl, &p.L4)
	}
	packetDetails(d, p)
}

// fromL3 takes addresses and protocol from a parsed IP header.
func fromL3(fl *flow, l3 *decoded.L3) {
	fl.srcIP, fl.dstIP = l3.SrcIP, l3.DstIP
	fl.proto, fl.hasProto = l3.Protocol, true
	fl.hasPorts, fl.isICMP = false, false
}

// fromL4 takes ports or ICMP type/code from a parsed transport header.
func fromL4(fl *flow, l4 *decoded.L4) {
	if l4.IsICMP {
		fl.icmpType, fl.icmpCode, fl.isICMP = l4.ICMPType, l4.ICMPCode, true
		return
	}
	fl.srcPort, fl.dstPort, fl.hasPorts = l4.SrcPort, l4.DstPort, true
}

// The fields of one side of a flow (source, destination, and the inner
// packet's).
type endpointFields struct {
	ip, address, port, mac field
}

// The fields of a flow, for the outer packet and the inner one.
type flowFields struct {
	src, dst                  endpointFields
	netType, transport, proto field
	icmpType, icmpCode        field
}

// Fields of the flow of the sample, and of the packet inside a tunnel.
var (
	outerFlow = flowFields{
		src: endpointFields{ip: must("source.ip"), address: must("source.address"), port: must("source.port"), mac: must("source.mac")},
		dst: endpointFields{ip: must("destination.ip"), address: must("destination.address"), port: must("destination.port"),
			mac: must("destination.mac")},
		netType: must("network.type"), transport: must("network.transport"), proto: must("network.iana_number"),
		icmpType: must("sflow.icmp.type"), icmpCode: must("sflow.icmp.code"),
	}
	innerFlow = flowFields{
		src: endpointFields{ip: must("sflow.inner.source.ip"), address: noField, port: must("sflow.inner.source.port"),
			mac: must("sflow.inner.source.mac")},
		dst: endpointFields{ip: must("sflow.inner.destination.ip"), address: noField, port: must("sflow.inner.destination.port"),
			mac: must("sflow.inner.destination.mac")},
		netType: must("sflow.inner.network.type"), transport: must("sflow.inner.network.transport"),
		proto: must("sflow.inner.network.iana_number"), icmpType: must("sflow.inner.icmp.type"),
		icmpCode: must("sflow.inner.icmp.code"),
	}
	fSflowBytes     = must("sflow.bytes")
	fNetworkBytes   = must("network.bytes")
	fNetworkPackets = must("network.packets")
	fRelatedIP      = must("related.ip")
	fCommunityID    = must("network.community_id")
)

// writeFlow writes source, destination, network and related from fl;
// network.bytes and network.packets are estimated with est, when it has a
// rate.
func writeFlow(d *Doc, fl *flow, est estimate) {
	if fl.hasLength {
		d.uint(fSflowBytes, uint64(fl.frameLength))
		if est.rate != 0 {
			d.uint(fNetworkBytes, est.bytes(fl.frameLength))
			d.uint(fNetworkPackets, est.packets())
		}
	}
	writeKey(d, fl, &outerFlow)
	if fl.srcIP.IsValid() {
		d.related(fRelatedIP)
		if id := communityID(fl); id != "" {
			d.str(fCommunityID, id)
		}
	} else if fl.hasMAC && fl.etherType == etherTypeARP {
		d.str(outerFlow.netType, "arp") // as the chain's etype "ARP"
	}
}

// writeKey writes the endpoints, network type and protocol, and ICMP type
// and code of a flow to the fields ff.
func writeKey(d *Doc, fl *flow, ff *flowFields) {
	endpoint(d, &ff.src, fl.srcIP, fl.srcPort, fl.hasPorts, fl.srcMAC, fl.hasMAC)
	endpoint(d, &ff.dst, fl.dstIP, fl.dstPort, fl.hasPorts, fl.dstMAC, fl.hasMAC)
	if fl.srcIP.IsValid() {
		networkFields(d, ff, fl.srcIP, fl.proto, fl.hasProto)
	}
	if fl.isICMP {
		d.uint(ff.icmpType, uint64(fl.icmpType))
		d.uint(ff.icmpCode, uint64(fl.icmpCode))
	}
}

// etherTypeARP is the EtherType of ARP, the one non-IP network.type that
// the GoFlow2 chain named.
const etherTypeARP = 0x0806

// endpoint writes one side of the flow; .address repeats .ip, as the
// GoFlow2 chain did (ECS: the raw address of the source or destination).
func endpoint(d *Doc, f *endpointFields, ip netip.Addr, port uint16, hasPort bool, mac [6]byte, hasMAC bool) {
	if ip.IsValid() {
		d.ip(f.ip, ip)
		if f.address != noField {
			d.ip(f.address, ip)
		}
		if hasPort {
			d.uint(f.port, uint64(port))
		}
	}
	if hasMAC {
		d.mac(f.mac, mac)
	}
}

// networkFields sets network.type, transport and iana_number.
func networkFields(d *Doc, ff *flowFields, ip netip.Addr, proto uint8, hasProto bool) {
	if ip.Is4() {
		d.str(ff.netType, "ipv4")
	} else {
		d.str(ff.netType, "ipv6")
	}
	if !hasProto {
		return
	}
	d.decimal(ff.proto, uint64(proto))
	if name := protocolName(proto); name != "" {
		d.str(ff.transport, name)
	}
}

// Fields of the sampled header's IP layer.
var (
	fTTL        = must("sflow.ip.ttl")
	fDSCP       = must("sflow.ip.dscp")
	fECN        = must("sflow.ip.ecn")
	fIPLength   = must("sflow.ip.length")
	fFlowLabel  = must("sflow.ip.flow_label")
	fFragment   = must("sflow.ip.fragment")
	fFragOffset = must("sflow.ip.fragment_offset")
)

// ipDetails sets sflow.ip.* from the sampled header's IP layer.
func ipDetails(d *Doc, l3 *decoded.L3) {
	d.uint(fTTL, uint64(l3.TTL))
	d.uint(fDSCP, uint64(l3.TOS>>2))
	d.uintNonZero(fECN, uint64(l3.TOS&3))
	d.uint(fIPLength, uint64(l3.Length))
	if l3.Version == 6 {
		d.uintNonZero(fFlowLabel, uint64(l3.FlowLabel))
	}
	if l3.Fragment {
		d.bool(fFragment, true)
		d.uint(fFragOffset, uint64(l3.FragOffset))
	}
}

// Fields of the sampled header's other layers.
var (
	fMPLSLabels   = must("sflow.mpls.labels")
	fTCPFlags     = must("sflow.tcp.flags")
	fGREProtocol  = must("sflow.gre.protocol")
	fVNI          = must("sflow.vxlan.vni")
	fVLAN         = must("network.vlan.id")
	fInnerVLAN    = must("network.inner.vlan.id")
	fInnerPktVLAN = must("sflow.inner.vlan.id")
)

// packetDetails sets the VLAN, MPLS, TCP, GRE, VXLAN and inner-packet
// fields of a parsed sampled header.
func packetDetails(d *Doc, p *decoded.Packet) {
	if p.Layers&decoded.LayerVLAN != 0 {
		vlans(d, p)
	}
	if p.Layers&decoded.LayerMPLS != 0 {
		d.numbers(fMPLSLabels, p.MPLSLabels[:min(int(p.NumMPLS), len(p.MPLSLabels))])
	}
	if p.Layers&decoded.LayerTransport != 0 && p.L4.TCPFlags != 0 && p.L3.Protocol == decoded.IPProtoTCP {
		d.tcpFlags(fTCPFlags, p.L4.TCPFlags)
	}
	if p.Layers&decoded.LayerGRE != 0 {
		d.uint(fGREProtocol, uint64(p.GREProtocol))
	}
	if p.Layers&decoded.LayerVXLAN != 0 {
		d.uint(fVNI, uint64(p.VNI))
	}
	if p.Layers&decoded.LayerInner != 0 {
		innerFields(d, &p.Inner)
	}
}

// vlans sets network.vlan.id (outer tag) and network.inner.vlan.id.
func vlans(d *Doc, p *decoded.Packet) {
	if p.VLANs[0] != 0 { // 0: priority tag only
		d.decimal(fVLAN, uint64(p.VLANs[0]))
	}
	if p.NumVLANs > 1 && p.VLANs[1] != 0 {
		d.decimal(fInnerVLAN, uint64(p.VLANs[1]))
	}
}

// innerFields sets the encapsulated packet's fields (sflow.inner.*).
func innerFields(d *Doc, in *decoded.Inner) {
	var fl flow
	if in.Layers&decoded.LayerEthernet != 0 {
		fl.srcMAC, fl.dstMAC, fl.hasMAC = in.SrcMAC, in.DstMAC, true
	}
	if in.Layers&(decoded.LayerIPv4|decoded.LayerIPv6) != 0 {
		fromL3(&fl, &in.L3)
	}
	if in.Layers&decoded.LayerTransport != 0 {
		fromL4(&fl, &in.L4)
	}
	writeKey(d, &fl, &innerFlow)
	if in.Layers&decoded.LayerVLAN != 0 && in.VLAN != 0 {
		d.decimal(fInnerPktVLAN, uint64(in.VLAN))
	}
}

// Fields of internal_networks.
var (
	fSourceLocality      = must("source.locality")
	fDestinationLocality = must("destination.locality")
	fDirection           = must("network.direction")
)

// locality sets source.locality, destination.locality and
// network.direction from the internal networks, as Filebeat's netflow
// input does: both internal is "internal", both external "external",
// internal to external "outbound", external to internal "inbound".
func locality(d *Doc, fl *flow, nets []netip.Prefix) {
	if !fl.srcIP.IsValid() || !fl.dstIP.IsValid() {
		return
	}
	srcIn, dstIn := inNetworks(fl.srcIP, nets), inNetworks(fl.dstIP, nets)
	d.str(fSourceLocality, localityName(srcIn))
	d.str(fDestinationLocality, localityName(dstIn))
	dir := "external"
	switch {
	case srcIn && dstIn:
		dir = "internal"
	case srcIn:
		dir = "outbound"
	case dstIn:
		dir = "inbound"
	}
	d.str(fDirection, dir)
}

// inNetworks reports whether ip is in one of nets.
func inNetworks(ip netip.Addr, nets []netip.Prefix) bool {
	ip = ip.Unmap()
	for _, n := range nets {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

// localityName names a locality.
func localityName(internal bool) string {
	if internal {
		return "internal"
	}
	return "external"
}
