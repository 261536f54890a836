package decoder

import (
	"net"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoder/header"
)

// udpFrame returns an Ethernet/IPv4/UDP frame from 192.0.2.10:5000 to
// 198.51.100.20:53.
func udpFrame(t *testing.T) []byte {
	eth := &layers.Ethernet{SrcMAC: net.HardwareAddr{0, 0x53, 0, 0, 0, 1}, DstMAC: net.HardwareAddr{0, 0x53, 0, 0, 0, 2}, EthernetType: layers.EthernetTypeIPv4}
	ip := &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: layers.IPProtocolUDP,
		SrcIP: net.IPv4(192, 0, 2, 10), DstIP: net.IPv4(198, 51, 100, 20)}
	udp := &layers.UDP{SrcPort: 5000, DstPort: 53}
	if err := udp.SetNetworkLayerForChecksum(ip); err != nil {
		t.Fatal(err)
	}
	buf := gopacket.NewSerializeBuffer()
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	if err := gopacket.SerializeLayers(buf, opts, eth, ip, udp, gopacket.Payload(make([]byte, 32))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestSampledHeaderParsed: the decoder leaves every sampled_header parsed
// (Parsed, Packet), in sFlow v5 flow samples, v5 drop events and RFC 3176
// flow samples, exactly as the header parser parses those bytes; a
// header_protocol the parser does not know is left unparsed.
func TestSampledHeaderParsed(t *testing.T) {
	frame := udpFrame(t)
	var want decoded.Packet
	if !header.NewParser().Parse(decoded.HeaderProtoEthernet, frame, &want) {
		t.Fatal("the parser rejected the test frame")
	}
	if want.L3.SrcIP != netip.MustParseAddr("192.0.2.10") || want.L4.DstPort != 53 {
		t.Fatalf("test frame parsed as %+v", want)
	}
	hdr := func(proto uint32) func(*xb) {
		return func(b *xb) {
			b.record(decoded.FlowSampledHeader, func(b *xb) { b.u32(proto, uint32(len(frame)), 4).opaque(frame) })
		}
	}
	v5 := decodeOne(t, datagram(1, func(b *xb) { b.flowSample(1, hdr(decoded.HeaderProtoEthernet)) }))
	v4 := decodeOne(t, v4Datagram().flowSample(v24Flow{}).headerData(decoded.HeaderProtoEthernet, uint32(len(frame)), frame).bytes())
	mpls := decodeOne(t, datagram(1, func(b *xb) { b.flowSample(1, hdr(13)) }))
	drops, err := decodeCapture(t, "cistern-sflow-dumps.pcap", 6)
	if err != nil || len(drops.DropSamples) != 1 {
		t.Fatalf("cistern drop event: %v", err)
	}
	var wantDrop decoded.Packet
	dropHeader := &drops.DropSamples[0].Records.SampledHeader
	header.NewParser().Parse(dropHeader.Protocol, dropHeader.Header, &wantDrop)
	for _, tc := range []struct {
		name   string
		got    *decoded.SampledHeader
		parsed bool
		want   decoded.Packet
	}{
		{"v5 flow sample", &v5.FlowSamples[0].Records.SampledHeader, true, want},
		{"v4 flow sample", &v4.FlowSamples[0].Records.SampledHeader, true, want},
		{"v5 drop event", dropHeader, true, wantDrop},
		{"header_protocol 13 (mpls)", &mpls.FlowSamples[0].Records.SampledHeader, false, decoded.Packet{}},
	} {
		if tc.got.Parsed != tc.parsed {
			t.Errorf("%s: Parsed %v, want %v", tc.name, tc.got.Parsed, tc.parsed)
		}
		if diff := cmp.Diff(tc.want, tc.got.Packet, cmpOpts...); diff != "" {
			t.Errorf("%s: packet (-want +got):\n%s", tc.name, diff)
		}
	}
	if wantDrop.Layers&decoded.LayerIPv4 == 0 {
		t.Errorf("the cistern drop event's header has no IPv4 layer: %+v", wantDrop)
	}
}
