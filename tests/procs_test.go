package tests

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/sflowbeat/sflowbeat/beater/pcapfile"
	"github.com/sflowbeat/sflowbeat/tests/beatmon"
	"github.com/sflowbeat/sflowbeat/tests/esmock"
)

// statsProcs returns sflowbeat.procs from /stats (-1 when it is missing).
func statsProcs(t *testing.T, sock string) int {
	t.Helper()
	s, err := beatmon.Stats(sock)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := s["sflowbeat"].(map[string]any)
	return counter(m, "procs")
}

// startMonitoredBeat starts a beat with max_procs and extra settings, its
// monitoring endpoint on a unix socket, and a counting Elasticsearch.
func startMonitoredBeat(t *testing.T, extra string) (*beat, string, *esmock.Server) {
	t.Helper()
	es := esmock.StartCounting()
	t.Cleanup(es.Close)
	sock := filepath.Join(t.TempDir(), "http.sock")
	cfg := beatConfig(es.URL, "127.0.0.1:0") + fmt.Sprintf("http.enabled: true\nhttp.host: unix://%s\nmax_procs: 3\n%s", sock, extra)
	return startBeat(t, cfg), sock, es
}

// TestAdaptiveProcsOff: with adaptive_procs: false, nothing follows the load.
func TestAdaptiveProcsOff(t *testing.T) {
	b, sock, _ := startMonitoredBeat(t, "sflowbeat.adaptive_procs: false\n")
	b.listenAddrs(1)
	if n := statsProcs(t, sock); n != -1 {
		t.Errorf("sflowbeat.procs = %d with adaptive_procs: false, want no gauge", n)
	}
	b.stop(30 * time.Second)
}

// TestAdaptiveProcs runs the beat under a steady, moderate load and checks
// that it starts on max_procs Ps and moves to one once the load has been
// calm for 5 s (the policy itself is unit-tested in beater).
func TestAdaptiveProcs(t *testing.T) {
	fullTier(t, "sends a steady load for about 10 s")
	b, sock, es := startMonitoredBeat(t, "")
	addr := b.listenAddrs(1)[0]
	if n := statsProcs(t, sock); n != 3 {
		t.Fatalf("sflowbeat.procs = %d at start, want max_procs, 3", n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	sent := make(chan error, 1)
	go func() { sent <- sendSteadily(ctx, addr, capture("overflowd-sflow.pcap")) }()
	procs := 3
	for deadline := time.Now().Add(40 * time.Second); procs != 1 && time.Now().Before(deadline); time.Sleep(500 * time.Millisecond) {
		procs = statsProcs(t, sock)
	}
	cancel()
	if err := <-sent; err != nil {
		t.Fatal(err)
	}
	if procs != 1 {
		t.Errorf("sflowbeat.procs = %d after 40 s of a moderate load, want 1", procs)
	}
	if es.Count() == 0 {
		t.Error("no document reached Elasticsearch: the load was no load")
	}
	b.stop(30 * time.Second)
}

// sendSteadily sends the datagrams of a capture, numbered as a live
// exporter's, 10 every 5 ms (about 12,000 samples/s with overflowd's),
// again and again until ctx is done.
func sendSteadily(ctx context.Context, addr, path string) error {
	dgs, err := pcapfile.ReadAll(path, 6343)
	if err != nil {
		return err
	}
	conn, err := net.Dial("udp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for i := 0; ; i++ {
		if i%10 == 0 {
			select {
			case <-ctx.Done():
				return nil
			case <-tick.C:
			}
		}
		if _, err := conn.Write(liveExporters.Next(dgs[i%len(dgs)].Payload)); err != nil {
			return err
		}
	}
}
