package header

import (
	"encoding/binary"
	"net/netip"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
)

// Header protocols of sFlow v5 sampled_header (header_protocol).
const (
	protoEthernet uint32 = 1
	protoIPv4     uint32 = 11
	protoIPv6     uint32 = 12
)

// EtherTypes and ports that lead to encapsulations.
const (
	etherTypeQinQ     = 0x88a8
	etherTypeQinQOld  = 0x9100
	etherTypeTEB      = 0x6558 // transparent Ethernet bridging (GRE, NVGRE)
	portVXLAN         = 4789
	portVXLANLinux    = 8472
	maxVLANTags       = 8
	maxMPLSLabels     = 16
	maxIPv6Extensions = 8
)

// Parser parses sampled headers with gopacket's DecodingLayers, preallocated
// once. It is not safe for concurrent use: use one per worker.
type Parser struct {
	eth   layers.Ethernet
	dot1q layers.Dot1Q
	ip4   layers.IPv4
	ip6   layers.IPv6
	tcp   layers.TCP
	udp   layers.UDP
	sctp  layers.SCTP
	icmp4 layers.ICMPv4
	icmp6 layers.ICMPv6
	gre   layers.GRE
	vxlan layers.VXLAN
	df    truncFeedback
}

// truncFeedback records gopacket's truncation notices.
type truncFeedback struct{ truncated bool }

// SetTruncated implements gopacket.DecodeFeedback.
func (t *truncFeedback) SetTruncated() { t.truncated = true }

var _ gopacket.DecodeFeedback = (*truncFeedback)(nil)

// NewParser returns a Parser.
func NewParser() *Parser { return &Parser{} }

// frame points at the part of a Packet that an encapsulated frame repeats:
// the outer packet and Inner are both filled through it, so one set of
// layer functions serves both without allocating.
type frame struct {
	has       *Has
	srcMAC    *[6]byte
	dstMAC    *[6]byte
	etherType *uint16
	l3        *L3
	l4        *L4
	pkt       *Packet
	inner     bool
}

// vlan records one 802.1Q tag of the frame.
func (f frame) vlan(id uint16, prio uint8) {
	*f.has |= HasVLAN
	if f.inner {
		if f.pkt.Inner.Has&HasVLAN == 0 || f.pkt.Inner.VLAN == 0 {
			f.pkt.Inner.VLAN = id
		}
		return
	}
	p := f.pkt
	if p.NumVLANs < 2 {
		p.VLANs[p.NumVLANs], p.VLANPrio[p.NumVLANs] = id, prio
	}
	if p.NumVLANs < 255 {
		p.NumVLANs++
	}
}

// Parse fills *pkt (after resetting it) from a sampled header. proto is the
// sFlow header_protocol (1 Ethernet, 11 IPv4, 12 IPv6); other values leave
// pkt empty and return false. A truncated header yields every field that
// fits and sets pkt.Truncated.
func (p *Parser) Parse(proto uint32, data []byte, pkt *Packet) (ok bool) {
	*pkt = Packet{}
	defer func() {
		if recover() != nil { // a gopacket layer panicked on odd input
			pkt.Truncated = true
			ok = true
		}
	}()
	p.df.truncated = false
	f := p.outer(pkt)
	switch proto {
	case protoEthernet:
		p.ethernet(data, f, pkt, true)
	case protoIPv4:
		p.ipv4(data, f, pkt, true)
	case protoIPv6:
		p.ipv6(data, f, pkt, true)
	default:
		return false
	}
	pkt.Truncated = pkt.Truncated || p.df.truncated
	return true
}

// outer returns the frame view of the outer packet.
func (p *Parser) outer(pkt *Packet) frame {
	return frame{has: &pkt.Has, srcMAC: &pkt.SrcMAC, dstMAC: &pkt.DstMAC, etherType: &pkt.EtherType,
		l3: &pkt.L3, l4: &pkt.L4, pkt: pkt}
}

// inner returns the frame view of the encapsulated packet.
func inner(pkt *Packet) frame {
	in := &pkt.Inner
	return frame{has: &in.Has, srcMAC: &in.SrcMAC, dstMAC: &in.DstMAC, etherType: &in.EtherType,
		l3: &in.L3, l4: &in.L4, pkt: pkt, inner: true}
}

// ethernet parses an Ethernet frame, its VLAN tags and its payload.
func (p *Parser) ethernet(data []byte, f frame, pkt *Packet, outer bool) {
	if err := p.eth.DecodeFromBytes(data, &p.df); err != nil {
		pkt.Truncated = true
		return
	}
	copy(f.srcMAC[:], p.eth.SrcMAC)
	copy(f.dstMAC[:], p.eth.DstMAC)
	*f.has |= HasEthernet
	et, payload := uint16(p.eth.EthernetType), p.eth.Payload
	for i := 0; isVLAN(et) && i < maxVLANTags; i++ {
		if err := p.dot1q.DecodeFromBytes(payload, &p.df); err != nil {
			pkt.Truncated = true
			*f.etherType = et
			return
		}
		f.vlan(p.dot1q.VLANIdentifier, p.dot1q.Priority)
		et, payload = uint16(p.dot1q.Type), p.dot1q.Payload
	}
	*f.etherType = et
	p.etherPayload(et, payload, f, pkt, outer)
}

// isVLAN reports whether et is an 802.1Q or 802.1ad tag.
func isVLAN(et uint16) bool {
	return et == uint16(layers.EthernetTypeDot1Q) || et == etherTypeQinQ || et == etherTypeQinQOld
}

// etherPayload dispatches on the EtherType.
func (p *Parser) etherPayload(et uint16, data []byte, f frame, pkt *Packet, outer bool) {
	switch layers.EthernetType(et) {
	case layers.EthernetTypeIPv4:
		p.ipv4(data, f, pkt, outer)
	case layers.EthernetTypeIPv6:
		p.ipv6(data, f, pkt, outer)
	case layers.EthernetTypeMPLSUnicast, layers.EthernetTypeMPLSMulticast:
		if outer {
			p.mpls(data, f, pkt)
		}
	}
}

// mpls reads the label stack (RFC 3032) and guesses the payload from its
// first nibble.
func (p *Parser) mpls(data []byte, f frame, pkt *Packet) {
	pkt.Has |= HasMPLS
	for i := 0; ; i++ {
		if len(data) < 4 || i >= maxMPLSLabels {
			pkt.Truncated = len(data) < 4
			return
		}
		w := binary.BigEndian.Uint32(data)
		if pkt.NumMPLS < uint8(len(pkt.MPLSLabels)) {
			pkt.MPLSLabels[pkt.NumMPLS] = w >> 12
		}
		pkt.NumMPLS++
		data = data[4:]
		if w&0x100 != 0 { // bottom of stack
			break
		}
	}
	if len(data) == 0 {
		pkt.Truncated = true
		return
	}
	switch data[0] >> 4 {
	case 4:
		p.ipv4(data, f, pkt, true)
	case 6:
		p.ipv6(data, f, pkt, true)
	}
}

// ipv4 parses an IPv4 header and its payload.
func (p *Parser) ipv4(data []byte, f frame, pkt *Packet, outer bool) {
	if err := p.ip4.DecodeFromBytes(data, &p.df); err != nil {
		pkt.Truncated = true
		return
	}
	ip := &p.ip4
	*f.l3 = L3{Version: 4, SrcIP: addr4(ip.SrcIP), DstIP: addr4(ip.DstIP), Protocol: uint8(ip.Protocol),
		TTL: ip.TTL, TOS: ip.TOS, Length: ip.Length, ID: ip.Id, FragOffset: ip.FragOffset,
		Fragment: ip.Flags&layers.IPv4MoreFragments != 0 || ip.FragOffset != 0}
	*f.has |= HasIPv4
	if ip.FragOffset != 0 {
		return // a non-first fragment has no transport header
	}
	p.transport(uint8(ip.Protocol), ip.Payload, f, pkt, outer)
}

// ipv6 parses an IPv6 header, skips its extension headers and parses the
// upper layer.
func (p *Parser) ipv6(data []byte, f frame, pkt *Packet, outer bool) {
	l3, ok := p.ipv6Fixed(data)
	if !ok {
		pkt.Truncated = true
		return
	}
	*f.l3 = l3
	*f.has |= HasIPv6
	next, payload, ok := skipIPv6Extensions(l3.Protocol, data[40:], f.l3)
	f.l3.Protocol = next
	if !ok {
		pkt.Truncated = true
		return
	}
	if f.l3.Fragment && f.l3.FragOffset != 0 {
		return
	}
	p.transport(next, payload, f, pkt, outer)
}

// ipv6Fixed decodes the 40-byte IPv6 header. gopacket's IPv6 layer also
// consumes a hop-by-hop header (for jumbograms), allocating its options and
// flagging truncation wrongly, so a packet that starts with one is read by
// hand; the extension headers are walked by skipIPv6Extensions either way.
func (p *Parser) ipv6Fixed(data []byte) (L3, bool) {
	if len(data) < 40 || data[0]>>4 != 6 {
		return L3{}, false
	}
	if layers.IPProtocol(data[6]) != layers.IPProtocolIPv6HopByHop {
		if err := p.ip6.DecodeFromBytes(data, &p.df); err != nil {
			return L3{}, false
		}
		ip := &p.ip6
		return L3{Version: 6, SrcIP: addr16(ip.SrcIP), DstIP: addr16(ip.DstIP), Protocol: uint8(ip.NextHeader),
			TTL: ip.HopLimit, TOS: ip.TrafficClass, Length: ip.Length + 40, FlowLabel: ip.FlowLabel}, true
	}
	w := binary.BigEndian.Uint32(data)
	length := binary.BigEndian.Uint16(data[4:6])
	if int(length)+40 > len(data) {
		p.df.SetTruncated()
	}
	return L3{Version: 6, SrcIP: addr16(data[8:24]), DstIP: addr16(data[24:40]), Protocol: data[6],
		TTL: data[7], TOS: uint8(w >> 20), Length: length + 40, FlowLabel: w & 0xFFFFF}, true
}

// skipIPv6Extensions walks hop-by-hop, routing, fragment, destination
// options and AH headers (RFC 8200 section 4) and returns the upper-layer
// protocol and its bytes.
func skipIPv6Extensions(next uint8, data []byte, l3 *L3) (uint8, []byte, bool) {
	for i := 0; i < maxIPv6Extensions; i++ {
		var n int
		switch layers.IPProtocol(next) {
		case layers.IPProtocolIPv6HopByHop, layers.IPProtocolIPv6Routing, layers.IPProtocolIPv6Destination:
			if len(data) < 2 {
				return next, nil, false
			}
			n = (int(data[1]) + 1) * 8
		case layers.IPProtocolIPv6Fragment:
			if len(data) < 8 {
				return next, nil, false
			}
			l3.Fragment = true
			l3.FragOffset = binary.BigEndian.Uint16(data[2:4]) >> 3
			n = 8
		case layers.IPProtocolAH:
			if len(data) < 2 {
				return next, nil, false
			}
			n = (int(data[1]) + 2) * 4
		default:
			return next, data, true
		}
		if len(data) < n {
			return data[0], nil, false
		}
		next, data = data[0], data[n:]
	}
	return next, data, true
}

// transport parses the upper layer of an IP packet.
func (p *Parser) transport(proto uint8, data []byte, f frame, pkt *Packet, outer bool) {
	switch layers.IPProtocol(proto) {
	case layers.IPProtocolTCP:
		p.tcpLayer(data, f, pkt)
	case layers.IPProtocolUDP:
		p.udpLayer(data, f, pkt, outer)
	case layers.IPProtocolSCTP:
		p.sctpLayer(data, f, pkt)
	case layers.IPProtocolICMPv4, layers.IPProtocolICMPv6:
		icmp(data, f, pkt)
	case layers.IPProtocolGRE:
		if outer {
			p.greLayer(data, pkt)
		}
	case layers.IPProtocolIPv4:
		if outer {
			pkt.Has |= HasInner
			p.ipv4(data, inner(pkt), pkt, false)
		}
	case layers.IPProtocolIPv6:
		if outer {
			pkt.Has |= HasInner
			p.ipv6(data, inner(pkt), pkt, false)
		}
	}
}

// ports reads source and destination ports by hand: the transport header
// was cut by the sampling but its first four bytes are there.
func ports(data []byte, f frame, pkt *Packet) bool {
	pkt.Truncated = true
	if len(data) < 4 {
		return false
	}
	f.l4.SrcPort = binary.BigEndian.Uint16(data)
	f.l4.DstPort = binary.BigEndian.Uint16(data[2:])
	*f.has |= HasTransport
	return true
}

// tcpLayer parses TCP (ports and flags).
func (p *Parser) tcpLayer(data []byte, f frame, pkt *Packet) {
	if err := p.tcp.DecodeFromBytes(data, &p.df); err != nil {
		if ports(data, f, pkt) && len(data) >= 14 {
			f.l4.TCPFlags = binary.BigEndian.Uint16(data[12:14]) & 0x1ff
		}
		return
	}
	t := &p.tcp
	f.l4.SrcPort, f.l4.DstPort = uint16(t.SrcPort), uint16(t.DstPort)
	f.l4.TCPFlags = binary.BigEndian.Uint16(data[12:14]) & 0x1ff
	*f.has |= HasTransport
}

// udpLayer parses UDP and, on the VXLAN ports, the encapsulated frame.
func (p *Parser) udpLayer(data []byte, f frame, pkt *Packet, outer bool) {
	if err := p.udp.DecodeFromBytes(data, &p.df); err != nil {
		ports(data, f, pkt)
		return
	}
	f.l4.SrcPort, f.l4.DstPort = uint16(p.udp.SrcPort), uint16(p.udp.DstPort)
	*f.has |= HasTransport
	if outer && (f.l4.DstPort == portVXLAN || f.l4.DstPort == portVXLANLinux) {
		p.vxlanLayer(data[min(8, len(data)):], pkt)
	}
}

// sctpLayer parses the SCTP common header.
func (p *Parser) sctpLayer(data []byte, f frame, pkt *Packet) {
	if err := p.sctp.DecodeFromBytes(data, &p.df); err != nil {
		ports(data, f, pkt)
		return
	}
	f.l4.SrcPort, f.l4.DstPort = uint16(p.sctp.SrcPort), uint16(p.sctp.DstPort)
	*f.has |= HasTransport
}

// icmp reads ICMP or ICMPv6 type and code (the first two bytes of both).
func icmp(data []byte, f frame, pkt *Packet) {
	if len(data) < 2 {
		pkt.Truncated = true
		return
	}
	f.l4.ICMPType, f.l4.ICMPCode, f.l4.IsICMP = data[0], data[1], true
	*f.has |= HasTransport
}

// vxlanLayer parses a VXLAN header (RFC 7348) and the Ethernet frame in it.
func (p *Parser) vxlanLayer(data []byte, pkt *Packet) {
	if err := p.vxlan.DecodeFromBytes(data, &p.df); err != nil {
		pkt.Truncated = true
		return
	}
	pkt.VNI = p.vxlan.VNI
	pkt.Has |= HasVXLAN | HasInner
	p.ethernet(p.vxlan.Payload, inner(pkt), pkt, false)
}

// greLayer parses GRE (RFC 2784/2890) and the packet it carries.
func (p *Parser) greLayer(data []byte, pkt *Packet) {
	if err := p.gre.DecodeFromBytes(data, &p.df); err != nil {
		pkt.Truncated = true
		return
	}
	pkt.GREProtocol = uint16(p.gre.Protocol)
	pkt.Has |= HasGRE
	switch pkt.GREProtocol {
	case uint16(layers.EthernetTypeIPv4), uint16(layers.EthernetTypeIPv6), etherTypeTEB:
		pkt.Has |= HasInner
	}
	in := inner(pkt)
	switch pkt.GREProtocol {
	case uint16(layers.EthernetTypeIPv4):
		p.ipv4(p.gre.Payload, in, pkt, false)
	case uint16(layers.EthernetTypeIPv6):
		p.ipv6(p.gre.Payload, in, pkt, false)
	case etherTypeTEB:
		p.ethernet(p.gre.Payload, in, pkt, false)
	}
}

// addr4 converts a 4-byte IP to a netip.Addr without allocating.
func addr4(ip []byte) netip.Addr {
	if len(ip) < 4 {
		return netip.Addr{}
	}
	return netip.AddrFrom4([4]byte(ip[len(ip)-4:]))
}

// addr16 converts a 16-byte IP to a netip.Addr without allocating.
func addr16(ip []byte) netip.Addr {
	if len(ip) < 16 {
		return netip.Addr{}
	}
	return netip.AddrFrom16([16]byte(ip))
}
