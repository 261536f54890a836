package header

import (
	"encoding/binary"

	"github.com/google/gopacket/layers"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
)

// EtherTypes that Parse follows beyond those named by gopacket.
const (
	etherTypeQinQOld = 0x9100 // pre-standard 802.1ad outer tag
	etherTypeTEB     = 0x6558 // transparent Ethernet bridging (GRE, NVGRE)
)

// ethernet decodes an Ethernet II header, its VLAN tags and its payload.
func (p *Parser) ethernet(data []byte, f frame) {
	if len(data) < 14 {
		f.cut()
		return
	}
	_ = p.eth.DecodeFromBytes(data, noFeedback) // cannot fail on 14 bytes
	copy(f.dstMAC[:], p.eth.DstMAC)
	copy(f.srcMAC[:], p.eth.SrcMAC)
	*f.has |= decoded.LayerEthernet
	// The EtherType as on the wire: gopacket maps 802.3 lengths to LLC.
	p.tags(binary.BigEndian.Uint16(data[12:14]), p.eth.Payload, f)
}

// tags decodes 802.1Q and 802.1ad tags (every tag is counted, the first
// two are kept) and then the payload of the EtherType that follows them.
func (p *Parser) tags(et uint16, data []byte, f frame) {
	for isVLAN(et) {
		if len(data) < 4 {
			f.cut() // EtherType stays 0: the payload's type is unknown
			return
		}
		_ = p.dot1q.DecodeFromBytes(data, noFeedback)
		f.vlan(p.dot1q.VLANIdentifier, p.dot1q.Priority)
		et, data = uint16(p.dot1q.Type), p.dot1q.Payload
	}
	*f.etherType = et
	p.etherPayload(et, data, f)
}

// isVLAN reports whether et is an 802.1Q tag or an 802.1ad (QinQ) outer tag.
func isVLAN(et uint16) bool {
	return et == uint16(layers.EthernetTypeDot1Q) || et == uint16(layers.EthernetTypeQinQ) || et == etherTypeQinQOld
}

// vlan records one tag of the frame.
func (f frame) vlan(id uint16, prio uint8) {
	if f.inner {
		if f.pkt.Inner.Layers&decoded.LayerVLAN == 0 {
			f.pkt.Inner.VLAN = id
		}
		f.pkt.Inner.Layers |= decoded.LayerVLAN
		return
	}
	pkt := f.pkt
	pkt.Layers |= decoded.LayerVLAN
	if int(pkt.NumVLANs) < len(pkt.VLANs) {
		pkt.VLANs[pkt.NumVLANs], pkt.VLANPrio[pkt.NumVLANs] = id, prio
	}
	if pkt.NumVLANs < 255 {
		pkt.NumVLANs++
	}
}

// etherPayload decodes the payload of an Ethernet frame by its EtherType.
func (p *Parser) etherPayload(et uint16, data []byte, f frame) {
	switch layers.EthernetType(et) {
	case layers.EthernetTypeIPv4:
		p.ipv4(data, f)
	case layers.EthernetTypeIPv6:
		p.ipv6(data, f)
	case layers.EthernetTypeMPLSUnicast, layers.EthernetTypeMPLSMulticast:
		if !f.inner {
			p.mpls(data, f)
		}
	}
}

// mpls decodes an MPLS label stack (RFC 3032) of any depth and guesses the
// payload after the bottom of the stack from its first nibble: 4 is IPv4,
// 6 is IPv6, anything else (a pseudowire) is not decoded. gopacket 1.1.19
// has no MPLS DecodingLayer, so the 4-byte label entries are read by hand.
func (p *Parser) mpls(data []byte, f frame) {
	for bottom := false; !bottom; data = data[4:] {
		if len(data) < 4 {
			f.cut()
			return
		}
		entry := binary.BigEndian.Uint32(data)
		addLabel(f.pkt, entry>>12)
		bottom = entry&0x100 != 0
	}
	if len(data) == 0 {
		f.cut()
		return
	}
	switch data[0] >> 4 {
	case 4:
		p.ipv4(data, f)
	case 6:
		p.ipv6(data, f)
	}
}

// addLabel records one MPLS label of pkt: all are counted, the first four kept.
func addLabel(pkt *decoded.Packet, label uint32) {
	pkt.Layers |= decoded.LayerMPLS
	if int(pkt.NumMPLS) < len(pkt.MPLSLabels) {
		pkt.MPLSLabels[pkt.NumMPLS] = label
	}
	if pkt.NumMPLS < 255 {
		pkt.NumMPLS++
	}
}
