package header

import "net/netip"

// Packet is what Parse extracts from a sampled packet header (sFlow v5
// sampled_header, 0:1). Every field that fits in the (usually 128-byte,
// truncated) header is set; Has tells which groups are present. Parse never
// fails on truncation: it stops at the first layer that does not fit and sets
// Truncated.
type Packet struct {
	Has Has

	// Ethernet (HasEthernet).
	SrcMAC, DstMAC [6]byte
	EtherType      uint16 // the EtherType after the VLAN tags (the payload's)

	// 802.1Q / 802.1ad tags, outermost first (HasVLAN). NumVLANs is 1 or 2
	// (more tags are counted in NumVLANs but only two are kept).
	VLANs    [2]uint16
	VLANPrio [2]uint8
	NumVLANs uint8

	// MPLS label stack, top first (HasMPLS). NumMPLS counts all labels; the
	// first four are kept.
	MPLSLabels [4]uint32
	NumMPLS    uint8

	// Outer IP (HasIPv4 or HasIPv6).
	L3 L3

	// Transport of the outer IP packet (HasTransport).
	L4 L4

	// GRE (HasGRE): the protocol type of the GRE payload.
	GREProtocol uint16

	// VXLAN (HasVXLAN): the VNI and the encapsulated frame, parsed up to its
	// transport layer (Inner.Has tells what was found).
	VNI   uint32
	Inner Inner

	// Truncated is set when the header ended inside a layer.
	Truncated bool
}

// Has is a bit set of the layers found by Parse.
type Has uint16

// Bits of Has.
const (
	HasEthernet Has = 1 << iota
	HasVLAN
	HasMPLS
	HasIPv4
	HasIPv6
	HasTransport // L4 ports (TCP, UDP, SCTP) or ICMP type/code are set
	HasGRE
	HasVXLAN
	HasInner // Inner holds an encapsulated packet (VXLAN, GRE-in-IP ...)
)

// L3 is the IP layer of a packet.
type L3 struct {
	Version    uint8 // 4 or 6
	SrcIP      netip.Addr
	DstIP      netip.Addr
	Protocol   uint8  // IPv4 protocol, or IPv6 upper-layer next header after extension headers
	TTL        uint8  // IPv4 TTL or IPv6 hop limit
	TOS        uint8  // IPv4 TOS or IPv6 traffic class (DSCP = TOS >> 2)
	Length     uint16 // IPv4 total length, or IPv6 payload length + 40
	ID         uint16 // IPv4 identification
	FlowLabel  uint32 // IPv6 flow label
	Fragment   bool   // IPv4 MF or offset != 0, or an IPv6 fragment header
	FragOffset uint16
}

// L4 is the transport layer of a packet: ports for TCP, UDP and SCTP; type
// and code for ICMP and ICMPv6 (in ICMPType/ICMPCode, ports zero).
type L4 struct {
	SrcPort  uint16
	DstPort  uint16
	TCPFlags uint16 // the 9 flag bits of TCP (NS CWR ECE URG ACK PSH RST SYN FIN)
	ICMPType uint8
	ICMPCode uint8
	IsICMP   bool // ICMPType/ICMPCode are valid
}

// Inner is an encapsulated frame (VXLAN payload): Ethernet, IP and
// transport, without further nesting.
type Inner struct {
	Has            Has
	SrcMAC, DstMAC [6]byte
	EtherType      uint16
	VLAN           uint16
	L3             L3
	L4             L4
}
