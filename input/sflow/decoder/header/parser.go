package header

import (
	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
)

// noFeedback discards gopacket's truncation notices: they also fire when
// only the payload was cut, which is the normal case for a sampled header.
var noFeedback = gopacket.NilDecodeFeedback

// Parser parses sampled headers with gopacket's DecodingLayers, allocated
// once with the Parser. A layer is handed to gopacket only after its length
// checks pass, so gopacket never builds an error (which would allocate);
// what does not fit is read by hand. It is not safe for concurrent use: use
// one per worker.
type Parser struct {
	eth   layers.Ethernet
	dot1q layers.Dot1Q
	ip4   layers.IPv4
	ip6   layers.IPv6
	ext   layers.IPv6ExtensionSkipper
	tcp   layers.TCP
	udp   layers.UDP
	sctp  layers.SCTP
	icmp4 layers.ICMPv4
	icmp6 layers.ICMPv6
	gre   layers.GRE
	vxlan layers.VXLAN

	strict bool // tests: let panics through instead of recovering them
}

// NewParser returns a Parser.
func NewParser() *Parser { return &Parser{} }

// Parse fills *pkt (after resetting it) from a sampled header. proto is the
// sFlow header_protocol (1 Ethernet, 11 IPv4, 12 IPv6); other values leave
// pkt empty and return false. A truncated header yields every field that
// fits and sets pkt.Truncated; Parse never fails on truncation.
func (p *Parser) Parse(proto uint32, data []byte, pkt *decoded.Packet) (ok bool) {
	*pkt = decoded.Packet{}
	defer func() {
		if p.strict {
			return
		}
		if recover() != nil { // last resort: a gopacket layer panicked on odd input
			pkt.Truncated, ok = true, true
		}
	}()
	f := outerFrame(pkt)
	switch proto {
	case decoded.HeaderProtoEthernet:
		p.ethernet(data, f)
	case decoded.HeaderProtoIPv4:
		p.ipv4(data, f)
	case decoded.HeaderProtoIPv6:
		p.ipv6(data, f)
	default:
		return false
	}
	return true
}

// frame points at the part of a Packet that an encapsulated frame repeats:
// the outer packet and Inner are both filled through it, so one set of
// layer functions serves both.
type frame struct {
	has       *decoded.Layers
	srcMAC    *[6]byte
	dstMAC    *[6]byte
	etherType *uint16
	l3        *decoded.L3
	l4        *decoded.L4
	pkt       *decoded.Packet
	inner     bool // no further encapsulation is followed
}

// outerFrame returns the frame view of the outer packet.
func outerFrame(pkt *decoded.Packet) frame {
	return frame{has: &pkt.Layers, srcMAC: &pkt.SrcMAC, dstMAC: &pkt.DstMAC, etherType: &pkt.EtherType,
		l3: &pkt.L3, l4: &pkt.L4, pkt: pkt}
}

// innerFrame returns the frame view of the encapsulated packet.
func innerFrame(pkt *decoded.Packet) frame {
	in := &pkt.Inner
	return frame{has: &in.Layers, srcMAC: &in.SrcMAC, dstMAC: &in.DstMAC, etherType: &in.EtherType,
		l3: &in.L3, l4: &in.L4, pkt: pkt, inner: true}
}

// cut records that the header ended inside a layer that Parse decodes.
func (f frame) cut() { f.pkt.Truncated = true }

// endInner sets HasInner once the encapsulated packet yielded a layer.
func (f frame) endInner() {
	if f.pkt.Inner.Layers != 0 {
		f.pkt.Layers |= decoded.LayerInner
	}
}
