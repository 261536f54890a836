package sflow

import (
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/elastic/elastic-agent-libs/logp"
	"github.com/elastic/elastic-agent-libs/monitoring"

	"github.com/sflowbeat/sflowbeat/config"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoder"
	"github.com/sflowbeat/sflowbeat/input/sflow/worker"
	"github.com/sflowbeat/sflowbeat/processor/ecs"
)

func TestIsAllowed(t *testing.T) {
	nets, err := config.ParsePrefixes([]string{"192.0.2.0/24", "2001:db8::/32"})
	if err != nil {
		t.Fatal(err)
	}
	in := &Input{cfg: config.Input{AllowedExporters: nets}}
	for addr, want := range map[string]bool{
		"192.0.2.77": true, "::ffff:192.0.2.77": true, "2001:db8::5": true,
		"198.51.100.1": false, "2001:db9::1": false,
	} {
		if got := in.isAllowed(netip.MustParseAddr(addr)); got != want {
			t.Errorf("isAllowed(%s) = %v, want %v", addr, got, want)
		}
	}
	if !(&Input{}).isAllowed(netip.MustParseAddr("203.0.113.1")) {
		t.Error("an empty allowed_exporters must allow every exporter")
	}
}

// TestProcess checks the per-datagram path of a decoding goroutine: an oversized datagram, garbage
// and a valid datagram, and what each adds to the counters.
func TestProcess(t *testing.T) {
	reg := monitoring.NewRegistry()
	log := logp.NewNopLogger()
	m := newMetrics(reg, "127.0.0.1:0", 0, log)
	defer m.close()
	in := &Input{cfg: config.DefaultInput(), m: m, warn: newRateLog(log, time.Minute)}
	w := worker.New(ecs.Options{}, nil, m)

	oversized := &datagram{buf: make([]byte, 200), n: 200}
	if evs := in.process(w, oversized); len(evs) != 0 || m.invalidByCause["truncated"].Get() != 1 {
		t.Errorf("a datagram that filled the buffer: %d events, truncated=%d", len(evs), m.invalidByCause["truncated"].Get())
	}
	garbage := &datagram{buf: make([]byte, 300), n: 100}
	garbage.buf[0] = 0xff
	if evs := in.process(w, garbage); len(evs) != 0 || m.invalidByCause["not_sflow"].Get() != 1 {
		t.Errorf("garbage: %d events, not_sflow=%d", len(evs), m.invalidByCause["not_sflow"].Get())
	}
	// A v5 datagram with one counters_sample holding one port_name record.
	valid := []byte{
		0, 0, 0, 5, 0, 0, 0, 1, 192, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 100, 0, 0, 0, 1, // header, 1 sample
		0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 7, 0, 0, 0, 3, 0, 0, 0, 1, // counters_sample, seq 7, ifIndex 3, 1 record
		0, 0, 3, 0xed, 0, 0, 0, 8, 0, 0, 0, 3, 'e', 't', 'h', 0, // port_name "eth"
	}
	d := &datagram{buf: make([]byte, 300), n: len(valid), at: time.Unix(1, 0)}
	copy(d.buf, valid)
	evs := in.process(w, d)
	if len(evs) != 1 || m.samplesCounters.Get() != 1 || m.datagramsInvalid.Get() != 2 {
		t.Fatalf("valid datagram: %d events, samples_counters=%d, invalid=%d", len(evs), m.samplesCounters.Get(), m.datagramsInvalid.Get())
	}
	if name, _ := evs[0].Map().GetValue("observer.ingress.interface.name"); name != "eth" || !evs[0].Timestamp.Equal(time.Unix(1, 0)) {
		t.Errorf("event %v at %v", evs[0].Map(), evs[0].Timestamp)
	}
}

// TestREADMECauses: the README's monitoring table lists exactly the causes
// of datagrams_invalid_by_cause (decoder.DatagramCauses).
func TestREADMECauses(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var row string
	for _, l := range strings.Split(string(readme), "\n") {
		if strings.Contains(l, "`datagrams_invalid_by_cause.*`") {
			row = l
		}
	}
	var listed []string
	for _, m := range regexp.MustCompile("`([a-z_]+)`").FindAllStringSubmatch(row, -1) {
		if !strings.HasPrefix(m[1], "datagrams_") {
			listed = append(listed, m[1])
		}
	}
	want := decoder.DatagramCauses()
	sort.Strings(want)
	sort.Strings(listed)
	if !slices.Equal(want, listed) {
		t.Errorf("README lists causes %v, the decoder has %v", listed, want)
	}
}
