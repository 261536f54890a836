package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// sampleReport is a report of one rate, both sides.
func sampleReport() *report {
	rows := []row{
		newRow(sideInfo{"sflowbeat", "tuning none", "events"}, 1000, 990,
			[]procStat{{Name: "sflowbeat", CPU: 0.0198, PeakRSSMB: 80}}),
		newRow(sideInfo{"chain", "GoFlow2 v2.2.6 -> file -> Filebeat 9.3.0", "flows"}, 900, 900,
			[]procStat{{Name: "goflow2", CPU: 0.05, PeakRSSMB: 30}, {Name: "filebeat", CPU: 0.04, PeakRSSMB: 120}}),
	}
	rows[1].Counters = map[string]int64{"udp_receive_buffer_drops": 0, "goflow2_lines_written": 900}
	return &report{
		Date:     "2026-12-02 22:00 UTC",
		Machine:  machine{CPU: "AMD EPYC", Cores: 2, Kernel: "6.18.44"},
		Capture:  capture{File: "overflowd-sflow.pcap", Datagrams: 1000, Samples: 6357, Flows: 5857},
		Duration: "10s",
		Runs:     []rateRun{{Rate: 5000, Rows: rows, Ratio: ratio(rows)}},
	}
}

// TestNewRow: loss, CPU per delivered event and peak RSS (summed over the
// processes) are computed from the counts.
func TestNewRow(t *testing.T) {
	r := sampleReport().Runs[0]
	if got := r.Rows[0]; got.LossPct != 1 || got.CPUus != 20 || got.RSSMB != 80 {
		t.Errorf("sflowbeat: loss %v%%, %v µs, %v MB; want 1%%, 20 µs, 80 MB", got.LossPct, got.CPUus, got.RSSMB)
	}
	if got := r.Rows[1]; got.LossPct != 0 || got.CPUus != 100 || got.RSSMB != 150 {
		t.Errorf("chain: loss %v%%, %v µs, %v MB; want 0%%, 100 µs, 150 MB", got.LossPct, got.CPUus, got.RSSMB)
	}
	if r.Ratio != 5 {
		t.Errorf("ratio %v, want 5", r.Ratio)
	}
	if got := ratio(r.Rows[:1]); got != 0 {
		t.Errorf("ratio of one side %v, want 0", got)
	}
}

// TestWriteText: the text report names the machine and the capture, has
// one line per side and the ratio.
func TestWriteText(t *testing.T) {
	var b bytes.Buffer
	if err := sampleReport().write(&b, false); err != nil {
		t.Fatal(err)
	}
	want := `loadbench 2026-12-02 22:00 UTC on AMD EPYC, 2 cores, Linux 6.18.44
capture overflowd-sflow.pcap (1000 datagrams, 6357 samples, 92.1% flow samples), sent for 10s per side and rate
generator, sinks and measured processes share the cores; sink CPU is not counted

rate/s  side       config                                    counts  sent  delivered  loss %  CPU µs/delivered  peak RSS MB  drain s
5000    sflowbeat  tuning none                               events  1000  990        1.000   20.0              80           0.0
5000    chain      GoFlow2 v2.2.6 -> file -> Filebeat 9.3.0  flows   900   900        0.000   100.0             150          0.0
at 5000 samples/s, CPU per delivered event, chain / sflowbeat: 5.00x
drain s: from the end of sending to the last document at the sink

5000 sflowbeat: sflowbeat 0.0 s CPU, 80 MB
5000 chain: goflow2 0.1 s CPU, 30 MB; filebeat 0.0 s CPU, 120 MB
    goflow2_lines_written              900
    udp_receive_buffer_drops           0
`
	if d := cmp.Diff(want, b.String()); d != "" {
		t.Errorf("report (-want +got):\n%s", d)
	}
}

// TestWriteJSON: the JSON report holds the same table.
func TestWriteJSON(t *testing.T) {
	var b bytes.Buffer
	rep := sampleReport()
	if err := rep.write(&b, true); err != nil {
		t.Fatal(err)
	}
	var got report
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(*rep, got); d != "" {
		t.Errorf("JSON round trip (-want +got):\n%s", d)
	}
	for _, key := range []string{`"cpu_us_per_delivered": 20`, `"loss_pct": 1`, `"cpu_ratio_chain_to_sflowbeat": 5`, `"kernel": "6.18.44"`} {
		if !strings.Contains(b.String(), key) {
			t.Errorf("no %s in\n%s", key, b.String())
		}
	}
}

// TestCPUModel reads the model of /proc/cpuinfo.
func TestCPUModel(t *testing.T) {
	info := "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel\t\t: 1\nmodel name\t: AMD EPYC 7B13\n"
	if got := cpuModel(info); got != "AMD EPYC 7B13" {
		t.Errorf("cpuModel = %q", got)
	}
}
