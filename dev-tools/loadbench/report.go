package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// report is what one invocation measured, and where.
type report struct {
	Date     string    `json:"date"`
	Machine  machine   `json:"machine"`
	Capture  capture   `json:"capture"`
	Duration string    `json:"duration"` // sending time per side and rate
	Runs     []rateRun `json:"runs"`
}

// machine describes the host the figures come from.
type machine struct {
	CPU    string `json:"cpu"`
	Cores  int    `json:"cores"`
	Kernel string `json:"kernel"`
}

// capture describes the replayed capture: one round of its datagrams.
type capture struct {
	File      string `json:"file"`
	Datagrams int    `json:"datagrams"`
	Samples   int64  `json:"samples"`
	Flows     int64  `json:"flow_samples"`
}

// rateRun is what was measured at one rate, side by side.
type rateRun struct {
	Rate int   `json:"rate"` // samples per second sent
	Rows []row `json:"rows"`
	// Ratio is the chain's CPU per delivered flow over sflowbeat's CPU
	// per delivered event (0 unless both sides ran and delivered).
	Ratio float64 `json:"cpu_ratio_chain_to_sflowbeat,omitempty"`
	// CutPct is how much less CPU per delivered event sflowbeat takes than
	// the baseline, in percent (0 without -baseline).
	CutPct float64 `json:"cpu_cut_pct_vs_baseline,omitempty"`
	// CutSentPct is the same per event sent: it spares a side that falls
	// behind, whose CPU per delivered event grows with what it drops.
	CutSentPct float64 `json:"cpu_cut_pct_vs_baseline_per_sent,omitempty"`
}

// row is what one side did at one rate.
type row struct {
	Side      string           `json:"side"`            // sflowbeat, baseline or chain
	Round     int              `json:"round,omitempty"` // with -rounds, which one
	Config    string           `json:"config"`          // its settings
	Counts    string           `json:"counts"`          // events (every sample) or flows (flow samples only)
	Sent      int64            `json:"sent"`
	Delivered int64            `json:"delivered"`
	LossPct   float64          `json:"loss_pct"`
	CPUus     float64          `json:"cpu_us_per_delivered"` // all its processes, user+system
	CPUSentUs float64          `json:"cpu_us_per_sent"`      // the same per event sent
	RSSMB     float64          `json:"peak_rss_mb"`          // sum of its processes' peaks
	Drain     float64          `json:"drain_s"`              // from the end of sending to the last delivery
	Processes []procStat       `json:"processes"`
	Counters  map[string]int64 `json:"counters"` // where data was lost, during the run
}

// procStat is what one process used during a run.
type procStat struct {
	Name      string  `json:"name"`
	CPU       float64 `json:"cpu_s"`
	PeakRSSMB float64 `json:"peak_rss_mb"`
}

// newRow computes a side's row from its counts and its processes' use.
func newRow(s sideInfo, sent, delivered int64, procs []procStat) row {
	r := row{Side: s.name, Config: s.config, Counts: s.counts, Sent: sent, Delivered: delivered, Processes: procs}
	var cpu float64
	for _, p := range procs {
		cpu += p.CPU
		r.RSSMB += p.PeakRSSMB
	}
	if sent > 0 {
		r.LossPct = 100 * float64(sent-delivered) / float64(sent)
		r.CPUSentUs = cpu * 1e6 / float64(sent)
	}
	if delivered > 0 {
		r.CPUus = cpu * 1e6 / float64(delivered)
	}
	return r
}

// ratio returns the chain's CPU per delivered flow over sflowbeat's CPU
// per delivered event (medians over the rounds), or 0 when either is
// missing.
func ratio(rows []row) float64 { return medianRatio(rows, sideChain, sideSflowbeat, perDelivered) }

// perEvent is the CPU per event of a row: per delivered or per sent event.
type perEvent func(row) float64

func perDelivered(r row) float64 { return r.CPUus }
func perSent(r row) float64      { return r.CPUSentUs }

// cut returns how much less CPU per event sflowbeat takes than the
// baseline, in percent of the baseline's (medians over the rounds), or 0
// when either is missing.
func cut(rows []row, per perEvent) float64 {
	if r := medianRatio(rows, sideSflowbeat, sideBaseline, per); r > 0 {
		return 100 * (1 - r)
	}
	return 0
}

// medianRatio returns the median CPU per event of side a over that of
// side b, or 0 when either has no rows.
func medianRatio(rows []row, a, b string, per perEvent) float64 {
	ma, mb := medianCPU(rows, a, per), medianCPU(rows, b, per)
	if ma == 0 || mb == 0 {
		return 0
	}
	return ma / mb
}

// medianCPU returns the median CPU per event of a side's rows (the mean
// of the middle two for an even count), 0 if it has none.
func medianCPU(rows []row, side string, per perEvent) float64 {
	var cpu []float64
	for _, r := range rows {
		if r.Side == side && per(r) > 0 {
			cpu = append(cpu, per(r))
		}
	}
	if len(cpu) == 0 {
		return 0
	}
	slices.Sort(cpu)
	n := len(cpu)
	return (cpu[(n-1)/2] + cpu[n/2]) / 2
}

// rounds returns how many rounds a report has.
func (rep *report) rounds() int {
	n := 1
	for _, run := range rep.Runs {
		for _, r := range run.Rows {
			n = max(n, r.Round)
		}
	}
	return n
}

// write prints the report as text, or as JSON.
func (rep *report) write(w io.Writer, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	rep.writeHeader(w)
	if err := rep.writeTable(w); err != nil {
		return err
	}
	rep.writeDetails(w)
	return nil
}

// writeHeader says when, where and with what the figures were taken.
func (rep *report) writeHeader(w io.Writer) {
	m, c := rep.Machine, rep.Capture
	fmt.Fprintf(w, "loadbench %s on %s, %d cores, Linux %s\n", rep.Date, m.CPU, m.Cores, m.Kernel)
	fmt.Fprintf(w, "capture %s (%d datagrams, %d samples, %.1f%% flow samples), sent for %s per side and rate\n",
		c.File, c.Datagrams, c.Samples, 100*float64(c.Flows)/float64(max(c.Samples, 1)), rep.Duration)
	fmt.Fprintln(w, "generator, sinks and measured processes share the cores; sink CPU is not counted")
	fmt.Fprintln(w)
}

// writeTable prints one line per side and rate, and the ratios.
func (rep *report) writeTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	rounds := rep.rounds()
	round := func(r row) string { // a column only when there are rounds
		if rounds == 1 {
			return ""
		}
		return fmt.Sprintf("%d\t", r.Round)
	}
	head := "rate/s\tside\tconfig\tcounts\tsent\tdelivered\tloss %\tCPU µs/delivered\tpeak RSS MB\tdrain s"
	if rounds > 1 {
		head = "round\t" + head
	}
	fmt.Fprintln(tw, head)
	for _, run := range rep.Runs {
		for _, r := range run.Rows {
			fmt.Fprintf(tw, "%s%d\t%s\t%s\t%s\t%d\t%d\t%.3f\t%.1f\t%.0f\t%.1f\n",
				round(r), run.Rate, r.Side, r.Config, r.Counts, r.Sent, r.Delivered, r.LossPct, r.CPUus, r.RSSMB, r.Drain)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	of := ""
	if rounds > 1 {
		of = fmt.Sprintf(" (medians of %d rounds)", rounds)
	}
	for _, run := range rep.Runs {
		if run.Ratio > 0 {
			fmt.Fprintf(w, "at %d samples/s, CPU per delivered event, chain / sflowbeat%s: %.2fx\n", run.Rate, of, run.Ratio)
		}
		writeCut(w, run, "delivered event", perDelivered, of)
		writeCut(w, run, "event sent", perSent, of)
	}
	fmt.Fprintln(w, "drain s: from the end of sending to the last document at the sink")
	return nil
}

// writeCut prints the cut against the baseline per delivered or sent event
// (nothing without a baseline).
func writeCut(w io.Writer, run rateRun, what string, per perEvent, of string) {
	pct, less := cut(run.Rows, per), "less"
	if pct == 0 {
		return
	}
	if pct < 0 {
		pct, less = -pct, "more"
	}
	fmt.Fprintf(w, "at %d samples/s, CPU per %s, sflowbeat against baseline%s: %.1f µs against %.1f µs, %.1f%% %s\n",
		run.Rate, what, of, medianCPU(run.Rows, sideSflowbeat, per), medianCPU(run.Rows, sideBaseline, per), pct, less)
}

// writeDetails prints each side's processes and loss counters.
func (rep *report) writeDetails(w io.Writer) {
	fmt.Fprintln(w)
	rounds := rep.rounds()
	for _, run := range rep.Runs {
		for _, r := range run.Rows {
			var ps []string
			for _, p := range r.Processes {
				ps = append(ps, fmt.Sprintf("%s %.1f s CPU, %.0f MB", p.Name, p.CPU, p.PeakRSSMB))
			}
			name := r.Side
			if rounds > 1 {
				name = fmt.Sprintf("%s (round %d)", r.Side, r.Round)
			}
			fmt.Fprintf(w, "%d %s: %s\n", run.Rate, name, strings.Join(ps, "; "))
			for _, k := range slices.Sorted(maps.Keys(r.Counters)) {
				fmt.Fprintf(w, "    %-34s %d\n", k, r.Counters[k])
			}
		}
	}
}

// thisMachine describes the host: CPU model, cores and kernel.
func thisMachine() machine {
	m := machine{CPU: "unknown", Cores: runtime.NumCPU(), Kernel: "unknown"}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		m.CPU = cpuModel(string(b))
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	return m
}

// cpuModel returns the first "model name" of /proc/cpuinfo.
func cpuModel(cpuinfo string) string {
	for l := range strings.SplitSeq(cpuinfo, "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// now is the report's date.
func now() string { return time.Now().UTC().Format("2006-01-02 15:04 MST") }
