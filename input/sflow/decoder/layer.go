package decoder

import (
	"github.com/google/gopacket"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
)

// LayerTypeSFlow is the gopacket layer type of an sFlow datagram (v5, or
// RFC 3176 v2/v4) decoded by this package (6343, the sFlow port: far from
// gopacket's own numbers).
var LayerTypeSFlow = gopacket.RegisterLayerType(6343, gopacket.LayerTypeMetadata{
	Name:    "SFlow",
	Decoder: gopacket.DecodeFunc(decodeLayer),
})

// Layer is a gopacket DecodingLayer for sFlow datagrams: DecodeFromBytes
// decodes into the embedded Datagram with the same code as Decoder.Decode.
// The zero value is ready to use; like Decoder, a Layer is not safe for
// concurrent use.
type Layer struct {
	decoded.Datagram

	contents []byte
	dec      *Decoder
}

// LayerType returns LayerTypeSFlow.
func (l *Layer) LayerType() gopacket.LayerType { return LayerTypeSFlow }

// CanDecode returns LayerTypeSFlow.
func (l *Layer) CanDecode() gopacket.LayerClass { return LayerTypeSFlow }

// NextLayerType returns gopacket.LayerTypeZero: sFlow is the last layer
// (the sampled headers are not decoded as layers of this packet).
func (l *Layer) NextLayerType() gopacket.LayerType { return gopacket.LayerTypeZero }

// LayerContents returns the datagram bytes.
func (l *Layer) LayerContents() []byte { return l.contents }

// LayerPayload returns nil: the whole datagram is the layer's contents.
func (l *Layer) LayerPayload() []byte { return nil }

// DecodeFromBytes decodes data into l.Datagram (see Decoder.Decode).
func (l *Layer) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	if l.dec == nil {
		l.dec = NewDecoder()
	}
	l.contents = data
	return l.dec.Decode(data, &l.Datagram)
}

// decodeLayer is the gopacket.Decoder of LayerTypeSFlow, for
// gopacket.NewPacket and for UDP port mappings.
func decodeLayer(data []byte, p gopacket.PacketBuilder) error {
	l := &Layer{}
	err := l.DecodeFromBytes(data, p)
	p.AddLayer(l)
	return err
}
