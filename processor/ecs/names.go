package ecs

import (
	"strconv"

	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
)

// protocolName returns the IANA keyword of an IP protocol number, lowercased
// (ianaProtocols, generated from the registry), or "" for a number that has
// none.
func protocolName(p uint8) string { return ianaProtocols[p] }

// headerProtocolNames name sampled_header's header_protocol values (sFlow
// v5 section 5.2), lowercased.
var headerProtocolNames = map[uint32]string{
	decoded.HeaderProtoEthernet: "ethernet", decoded.HeaderProtoTokenBus: "iso88024_tokenbus",
	decoded.HeaderProtoTokenRing: "iso88025_tokenring", decoded.HeaderProtoFDDI: "fddi",
	decoded.HeaderProtoFrameRelay: "frame_relay", decoded.HeaderProtoX25: "x25", decoded.HeaderProtoPPP: "ppp",
	decoded.HeaderProtoSMDS: "smds", decoded.HeaderProtoAAL5: "aal5", decoded.HeaderProtoAAL5IP: "aal5_ip",
	decoded.HeaderProtoIPv4: "ipv4", decoded.HeaderProtoIPv6: "ipv6", decoded.HeaderProtoMPLS: "mpls",
	decoded.HeaderProtoPOS: "pos", decoded.HeaderProto80211MAC: "ieee80211_mac",
	decoded.HeaderProto80211AMPDU: "ieee80211_ampdu", decoded.HeaderProto80211AMSDU: "ieee80211_amsdu_subframe",
}

// headerProtocolName names a header_protocol, or returns the number as a
// string.
func headerProtocolName(p uint32) string {
	if name, ok := headerProtocolNames[p]; ok {
		return name
	}
	return strconv.FormatUint(uint64(p), 10)
}

// tcpFlags are the TCP flag bits, lowest first (FIN = 0x001 ... NS = 0x100).
var tcpFlags = [...]string{"fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr", "ns"}

// tcpFlagNames returns the names of the flags set in f.
func tcpFlagNames(f uint16) []string {
	out := make([]string, 0, 4)
	for i, name := range tcpFlags {
		if f&(1<<i) != 0 {
			out = append(out, name)
		}
	}
	return out
}

// formatMAC returns a MAC address in ECS form: uppercase hex pairs joined by
// hyphens (00-53-00-11-22-33).
func formatMAC(m [6]byte) string { return string(appendMAC(nil, m)) }

// appendMAC appends a MAC address in ECS form to b.
func appendMAC(b []byte, m [6]byte) []byte {
	const hex = "0123456789ABCDEF"
	for i, v := range m {
		if i > 0 {
			b = append(b, '-')
		}
		b = append(b, hex[v>>4], hex[v&0xf])
	}
	return b
}

// dropReasons are the drop_reason codes of the sFlow dropped packet
// notification structures (sflow_drops.txt), named as there.
var dropReasons = map[uint32]string{
	0: "net_unreachable", 1: "host_unreachable", 2: "protocol_unreachable", 3: "port_unreachable",
	4: "frag_needed", 5: "src_route_failed", 6: "dst_net_unknown", 7: "dst_host_unknown",
	8: "src_host_isolated", 9: "dst_net_prohibited", 10: "dst_host_prohibited",
	11: "dst_net_tos_unreachable", 12: "dst_host_tos_unreacheable", 13: "comm_admin_prohibited",
	14: "host_precedence_violation", 15: "precedence_cutoff",
	256: "unknown", 257: "ttl_exceeded", 258: "acl", 259: "no_buffer_space", 260: "red",
	261: "traffic_shaping", 262: "pkt_too_big", 263: "src_mac_is_multicast", 264: "vlan_tag_mismatch",
	265: "ingress_vlan_filter", 266: "ingress_spanning_tree_filter", 267: "port_list_is_empty",
	268: "port_loopback_filter", 269: "blackhole_route", 270: "non_ip", 271: "uc_dip_over_mc_dmac",
	272: "dip_is_loopback_address", 273: "sip_is_mc", 274: "sip_is_loopback_address",
	275: "ip_header_corrupted", 276: "ipv4_sip_is_limited_bc", 277: "ipv6_mc_dip_reserved_scope",
	278: "ipv6_mc_dip_interface_local_scope", 279: "unresolved_neigh", 280: "mc_reverse_path_forwarding",
	281: "non_routable_packet", 282: "decap_error", 283: "overlay_smac_is_mc",
	284: "unknown_l2", 285: "unknown_l3", 286: "unknown_l3_exception", 287: "unknown_buffer",
	288: "unknown_tunnel", 289: "unknown_l4", 290: "sip_is_unspecified", 291: "mlag_port_isolation",
	292: "blackhole_arp_neigh", 293: "src_mac_is_dmac", 294: "dmac_is_reserved",
	295: "sip_is_class_e", 296: "mc_dmac_mismatch", 297: "sip_is_dip", 298: "dip_is_local_network",
	299: "dip_is_link_local", 300: "overlay_smac_is_dmac", 301: "mtu_value_is_too_small",
	302: "unresolved_arp_neigh", 303: "pkt_sample", 304: "pkt_trap", 305: "drop_trap",
}

// dropReasonName returns the name of a drop_reason code, or "".
func dropReasonName(r uint32) string { return dropReasons[r] }

// urlDirection names extended_url's direction.
func urlDirection(d uint32) string {
	switch d {
	case 1:
		return "src"
	case 2:
		return "dst"
	}
	return ""
}

// aclDirection names extended_acl's direction.
func aclDirection(d uint32) string {
	switch d {
	case 1:
		return "ingress"
	case 2:
		return "egress"
	}
	return ""
}
