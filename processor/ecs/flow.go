package ecs

import (
	"encoding/hex"
	"net/netip"
	"strconv"

	"github.com/elastic/elastic-agent-libs/mapstr"

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

// flowRecords maps the flow records of a flow or drop sample onto f.
func (m *Mapper) flowRecords(f mapstr.M, r *decoded.FlowRecords, rate uint32) {
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
		m.sampledHeader(f, &fl, &r.SampledHeader)
	}
	writeFlow(f, &fl, rate)
	if len(m.opts.InternalNetworks) > 0 {
		locality(f, &fl, m.opts.InternalNetworks)
	}
	extendedRecords(f, r)
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

// sampledHeader takes the flow key of sampled_header (0:1), which the
// decoder parsed; the header's own details go under
// sflow.header/ip/tcp/icmp/mpls/vxlan/inner.
func (m *Mapper) sampledHeader(f mapstr.M, fl *flow, h *decoded.SampledHeader) {
	fl.frameLength, fl.hasLength = h.FrameLength, true
	hdr := mapstr.M{"protocol": headerProtocolName(h.Protocol), "size": len(h.Header)}
	if h.Stripped != 0 {
		hdr["stripped"] = h.Stripped
	}
	child(f, "sflow")["header"] = hdr
	if m.opts.PreserveOriginal {
		child(f, "event")["original"] = hex.EncodeToString(h.Header)
		f["tags"] = []string{"sflow", "forwarded", "preserve_original_event"} // as the integration tags it
	}
	if !h.Parsed {
		return
	}
	p := &h.Packet
	if p.Truncated {
		hdr["truncated"] = true
	}
	if p.Layers&decoded.LayerEthernet != 0 {
		fl.srcMAC, fl.dstMAC, fl.hasMAC = p.SrcMAC, p.DstMAC, true
		fl.etherType = p.EtherType
	}
	if p.Layers&(decoded.LayerIPv4|decoded.LayerIPv6) != 0 {
		fromL3(fl, &p.L3)
		ipDetails(child(f, "sflow"), &p.L3)
	}
	if p.Layers&decoded.LayerTransport != 0 {
		fromL4(fl, &p.L4)
	}
	packetDetails(f, p)
}

// fromL3 takes addresses and protocol from a parsed IP decoded.
func fromL3(fl *flow, l3 *decoded.L3) {
	fl.srcIP, fl.dstIP = l3.SrcIP, l3.DstIP
	fl.proto, fl.hasProto = l3.Protocol, true
	fl.hasPorts, fl.isICMP = false, false
}

// fromL4 takes ports or ICMP type/code from a parsed transport decoded.
func fromL4(fl *flow, l4 *decoded.L4) {
	if l4.IsICMP {
		fl.icmpType, fl.icmpCode, fl.isICMP = l4.ICMPType, l4.ICMPCode, true
		return
	}
	fl.srcPort, fl.dstPort, fl.hasPorts = l4.SrcPort, l4.DstPort, true
}

// writeFlow writes source, destination, network and related from fl.
func writeFlow(f mapstr.M, fl *flow, rate uint32) {
	if rate == 0 {
		rate = 1
	}
	if fl.hasLength {
		child(f, "sflow")["bytes"] = fl.frameLength
		nw := child(f, "network")
		nw["bytes"] = uint64(fl.frameLength) * uint64(rate)
		nw["packets"] = uint64(rate)
	}
	src, dst := endpoint(fl.srcIP, fl.srcPort, fl.hasPorts, fl.srcMAC, fl.hasMAC),
		endpoint(fl.dstIP, fl.dstPort, fl.hasPorts, fl.dstMAC, fl.hasMAC)
	if len(src) > 0 {
		f["source"] = withAddress(src)
	}
	if len(dst) > 0 {
		f["destination"] = withAddress(dst)
	}
	if fl.srcIP.IsValid() {
		networkFields(child(f, "network"), fl.srcIP, fl.proto, fl.hasProto)
		f["related"] = mapstr.M{"ip": relatedIPs(fl.srcIP, fl.dstIP)}
		if id := communityID(fl); id != "" {
			child(f, "network")["community_id"] = id
		}
	} else if fl.hasMAC && fl.etherType == etherTypeARP {
		child(f, "network")["type"] = "arp" // as the chain's etype "ARP"
	}
	if fl.isICMP {
		child(f, "sflow")["icmp"] = mapstr.M{"type": fl.icmpType, "code": fl.icmpCode}
	}
}

// withAddress copies source/destination.ip to .address, as the GoFlow2
// chain did (ECS: the raw address of the source or destination).
func withAddress(e mapstr.M) mapstr.M {
	if ip, ok := e["ip"]; ok {
		e["address"] = ip
	}
	return e
}

// etherTypeARP is the EtherType of ARP, the one non-IP network.type that
// the GoFlow2 chain named.
const etherTypeARP = 0x0806

// endpoint returns the fields of one side of the flow.
func endpoint(ip netip.Addr, port uint16, hasPort bool, mac [6]byte, hasMAC bool) mapstr.M {
	e := make(mapstr.M, 5)
	if ip.IsValid() {
		e["ip"] = ip.String()
		if hasPort {
			e["port"] = port
		}
	}
	if hasMAC {
		e["mac"] = formatMAC(mac)
	}
	return e
}

// networkFields sets network.type, transport and iana_number.
func networkFields(nw mapstr.M, ip netip.Addr, proto uint8, hasProto bool) {
	if ip.Is4() {
		nw["type"] = "ipv4"
	} else {
		nw["type"] = "ipv6"
	}
	if !hasProto {
		return
	}
	nw["iana_number"] = strconv.Itoa(int(proto))
	if name := protocolName(proto); name != "" {
		nw["transport"] = name
	}
}

// relatedIPs returns the distinct valid IPs of a flow.
func relatedIPs(a, b netip.Addr) []string {
	if !b.IsValid() || a == b {
		return []string{a.String()}
	}
	return []string{a.String(), b.String()}
}

// ipDetails sets sflow.ip.* from the sampled header's IP layer.
func ipDetails(s mapstr.M, l3 *decoded.L3) {
	ip := mapstr.M{"ttl": l3.TTL, "tos": l3.TOS, "dscp": l3.TOS >> 2, "ecn": l3.TOS & 3, "length": l3.Length}
	if l3.Version == 6 {
		ip["flow_label"] = l3.FlowLabel
	}
	if l3.Fragment {
		ip["fragment"] = true
		ip["fragment_offset"] = l3.FragOffset
	}
	s["ip"] = ip
}

// packetDetails sets the VLAN, MPLS, TCP, GRE, VXLAN and inner-packet
// fields of a parsed sampled decoded.
func packetDetails(f mapstr.M, p *decoded.Packet) {
	if p.Layers&decoded.LayerVLAN != 0 {
		vlans(f, p)
	}
	s := child(f, "sflow")
	if p.Layers&decoded.LayerMPLS != 0 {
		labels := make([]uint32, 0, min(int(p.NumMPLS), len(p.MPLSLabels)))
		labels = append(labels, p.MPLSLabels[:cap(labels)]...)
		s["mpls"] = mapstr.M{"labels": labels}
	}
	if p.Layers&decoded.LayerTransport != 0 && p.L4.TCPFlags != 0 && p.L3.Protocol == decoded.IPProtoTCP {
		s["tcp"] = mapstr.M{"flags": tcpFlagNames(p.L4.TCPFlags), "flags_raw": p.L4.TCPFlags}
	}
	if p.Layers&decoded.LayerGRE != 0 {
		s["gre"] = mapstr.M{"protocol": p.GREProtocol}
	}
	if p.Layers&decoded.LayerVXLAN != 0 {
		s["vxlan"] = mapstr.M{"vni": p.VNI}
	}
	if p.Layers&decoded.LayerInner != 0 {
		if in := innerFields(&p.Inner); len(in) > 0 {
			s["inner"] = in
		}
	}
}

// vlans sets network.vlan.id (outer tag) and network.inner.vlan.id.
func vlans(f mapstr.M, p *decoded.Packet) {
	nw := child(f, "network")
	if p.VLANs[0] != 0 { // 0: priority tag only
		nw["vlan"] = mapstr.M{"id": strconv.Itoa(int(p.VLANs[0]))}
	}
	if p.NumVLANs > 1 && p.VLANs[1] != 0 {
		nw["inner"] = mapstr.M{"vlan": mapstr.M{"id": strconv.Itoa(int(p.VLANs[1]))}}
	}
}

// innerFields returns the encapsulated packet's fields (sflow.inner.*).
func innerFields(in *decoded.Inner) mapstr.M {
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
	m := mapstr.M{}
	if e := endpoint(fl.srcIP, fl.srcPort, fl.hasPorts, fl.srcMAC, fl.hasMAC); len(e) > 0 {
		m["source"] = e
	}
	if e := endpoint(fl.dstIP, fl.dstPort, fl.hasPorts, fl.dstMAC, fl.hasMAC); len(e) > 0 {
		m["destination"] = e
	}
	if fl.srcIP.IsValid() {
		nw := mapstr.M{}
		networkFields(nw, fl.srcIP, fl.proto, fl.hasProto)
		m["network"] = nw
	}
	if in.Layers&decoded.LayerVLAN != 0 && in.VLAN != 0 {
		m["vlan"] = mapstr.M{"id": strconv.Itoa(int(in.VLAN))}
	}
	if fl.isICMP {
		m["icmp"] = mapstr.M{"type": fl.icmpType, "code": fl.icmpCode}
	}
	return m
}

// locality sets source.locality, destination.locality and
// network.direction from the internal networks, as Filebeat's netflow
// input does: both internal is "internal", both external "external",
// internal to external "outbound", external to internal "inbound".
func locality(f mapstr.M, fl *flow, nets []netip.Prefix) {
	if !fl.srcIP.IsValid() || !fl.dstIP.IsValid() {
		return
	}
	srcIn, dstIn := inNetworks(fl.srcIP, nets), inNetworks(fl.dstIP, nets)
	child(f, "source")["locality"] = localityName(srcIn)
	child(f, "destination")["locality"] = localityName(dstIn)
	dir := "external"
	switch {
	case srcIn && dstIn:
		dir = "internal"
	case srcIn:
		dir = "outbound"
	case dstIn:
		dir = "inbound"
	}
	child(f, "network")["direction"] = dir
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
