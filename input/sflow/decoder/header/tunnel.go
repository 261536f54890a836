package header

import (
	"encoding/binary"

	"github.com/google/gopacket/layers"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
)

// UDP destination ports of VXLAN.
const (
	portVXLAN      = 4789 // IANA, RFC 7348
	portVXLANLinux = 8472 // the Linux kernel's default
)

// isVXLANPort reports whether a UDP destination port carries VXLAN.
func isVXLANPort(port uint16) bool { return port == portVXLAN || port == portVXLANLinux }

// vxlanHeader decodes a VXLAN header (RFC 7348) and the Ethernet frame it
// carries into Inner. A header without the I flag has no valid VNI and is
// taken for some other protocol on the port.
func (p *Parser) vxlanHeader(data []byte, f frame) {
	if len(data) < 8 {
		f.cut()
		return
	}
	if data[0]&0x08 == 0 {
		return
	}
	_ = p.vxlan.DecodeFromBytes(data, noFeedback) // cannot fail on 8 bytes
	f.pkt.VNI = p.vxlan.VNI
	f.pkt.Layers |= decoded.LayerVXLAN
	p.ethernet(p.vxlan.Payload, innerFrame(f.pkt))
	f.endInner()
}

// greHeader decodes GRE (RFC 2784, with the key and sequence number of RFC
// 2890 and the acknowledgment of version 1, RFC 2637) and the IPv4, IPv6 or
// Ethernet (transparent Ethernet bridging) packet it carries into Inner.
func (p *Parser) greHeader(data []byte, f frame) {
	if f.inner {
		return
	}
	if len(data) < 4 {
		f.cut()
		return
	}
	f.pkt.GREProtocol = binary.BigEndian.Uint16(data[2:4])
	f.pkt.Layers |= decoded.LayerGRE
	n, ok := greHeaderLen(data)
	if !ok {
		return
	}
	if len(data) < n {
		f.cut()
		return
	}
	_ = p.gre.DecodeFromBytes(data, noFeedback) // safe: length checked, no routing
	p.greInner(uint16(p.gre.Protocol), p.gre.Payload, f)
}

// greHeaderLen returns the length of a GRE header from its flags. It
// returns false when the routing flag (RFC 1701 source routes) is set: the
// length then depends on the routes, which gopacket reads without bounds
// checks and into allocated lists, so such packets stop at the GRE header.
func greHeaderLen(data []byte) (int, bool) {
	c, r, k, s, a := data[0]&0x80 != 0, data[0]&0x40 != 0, data[0]&0x20 != 0, data[0]&0x10 != 0, data[1]&0x80 != 0
	n := 4
	for _, set := range [...]bool{c, k, s, a} {
		if set {
			n += 4
		}
	}
	return n, !r
}

// greInner decodes the payload of GRE by its protocol type.
func (p *Parser) greInner(proto uint16, data []byte, f frame) {
	in := innerFrame(f.pkt)
	switch proto {
	case uint16(layers.EthernetTypeIPv4):
		p.ipv4(data, in)
	case uint16(layers.EthernetTypeIPv6):
		p.ipv6(data, in)
	case etherTypeTEB:
		p.ethernet(data, in)
	default:
		return
	}
	f.endInner()
}

// ipInIP decodes the inner packet of IPv4 or IPv6 carried directly in IP
// (protocol 4, RFC 2003, or 41, RFC 4213 / 6in4) into Inner.
func (p *Parser) ipInIP(proto uint8, data []byte, f frame) {
	if f.inner {
		return
	}
	if proto == decoded.IPProtoIPv4 {
		p.ipv4(data, innerFrame(f.pkt))
	} else {
		p.ipv6(data, innerFrame(f.pkt))
	}
	f.endInner()
}
