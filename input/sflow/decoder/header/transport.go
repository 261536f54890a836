package header

import (
	"encoding/binary"

	"github.com/google/gopacket/layers"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
)

// upper decodes the layer above IP by its protocol number. Tunnels (GRE,
// IP in IP) are followed from the outer packet only.
func (p *Parser) upper(proto uint8, data []byte, f frame) {
	switch proto {
	case decoded.IPProtoTCP:
		p.tcpHeader(data, f)
	case decoded.IPProtoUDP:
		p.udpHeader(data, f)
	case decoded.IPProtoSCTP:
		p.sctpHeader(data, f)
	case decoded.IPProtoICMP:
		p.icmp4Header(data, f)
	case decoded.IPProtoICMPv6:
		p.icmp6Header(data, f)
	case decoded.IPProtoGRE:
		p.greHeader(data, f)
	case decoded.IPProtoIPv4, decoded.IPProtoIPv6:
		p.ipInIP(proto, data, f)
	}
}

// tcpHeader decodes TCP (RFC 9293): ports and the nine flag bits. A header
// cut by the sampling is read by hand: ports from 4 bytes, flags from 14.
func (p *Parser) tcpHeader(data []byte, f frame) {
	if len(data) < 20 || data[12]>>4 < 5 || len(data) < int(data[12]>>4)*4 ||
		p.tcp.DecodeFromBytes(data, noFeedback) != nil { // the last: malformed options
		tcpByHand(data, f)
		return
	}
	t := &p.tcp
	f.ports(uint16(t.SrcPort), uint16(t.DstPort))
	f.l4.TCPFlags = tcpFlags(t)
}

// tcpByHand reads what fits of a TCP header that gopacket rejects.
func tcpByHand(data []byte, f frame) {
	if len(data) < 20 || len(data) < int(data[12]>>4)*4 { // else malformed, not cut
		f.cut()
	}
	if len(data) >= 4 {
		f.ports(binary.BigEndian.Uint16(data), binary.BigEndian.Uint16(data[2:]))
	}
	if len(data) >= 14 {
		f.l4.TCPFlags = binary.BigEndian.Uint16(data[12:14]) & 0x1ff
	}
}

// tcpFlags packs the flags of a decoded TCP layer as on the wire.
func tcpFlags(t *layers.TCP) uint16 {
	var flags uint16
	for i, set := range [...]bool{t.FIN, t.SYN, t.RST, t.PSH, t.ACK, t.URG, t.ECE, t.CWR, t.NS} {
		if set {
			flags |= 1 << i
		}
	}
	return flags
}

// udpHeader decodes UDP (RFC 768) and, on the VXLAN ports of the outer
// packet, the VXLAN header in it.
func (p *Parser) udpHeader(data []byte, f frame) {
	if len(data) < 8 {
		portsByHand(data, f)
		f.cut()
		return
	}
	if n := binary.BigEndian.Uint16(data[4:6]); n != 0 && n < 8 {
		portsByHand(data, f) // malformed length: gopacket rejects it
		return
	}
	_ = p.udp.DecodeFromBytes(data, noFeedback) // cannot fail: checked above
	f.ports(uint16(p.udp.SrcPort), uint16(p.udp.DstPort))
	if !f.inner && isVXLANPort(f.l4.DstPort) {
		p.vxlanHeader(p.udp.Payload, f)
	}
}

// sctpHeader decodes the SCTP common header (RFC 9260): ports.
func (p *Parser) sctpHeader(data []byte, f frame) {
	if len(data) < 12 {
		portsByHand(data, f)
		f.cut()
		return
	}
	_ = p.sctp.DecodeFromBytes(data, noFeedback) // cannot fail on 12 bytes
	f.ports(uint16(p.sctp.SrcPort), uint16(p.sctp.DstPort))
}

// icmp4Header decodes ICMP (RFC 792): type and code.
func (p *Parser) icmp4Header(data []byte, f frame) {
	if len(data) < 8 {
		icmpByHand(data, f)
		return
	}
	_ = p.icmp4.DecodeFromBytes(data, noFeedback) // cannot fail on 8 bytes
	f.icmp(p.icmp4.TypeCode.Type(), p.icmp4.TypeCode.Code())
}

// icmp6Header decodes ICMPv6 (RFC 4443): type and code.
func (p *Parser) icmp6Header(data []byte, f frame) {
	if len(data) < 4 {
		icmpByHand(data, f)
		return
	}
	_ = p.icmp6.DecodeFromBytes(data, noFeedback) // cannot fail on 4 bytes
	f.icmp(p.icmp6.TypeCode.Type(), p.icmp6.TypeCode.Code())
}

// icmpByHand reads type and code of a cut ICMP header.
func icmpByHand(data []byte, f frame) {
	f.cut()
	if len(data) >= 2 {
		f.icmp(data[0], data[1])
	}
}

// portsByHand reads the ports of a cut UDP or SCTP header.
func portsByHand(data []byte, f frame) {
	if len(data) >= 4 {
		f.ports(binary.BigEndian.Uint16(data), binary.BigEndian.Uint16(data[2:]))
	}
}

// ports records transport ports.
func (f frame) ports(src, dst uint16) {
	f.l4.SrcPort, f.l4.DstPort = src, dst
	*f.has |= decoded.LayerTransport
}

// icmp records an ICMP type and code.
func (f frame) icmp(typ, code uint8) {
	f.l4.ICMPType, f.l4.ICMPCode, f.l4.IsICMP = typ, code, true
	*f.has |= decoded.LayerTransport
}
