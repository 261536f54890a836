package header

import (
	"path/filepath"
	"testing"

	"github.com/sflowbeat/sflowbeat/input/pcapfile"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoder"
)

// BenchmarkDecodeAndParse measures what the input does per sample before
// mapping: decode every datagram of two real captures (switch and Open
// vSwitch traffic) and parse the sampled header of every flow sample.
// Reported per sample (flow and counter); the target is 250 ns with no
// allocation.
func BenchmarkDecodeAndParse(b *testing.B) {
	var payloads [][]byte
	for _, name := range []string{"overflowd-sflow.pcap", "ovs-3.1-sflow.pcap"} {
		dgs, err := pcapfile.ReadAll(filepath.Join("..", "..", "..", "testdata", "pcaps", name), 6343)
		if err != nil {
			b.Fatal(err)
		}
		for _, d := range dgs {
			payloads = append(payloads, d.Payload)
		}
	}
	dec, p := decoder.NewDecoder(decoder.Options{}), NewParser()
	var dg decoder.Datagram
	var pkt Packet
	samples := 0
	b.ReportAllocs()
	for b.Loop() {
		for _, data := range payloads {
			if dec.Decode(data, &dg) != nil {
				b.Fatal("capture datagram failed to decode")
			}
			for i := range dg.FlowSamples {
				if h := &dg.FlowSamples[i].Records; h.Has&decoder.HasSampledHeader != 0 {
					p.Parse(h.SampledHeader.Protocol, h.SampledHeader.Header, &pkt)
				}
			}
			samples += len(dg.FlowSamples) + len(dg.CounterSamples)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(samples), "ns/sample")
}
