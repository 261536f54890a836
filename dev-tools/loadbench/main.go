// Command loadbench measures sflowbeat end to end on one machine: a loopback
// UDP generator replays real sFlow datagrams at a given sample rate to a
// running sflowbeat, which publishes to an Elasticsearch-protocol sink in
// this process; it reports throughput, loss, sflowbeat's CPU time per
// delivered event and its peak resident memory.
//
//	go build -o /tmp/sflowbeat . && go run ./dev-tools/loadbench -binary /tmp/sflowbeat -rate 45000 -duration 60s
//
// All traffic stays on 127.0.0.1.
package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/sflowbeat/sflowbeat/tests/beatmon"
	"github.com/sflowbeat/sflowbeat/tests/esmock"
	"github.com/sflowbeat/sflowbeat/tests/replay"
)

// options are the command-line flags.
type options struct {
	binary   string
	pcap     string
	rate     int
	duration time.Duration
	extra    string
	settle   time.Duration
}

func main() {
	var o options
	flag.StringVar(&o.binary, "binary", "./sflowbeat", "sflowbeat binary to run")
	flag.StringVar(&o.pcap, "pcap", "testdata/pcaps/overflowd-sflow.pcap", "capture whose sFlow datagrams are replayed")
	flag.IntVar(&o.rate, "rate", 45000, "samples (events) per second to send")
	flag.DurationVar(&o.duration, "duration", 60*time.Second, "how long to send")
	flag.StringVar(&o.extra, "config", "", "extra YAML appended to the generated sflowbeat.yml")
	flag.DurationVar(&o.settle, "settle", 20*time.Second, "how long to wait for the last events after sending")
	flag.Parse()
	r, err := run(o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadbench:", err)
		os.Exit(1)
	}
	r.print(o)
}

// result is what one run measured.
type result struct {
	sent, delivered        int64
	elapsed                time.Duration
	cpu                    time.Duration
	maxRSS                 int64 // bytes
	metrics                map[string]any
	datagramsSent, dropped int64
}

// run starts the sink and sflowbeat, sends, and measures.
func run(o options) (*result, error) {
	dgs, err := replay.Load(o.pcap)
	if err != nil {
		return nil, err
	}
	sink := esmock.StartCounting()
	defer sink.Close()
	dir, err := os.MkdirTemp("", "loadbench")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	sock := filepath.Join(dir, "http.sock")
	cmd, addr, err := startBeat(o, dir, sink.URL, sock)
	if err != nil {
		return nil, err
	}
	defer func() { _ = cmd.Process.Signal(syscall.SIGTERM); _ = cmd.Wait() }()

	cpu0 := cpuTime(cmd.Process.Pid)
	start := time.Now()
	sent, nDgs, err := replay.Send(addr, dgs, o.rate, o.duration)
	if err != nil {
		return nil, err
	}
	waitSettled(sink, sent, o.settle)
	r := &result{sent: sent, datagramsSent: nDgs, delivered: sink.Count(), elapsed: time.Since(start),
		cpu: cpuTime(cmd.Process.Pid) - cpu0, maxRSS: peakRSS(cmd.Process.Pid), metrics: inputMetrics(sock)}
	return r, nil
}

// startBeat writes a configuration and starts sflowbeat; it returns the
// UDP address the input listens on.
func startBeat(o options, dir, esURL, sock string) (*exec.Cmd, string, error) {
	port, err := freeUDPPort()
	if err != nil {
		return nil, "", err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	cfg := fmt.Sprintf(`sflowbeat.inputs:
  - type: sflow
    id: load
    host: %q
output.elasticsearch:
  hosts: [%q]
  worker: 2            # as in the shipped sflowbeat.yml
  bulk_max_size: 3200
queue.mem:
  events: 6400
  flush.min_events: 3200
  flush.timeout: 1s
http.enabled: true
http.host: unix://%s
logging.level: warning
%s
`, addr, esURL, sock, o.extra)
	if err := os.WriteFile(filepath.Join(dir, "sflowbeat.yml"), []byte(cfg), 0o600); err != nil {
		return nil, "", err
	}
	cmd := exec.Command(o.binary, "-e", "-c", filepath.Join(dir, "sflowbeat.yml"), "--path.home", dir)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, "", err
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := os.Stat(sock); err == nil && inputMetrics(sock) != nil {
			return cmd, addr, nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	_ = cmd.Process.Kill()
	return nil, "", fmt.Errorf("sflowbeat did not start within 30s")
}

// freeUDPPort asks the kernel for a free UDP port on 127.0.0.1.
func freeUDPPort() (int, error) {
	c, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).Port, nil
}

// waitSettled waits until the sink has every sent event, or its count has
// not moved for 15 s, or max has passed.
func waitSettled(sink *esmock.Server, want int64, max time.Duration) {
	deadline := time.Now().Add(max)
	last, since := sink.Count(), time.Now()
	for time.Now().Before(deadline) && sink.Count() < want {
		time.Sleep(200 * time.Millisecond)
		if c := sink.Count(); c != last {
			last, since = c, time.Now()
		} else if time.Since(since) > 15*time.Second { // longer than the default queue flush timeout (10s)
			return
		}
	}
}

// cpuTime returns the user+system CPU time of a process (/proc/PID/stat).
func cpuTime(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+2:]))
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * time.Second / 100 // USER_HZ
}

// peakRSS returns VmHWM of a process in bytes.
func peakRSS(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			kb, _ := strconv.ParseInt(strings.Fields(l)[1], 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// inputMetrics reads the load input's counters from /inputs/ (nil while
// the endpoint does not answer).
func inputMetrics(sock string) map[string]any {
	m, _ := beatmon.Input(sock, "load")
	return m
}

// print writes the report.
func (r *result) print(o options) {
	loss := 0.0
	if r.sent > 0 {
		loss = 100 * float64(r.sent-r.delivered) / float64(r.sent)
	}
	perEvent := time.Duration(0)
	if r.delivered > 0 {
		perEvent = r.cpu / time.Duration(r.delivered)
	}
	fmt.Printf("rate target:        %d samples/s for %s (%s)\n", o.rate, o.duration, filepath.Base(o.pcap))
	fmt.Printf("sent:               %d samples in %d datagrams\n", r.sent, r.datagramsSent)
	fmt.Printf("delivered:          %d events (%.0f/s over the send time)\n", r.delivered, float64(r.delivered)/o.duration.Seconds())
	fmt.Printf("loss:               %.3f%%\n", loss)
	fmt.Printf("sflowbeat CPU:      %s total, %.1f µs per delivered event\n", r.cpu.Round(time.Millisecond), float64(perEvent.Nanoseconds())/1000)
	fmt.Printf("sflowbeat peak RSS: %.0f MB\n", float64(r.maxRSS)/(1<<20))
	for _, k := range []string{"datagrams_received_total", "datagrams_dropped_total", "datagrams_invalid_total", "system_packet_drops", "events_published_total", "events_acked_total"} {
		fmt.Printf("  %-26s %v\n", k, r.metrics[k])
	}
}
