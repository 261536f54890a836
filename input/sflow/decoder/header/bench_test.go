package header

import (
	"testing"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
)

// sampled cuts a packet to the 128 bytes an sFlow agent usually samples.
func sampled(b []byte) []byte { return b[:min(len(b), 128)] }

// realisticMix returns sampled headers as a busy data-center switch sees
// them: mostly TCP over IPv4 in a VLAN, IPv6 UDP, and VXLAN overlay traffic.
func realisticMix(t testing.TB) []testCase {
	body := gopacket.Payload(make([]byte, 1400))
	tsopt := []layers.TCPOption{{OptionType: layers.TCPOptionKindNop, OptionLength: 1},
		{OptionType: layers.TCPOptionKindNop, OptionLength: 1},
		{OptionType: layers.TCPOptionKindTimestamps, OptionLength: 10, OptionData: make([]byte, 8)}}
	tcpTS := &layers.TCP{SrcPort: 40000, DstPort: 443, ACK: true, PSH: true, Window: 512, Options: tsopt}
	inner := serialize(t, eth(layers.EthernetTypeIPv4), ipv4(layers.IPProtocolTCP), tcpTS, body)
	return []testCase{
		{"vlan ipv4 tcp", 1, sampled(serialize(t, eth(layers.EthernetTypeDot1Q), dot1q(10, 0, layers.EthernetTypeIPv4),
			ipv4(layers.IPProtocolTCP), tcpTS, body)), decoded.Packet{}},
		{"ipv4 tcp", 1, sampled(serialize(t, eth(layers.EthernetTypeIPv4), ipv4(layers.IPProtocolTCP), tcpTS, body)), decoded.Packet{}},
		{"ipv6 udp", 1, sampled(serialize(t, eth(layers.EthernetTypeIPv6), ipv6(layers.IPProtocolUDP), udp(443, 50000), body)), decoded.Packet{}},
		{"vxlan", 1, sampled(serialize(t, eth(layers.EthernetTypeIPv4), ipv4(layers.IPProtocolUDP), udp(50000, 4789),
			&layers.VXLAN{ValidIDFlag: true, VNI: 100}, gopacket.Payload(inner))), decoded.Packet{}},
	}
}

// BenchmarkParse parses the realistic mix ("mix", reported per header) and
// each of its headers alone.
func BenchmarkParse(b *testing.B) {
	mix := realisticMix(b)
	b.Run("mix", func(b *testing.B) { benchmarkHeaders(b, mix) })
	for _, c := range mix {
		b.Run(c.name, func(b *testing.B) { benchmarkHeaders(b, []testCase{c}) })
	}
}

// benchmarkHeaders parses headers in a loop and reports ns per header.
func benchmarkHeaders(b *testing.B, headers []testCase) {
	p := NewParser()
	var pkt decoded.Packet
	b.ReportAllocs()
	for b.Loop() {
		for _, c := range headers {
			p.Parse(c.proto, c.data, &pkt)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(headers)), "ns/header")
}

// TestParseZeroAllocs checks that Parse does not allocate once warm, on
// complete headers and on headers cut at every length.
func TestParseZeroAllocs(t *testing.T) {
	p := NewParser()
	all := append(cases(t), realisticMix(t)...)
	var pkt decoded.Packet
	allocs := testing.AllocsPerRun(20, func() {
		for _, c := range all {
			for n := range len(c.data) + 1 {
				p.Parse(c.proto, c.data[:n], &pkt)
			}
		}
	})
	if allocs != 0 {
		t.Errorf("Parse allocates %.1f times per run", allocs)
	}
}

// TestRealisticMix checks what the benchmark parses: the 128-byte cut
// keeps every header of the mix, including the VXLAN inner TCP ports.
func TestRealisticMix(t *testing.T) {
	p := NewParser()
	for _, c := range realisticMix(t) {
		var pkt decoded.Packet
		p.Parse(c.proto, c.data, &pkt)
		has := pkt.Layers
		if pkt.Layers&decoded.LayerInner != 0 {
			has = pkt.Inner.Layers
		}
		if has&decoded.LayerTransport == 0 || pkt.Truncated {
			t.Errorf("%s: Has %b Truncated %v", c.name, pkt.Layers, pkt.Truncated)
		}
	}
}
