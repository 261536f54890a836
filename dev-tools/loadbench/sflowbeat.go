package main

import (
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/sflowbeat/sflowbeat/tests/beatmon"
)

// beatSide runs sflowbeat with one sflow input.
type beatSide struct {
	name    string // sideSflowbeat, or sideBaseline for -baseline
	bin     string
	tuning  tuning
	shipped []byte // the repository's sflowbeat.yml, for -tuning shipped
	p       *proc
	sock    string // its HTTP monitoring endpoint
	port    int    // its UDP port
}

// info names sflowbeat and its settings.
func (b *beatSide) info() sideInfo {
	return sideInfo{name: b.name, config: b.tuning.label(), counts: "events"}
}

// start writes sflowbeat.yml and starts sflowbeat.
func (b *beatSide) start(dir, esURL string) (string, error) {
	var err error
	if b.port, err = freePort("udp"); err != nil {
		return "", err
	}
	addr := "127.0.0.1:" + strconv.Itoa(b.port)
	b.sock = filepath.Join(dir, "sflowbeat.sock")
	cfg, err := beatConfig(b.tuning, b.shipped, addr, esURL, b.sock)
	if err != nil {
		return "", err
	}
	b.p, err = startBeat("sflowbeat", b.bin, dir, cfg, func() bool { return b.inputMetrics() != nil })
	return addr, err
}

// procs is sflowbeat.
func (b *beatSide) procs() []*proc { return []*proc{b.p} }

// expected is one event per sample.
func (b *beatSide) expected(samples, _ int64) int64 { return samples }

// The input counters reported: the input's own drops and rejects.
var beatCounters = []string{"datagrams_dropped_total", "datagrams_invalid_total", "samples_invalid_total", "events_dropped_total", "counters_dropped_total"}

// counters returns the UDP socket's kernel drops and the input's counters.
func (b *beatSide) counters() map[string]int64 {
	out := map[string]int64{}
	out["udp_receive_buffer_drops"], _ = udpDrops(b.port)
	m := b.inputMetrics()
	for _, k := range beatCounters {
		if v, ok := m[k].(float64); ok {
			out[k] = int64(v)
		}
	}
	return out
}

// inputMetrics returns the input's metrics, nil while sflowbeat does not
// answer.
func (b *beatSide) inputMetrics() map[string]any {
	m, _ := beatmon.Input(b.sock, inputID)
	return m
}

// stop stops sflowbeat.
func (b *beatSide) stop() {
	if b.p != nil {
		b.p.stop()
		b.p = nil
	}
}

// startBeat writes a Beat's configuration to dir/name/name.yml and runs
// the Beat with that home until ready says it serves.
func startBeat(name, bin, dir string, cfg []byte, ready func() bool) (*proc, error) {
	home := filepath.Join(dir, name)
	if err := os.MkdirAll(home, 0o755); err != nil {
		return nil, err
	}
	path := filepath.Join(home, name+".yml")
	if err := os.WriteFile(path, cfg, 0o600); err != nil {
		return nil, err
	}
	p, err := startProc(name, dir, bin, "-e", "-c", path, "--path.home", home)
	if err != nil {
		return nil, err
	}
	if err := waitReady(name, time.Minute, ready, p); err != nil {
		p.stop()
		return nil, err
	}
	return p, nil
}
