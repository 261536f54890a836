package sflow

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/elastic/beats/v7/libbeat/common/cfgtype"
	"github.com/elastic/elastic-agent-libs/logp/logptest"

	"github.com/sflowbeat/sflowbeat/config"
)

// TestReadBufferPastRmemMax: a read_buffer larger than net.core.rmem_max
// is granted whole to a process with CAP_NET_ADMIN (root: CI, Elastic
// Agent's components), with no warning; without it the kernel's cap stands
// and a warning says what to raise.
func TestReadBufferPastRmemMax(t *testing.T) {
	want := 2 * procInt(t, "/proc/sys/net/core/rmem_max")
	c := config.DefaultInput()
	c.ReadBuffer = cfgtype.ByteSize(want)
	log, logs := logptest.NewTestingLoggerWithObserver(t, "")
	conn, err := listen(c, "127.0.0.1:0", log)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	got := readBufferSize(conn)
	warned := logs.FilterMessageSnippet("capped the socket receive buffer").Len() == 1
	if netAdmin(t) {
		if got != want || warned {
			t.Errorf("with CAP_NET_ADMIN: granted %d bytes, want %d; warned: %v", got, want, warned)
		}
		return
	}
	if got >= want || !warned {
		t.Errorf("without CAP_NET_ADMIN: granted %d bytes (asked %d, past rmem_max); warned: %v, want a warning", got, want, warned)
	}
}

// procInt reads a number from a /proc file.
func procInt(t *testing.T, path string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// netAdmin reports whether the test process has CAP_NET_ADMIN (bit 12 of
// CapEff in /proc/self/status).
func netAdmin(t *testing.T) bool {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "CapEff:"); ok {
			caps, err := strconv.ParseUint(strings.TrimSpace(v), 16, 64)
			if err != nil {
				t.Fatal(err)
			}
			return caps&(1<<12) != 0
		}
	}
	t.Fatal("no CapEff in /proc/self/status")
	return false
}
