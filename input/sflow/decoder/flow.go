package decoder

import "github.com/sflowbeat/sflowbeat/input/sflow/decoded"

// flowDecodeFunc decodes one flow record from x into its slot of r.
type flowDecodeFunc = func(x *xdr, r *decoded.FlowRecords)

// flowRecordDecoder returns the Has bit and the decoder of a flow record
// data_format, or a nil decoder for an unknown enterprise:format.
func flowRecordDecoder(format uint32) (decoded.FlowHas, flowDecodeFunc) {
	switch format {
	case decoded.FlowSampledHeader:
		return decoded.HasSampledHeader, decodeSampledHeader
	case decoded.FlowSampledEthernet:
		return decoded.HasSampledEthernet, decodeSampledEthernet
	case decoded.FlowSampledIPv4:
		return decoded.HasSampledIPv4, decodeSampledIPv4
	case decoded.FlowSampledIPv6:
		return decoded.HasSampledIPv6, decodeSampledIPv6
	case decoded.FlowExtSwitch:
		return decoded.HasExtSwitch, decodeExtSwitch
	case decoded.FlowExtRouter:
		return decoded.HasExtRouter, decodeExtRouter
	case decoded.FlowExtGateway:
		return decoded.HasExtGateway, decodeExtGateway
	case decoded.FlowExtUser:
		return decoded.HasExtUser, decodeExtUser
	case decoded.FlowExtURL:
		return decoded.HasExtURL, decodeExtURL
	case decoded.FlowExtMPLS:
		return decoded.HasExtMPLS, decodeExtMPLS
	case decoded.FlowExtNAT:
		return decoded.HasExtNAT, decodeExtNAT
	case decoded.FlowExtMPLSTunnel:
		return decoded.HasExtMPLSTunnel, decodeExtMPLSTunnel
	case decoded.FlowExtMPLSVC:
		return decoded.HasExtMPLSVC, decodeExtMPLSVC
	case decoded.FlowExtMPLSFEC:
		return decoded.HasExtMPLSFEC, decodeExtMPLSFTN
	case decoded.FlowExtMPLSLVPFEC:
		return decoded.HasExtMPLSLVPFEC, decodeExtMPLSLDPFEC
	case decoded.FlowExtVLANTunnel:
		return decoded.HasExtVLANTunnel, decodeExtVLANTunnel
	}
	return tunnelRecordDecoder(format)
}

// tunnelRecordDecoder is flowRecordDecoder for the tunnel (1023-1030,
// sflow_tunnels.txt) and drop-notification (1036-1042, sflow_drops.txt)
// records.
func tunnelRecordDecoder(format uint32) (decoded.FlowHas, flowDecodeFunc) {
	switch format {
	case decoded.FlowExtIPv4TunnelEgress:
		return decoded.HasExtIPv4TunnelEgress, decodeExtIPv4TunnelEgress
	case decoded.FlowExtIPv4TunnelIngr:
		return decoded.HasExtIPv4TunnelIngress, decodeExtIPv4TunnelIngress
	case decoded.FlowExtIPv6TunnelEgress:
		return decoded.HasExtIPv6TunnelEgress, decodeExtIPv6TunnelEgress
	case decoded.FlowExtIPv6TunnelIngr:
		return decoded.HasExtIPv6TunnelIngress, decodeExtIPv6TunnelIngress
	case decoded.FlowExtDecapEgress:
		return decoded.HasExtDecapEgress, func(x *xdr, r *decoded.FlowRecords) { r.ExtDecapEgress = x.u32() }
	case decoded.FlowExtDecapIngress:
		return decoded.HasExtDecapIngress, func(x *xdr, r *decoded.FlowRecords) { r.ExtDecapIngress = x.u32() }
	case decoded.FlowExtVNIEgress:
		return decoded.HasExtVNIEgress, func(x *xdr, r *decoded.FlowRecords) { r.ExtVNIEgress = x.u32() }
	case decoded.FlowExtVNIIngress:
		return decoded.HasExtVNIIngress, func(x *xdr, r *decoded.FlowRecords) { r.ExtVNIIngress = x.u32() }
	case decoded.FlowExtEgressQueue:
		return decoded.HasExtEgressQueue, func(x *xdr, r *decoded.FlowRecords) { r.ExtEgressQueue = x.u32() }
	case decoded.FlowExtACL:
		return decoded.HasExtACL, decodeExtACL
	case decoded.FlowExtFunction:
		return decoded.HasExtFunction, func(x *xdr, r *decoded.FlowRecords) { r.ExtFunction = x.opaque() }
	case decoded.FlowExtLinuxDropReason:
		return decoded.HasExtLinuxDropReason, func(x *xdr, r *decoded.FlowRecords) { r.ExtLinuxDropReason = x.opaque() }
	}
	return 0, nil
}

// decodeSampledHeader decodes sampled_header (enterprise 0, format 1),
// sFlow v5 section 5.2: header_protocol, frame_length, stripped, header<>.
func decodeSampledHeader(x *xdr, r *decoded.FlowRecords) {
	h := &r.SampledHeader
	h.Protocol = x.u32()
	h.FrameLength = x.u32()
	h.Stripped = x.u32()
	h.Header = x.opaque()
}

// decodeSampledEthernet decodes sampled_ethernet (enterprise 0, format 2):
// length, src_mac, dst_mac (mac = opaque[6], padded to 8), type.
func decodeSampledEthernet(x *xdr, r *decoded.FlowRecords) {
	e := &r.SampledEthernet
	e.Length = x.u32()
	e.SrcMAC = x.mac()
	e.DstMAC = x.mac()
	e.EtherType = x.u32()
}

// sampledIPv4 decodes the sampled_ipv4 structure: length, protocol,
// src_ip, dst_ip, src_port, dst_port, tcp_flags, tos.
func sampledIPv4(x *xdr, s *decoded.SampledIP) {
	s.Length = x.u32()
	s.Protocol = x.u32()
	s.SrcIP = x.ipv4()
	s.DstIP = x.ipv4()
	s.SrcPort = x.u32()
	s.DstPort = x.u32()
	s.TCPFlags = x.u32()
	s.TOS = x.u32()
}

// sampledIPv6 decodes the sampled_ipv6 structure: length, protocol,
// src_ip, dst_ip, src_port, dst_port, tcp_flags, priority.
func sampledIPv6(x *xdr, s *decoded.SampledIP) {
	s.Length = x.u32()
	s.Protocol = x.u32()
	s.SrcIP = x.ipv6()
	s.DstIP = x.ipv6()
	s.SrcPort = x.u32()
	s.DstPort = x.u32()
	s.TCPFlags = x.u32()
	s.TOS = x.u32()
}

// decodeSampledIPv4 decodes sampled_ipv4 (enterprise 0, format 3).
func decodeSampledIPv4(x *xdr, r *decoded.FlowRecords) { sampledIPv4(x, &r.SampledIPv4) }

// decodeSampledIPv6 decodes sampled_ipv6 (enterprise 0, format 4).
func decodeSampledIPv6(x *xdr, r *decoded.FlowRecords) { sampledIPv6(x, &r.SampledIPv6) }

// decodeExtIPv4TunnelEgress decodes extended_ipv4_tunnel_egress
// (enterprise 0, format 1023, sflow_tunnels.txt): a sampled_ipv4.
func decodeExtIPv4TunnelEgress(x *xdr, r *decoded.FlowRecords) {
	sampledIPv4(x, &r.ExtIPv4TunnelEgress)
}

// decodeExtIPv4TunnelIngress decodes extended_ipv4_tunnel_ingress (0:1024).
func decodeExtIPv4TunnelIngress(x *xdr, r *decoded.FlowRecords) {
	sampledIPv4(x, &r.ExtIPv4TunnelIngress)
}

// decodeExtIPv6TunnelEgress decodes extended_ipv6_tunnel_egress (0:1025):
// a sampled_ipv6.
func decodeExtIPv6TunnelEgress(x *xdr, r *decoded.FlowRecords) {
	sampledIPv6(x, &r.ExtIPv6TunnelEgress)
}

// decodeExtIPv6TunnelIngress decodes extended_ipv6_tunnel_ingress (0:1026).
func decodeExtIPv6TunnelIngress(x *xdr, r *decoded.FlowRecords) {
	sampledIPv6(x, &r.ExtIPv6TunnelIngress)
}

// decodeExtSwitch decodes extended_switch (enterprise 0, format 1001):
// src_vlan, src_priority, dst_vlan, dst_priority.
func decodeExtSwitch(x *xdr, r *decoded.FlowRecords) {
	r.ExtSwitch = decoded.ExtSwitch{SrcVLAN: x.u32(), SrcPriority: x.u32(), DstVLAN: x.u32(), DstPriority: x.u32()}
}

// decodeExtRouter decodes extended_router (enterprise 0, format 1002):
// nexthop (address), src_mask_len, dst_mask_len.
func decodeExtRouter(x *xdr, r *decoded.FlowRecords) {
	r.ExtRouter.NextHop = x.addr(ErrBadLength)
	r.ExtRouter.SrcMaskLen = x.u32()
	r.ExtRouter.DstMaskLen = x.u32()
}

// decodeExtGateway decodes extended_gateway (enterprise 0, format 1003),
// sFlow v5 section 5.2: nexthop, as, src_as, src_peer_as, dst_as_path
// (as_path_segment<>), communities<>, localpref.
func decodeExtGateway(x *xdr, r *decoded.FlowRecords) {
	r.ExtGateway.NextHop = x.addr(ErrBadLength)
	gatewayRoute(x, &r.ExtGateway)
}

// gatewayRoute decodes the fields of extended_gateway after the next hop,
// the same in sFlow v5 and RFC 3176 version 4: as, src_as, src_peer_as,
// dst_as_path (as_path_segment<>, RFC 3176 as_path_type<>), communities<>,
// localpref.
func gatewayRoute(x *xdr, g *decoded.ExtGateway) {
	g.AS = x.u32()
	g.SrcAS = x.u32()
	g.SrcPeerAS = x.u32()
	g.ASPath = decodeASPath(x, g.ASPath)
	g.Communities = x.u32s(g.Communities, x.count(4, maxCommunities))
	g.LocalPref = x.u32()
}

// decodeASPath decodes dst_as_path, an array of as_path_segment (type,
// as_number<>), into dst[:0], reusing dst and its segments' ASN slices.
func decodeASPath(x *xdr, dst []decoded.ASPathSegment) []decoded.ASPathSegment {
	dst = dst[:0]
	n := x.count(8, maxASPathSegments)
	for i := range n {
		dst = extend(dst)
		seg := &dst[i]
		seg.Type = x.u32()
		seg.ASNs = x.u32s(seg.ASNs, x.count(4, maxASNs))
	}
	return dst
}

// decodeExtUser decodes extended_user (enterprise 0, format 1004):
// src_charset, src_user<>, dst_charset, dst_user<>.
func decodeExtUser(x *xdr, r *decoded.FlowRecords) {
	u := &r.ExtUser
	u.SrcCharset = x.u32()
	u.SrcUser = x.opaque()
	u.DstCharset = x.u32()
	u.DstUser = x.opaque()
}

// decodeExtURL decodes extended_url (enterprise 0, format 1005):
// direction, url<>, host<>.
func decodeExtURL(x *xdr, r *decoded.FlowRecords) {
	u := &r.ExtURL
	u.Direction = x.u32()
	u.URL = x.opaque()
	u.Host = x.opaque()
}

// decodeExtMPLS decodes extended_mpls (enterprise 0, format 1006):
// nexthop, in_stack (label<>), out_stack (label<>).
func decodeExtMPLS(x *xdr, r *decoded.FlowRecords) {
	m := &r.ExtMPLS
	m.NextHop = x.addr(ErrBadLength)
	m.InStack = x.u32s(m.InStack, x.count(4, maxLabels))
	m.OutStack = x.u32s(m.OutStack, x.count(4, maxLabels))
}

// decodeExtNAT decodes extended_nat (enterprise 0, format 1007):
// src_address, dst_address.
func decodeExtNAT(x *xdr, r *decoded.FlowRecords) {
	r.ExtNAT.SrcIP = x.addr(ErrBadLength)
	r.ExtNAT.DstIP = x.addr(ErrBadLength)
}

// decodeExtMPLSTunnel decodes extended_mpls_tunnel (enterprise 0, format
// 1008): tunnel_lsp_name<>, tunnel_id, tunnel_cos.
func decodeExtMPLSTunnel(x *xdr, r *decoded.FlowRecords) {
	t := &r.ExtMPLSTunnel
	t.Name = x.opaque()
	t.ID = x.u32()
	t.COSValue = x.u32()
}

// decodeExtMPLSVC decodes extended_mpls_vc (enterprise 0, format 1009):
// vc_instance_name<>, vll_vc_id, vc_label_cos.
func decodeExtMPLSVC(x *xdr, r *decoded.FlowRecords) {
	v := &r.ExtMPLSVC
	v.InstanceName = x.opaque()
	v.ID = x.u32()
	v.COSValue = x.u32()
}

// decodeExtMPLSFTN decodes extended_mpls_FTN (enterprise 0, format 1010):
// mplsFTNDescr<>, mplsFTNMask.
func decodeExtMPLSFTN(x *xdr, r *decoded.FlowRecords) {
	r.ExtMPLSFEC.Description = x.opaque()
	r.ExtMPLSFEC.Mask = x.u32()
}

// decodeExtMPLSLDPFEC decodes extended_mpls_LDP_FEC (enterprise 0, format
// 1011): mplsFecAddrPrefixLength.
func decodeExtMPLSLDPFEC(x *xdr, r *decoded.FlowRecords) { r.ExtMPLSLVPFEC = x.u32() }

// decodeExtVLANTunnel decodes extended_vlantunnel (enterprise 0, format
// 1012): stack<> of 802.1Q tag words, outermost first.
func decodeExtVLANTunnel(x *xdr, r *decoded.FlowRecords) {
	r.ExtVLANTunnel = x.u32s(r.ExtVLANTunnel, x.count(4, maxVLANStack))
}

// decodeExtACL decodes extended_acl (enterprise 0, format 1037,
// sflow_drops.txt): number, name<>, direction.
func decodeExtACL(x *xdr, r *decoded.FlowRecords) {
	r.ExtACL.Number = x.u32()
	r.ExtACL.Name = x.opaque()
	r.ExtACL.Direction = x.u32()
}
