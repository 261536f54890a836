package decoder

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sflowbeat/sflowbeat/beater/pcapfile"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
)

const capturesDir = "../../../testdata/pcaps"

// readCapture returns the sFlow payloads of a capture in testdata/pcaps.
func readCapture(t testing.TB, name string) [][]byte {
	t.Helper()
	p, err := pcapfile.Payloads(filepath.Join(capturesDir, name), 6343)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// typeCounts counts samples ("0:1") and records ("flow 0:1001",
// "counter 0:2") by enterprise:format, as the summaries do.
type typeCounts map[string]int

// add counts the samples and records of a decoded datagram.
func (c typeCounts) add(dg *decoded.Datagram) {
	for i := range dg.FlowSamples {
		s := &dg.FlowSamples[i]
		c[map[bool]string{false: "0:1", true: "0:3"}[s.Expanded]]++
		c.addFlowRecords(&s.Records)
	}
	for i := range dg.DropSamples {
		c["0:5"]++
		c.addFlowRecords(&dg.DropSamples[i].Records)
	}
	for i := range dg.CounterSamples {
		s := &dg.CounterSamples[i]
		c[map[bool]string{false: "0:2", true: "0:4"}[s.Expanded]]++
		for _, f := range allCounterFormats {
			if bit, _ := counterRecordDecoder(f); s.Records.Has&bit != 0 {
				c[fmt.Sprintf("counter 0:%d", f)]++
			}
		}
	}
	if n := dg.Stats.RecordsUnknown; n > 0 {
		c["unknown records"] += int(n)
	}
}

func (c typeCounts) addFlowRecords(r *decoded.FlowRecords) {
	for _, f := range allFlowFormats {
		if bit, _ := flowRecordDecoder(f); r.Has&bit != 0 {
			c[fmt.Sprintf("flow 0:%d", f)]++
		}
	}
}

// summaryCounts reads the sample_types and record_types of a capture's
// summary.json into typeCounts keys; records of a non-zero enterprise are
// counted as "unknown records".
func summaryCounts(t *testing.T, name string) (typeCounts, int) {
	raw, err := os.ReadFile(filepath.Join(capturesDir, "summaries", name+".summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var sum struct {
		Datagrams   int
		SampleTypes map[string]int `json:"sample_types"`
		RecordTypes map[string]int `json:"record_types"`
	}
	if err := json.Unmarshal(raw, &sum); err != nil {
		t.Fatal(err)
	}
	c := typeCounts{}
	for k, n := range sum.SampleTypes { // "0:1 flow sample"
		c[strings.Fields(k)[0]] += n
	}
	for k, n := range sum.RecordTypes { // "flow 0:1001 ext switch"
		f := strings.Fields(k)
		if !strings.HasPrefix(f[1], "0:") {
			c["unknown records"] += n
			continue
		}
		c[f[0]+" "+f[1]] += n
	}
	return c, sum.Datagrams
}

// summaryCorrections are the differences between the summaries (tshark +
// the structural walker) and what is right, per capture. Each is explained.
var summaryCorrections = map[string]typeCounts{
	// Frames 5 and 8: the flow sample's length (52) is shorter than its
	// content (56 and 68 bytes: the ext router record ends 4 / 16 bytes
	// after the sample). The sample length is authoritative: the sample is
	// malformed and dropped (the walker counted the sample, then stopped).
	// Frame 11: the counters sample claims 116 bytes, 76 are left (the
	// datagram is truncated): dropped. The walker did not count it either.
	"gopacket-sflow_test.pcap": {"0:1": -2},
	// The CVE-2018-10105 reproducer: the only "flow sample" the walker saw
	// declares 768 records in 156 bytes (ErrTooMany): dropped; the other 4
	// declared samples are garbage (a length of 229633 in 676 bytes).
	"tcpdump-sflow_print-segv.pcap": {"0:1": -1},
	// Agent address type 2 (IPv6) followed by only 4 address bytes
	// (pmacct bug): every field after it is 12 bytes off, so no sample can
	// be framed; all are counted malformed (see TestMalformedPmacctAgent6).
	"pmacct-sfprobe-agent6-MALFORMED.pcap": {"0:1": -55},
}

// TestCapturesMatchSummaries decodes every capture and compares the
// per-type sample and record counts with its summary.json.
func TestCapturesMatchSummaries(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(capturesDir, "*.pcap"))
	if len(files) < 20 {
		t.Fatalf("only %d captures found", len(files))
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			want, datagrams := summaryCounts(t, name)
			for k, n := range summaryCorrections[name] {
				want[k] += n
				if want[k] == 0 {
					delete(want, k)
				}
			}
			payloads := readCapture(t, name)
			if len(payloads) != datagrams {
				t.Errorf("datagrams: got %d, summary %d", len(payloads), datagrams)
			}
			got := typeCounts{}
			d := NewDecoder()
			var dg decoded.Datagram
			for _, p := range payloads {
				if d.Decode(p, &dg) == nil {
					got.add(&dg)
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("sample/record counts (-summary +decoded):\n%s", diff)
			}
		})
	}
}
