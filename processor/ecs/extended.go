package ecs

import (
	"net/netip"
	"strconv"

	"github.com/elastic/elastic-agent-libs/mapstr"

	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
)

// extendedRecords maps the extended_* flow records of a sample.
func extendedRecords(f mapstr.M, r *decoded.FlowRecords) {
	s := child(f, "sflow")
	if r.Has&decoded.HasExtSwitch != 0 {
		extSwitch(f, &r.ExtSwitch)
	}
	if r.Has&decoded.HasExtRouter != 0 {
		s["router"] = extRouter(&r.ExtRouter)
	}
	if r.Has&decoded.HasExtGateway != 0 {
		extGateway(f, &r.ExtGateway)
	}
	if r.Has&decoded.HasExtUser != 0 {
		s["user"] = compact(mapstr.M{"src_charset": r.ExtUser.SrcCharset, "src_user": str(r.ExtUser.SrcUser),
			"dst_charset": r.ExtUser.DstCharset, "dst_user": str(r.ExtUser.DstUser)})
	}
	if r.Has&decoded.HasExtURL != 0 {
		s["url"] = compact(mapstr.M{"direction": urlDirection(r.ExtURL.Direction), "url": str(r.ExtURL.URL), "host": str(r.ExtURL.Host)})
	}
	if r.Has&decoded.HasExtNAT != 0 {
		extNAT(f, &r.ExtNAT)
	}
	mplsRecords(s, r)
	tunnelRecords(s, r)
	dropRecords(s, r)
}

// extSwitch maps extended_switch (0:1001): observer.ingress/egress.vlan.id
// and the 802.1p priorities, each absent when unknown.
func extSwitch(f mapstr.M, e *decoded.ExtSwitch) {
	obs := child(f, "observer")
	if validVLAN(e.SrcVLAN) {
		child(child(obs, "ingress"), "vlan")["id"] = strconv.FormatUint(uint64(e.SrcVLAN), 10)
	}
	if validVLAN(e.DstVLAN) {
		child(child(obs, "egress"), "vlan")["id"] = strconv.FormatUint(uint64(e.DstVLAN), 10)
	}
	if e.SrcPriority <= maxPriority {
		child(child(f, "sflow"), "switch")["src_priority"] = e.SrcPriority
	}
	if e.DstPriority <= maxPriority {
		child(child(f, "sflow"), "switch")["dst_priority"] = e.DstPriority
	}
}

// maxPriority is the highest 802.1p priority; agents send 0xFFFFFFFF for
// unknown (sFlow v5 errata, extended_switch).
const maxPriority = 7

// validVLAN reports whether v is a VLAN id (1-4094); agents send 0 for
// untagged and 0xFFFFFFFF for unknown.
func validVLAN(v uint32) bool { return v >= 1 && v <= 4094 }

// extRouter maps extended_router (0:1002).
func extRouter(e *decoded.ExtRouter) mapstr.M {
	m := mapstr.M{"src_mask_len": e.SrcMaskLen, "dst_mask_len": e.DstMaskLen}
	setIP(m, "next_hop", e.NextHop)
	return m
}

// extGateway maps extended_gateway (0:1003): source.as.number is src_as,
// destination.as.number the last AS of the path (else the router's AS).
func extGateway(f mapstr.M, e *decoded.ExtGateway) {
	path := flatASPath(e.ASPath)
	g := mapstr.M{}
	setIP(g, "next_hop", e.NextHop)
	setNonZero(g, "as", e.AS)
	setNonZero(g, "src_as", e.SrcAS)
	setNonZero(g, "src_peer_as", e.SrcPeerAS)
	if len(path) > 0 {
		g["as_path"] = path
		setNonZero(g, "dst_peer_as", path[0])
	}
	if len(e.Communities) > 0 {
		g["communities"] = append([]uint32(nil), e.Communities...)
	}
	setNonZero(g, "local_pref", e.LocalPref)
	child(f, "sflow")["gateway"] = g
	if e.SrcAS != 0 {
		child(child(f, "source"), "as")["number"] = e.SrcAS
	}
	dst := e.AS
	if len(path) > 0 {
		dst = path[len(path)-1]
	}
	if dst != 0 {
		child(child(f, "destination"), "as")["number"] = dst
	}
}

// flatASPath flattens the AS path segments into one list.
func flatASPath(segs []decoded.ASPathSegment) []uint32 {
	var path []uint32
	for _, s := range segs {
		path = append(path, s.ASNs...)
	}
	return path
}

// extNAT maps extended_nat (0:1007) to source.nat.ip / destination.nat.ip;
// an unspecified address (0.0.0.0, ::) means not translated.
func extNAT(f mapstr.M, e *decoded.ExtNAT) {
	if e.SrcIP.IsValid() && !e.SrcIP.IsUnspecified() {
		child(child(f, "source"), "nat")["ip"] = e.SrcIP.String()
	}
	if e.DstIP.IsValid() && !e.DstIP.IsUnspecified() {
		child(child(f, "destination"), "nat")["ip"] = e.DstIP.String()
	}
}

// mplsRecords maps extended_mpls and the MPLS tunnel/VC/FEC records
// (0:1006, 0:1008-1011) under sflow.mpls_ext.
func mplsRecords(s mapstr.M, r *decoded.FlowRecords) {
	const mpls = decoded.HasExtMPLS | decoded.HasExtMPLSTunnel | decoded.HasExtMPLSVC |
		decoded.HasExtMPLSFEC | decoded.HasExtMPLSLVPFEC
	if r.Has&mpls == 0 {
		return
	}
	m := mapstr.M{}
	if r.Has&decoded.HasExtMPLS != 0 {
		e := &r.ExtMPLS
		setIP(m, "next_hop", e.NextHop)
		if len(e.InStack) > 0 {
			m["in_labels"] = labelValues(e.InStack)
		}
		if len(e.OutStack) > 0 {
			m["out_labels"] = labelValues(e.OutStack)
		}
	}
	if r.Has&decoded.HasExtMPLSTunnel != 0 {
		m["tunnel"] = compact(mapstr.M{"name": str(r.ExtMPLSTunnel.Name), "id": r.ExtMPLSTunnel.ID, "cos": r.ExtMPLSTunnel.COSValue})
	}
	if r.Has&decoded.HasExtMPLSVC != 0 {
		m["vc"] = compact(mapstr.M{"instance_name": str(r.ExtMPLSVC.InstanceName), "id": r.ExtMPLSVC.ID, "cos": r.ExtMPLSVC.COSValue})
	}
	if r.Has&decoded.HasExtMPLSFEC != 0 {
		m["ftn"] = compact(mapstr.M{"description": str(r.ExtMPLSFEC.Description), "mask": r.ExtMPLSFEC.Mask})
	}
	if r.Has&decoded.HasExtMPLSLVPFEC != 0 {
		m["ldp_fec_prefix_length"] = r.ExtMPLSLVPFEC
	}
	if len(m) > 0 {
		s["mpls_ext"] = m
	}
}

// labelValues returns the 20-bit labels of MPLS label stack entries.
func labelValues(stack []uint32) []uint32 {
	out := make([]uint32, len(stack))
	for i, w := range stack {
		out[i] = w >> 12
	}
	return out
}

// tunnelRecords maps the VLAN tunnel, IP tunnel, decapsulation and VNI
// records (0:1012, 0:1023-1030).
func tunnelRecords(s mapstr.M, r *decoded.FlowRecords) {
	if r.Has&decoded.HasExtVLANTunnel != 0 && len(r.ExtVLANTunnel) > 0 {
		s["vlan_tunnel"] = append([]uint32(nil), r.ExtVLANTunnel...)
	}
	tunnel(s, "ipv4_egress", r.Has&decoded.HasExtIPv4TunnelEgress != 0, &r.ExtIPv4TunnelEgress)
	tunnel(s, "ipv4_ingress", r.Has&decoded.HasExtIPv4TunnelIngress != 0, &r.ExtIPv4TunnelIngress)
	tunnel(s, "ipv6_egress", r.Has&decoded.HasExtIPv6TunnelEgress != 0, &r.ExtIPv6TunnelEgress)
	tunnel(s, "ipv6_ingress", r.Has&decoded.HasExtIPv6TunnelIngress != 0, &r.ExtIPv6TunnelIngress)
	if r.Has&decoded.HasExtDecapEgress != 0 {
		child(s, "decap")["egress_inner_header_offset"] = r.ExtDecapEgress
	}
	if r.Has&decoded.HasExtDecapIngress != 0 {
		child(s, "decap")["ingress_inner_header_offset"] = r.ExtDecapIngress
	}
	if r.Has&decoded.HasExtVNIEgress != 0 {
		child(s, "vni")["egress"] = r.ExtVNIEgress
	}
	if r.Has&decoded.HasExtVNIIngress != 0 {
		child(s, "vni")["ingress"] = r.ExtVNIIngress
	}
}

// tunnel maps one extended_ipv4/ipv6_tunnel_* record (a sampled_ipv4/6)
// to sflow.tunnel.<name>.
func tunnel(s mapstr.M, name string, has bool, ip *decoded.SampledIP) {
	if !has {
		return
	}
	m := mapstr.M{"length": ip.Length, "protocol": ip.Protocol}
	setIP(m, "src_ip", ip.SrcIP)
	setIP(m, "dst_ip", ip.DstIP)
	setNonZero(m, "src_port", ip.SrcPort)
	setNonZero(m, "dst_port", ip.DstPort)
	child(s, "tunnel")[name] = m
}

// dropRecords maps the drop-notification records (0:1036-1038, 0:1042).
func dropRecords(s mapstr.M, r *decoded.FlowRecords) {
	if r.Has&decoded.HasExtEgressQueue != 0 {
		s["egress_queue"] = r.ExtEgressQueue
	}
	if r.Has&decoded.HasExtACL != 0 {
		s["acl"] = compact(mapstr.M{"number": r.ExtACL.Number, "name": str(r.ExtACL.Name), "direction": aclDirection(r.ExtACL.Direction)})
	}
	if r.Has&decoded.HasExtFunction != 0 && len(r.ExtFunction) > 0 {
		s["function"] = str(r.ExtFunction)
	}
	if r.Has&decoded.HasExtLinuxDropReason != 0 && len(r.ExtLinuxDropReason) > 0 {
		s["linux_drop_reason"] = str(r.ExtLinuxDropReason)
	}
}

// setNonZero sets m[k] = v unless v is 0.
func setNonZero(m mapstr.M, k string, v uint32) {
	if v != 0 {
		m[k] = v
	}
}

// setIP sets m[k] to the IP unless it is absent or unspecified (0.0.0.0, ::).
func setIP(m mapstr.M, k string, ip netip.Addr) {
	if ip.IsValid() && !ip.IsUnspecified() {
		m[k] = ip.String()
	}
}

// str converts an XDR string to a Go string (a copy: the bytes point into
// the datagram buffer).
func str(b []byte) string { return string(b) }

// compact removes empty strings from m and returns it.
func compact(m mapstr.M) mapstr.M {
	for k, v := range m {
		if s, ok := v.(string); ok && s == "" {
			delete(m, k)
		}
	}
	return m
}
