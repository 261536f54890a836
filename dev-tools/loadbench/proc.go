package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// proc is a process loadbench started and measures.
type proc struct {
	name string
	cmd  *exec.Cmd
	log  string        // file that holds its stdout and stderr
	done chan struct{} // closed when it has exited
	err  error         // its exit status, once done
}

// startProc starts bin with args; its output goes to dir/name.log.
func startProc(name, dir, bin string, args ...string) (*proc, error) {
	p := &proc{name: name, log: filepath.Join(dir, name+".log"), done: make(chan struct{})}
	f, err := os.Create(p.log)
	if err != nil {
		return nil, err
	}
	p.cmd = exec.Command(bin, args...)
	p.cmd.Stdout, p.cmd.Stderr = f, f
	if err := p.cmd.Start(); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	go func() {
		p.err = p.cmd.Wait()
		f.Close()
		close(p.done)
	}()
	return p, nil
}

// stop asks the process to exit (SIGTERM) and kills it after 30 s.
func (p *proc) stop() {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// exited returns an error with the end of the log once the process has
// exited, nil while it runs.
func (p *proc) exited() error {
	select {
	case <-p.done:
		b, _ := os.ReadFile(p.log)
		return fmt.Errorf("%s exited (%v); its log ends with:\n%s", p.name, p.err, b[max(0, len(b)-3000):])
	default:
		return nil
	}
}

// cpu returns the process's user+system CPU time (/proc/PID/stat).
func (p *proc) cpu() time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+2:]))
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * time.Second / 100 // USER_HZ
}

// peakRSS returns the process's peak resident memory (VmHWM) in bytes.
func (p *proc) peakRSS() int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for l := range strings.SplitSeq(string(b), "\n") {
		if rest, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.Fields(rest)[0], 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// waitReady waits until ready returns true, failing early when one of
// procs exits and after timeout.
func waitReady(what string, timeout time.Duration, ready func() bool, procs ...*proc) error {
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		for _, p := range procs {
			if err := p.exited(); err != nil {
				return err
			}
		}
		if ready() {
			return nil
		}
	}
	return fmt.Errorf("%s not ready within %s", what, timeout)
}

// unixClient returns an HTTP client that reaches a Beat's monitoring
// endpoint on a unix socket, whatever the URL's host.
func unixClient(sock string) *http.Client {
	return &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "unix", sock)
		}}}
}

// answers tells whether GET url returns 200 OK.
func answers(c *http.Client, url string) bool {
	resp, err := c.Get(url)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// freePort asks the kernel for a free port on 127.0.0.1 ("udp" or "tcp").
func freePort(network string) (int, error) {
	if network == "udp" {
		c, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			return 0, err
		}
		defer c.Close()
		return c.LocalAddr().(*net.UDPAddr).Port, nil
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// udpDrops returns the datagrams the kernel dropped at the IPv4 UDP
// sockets bound to port, because their receive buffer was full (the drops
// column of /proc/net/udp).
func udpDrops(port int) (int64, error) {
	b, err := os.ReadFile("/proc/net/udp")
	if err != nil {
		return 0, err
	}
	return parseUDPDrops(string(b), port)
}

// parseUDPDrops sums the drops of the sockets of a /proc/net/udp table
// whose local port is port.
func parseUDPDrops(table string, port int) (int64, error) {
	var drops int64
	lines := strings.Split(strings.TrimSpace(table), "\n")
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		if len(f) < 13 || !strings.Contains(f[1], ":") {
			return 0, errors.New("/proc/net/udp: unexpected line " + l)
		}
		_, p, _ := strings.Cut(f[1], ":")
		if n, _ := strconv.ParseInt(p, 16, 32); int(n) != port {
			continue
		}
		d, err := strconv.ParseInt(f[len(f)-1], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc/net/udp: %w", err)
		}
		drops += d
	}
	return drops, nil
}
