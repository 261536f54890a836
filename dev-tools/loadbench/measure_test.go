package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sflowbeat/sflowbeat/beater/pcapfile"
	"github.com/sflowbeat/sflowbeat/input/sflow/worker"
	"github.com/sflowbeat/sflowbeat/processor/ecs"
	"github.com/sflowbeat/sflowbeat/processor/ecs/dataset"
	"github.com/sflowbeat/sflowbeat/tests/replay"
)

const benchPcap = "../../testdata/pcaps/overflowd-sflow.pcap"

// TestReplayCountsFlows: replay counts, per datagram, the flow samples
// (what GoFlow2 turns into lines) apart from the other samples, as the
// mapper's event kinds say; Totals counts round-robin rounds.
func TestReplayCountsFlows(t *testing.T) {
	dgs, err := replay.Load(benchPcap)
	if err != nil {
		t.Fatal(err)
	}
	want := flowEventsPerDatagram(t)
	var got []int
	for _, d := range dgs {
		got = append(got, d.Flows)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("flows per datagram (-mapper +replay):\n%s", d)
	}
	samples, flows := replay.Totals(dgs, int64(len(dgs)))
	if flows == 0 || flows == samples {
		t.Fatalf("%d flows of %d samples: the capture should hold both kinds", flows, samples)
	}
	s, f := replay.Totals(dgs, 2*int64(len(dgs))+3)
	s3, f3 := int64(dgs[0].Samples+dgs[1].Samples+dgs[2].Samples), int64(dgs[0].Flows+dgs[1].Flows+dgs[2].Flows)
	if s != 2*samples+s3 || f != 2*flows+f3 {
		t.Errorf("two rounds and 3 datagrams: %d samples, %d flows; want %d, %d", s, f, 2*samples+s3, 2*flows+f3)
	}
}

// flowEventsPerDatagram maps the capture's datagrams that hold samples and
// counts their flow events.
func flowEventsPerDatagram(t *testing.T) []int {
	t.Helper()
	raw, err := pcapfile.ReadAll(benchPcap, 6343)
	if err != nil {
		t.Fatal(err)
	}
	w := worker.New(ecs.Options{}, nil, &worker.Counts{})
	var out []int
	for _, d := range raw {
		res := w.Process(d.Payload, d.Timestamp)
		if res.Err != nil || len(res.Events) == 0 {
			continue
		}
		n := 0
		for _, e := range res.Events {
			if e.Dataset == dataset.Flow {
				n++
			}
		}
		out = append(out, n)
	}
	return out
}

// TestParseUDPDrops sums the drops column of the sockets on one port.
func TestParseUDPDrops(t *testing.T) {
	table := `   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
  123: 0100007F:18BF 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1 2 ffff 17
  124: 0100007F:18BF 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 3 2 ffff 3
  125: 00000000:0044 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 4 2 ffff 99
`
	if got, err := parseUDPDrops(table, 0x18BF); err != nil || got != 20 {
		t.Errorf("parseUDPDrops = %d, %v; want 20", got, err)
	}
	if got, err := parseUDPDrops(table, 1); err != nil || got != 0 {
		t.Errorf("parseUDPDrops of a port without socket = %d, %v; want 0", got, err)
	}
}

// TestPromSums sums a metric over its labels and ignores the others.
func TestPromSums(t *testing.T) {
	text := `# HELP goflow2_flow_dropped_packets_total Packets dropped.
# TYPE goflow2_flow_dropped_packets_total counter
goflow2_flow_dropped_packets_total{remote_ip="127.0.0.1",local_port="1"} 5
goflow2_flow_dropped_packets_total{remote_ip="127.0.0.2",local_port="1"} 7
goflow2_flow_decoder_error_total 2
goflow2_flow_traffic_bytes_total{type="sflow"} 1e+06
`
	got := promSums(strings.NewReader(text), goflow2Counters)
	want := map[string]int64{"goflow2_flow_dropped_packets_total": 12, "goflow2_flow_decoder_error_total": 2}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("promSums (-want +got):\n%s", d)
	}
}
