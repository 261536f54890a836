package tests

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sflowbeat/sflowbeat/beater/pcapfile"
	"github.com/sflowbeat/sflowbeat/tests/replay"
)

// binary is the sflowbeat binary built once by TestMain.
var binary string

// TestMain builds sflowbeat once for every test of the package (or uses
// $SFLOWBEAT_BINARY when set).
func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	if b := os.Getenv("SFLOWBEAT_BINARY"); b != "" {
		binary = b
		return m.Run()
	}
	dir, err := os.MkdirTemp("", "sflowbeat-e2e-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	binary = filepath.Join(dir, "sflowbeat")
	build := exec.Command("go", "build", "-o", binary, "..")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building sflowbeat:", err)
		return 1
	}
	return m.Run()
}

// capture returns the path of a test capture.
func capture(name string) string {
	return filepath.Join("..", "testdata", "pcaps", name)
}

// beat is a running sflowbeat process.
type beat struct {
	t      *testing.T
	cmd    *exec.Cmd
	dir    string
	mu     sync.Mutex
	logs   []map[string]any
	raw    bytes.Buffer
	exited chan error
}

// writeConfig writes cfg as sflowbeat.yml in a new directory, with the
// permissions libbeat insists on.
func writeConfig(t *testing.T, cfg string) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "sflowbeat.yml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

// startBeat runs `sflowbeat -e -c sflowbeat.yml` in a directory holding cfg.
func startBeat(t *testing.T, cfg string, args ...string) *beat {
	t.Helper()
	return startBeatStdin(t, cfg, nil, args...)
}

// startBeatStdin is startBeat with stdin (Elastic Agent's connection
// information for a managed beat).
func startBeatStdin(t *testing.T, cfg string, stdin []byte, args ...string) *beat {
	t.Helper()
	dir := writeConfig(t, cfg)
	all := append([]string{"-e", "-c", filepath.Join(dir, "sflowbeat.yml"),
		"--path.home", dir, "--path.data", filepath.Join(dir, "data"), "--path.logs", filepath.Join(dir, "logs")}, args...)
	cmd := exec.Command(binary, all...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = io.Discard
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	b := &beat{t: t, cmd: cmd, dir: dir, exited: make(chan error, 1)}
	go b.collect(stderr)
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-b.exited
		if t.Failed() {
			t.Logf("sflowbeat output:\n%s", b.output())
		}
	})
	return b
}

// collect reads the beat's JSON log lines until it exits.
func (b *beat) collect(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var m map[string]any
		_ = json.Unmarshal(line, &m)
		b.mu.Lock()
		b.raw.Write(line)
		b.raw.WriteByte('\n')
		if m != nil {
			b.logs = append(b.logs, m)
		}
		b.mu.Unlock()
	}
	b.exited <- b.cmd.Wait()
}

// output returns everything the beat logged so far.
func (b *beat) output() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.raw.String()
}

// waitLog waits until a log line with message msg appears and returns it.
func (b *beat) waitLog(msg string, timeout time.Duration) map[string]any {
	b.t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if l := b.findLogs(msg); len(l) > 0 {
			return l[0]
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.t.Fatalf("no log line %q within %s", msg, timeout)
	return nil
}

// findLogs returns the log lines whose message is msg.
func (b *beat) findLogs(msg string) []map[string]any {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	for _, l := range b.logs {
		if l["message"] == msg {
			out = append(out, l)
		}
	}
	return out
}

// listenAddrs returns the UDP addresses the beat's inputs listen on, from the
// "listening for sFlow" log lines (the tests use port 0).
func (b *beat) listenAddrs(n int) []string {
	b.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-b.exited:
			b.exited <- err
			b.t.Fatalf("sflowbeat exited (%v) before starting its inputs", err)
		default:
		}
		lines := b.findLogs("listening for sFlow")
		if len(lines) >= n {
			var addrs []string
			for _, l := range lines {
				addrs = append(addrs, l["address"].(string))
			}
			return addrs
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.t.Fatalf("the beat did not start %d inputs within 60s", n)
	return nil
}

// waitExit waits for the beat to exit (by itself, or after a signal) and
// fails unless it exited cleanly within timeout.
func (b *beat) waitExit(timeout time.Duration) {
	b.t.Helper()
	select {
	case err := <-b.exited:
		b.exited <- err // for the cleanup
		if err != nil {
			b.t.Fatalf("sflowbeat exited with %v", err)
		}
	case <-time.After(timeout):
		b.t.Fatalf("sflowbeat did not exit within %s", timeout)
	}
}

// waitFailure waits for the beat to exit with an error, as it must
// because of why (the test's reason, for the failure messages).
func (b *beat) waitFailure(why string) {
	b.t.Helper()
	select {
	case err := <-b.exited:
		b.exited <- err // for the cleanup
		if err == nil {
			b.t.Fatalf("sflowbeat exited with status 0 although %s", why)
		}
	case <-time.After(60 * time.Second):
		b.t.Fatalf("sflowbeat kept running although %s", why)
	}
}

// stop sends SIGTERM and waits for a clean exit.
func (b *beat) stop(timeout time.Duration) {
	b.t.Helper()
	if err := b.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		b.t.Fatal(err)
	}
	b.waitExit(timeout)
}

// liveExporters numbers the datagrams sendCaptureLive sends as live
// exporters would: a capture sent twice is not a duplicate.
var liveExporters = replay.NewSequencer()

// sendCapture sends every sFlow datagram of a capture to addr over UDP,
// as captured, and returns how many it sent. It paces itself so that the
// loopback socket buffer does not overflow.
func sendCapture(t *testing.T, addr, path string) int {
	t.Helper()
	return sendDatagrams(t, addr, path, func(p []byte) []byte { return p })
}

// sendCaptureLive is sendCapture with the datagrams numbered as a live
// exporter's (liveExporters): for a test that sends a capture more than
// once to one input, which would drop the copies as duplicates.
func sendCaptureLive(t *testing.T, addr, path string) int {
	t.Helper()
	return sendDatagrams(t, addr, path, liveExporters.Next)
}

// sendDatagrams sends the datagrams of a capture, each through edit.
func sendDatagrams(t *testing.T, addr, path string, edit func([]byte) []byte) int {
	t.Helper()
	dgs, err := pcapfile.ReadAll(path, 6343)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("udp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for i, d := range dgs {
		if _, err := conn.Write(edit(d.Payload)); err != nil {
			t.Fatal(err)
		}
		if i%20 == 19 {
			time.Sleep(2 * time.Millisecond)
		}
	}
	return len(dgs)
}

// runCommand runs sflowbeat with args and returns its stdout, stderr and
// error.
func runCommand(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	return out.String(), errOut.String(), err
}

// runCommandStdin runs sflowbeat with args and stdin.
func runCommandStdin(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	var out, errOut bytes.Buffer
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	return out.String(), errOut.String(), err
}

// decodeEvents runs `sflowbeat decode` on a capture and returns its events.
func decodeEvents(t *testing.T, path string) []map[string]any {
	t.Helper()
	out, errOut, err := runCommand(t, "decode", path)
	if err != nil {
		t.Fatalf("sflowbeat decode %s: %v\n%s", path, err, errOut)
	}
	var evs []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("decode printed a line that is not JSON: %v: %s", err, line)
		}
		evs = append(evs, m)
	}
	return evs
}
