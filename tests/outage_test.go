package tests

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sflowbeat/sflowbeat/tests/esmock"
	"github.com/sflowbeat/sflowbeat/tests/replay"
)

// replayCapture sends the sFlow datagrams of a capture to addr at about rate
// samples per second for d and returns the samples sent.
func replayCapture(t *testing.T, addr, path string, rate int, d time.Duration) int {
	t.Helper()
	dgs, err := replay.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	sent, _, err := replay.Send(addr, dgs, rate, d)
	if err != nil {
		t.Fatal(err)
	}
	return int(sent)
}

// waitMetric waits until a counter of the input sflow-0 is not 0, and
// returns its metrics.
func waitMetric(t *testing.T, sock, name string, timeout time.Duration) map[string]any {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		m := inputMetrics(t, sock, "sflow-0")
		if counter(m, name) != 0 || time.Now().After(deadline) {
			return m
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// waitCount waits until the counting sink has n documents.
func waitCount(t *testing.T, es *esmock.Server, n int, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for es.Count() < int64(n) {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d events delivered within %s", es.Count(), n, timeout)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestOutageMemoryQueue takes Elasticsearch away under load with the default
// memory queue: the pipeline fills, the readers wait, the socket's receive
// buffer (small here) fills and the kernel drops what does not fit, which
// the input reports (system_packet_drops). sflowbeat must neither crash nor
// wedge, and must deliver again when Elasticsearch is back.
func TestOutageMemoryQueue(t *testing.T) {
	es := esmock.StartCounting()
	defer es.Close()
	es.SetReject(true)
	sock := filepath.Join(t.TempDir(), "http.sock")
	b := startBeat(t, beatConfig(es.URL, "127.0.0.1:0")+fmt.Sprintf("http.enabled: true\nhttp.host: unix://%s\n", sock)+
		"sflowbeat.inputs.0.queue_size: 256\nsflowbeat.inputs.0.read_buffer: 256KiB\n")
	addr := b.listenAddrs(1)[0]
	sent := replayCapture(t, addr, capture("overflowd-sflow.pcap"), 5000, 5*time.Second)
	m := waitMetric(t, sock, "system_packet_drops", 15*time.Second) // the kernel's count is read every 2 s
	if counter(m, "system_packet_drops") == 0 {
		t.Errorf("%d samples sent into a full pipeline and a 256 KiB socket buffer, and no drop reported: %v", sent, m)
	}
	es.SetReject(false)
	// Whatever was queued drains; then new traffic must flow completely.
	time.Sleep(3 * time.Second)
	before := es.Count()
	n := sendCapture(t, addr, capture("akvorado-data-1140.pcap"))
	if n != 1 {
		t.Fatalf("sent %d datagrams, want 1", n)
	}
	waitCount(t, es, int(before)+5, 30*time.Second)
	m = inputMetrics(t, sock, "sflow-0")
	if pub, acked := counter(m, "events_published_total"), counter(m, "events_acked_total"); pub != acked {
		t.Errorf("events_published_total %d != events_acked_total %d after the outage", pub, acked)
	}
	b.stop(30 * time.Second)
}

// TestOutageDiskQueue takes Elasticsearch away for a minute while flows
// arrive, with the disk queue: nothing that was received may be lost.
// Full tier: it takes more than a minute.
func TestOutageDiskQueue(t *testing.T) {
	fullTier(t, "a one-minute outage")
	es := esmock.StartCounting()
	defer es.Close()
	es.SetReject(true)
	sock := filepath.Join(t.TempDir(), "http.sock")
	cfg := strings.Replace(beatConfig(es.URL, "127.0.0.1:0"), "queue.mem:\n  flush.timeout: 50ms\n", "queue.disk:\n  max_size: 1GB\n", 1)
	if !strings.Contains(cfg, "queue.disk") {
		t.Fatal("could not switch the configuration to the disk queue")
	}
	b := startBeat(t, cfg+fmt.Sprintf("http.enabled: true\nhttp.host: unix://%s\n", sock))
	addr := b.listenAddrs(1)[0]
	sent := replayCapture(t, addr, capture("overflowd-sflow.pcap"), 2000, 60*time.Second)
	if es.Count() != 0 {
		t.Fatalf("%d documents accepted during the outage", es.Count())
	}
	m := inputMetrics(t, sock, "sflow-0")
	t.Logf("after the outage: %d samples sent; input metrics %v", sent, m)
	es.SetReject(false)
	waitCount(t, es, sent, 90*time.Second)
	m = inputMetrics(t, sock, "sflow-0")
	if d := counter(m, "datagrams_dropped_total"); d != 0 {
		t.Errorf("datagrams_dropped_total = %d with the disk queue", d)
	}
	if got := es.Count(); got != int64(sent) {
		t.Errorf("%d events delivered after the outage, want %d", got, sent)
	}
	b.stop(30 * time.Second)
}

// TestShutdownDuringOutage stops the beat while Elasticsearch rejects
// everything and the pipeline is full: it must exit within its shutdown
// timeout instead of waiting for an output that does not come back.
func TestShutdownDuringOutage(t *testing.T) {
	es := esmock.StartCounting()
	defer es.Close()
	es.SetReject(true)
	b := startBeat(t, beatConfig(es.URL, "127.0.0.1:0")+"sflowbeat.shutdown_timeout: 2s\n")
	addr := b.listenAddrs(1)[0]
	replayCapture(t, addr, capture("overflowd-sflow.pcap"), 20000, 2*time.Second) // far more than the queues hold
	start := time.Now()
	b.stop(30 * time.Second)
	if d := time.Since(start); d > 15*time.Second {
		t.Errorf("sflowbeat took %s to exit with shutdown_timeout 2s", d)
	}
	if len(b.findLogs("shutdown timeout reached with datagrams still queued: the rest is dropped")) == 0 &&
		len(b.findLogs("stopped")) == 0 {
		t.Errorf("no shutdown log lines")
	}
}
