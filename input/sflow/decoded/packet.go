package decoded

import "net/netip"

// Packet is what Parse extracts from a sampled packet header (sFlow v5
// sampled_header, 0:1). Every field that fits in the (usually 128-byte,
// truncated) header is set; Layers tells which groups are present. Parse never
// fails on truncation: it stops at the first layer that does not fit and sets
// Truncated.
//
// A group's bit is set once the bytes it needs were captured: Ethernet 14,
// a VLAN tag 4, an MPLS label 4, IPv4 20 (without options), IPv6 40,
// transport 4 (ports) or 2 (ICMP type and code), GRE 4, VXLAN 8. Fields
// that come later in a layer are zero when the header ended before them
// (TCPFlags needs 14 bytes of TCP); Truncated is then set.
type Packet struct {
	Layers Layers

	// Ethernet (LayerEthernet).
	SrcMAC, DstMAC [6]byte
	EtherType      uint16 // the EtherType after the VLAN tags (the payload's); 0 if cut inside the tags; < 0x0600 an 802.3 length

	// 802.1Q / 802.1ad tags, outermost first (LayerVLAN). NumVLANs is 1 or 2
	// (more tags are counted in NumVLANs but only two are kept).
	VLANs    [2]uint16
	VLANPrio [2]uint8
	NumVLANs uint8

	// MPLS label stack, top first (LayerMPLS). NumMPLS counts all labels; the
	// first four are kept.
	MPLSLabels [4]uint32
	NumMPLS    uint8

	// Outer IP (LayerIPv4 or LayerIPv6).
	L3 L3

	// Transport of the outer IP packet (LayerTransport).
	L4 L4

	// GRE (LayerGRE): the protocol type of the GRE payload. IPv4, IPv6 and
	// transparent Ethernet bridging (0x6558) payloads are parsed into Inner.
	GREProtocol uint16

	// VXLAN (LayerVXLAN: UDP destination port 4789 or 8472 and the I flag
	// set): the VNI and the encapsulated frame, parsed up to its transport
	// layer (Inner.Layers tells what was found). Inner also holds the payload of
	// GRE and of IP in IP (outer L3.Protocol 4 or 41, LayerInner without
	// LayerGRE or LayerVXLAN).
	VNI   uint32
	Inner Inner

	// Truncated is set when the header ended inside a layer that Parse
	// decodes (or before a layer that the previous one announced), in the
	// outer or the inner packet: that layer's later fields and all further
	// layers are missing. It is not set when only the payload was cut (an IP
	// or UDP length beyond the captured bytes), the normal case of a sample.
	Truncated bool
}

// Layers is a bit set of the layers found in a sampled header.
type Layers uint16

// Bits of Layers.
const (
	LayerEthernet Layers = 1 << iota
	LayerVLAN
	LayerMPLS
	LayerIPv4
	LayerIPv6
	LayerTransport // L4 ports (TCP, UDP, SCTP) or ICMP type/code are set
	LayerGRE
	LayerVXLAN
	LayerInner // Inner holds an encapsulated packet (VXLAN, GRE, IP in IP): set iff Inner.Layers != 0
)

// L3 is the IP layer of a packet.
type L3 struct {
	Version    uint8 // 4 or 6
	SrcIP      netip.Addr
	DstIP      netip.Addr
	Protocol   uint8  // IPv4 protocol, or IPv6 upper-layer next header after extension headers (the extension header that was cut, if Truncated)
	TTL        uint8  // IPv4 TTL or IPv6 hop limit
	TOS        uint8  // IPv4 TOS or IPv6 traffic class (DSCP = TOS >> 2)
	Length     uint16 // IPv4 total length, or IPv6 payload length + 40, as on the wire (0 or 40: offloaded segment or jumbogram)
	ID         uint16 // IPv4 identification
	FlowLabel  uint32 // IPv6 flow label
	Fragment   bool   // IPv4 MF or offset != 0, or an IPv6 fragment header
	FragOffset uint16 // fragment offset in 8-octet units, as on the wire; non-zero: no transport header
}

// L4 is the transport layer of a packet: ports for TCP, UDP and SCTP; type
// and code for ICMP and ICMPv6 (in ICMPType/ICMPCode, ports zero).
type L4 struct {
	SrcPort  uint16
	DstPort  uint16
	TCPFlags uint16 // the 9 flag bits of TCP (NS CWR ECE URG ACK PSH RST SYN FIN); 0 if cut before them
	ICMPType uint8
	ICMPCode uint8
	IsICMP   bool // ICMPType/ICMPCode are valid
}

// Inner is an encapsulated frame (VXLAN payload) or packet (GRE, IP in IP
// payload): Ethernet, IP and transport, without further nesting. Layers may
// hold LayerEthernet, LayerVLAN, LayerIPv4, LayerIPv6 and LayerTransport; EtherType is
// set with LayerEthernet only (as in Packet) and VLAN is the outermost tag.
type Inner struct {
	Layers         Layers
	SrcMAC, DstMAC [6]byte
	EtherType      uint16
	VLAN           uint16
	L3             L3
	L4             L4
}
