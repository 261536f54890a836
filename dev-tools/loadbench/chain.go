package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// chainSide runs the chain sflowbeat replaces: GoFlow2 receives sFlow and
// writes one JSON line per flow sample to a file (counter samples are
// dropped), and Filebeat tails that file with a filestream input (ndjson
// parser) and publishes with libbeat's default output settings.
type chainSide struct {
	bins              chainBinaries
	goflow2, filebeat *proc
	port, httpPort    int    // GoFlow2's UDP port and HTTP (metrics) port
	file              string // GoFlow2's output
}

// info names the chain and its programs.
func (c *chainSide) info() sideInfo {
	return sideInfo{name: sideChain, config: c.bins.label, counts: "flows"}
}

// start starts GoFlow2, then Filebeat on GoFlow2's file.
func (c *chainSide) start(dir, esURL string) (string, error) {
	if err := c.startGoFlow2(dir); err != nil {
		return "", err
	}
	sock := filepath.Join(dir, "filebeat.sock")
	cfg, err := filebeatConfig(c.file, esURL, sock)
	if err != nil {
		return "", err
	}
	client := unixClient(sock)
	c.filebeat, err = startBeat("filebeat", c.bins.filebeat, dir, cfg, func() bool { return answers(client, "http://unix/") })
	return "127.0.0.1:" + strconv.Itoa(c.port), err
}

// startGoFlow2 starts GoFlow2 with sFlow on a loopback port, JSON lines to
// dir/goflow2.json, and its metrics on a loopback HTTP port.
func (c *chainSide) startGoFlow2(dir string) error {
	var err error
	if c.port, err = freePort("udp"); err != nil {
		return err
	}
	if c.httpPort, err = freePort("tcp"); err != nil {
		return err
	}
	c.file = filepath.Join(dir, "goflow2.json")
	c.goflow2, err = startProc("goflow2", dir, c.bins.goflow2,
		"-listen", fmt.Sprintf("sflow://127.0.0.1:%d", c.port),
		"-transport", "file", "-transport.file", c.file, "-format", "json",
		"-addr", fmt.Sprintf("127.0.0.1:%d", c.httpPort), "-loglevel", "warn")
	if err != nil {
		return err
	}
	return waitReady("goflow2", 30*time.Second, func() bool { return answers(http.DefaultClient, c.url("/__health")) }, c.goflow2)
}

// url returns the address of a path of GoFlow2's HTTP server.
func (c *chainSide) url(path string) string {
	return fmt.Sprintf("http://127.0.0.1:%d%s", c.httpPort, path)
}

// procs are GoFlow2 and Filebeat.
func (c *chainSide) procs() []*proc { return []*proc{c.goflow2, c.filebeat} }

// expected is one document per flow sample.
func (c *chainSide) expected(_, flows int64) int64 { return flows }

// The GoFlow2 metrics reported (Prometheus names, summed over labels):
// datagrams dropped at its full internal queue, and decoding errors.
var goflow2Counters = []string{"goflow2_flow_dropped_packets_total", "goflow2_flow_decoder_error_total"}

// counters returns the UDP socket's kernel drops, GoFlow2's drop and error
// counters, and the lines GoFlow2 has written.
func (c *chainSide) counters() map[string]int64 {
	out := map[string]int64{}
	out["udp_receive_buffer_drops"], _ = udpDrops(c.port)
	out["goflow2_lines_written"], _ = countLines(c.file)
	if resp, err := http.Get(c.url("/metrics")); err == nil {
		defer resp.Body.Close()
		sums := promSums(resp.Body, goflow2Counters)
		for _, k := range goflow2Counters {
			out[k] = sums[k]
		}
	}
	return out
}

// stop stops Filebeat, then GoFlow2.
func (c *chainSide) stop() {
	for _, p := range []**proc{&c.filebeat, &c.goflow2} {
		if *p != nil {
			(*p).stop()
			*p = nil
		}
	}
}

// countLines returns the number of newline characters in a file.
func countLines(path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var n int64
	buf := make([]byte, 1<<20)
	for {
		k, err := f.Read(buf)
		n += int64(bytes.Count(buf[:k], []byte{'\n'}))
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}

// promSums sums, for each of names, the samples of a Prometheus text
// exposition with that metric name, whatever their labels.
func promSums(r io.Reader, names []string) map[string]int64 {
	out := map[string]int64{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		l := sc.Text()
		name, _, _ := strings.Cut(l, " ")
		name, _, _ = strings.Cut(name, "{")
		f := strings.Fields(l)
		if len(f) < 2 || !slices.Contains(names, name) {
			continue
		}
		v, _ := strconv.ParseFloat(f[len(f)-1], 64)
		out[name] += int64(v)
	}
	return out
}
