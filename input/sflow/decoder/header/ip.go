package header

import (
	"encoding/binary"
	"net/netip"

	"github.com/google/gopacket/layers"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
)

// ipv4 decodes an IPv4 header (RFC 791) and, unless the packet is a
// non-first fragment (which carries no transport header), its upper layer.
func (p *Parser) ipv4(data []byte, f frame) {
	if len(data) < 20 {
		f.cut()
		return
	}
	if data[0]>>4 != 4 {
		return // not IPv4
	}
	payload, ok := p.ipv4Header(data, f)
	*f.has |= decoded.LayerIPv4
	if ok && f.l3.FragOffset == 0 {
		p.upper(f.l3.Protocol, payload, f)
	}
}

// ipv4Header fills f.l3 from an IPv4 header of at least 20 bytes and
// returns its payload, bounded by the total length. It returns false when
// the header is malformed or its options are cut (then Truncated is set).
func (p *Parser) ipv4Header(data []byte, f frame) ([]byte, bool) {
	hlen := int(data[0]&0x0f) * 4
	total := int(binary.BigEndian.Uint16(data[2:4]))
	if total == 0 { // TCP segmentation offload: the payload is the rest (as gopacket)
		total = len(data)
	}
	if hlen >= 20 && len(data) >= hlen && total >= hlen && p.ip4.DecodeFromBytes(data, noFeedback) == nil {
		*f.l3 = l3FromIPv4(&p.ip4)
		f.l3.Length = binary.BigEndian.Uint16(data[2:4]) // gopacket replaces 0 by the buffer's length
		return p.ip4.Payload, true
	}
	*f.l3 = ipv4Fixed(data)
	switch {
	case hlen < 20:
		return nil, false
	case len(data) < hlen:
		f.cut()
		return nil, false
	case total < hlen:
		return nil, false
	}
	return data[hlen:min(total, len(data))], true // gopacket rejected malformed options
}

// l3FromIPv4 converts a decoded gopacket IPv4 layer.
func l3FromIPv4(ip *layers.IPv4) decoded.L3 {
	return decoded.L3{Version: 4, SrcIP: addr4(ip.SrcIP), DstIP: addr4(ip.DstIP), Protocol: uint8(ip.Protocol),
		TTL: ip.TTL, TOS: ip.TOS, Length: ip.Length, ID: ip.Id, FragOffset: ip.FragOffset,
		Fragment: ip.Flags&layers.IPv4MoreFragments != 0 || ip.FragOffset != 0}
}

// ipv4Fixed reads the fixed 20 bytes of an IPv4 header by hand, for the
// headers gopacket rejects (options cut, bad header length).
func ipv4Fixed(data []byte) decoded.L3 {
	ff := binary.BigEndian.Uint16(data[6:8])
	return decoded.L3{Version: 4, SrcIP: addr4(data[12:16]), DstIP: addr4(data[16:20]), Protocol: data[9],
		TTL: data[8], TOS: data[1], Length: binary.BigEndian.Uint16(data[2:4]), ID: binary.BigEndian.Uint16(data[4:6]),
		FragOffset: ff & 0x1fff, Fragment: ff&0x3fff != 0}
}

// ipv6 decodes an IPv6 header (RFC 8200), its extension headers and its
// upper layer.
func (p *Parser) ipv6(data []byte, f frame) {
	if len(data) < 40 {
		f.cut()
		return
	}
	if data[0]>>4 != 6 {
		return // not IPv6
	}
	payload := p.ipv6Header(data, f.l3)
	*f.has |= decoded.LayerIPv6
	p.ipv6Extensions(f.l3.Protocol, payload, f)
}

// ipv6Header fills l3 from the 40-byte IPv6 header and returns its payload,
// bounded by the payload length. gopacket's IPv6 layer also consumes a
// hop-by-hop header, allocating its options and failing on a cut one, and
// rejects a zero payload length: those headers are read by hand.
func (p *Parser) ipv6Header(data []byte, l3 *decoded.L3) []byte {
	length := binary.BigEndian.Uint16(data[4:6])
	if data[6] == uint8(layers.IPProtocolIPv6HopByHop) || length == 0 {
		*l3 = ipv6Fixed(data)
		if length == 0 { // jumbogram or offloaded segment: the rest is payload
			return data[40:]
		}
		return data[40:min(40+int(length), len(data))]
	}
	_ = p.ip6.DecodeFromBytes(data, noFeedback) // cannot fail: 40 bytes, no hop-by-hop, length > 0
	ip := &p.ip6
	*l3 = decoded.L3{Version: 6, SrcIP: addr16(ip.SrcIP), DstIP: addr16(ip.DstIP), Protocol: uint8(ip.NextHeader),
		TTL: ip.HopLimit, TOS: ip.TrafficClass, Length: ip.Length + 40, FlowLabel: ip.FlowLabel}
	return ip.Payload
}

// ipv6Fixed reads the 40-byte IPv6 header by hand.
func ipv6Fixed(data []byte) decoded.L3 {
	w := binary.BigEndian.Uint32(data)
	return decoded.L3{Version: 6, SrcIP: addr16(data[8:24]), DstIP: addr16(data[24:40]), Protocol: data[6],
		TTL: data[7], TOS: uint8(w >> 20), Length: binary.BigEndian.Uint16(data[4:6]) + 40, FlowLabel: w & 0xfffff}
}

// ipv6Extensions walks the extension headers of RFC 8200 section 4
// (hop-by-hop, routing, fragment, destination options), leaving in
// f.l3.Protocol the upper-layer protocol, and decodes the upper layer. When
// the header ends inside the chain, Protocol is the extension header that
// did not fit.
func (p *Parser) ipv6Extensions(next uint8, data []byte, f frame) {
	for {
		f.l3.Protocol = next
		switch layers.IPProtocol(next) {
		case layers.IPProtocolIPv6HopByHop, layers.IPProtocolIPv6Routing, layers.IPProtocolIPv6Destination:
			if len(data) < 2 || len(data) < (int(data[1])+1)*8 {
				f.cut()
				return
			}
			_ = p.ext.DecodeFromBytes(data, noFeedback) // cannot fail: length checked
			next, data = uint8(p.ext.NextHeader), p.ext.Payload
		case layers.IPProtocolIPv6Fragment:
			var first bool
			if next, data, first = ipv6Fragment(data, f); !first {
				return
			}
		default:
			p.upper(next, data, f)
			return
		}
	}
}

// ipv6Fragment reads a fragment header (RFC 8200 section 4.5; gopacket
// 1.1.19 has no DecodingLayer for it). It returns false, with the
// upper-layer protocol set, when the fragment is not the first (it carries
// no transport header) or the header is cut.
func ipv6Fragment(data []byte, f frame) (uint8, []byte, bool) {
	if len(data) < 8 {
		f.cut()
		return 0, nil, false
	}
	f.l3.Fragment = true
	f.l3.FragOffset = binary.BigEndian.Uint16(data[2:4]) >> 3
	f.l3.Protocol = data[0]
	return data[0], data[8:], f.l3.FragOffset == 0
}

// addr4 converts a 4-byte address without allocating.
func addr4(ip []byte) netip.Addr { return netip.AddrFrom4([4]byte(ip)) }

// addr16 converts a 16-byte address without allocating.
func addr16(ip []byte) netip.Addr { return netip.AddrFrom16([16]byte(ip)) }
