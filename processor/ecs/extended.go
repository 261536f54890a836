package ecs

import (
	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
)

// extendedRecords maps the extended_* flow records of a sample.
func extendedRecords(d *Doc, r *decoded.FlowRecords) {
	if r.Has&decoded.HasExtSwitch != 0 {
		extSwitch(d, &r.ExtSwitch)
	}
	if r.Has&decoded.HasExtRouter != 0 {
		extRouter(d, &r.ExtRouter)
	}
	if r.Has&decoded.HasExtGateway != 0 {
		extGateway(d, &r.ExtGateway)
	}
	if r.Has&decoded.HasExtUser != 0 {
		extUser(d, &r.ExtUser)
	}
	if r.Has&decoded.HasExtURL != 0 {
		d.strNonEmpty(fURLDirection, urlDirection(r.ExtURL.Direction))
		d.strNonEmpty(fURL, string(r.ExtURL.URL))
		d.strNonEmpty(fURLHost, string(r.ExtURL.Host))
	}
	if r.Has&decoded.HasExtNAT != 0 {
		d.ipSpecified(fSourceNAT, r.ExtNAT.SrcIP)
		d.ipSpecified(fDestinationNAT, r.ExtNAT.DstIP)
	}
	mplsRecords(d, r)
	tunnelRecords(d, r)
	dropRecords(d, r)
}

// Fields of extended_switch, extended_router, extended_user, extended_url
// and extended_nat.
var (
	fIngressVLAN    = must("observer.ingress.vlan.id")
	fEgressVLAN     = must("observer.egress.vlan.id")
	fSrcPriority    = must("sflow.switch.src_priority")
	fDstPriority    = must("sflow.switch.dst_priority")
	fRouterNextHop  = must("sflow.router.next_hop")
	fSrcMaskLen     = must("sflow.router.src_mask_len")
	fDstMaskLen     = must("sflow.router.dst_mask_len")
	fSrcCharset     = must("sflow.user.src_charset")
	fSrcUser        = must("sflow.user.src_user")
	fDstCharset     = must("sflow.user.dst_charset")
	fDstUser        = must("sflow.user.dst_user")
	fURLDirection   = must("sflow.url.direction")
	fURL            = must("sflow.url.url")
	fURLHost        = must("sflow.url.host")
	fSourceNAT      = must("source.nat.ip")
	fDestinationNAT = must("destination.nat.ip")
)

// extSwitch maps extended_switch (0:1001): observer.ingress/egress.vlan.id
// and the 802.1p priorities, each absent when unknown, and the priorities
// also when 0 (best effort, the value of every untagged frame).
func extSwitch(d *Doc, e *decoded.ExtSwitch) {
	if validVLAN(e.SrcVLAN) {
		d.decimal(fIngressVLAN, uint64(e.SrcVLAN))
	}
	if validVLAN(e.DstVLAN) {
		d.decimal(fEgressVLAN, uint64(e.DstVLAN))
	}
	if e.SrcPriority <= maxPriority {
		d.uintNonZero(fSrcPriority, uint64(e.SrcPriority))
	}
	if e.DstPriority <= maxPriority {
		d.uintNonZero(fDstPriority, uint64(e.DstPriority))
	}
}

// maxPriority is the highest 802.1p priority; agents send 0xFFFFFFFF for
// unknown (sFlow v5 errata, extended_switch).
const maxPriority = 7

// validVLAN reports whether v is a VLAN id (1-4094); agents send 0 for
// untagged and 0xFFFFFFFF for unknown.
func validVLAN(v uint32) bool { return v >= 1 && v <= 4094 }

// extRouter maps extended_router (0:1002).
func extRouter(d *Doc, e *decoded.ExtRouter) {
	d.ipSpecified(fRouterNextHop, e.NextHop)
	d.uint(fSrcMaskLen, uint64(e.SrcMaskLen))
	d.uint(fDstMaskLen, uint64(e.DstMaskLen))
}

// extUser maps extended_user (0:1004).
func extUser(d *Doc, e *decoded.ExtUser) {
	d.uint(fSrcCharset, uint64(e.SrcCharset))
	d.strNonEmpty(fSrcUser, string(e.SrcUser))
	d.uint(fDstCharset, uint64(e.DstCharset))
	d.strNonEmpty(fDstUser, string(e.DstUser))
}

// Fields of extended_gateway.
var (
	fGatewayNextHop = must("sflow.gateway.next_hop")
	fGatewayAS      = must("sflow.gateway.as")
	fSrcAS          = must("sflow.gateway.src_as")
	fSrcPeerAS      = must("sflow.gateway.src_peer_as")
	fDstPeerAS      = must("sflow.gateway.dst_peer_as")
	fASPath         = must("sflow.gateway.as_path")
	fCommunities    = must("sflow.gateway.communities")
	fLocalPref      = must("sflow.gateway.local_pref")
	fSourceAS       = must("source.as.number")
	fDestinationAS  = must("destination.as.number")
)

// extGateway maps extended_gateway (0:1003): source.as.number is src_as,
// destination.as.number the last AS of the path (else the router's AS).
func extGateway(d *Doc, e *decoded.ExtGateway) {
	path := flatASPath(e.ASPath)
	d.ipSpecified(fGatewayNextHop, e.NextHop)
	d.uintNonZero(fGatewayAS, uint64(e.AS))
	d.uintNonZero(fSrcAS, uint64(e.SrcAS))
	d.uintNonZero(fSrcPeerAS, uint64(e.SrcPeerAS))
	if len(path) > 0 {
		d.numbers(fASPath, path)
		d.uintNonZero(fDstPeerAS, uint64(path[0]))
	}
	if len(e.Communities) > 0 {
		d.numbers(fCommunities, e.Communities)
	}
	d.uintNonZero(fLocalPref, uint64(e.LocalPref))
	d.uintNonZero(fSourceAS, uint64(e.SrcAS))
	dst := e.AS
	if len(path) > 0 {
		dst = path[len(path)-1]
	}
	d.uintNonZero(fDestinationAS, uint64(dst))
}

// flatASPath flattens the AS path segments into one list.
func flatASPath(segs []decoded.ASPathSegment) []uint32 {
	var path []uint32
	for _, s := range segs {
		path = append(path, s.ASNs...)
	}
	return path
}

// Fields of the MPLS records.
var (
	fMPLSNextHop   = must("sflow.mpls_ext.next_hop")
	fMPLSInLabels  = must("sflow.mpls_ext.in_labels")
	fMPLSOutLabels = must("sflow.mpls_ext.out_labels")
	fTunnelName    = must("sflow.mpls_ext.tunnel.name")
	fTunnelID      = must("sflow.mpls_ext.tunnel.id")
	fTunnelCOS     = must("sflow.mpls_ext.tunnel.cos")
	fVCName        = must("sflow.mpls_ext.vc.instance_name")
	fVCID          = must("sflow.mpls_ext.vc.id")
	fVCCOS         = must("sflow.mpls_ext.vc.cos")
	fFTNDescr      = must("sflow.mpls_ext.ftn.description")
	fFTNMask       = must("sflow.mpls_ext.ftn.mask")
	fLDPPrefixLen  = must("sflow.mpls_ext.ldp_fec_prefix_length")
)

// mplsRecords maps extended_mpls and the MPLS tunnel/VC/FEC records
// (0:1006, 0:1008-1011) under sflow.mpls_ext.
func mplsRecords(d *Doc, r *decoded.FlowRecords) {
	if r.Has&decoded.HasExtMPLS != 0 {
		e := &r.ExtMPLS
		d.ipSpecified(fMPLSNextHop, e.NextHop)
		if len(e.InStack) > 0 {
			d.numbers(fMPLSInLabels, labelValues(e.InStack))
		}
		if len(e.OutStack) > 0 {
			d.numbers(fMPLSOutLabels, labelValues(e.OutStack))
		}
	}
	if r.Has&decoded.HasExtMPLSTunnel != 0 {
		t := &r.ExtMPLSTunnel
		d.strNonEmpty(fTunnelName, string(t.Name))
		d.uint(fTunnelID, uint64(t.ID))
		d.uint(fTunnelCOS, uint64(t.COSValue))
	}
	if r.Has&decoded.HasExtMPLSVC != 0 {
		vc := &r.ExtMPLSVC
		d.strNonEmpty(fVCName, string(vc.InstanceName))
		d.uint(fVCID, uint64(vc.ID))
		d.uint(fVCCOS, uint64(vc.COSValue))
	}
	if r.Has&decoded.HasExtMPLSFEC != 0 {
		d.strNonEmpty(fFTNDescr, string(r.ExtMPLSFEC.Description))
		d.uint(fFTNMask, uint64(r.ExtMPLSFEC.Mask))
	}
	if r.Has&decoded.HasExtMPLSLVPFEC != 0 {
		d.uint(fLDPPrefixLen, uint64(r.ExtMPLSLVPFEC))
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

// tunnelFields are the fields of one extended_ipv4/ipv6_tunnel_* record.
type tunnelFields struct {
	srcIP, dstIP, srcPort, dstPort, protocol, length field
}

// newTunnelFields returns the fields of sflow.tunnel.<name>.
func newTunnelFields(name string) tunnelFields {
	p := "sflow.tunnel." + name + "."
	return tunnelFields{srcIP: must(p + "src_ip"), dstIP: must(p + "dst_ip"), srcPort: must(p + "src_port"),
		dstPort: must(p + "dst_port"), protocol: must(p + "protocol"), length: must(p + "length")}
}

// Fields of the tunnel, decapsulation and VNI records.
var (
	ipv4Egress    = newTunnelFields("ipv4_egress")
	ipv4Ingress   = newTunnelFields("ipv4_ingress")
	ipv6Egress    = newTunnelFields("ipv6_egress")
	ipv6Ingress   = newTunnelFields("ipv6_ingress")
	fVLANTunnel   = must("sflow.vlan_tunnel")
	fDecapEgress  = must("sflow.decap.egress_inner_header_offset")
	fDecapIngress = must("sflow.decap.ingress_inner_header_offset")
	fVNIEgress    = must("sflow.vni.egress")
	fVNIIngress   = must("sflow.vni.ingress")
	fEgressQueue  = must("sflow.egress_queue")
	fACLNumber    = must("sflow.acl.number")
	fACLName      = must("sflow.acl.name")
	fACLDirection = must("sflow.acl.direction")
	fFunction     = must("sflow.function")
	fLinuxDropWhy = must("sflow.linux_drop_reason")
)

// tunnelRecords maps the VLAN tunnel, IP tunnel, decapsulation and VNI
// records (0:1012, 0:1023-1030).
func tunnelRecords(d *Doc, r *decoded.FlowRecords) {
	if r.Has&decoded.HasExtVLANTunnel != 0 && len(r.ExtVLANTunnel) > 0 {
		d.numbers(fVLANTunnel, r.ExtVLANTunnel)
	}
	tunnel(d, &ipv4Egress, r.Has&decoded.HasExtIPv4TunnelEgress != 0, &r.ExtIPv4TunnelEgress)
	tunnel(d, &ipv4Ingress, r.Has&decoded.HasExtIPv4TunnelIngress != 0, &r.ExtIPv4TunnelIngress)
	tunnel(d, &ipv6Egress, r.Has&decoded.HasExtIPv6TunnelEgress != 0, &r.ExtIPv6TunnelEgress)
	tunnel(d, &ipv6Ingress, r.Has&decoded.HasExtIPv6TunnelIngress != 0, &r.ExtIPv6TunnelIngress)
	if r.Has&decoded.HasExtDecapEgress != 0 {
		d.uint(fDecapEgress, uint64(r.ExtDecapEgress))
	}
	if r.Has&decoded.HasExtDecapIngress != 0 {
		d.uint(fDecapIngress, uint64(r.ExtDecapIngress))
	}
	if r.Has&decoded.HasExtVNIEgress != 0 {
		d.uint(fVNIEgress, uint64(r.ExtVNIEgress))
	}
	if r.Has&decoded.HasExtVNIIngress != 0 {
		d.uint(fVNIIngress, uint64(r.ExtVNIIngress))
	}
}

// tunnel maps one extended_ipv4/ipv6_tunnel_* record (a sampled_ipv4/6).
func tunnel(d *Doc, f *tunnelFields, has bool, ip *decoded.SampledIP) {
	if !has {
		return
	}
	d.uint(f.length, uint64(ip.Length))
	d.uint(f.protocol, uint64(ip.Protocol))
	d.ipSpecified(f.srcIP, ip.SrcIP)
	d.ipSpecified(f.dstIP, ip.DstIP)
	d.uintNonZero(f.srcPort, uint64(ip.SrcPort))
	d.uintNonZero(f.dstPort, uint64(ip.DstPort))
}

// dropRecords maps the drop-notification records (0:1036-1038, 0:1042).
func dropRecords(d *Doc, r *decoded.FlowRecords) {
	if r.Has&decoded.HasExtEgressQueue != 0 {
		d.uint(fEgressQueue, uint64(r.ExtEgressQueue))
	}
	if r.Has&decoded.HasExtACL != 0 {
		d.uint(fACLNumber, uint64(r.ExtACL.Number))
		d.strNonEmpty(fACLName, string(r.ExtACL.Name))
		d.strNonEmpty(fACLDirection, aclDirection(r.ExtACL.Direction))
	}
	if r.Has&decoded.HasExtFunction != 0 {
		d.strNonEmpty(fFunction, string(r.ExtFunction))
	}
	if r.Has&decoded.HasExtLinuxDropReason != 0 {
		d.strNonEmpty(fLinuxDropWhy, string(r.ExtLinuxDropReason))
	}
}
