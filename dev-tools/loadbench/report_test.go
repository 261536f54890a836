package main

import (
	"bytes"
	"encoding/json"
	"math"
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

// roundsReport is a report of one rate, sflowbeat and a baseline, three
// rounds each, with the CPU per delivered event of each row.
func roundsReport(sflowbeat, baseline []float64) *report {
	var rows []row
	for i := range sflowbeat {
		for _, s := range []struct {
			name string
			cpu  float64
		}{{sideSflowbeat, sflowbeat[i]}, {sideBaseline, baseline[i]}} {
			r := newRow(sideInfo{s.name, "tuning none", "events"}, 1000, 1000, []procStat{{Name: "sflowbeat", CPU: s.cpu / 1000, PeakRSSMB: 100}})
			r.Round = i + 1
			rows = append(rows, r)
		}
	}
	rep := sampleReport()
	rep.Runs = []rateRun{{Rate: 45000, Rows: rows, Ratio: ratio(rows), CutPct: cut(rows, perDelivered), CutSentPct: cut(rows, perSent)}}
	return rep
}

// TestBaselineRounds: with a baseline and rounds, the cut is that of the
// medians (whatever the order of the rounds), the table has a round
// column, and a sflowbeat slower than its baseline says so.
func TestBaselineRounds(t *testing.T) {
	rep := roundsReport([]float64{14, 12, 30}, []float64{25, 24, 26})
	if got := rep.Runs[0].CutPct; math.Abs(got-44) > 1e-9 {
		t.Errorf("cut %v%%, want 44%% (the medians: 14 against 25 µs)", got)
	}
	var b bytes.Buffer
	if err := rep.write(&b, false); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"round  rate/s  side       config       counts  sent  delivered",
		"3      45000   baseline   tuning none  events  1000  1000       0.000   26.0",
		"at 45000 samples/s, CPU per delivered event, sflowbeat against baseline (medians of 3 rounds): 14.0 µs against 25.0 µs, 44.0% less",
		"45000 baseline (round 2): sflowbeat 0.0 s CPU, 100 MB",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("no %q in\n%s", want, b.String())
		}
	}
	if rep.Runs[0].Ratio != 0 {
		t.Errorf("chain / sflowbeat %v without the chain, want 0", rep.Runs[0].Ratio)
	}
	slower := roundsReport([]float64{30, 30}, []float64{20, 20})
	b.Reset()
	if err := slower.write(&b, false); err != nil {
		t.Fatal(err)
	}
	if want := "30.0 µs against 20.0 µs, 50.0% more"; !strings.Contains(b.String(), want) {
		t.Errorf("no %q in\n%s", want, b.String())
	}
}

// TestCutPerSent: a baseline that drops half of what it is sent costs
// twice as much per delivered event as per event sent; both cuts are
// reported.
func TestCutPerSent(t *testing.T) {
	rows := []row{
		newRow(sideInfo{sideSflowbeat, "tuning none", "events"}, 1000, 1000, []procStat{{Name: "sflowbeat", CPU: 0.012}}),
		newRow(sideInfo{sideBaseline, "tuning none", "events"}, 1000, 500, []procStat{{Name: "sflowbeat", CPU: 0.02}}),
	}
	if r := rows[1]; r.CPUus != 40 || r.CPUSentUs != 20 {
		t.Fatalf("baseline %v µs per delivered and %v per sent, want 40 and 20", r.CPUus, r.CPUSentUs)
	}
	run := rateRun{Rate: 45000, Rows: rows, CutPct: cut(rows, perDelivered), CutSentPct: cut(rows, perSent)}
	if math.Abs(run.CutPct-70) > 1e-9 || math.Abs(run.CutSentPct-40) > 1e-9 {
		t.Errorf("cuts %v%% per delivered and %v%% per sent, want 70%% and 40%%", run.CutPct, run.CutSentPct)
	}
	var b bytes.Buffer
	rep := sampleReport()
	rep.Runs = []rateRun{run}
	if err := rep.write(&b, false); err != nil {
		t.Fatal(err)
	}
	if want := "CPU per event sent, sflowbeat against baseline: 12.0 µs against 20.0 µs, 40.0% less"; !strings.Contains(b.String(), want) {
		t.Errorf("no %q in\n%s", want, b.String())
	}
}

// TestMedianCPU: the middle value, the mean of the middle two for an even
// count, over the rows of one side that delivered.
func TestMedianCPU(t *testing.T) {
	rows := []row{{Side: sideSflowbeat, CPUus: 9}, {Side: sideChain, CPUus: 100}, {Side: sideSflowbeat, CPUus: 3},
		{Side: sideSflowbeat, CPUus: 5}, {Side: sideSflowbeat}}
	if got := medianCPU(rows, sideSflowbeat, perDelivered); got != 5 {
		t.Errorf("median of 9, 3, 5 = %v, want 5", got)
	}
	if got := medianCPU(append(rows, row{Side: sideSflowbeat, CPUus: 7}), sideSflowbeat, perDelivered); got != 6 {
		t.Errorf("median of 9, 3, 5, 7 = %v, want 6", got)
	}
	if got := medianCPU(rows, sideBaseline, perDelivered); got != 0 {
		t.Errorf("median of no rows = %v, want 0", got)
	}
}

// TestCPUModel reads the model of /proc/cpuinfo.
func TestCPUModel(t *testing.T) {
	info := "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel\t\t: 1\nmodel name\t: AMD EPYC 7B13\n"
	if got := cpuModel(info); got != "AMD EPYC 7B13" {
		t.Errorf("cpuModel = %q", got)
	}
}
