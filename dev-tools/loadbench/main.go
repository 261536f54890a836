// Command loadbench measures, in one run on one machine, sflowbeat and the
// chain it replaces, side by side. A loopback UDP generator replays the
// sFlow datagrams of a capture at a given sample rate to
//
//   - sflowbeat, which publishes to an Elasticsearch-protocol sink in this
//     process, and
//   - the chain: GoFlow2 (v2.2.6), which writes JSON lines to a file, and
//     Filebeat (built from the same beats module as sflowbeat), which tails
//     the file and publishes to its own sink, both with their defaults.
//
// For each it reports what was sent and delivered, the loss, the CPU time
// (user+system, from /proc) of the measured processes per delivered event,
// and their peak resident memory; then the ratio of CPU per delivered event,
// chain / sflowbeat. GoFlow2 drops counter samples, so the chain is measured
// over flow samples only. With -baseline, a second sflowbeat binary (the
// code before a change) runs beside the first with the same settings, and
// the report gives how much less CPU per event the first takes. With
// -rounds, the sides run again in turn, each round starting one side
// later, so that the machine's drift from one minute to the next, and what
// a side leaves behind for the next (the chain's gigabytes of RSS and
// file), fall on every side alike; the ratios are then those of the
// medians. Generator, sinks and measured processes share the
// machine's cores (nothing is pinned); sink CPU is not counted; all traffic
// stays on 127.0.0.1.
//
//	go build -o /tmp/sflowbeat . && go run ./dev-tools/loadbench -binary /tmp/sflowbeat -rate 45000 -duration 30s
//
// GoFlow2 and Filebeat are built from the module in dev-tools/loadbench/chain,
// once per content of that module, into build/loadbench.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sflowbeat/sflowbeat/tests/replay"
)

// options are the command-line flags.
type options struct {
	mode     string // sflowbeat, chain or both
	binary   string
	baseline string // another sflowbeat binary, measured beside binary ("" for none)
	rounds   int    // how many times the sides run in turn at each rate
	pcap     string
	rates    []int
	duration time.Duration
	tuning   tuning
	shipped  string // the repository's sflowbeat.yml, for -tuning shipped
	chainMod string // the Go module that builds GoFlow2 and Filebeat
	buildDir string
	settle   time.Duration
	json     bool
}

// Modes are the valid values of -mode.
var modes = []string{"both", "sflowbeat", "chain"}

func main() {
	o, err := parseFlags(os.Args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadbench:", err)
		os.Exit(2)
	}
	rep, err := runAll(o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadbench:", err)
		os.Exit(1)
	}
	if err := rep.write(os.Stdout, o.json); err != nil {
		fmt.Fprintln(os.Stderr, "loadbench:", err)
		os.Exit(1)
	}
}

// parseFlags reads and checks the command line.
func parseFlags(args []string) (options, error) {
	var o options
	var rate int
	var rates string
	fs := flag.NewFlagSet("loadbench", flag.ContinueOnError)
	fs.StringVar(&o.mode, "mode", "both", "what to measure: "+strings.Join(modes, ", "))
	fs.StringVar(&o.binary, "binary", "./sflowbeat", "sflowbeat binary to run")
	fs.StringVar(&o.baseline, "baseline", "", "another sflowbeat binary (e.g. the code before a change), run beside -binary with the same settings")
	fs.IntVar(&o.rounds, "rounds", 1, "how many times the sides run in turn at each rate (ratios are then those of the medians)")
	fs.StringVar(&o.pcap, "pcap", "testdata/pcaps/overflowd-sflow.pcap", "capture whose sFlow datagrams are replayed")
	fs.IntVar(&rate, "rate", 45000, "samples per second to send")
	fs.StringVar(&rates, "rates", "", "comma-separated rates to run one after the other, each on both sides (overrides -rate)")
	fs.DurationVar(&o.duration, "duration", 60*time.Second, "how long to send, per side and rate")
	fs.StringVar(&o.tuning.name, "tuning", tuningNone, "sflowbeat settings: "+tuningNone+" (a minimal sflowbeat.yml: code defaults) or "+tuningShipped+" (the output, queue and input settings of -shipped)")
	fs.StringVar(&o.tuning.preset, "preset", "", "output.elasticsearch.preset for sflowbeat (e.g. throughput)")
	fs.StringVar(&o.tuning.extra, "config", "", "extra YAML merged over the generated sflowbeat.yml")
	fs.StringVar(&o.shipped, "shipped", "sflowbeat.yml", "the shipped configuration whose settings -tuning shipped uses")
	fs.StringVar(&o.chainMod, "chain-module", "dev-tools/loadbench/chain", "Go module that builds GoFlow2 and Filebeat")
	fs.StringVar(&o.buildDir, "build-dir", "build/loadbench", "where the chain's binaries are built and kept")
	fs.DurationVar(&o.settle, "settle", 15*time.Second, "stop waiting for the last events when a sink has not grown for this long")
	fs.BoolVar(&o.json, "json", false, "print the report as JSON")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	return o, o.complete(rate, rates)
}

// complete fills the rates and checks the options.
func (o *options) complete(rate int, rates string) error {
	o.rates = []int{rate}
	if rates != "" {
		var err error
		if o.rates, err = parseRates(rates); err != nil {
			return err
		}
	}
	if !slices.Contains(modes, o.mode) {
		return fmt.Errorf("-mode %q: want one of %s", o.mode, strings.Join(modes, ", "))
	}
	if o.duration <= 0 {
		return fmt.Errorf("-duration %s: want a positive duration", o.duration)
	}
	if o.rounds < 1 {
		return fmt.Errorf("-rounds %d: want at least 1", o.rounds)
	}
	if o.baseline != "" && o.mode == "chain" {
		return errors.New("-baseline is another sflowbeat: it needs -mode sflowbeat or both")
	}
	return o.tuning.check()
}

// parseRates parses a comma-separated list of positive rates.
func parseRates(s string) ([]int, error) {
	var out []int
	for f := range strings.SplitSeq(s, ",") {
		r, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || r <= 0 {
			return nil, fmt.Errorf("-rates %q: want positive integers separated by commas", s)
		}
		out = append(out, r)
	}
	return out, nil
}

// runAll measures the sides -mode asks for at each rate, one after the
// other, -rounds times in turn.
func runAll(o options) (*report, error) {
	dgs, err := replay.Load(o.pcap)
	if err != nil {
		return nil, err
	}
	sides, err := makeSides(o)
	if err != nil {
		return nil, err
	}
	rep := &report{Date: now(), Machine: thisMachine(), Capture: describe(o.pcap, dgs), Duration: o.duration.String()}
	for _, rate := range o.rates {
		run := rateRun{Rate: rate}
		for round := 1; round <= o.rounds; round++ {
			for _, s := range inTurn(sides, round) {
				fmt.Fprintf(os.Stderr, "loadbench: %s at %d samples/s for %s (round %d of %d)\n", s.info().name, rate, o.duration, round, o.rounds)
				r, err := measure(s, dgs, rate, o)
				if err != nil {
					return nil, fmt.Errorf("%s at %d samples/s: %w", s.info().name, rate, err)
				}
				r.Round = round
				run.Rows = append(run.Rows, r)
			}
		}
		run.Ratio, run.CutPct, run.CutSentPct = ratio(run.Rows), cut(run.Rows, perDelivered), cut(run.Rows, perSent)
		rep.Runs = append(rep.Runs, run)
	}
	return rep, nil
}

// inTurn returns the sides in the order they run in a round (from 1):
// each round starts one side later than the one before, so that over as
// many rounds as sides each side runs once in each place.
func inTurn[S any](sides []S, round int) []S {
	k := (round - 1) % max(len(sides), 1)
	return append(slices.Clone(sides[k:]), sides[:k]...)
}

// makeSides returns the sides -mode asks for, sflowbeat first, building
// the chain's programs if needed.
func makeSides(o options) ([]side, error) {
	var sides []side
	if o.mode != "chain" {
		var shipped []byte
		if o.tuning.name == tuningShipped {
			var err error
			if shipped, err = os.ReadFile(o.shipped); err != nil {
				return nil, fmt.Errorf("-shipped: %w", err)
			}
		}
		for _, b := range []*beatSide{{name: sideSflowbeat, bin: o.binary}, {name: sideBaseline, bin: o.baseline}} {
			if b.bin == "" {
				continue // no -baseline
			}
			if _, err := os.Stat(b.bin); err != nil {
				return nil, fmt.Errorf("%s binary: %w", b.name, err)
			}
			b.tuning, b.shipped = o.tuning, shipped
			sides = append(sides, b)
		}
	}
	if o.mode != "sflowbeat" {
		bins, err := buildChain(o.chainMod, o.buildDir)
		if err != nil {
			return nil, err
		}
		sides = append(sides, &chainSide{bins: bins})
	}
	return sides, nil
}

// describe counts one round of the capture's datagrams.
func describe(path string, dgs []replay.Datagram) capture {
	samples, flows := replay.Totals(dgs, int64(len(dgs)))
	return capture{File: filepath.Base(path), Datagrams: len(dgs), Samples: samples, Flows: flows}
}
