package tests

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sflowbeat/sflowbeat/tests/esmock"
)

// beatConfig returns a configuration with one input per host, publishing to
// the mock Elasticsearch at esURL with a short flush interval. The periodic
// sflow.exporters and sflow.reconcile events are off, so that the documents
// are the samples' (TestTotals turns them on).
func beatConfig(esURL string, hosts ...string) string {
	var b strings.Builder
	b.WriteString("sflowbeat.inputs:\n")
	for i, h := range hosts {
		fmt.Fprintf(&b, "  - type: sflow\n    id: sflow-%d\n    host: %q\n    exporter_stats_period: 0s\n    reconcile_period: 0s\n", i, h)
	}
	fmt.Fprintf(&b, `output.elasticsearch:
  hosts: [%q]
  backoff.init: 100ms
  backoff.max: 1s
queue.mem:
  flush.timeout: 50ms
logging.level: info
`, esURL)
	return b.String()
}

// waitDocs waits until the mock has at least n documents.
func waitDocs(t *testing.T, es *esmock.Server, n int, timeout time.Duration) []esmock.Doc {
	t.Helper()
	deadline := time.After(timeout)
	for {
		docs := es.Docs()
		if len(docs) >= n {
			return docs
		}
		select {
		case <-es.Notify():
		case <-time.After(200 * time.Millisecond):
		case <-deadline:
			t.Fatalf("%d documents reached Elasticsearch within %s, want %d", len(docs), timeout, n)
		}
	}
}

// comparable strips what differs between a published document and the
// output of `sflowbeat decode` (libbeat's agent/host metadata, and the
// receive time) and returns the rest as canonical JSON.
func comparable(t *testing.T, doc map[string]any) string {
	t.Helper()
	c := make(map[string]any, len(doc))
	for k, v := range doc {
		switch k {
		case "@timestamp", "agent", "host":
			continue
		}
		c[k] = v
	}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// sortedComparable returns the comparable form of every document, sorted.
func sortedComparable(t *testing.T, docs []map[string]any) []string {
	out := make([]string, 0, len(docs))
	for _, d := range docs {
		out = append(out, comparable(t, d))
	}
	sort.Strings(out)
	return out
}

// TestEndToEnd sends real captures to the running binary over UDP and checks
// that every sample arrives in Elasticsearch as the event `sflowbeat decode`
// prints for it, plus libbeat's metadata and the receive time.
func TestEndToEnd(t *testing.T) {
	es := esmock.Start()
	defer es.Close()
	b := startBeat(t, beatConfig(es.URL, "127.0.0.1:0"))
	addr := b.listenAddrs(1)[0]

	captures := []string{
		"akvorado-data-1140.pcap",          // flow samples, gateway with AS path
		"akvorado-data-qinq.pcap",          // QinQ
		"akvorado-data-encap-vxlan.pcap",   // VXLAN
		"cistern-sflow-dumps.pcap",         // counters, host counters, drop event
		"tcpdump-sflow-print-v6.pcap",      // IPv6 agent
		"logstash-codec-sflow-spec.pcap",   // expanded samples, LAG, HTTP counters
		"pmacct-sfprobe-rate4-gw-tag.pcap", // unknown enterprise records
		"tcpdump-sflow_print-segv.pcap",    // malformed
	}
	var want []map[string]any
	start := time.Now()
	for _, c := range captures {
		want = append(want, decodeEvents(t, capture(c))...)
		sendCapture(t, addr, capture(c))
	}
	if len(want) < 100 {
		t.Fatalf("the captures decode to only %d events: the decoder is broken", len(want))
	}
	docs := waitDocs(t, es, len(want), 60*time.Second)
	time.Sleep(300 * time.Millisecond) // anything extra would show up now
	docs = es.Docs()

	var got []map[string]any
	for _, d := range docs {
		got = append(got, d.Source)
		checkPublished(t, d, start)
	}
	if diff := cmp.Diff(sortedComparable(t, want), sortedComparable(t, got)); diff != "" {
		t.Errorf("published documents differ from `sflowbeat decode` (-decode +published):\n%s", diff)
	}
	b.stop(30 * time.Second)
}

// checkPublished checks what the beat adds to an event: the receive time,
// libbeat's metadata, and the data stream it writes to.
func checkPublished(t *testing.T, d esmock.Doc, start time.Time) {
	t.Helper()
	ts, err := time.Parse(time.RFC3339Nano, d.Source["@timestamp"].(string))
	if err != nil || ts.Before(start.Add(-time.Second)) || ts.After(time.Now().Add(time.Second)) {
		t.Errorf("@timestamp %v is not the receive time (test started %v)", d.Source["@timestamp"], start)
	}
	agent, _ := d.Source["agent"].(map[string]any)
	if agent["type"] != "sflowbeat" {
		t.Errorf("agent.type = %v, want sflowbeat", agent["type"])
	}
	if !strings.HasPrefix(d.Index, "sflowbeat-") || d.Action != "create" {
		t.Errorf("document sent with %s to %q, want create to the sflowbeat data stream", d.Action, d.Index)
	}
}

// TestPreserveOriginalEvent checks preserve_original_event and
// internal_networks end to end: the published events equal `sflowbeat
// decode` with the same options, and carry event.original and
// network.direction.
func TestPreserveOriginalEvent(t *testing.T) {
	es := esmock.Start()
	defer es.Close()
	b := startBeat(t, beatConfig(es.URL, "127.0.0.1:0")+"sflowbeat.inputs.0.preserve_original_event: true\n"+
		"sflowbeat.inputs.0.internal_networks: [private, 49.49.49.0/28]\nsflowbeat.inputs.0.pipeline: sflowbeat-enrich\n")
	addr := b.listenAddrs(1)[0]
	out, errOut, err := runCommand(t, "decode", "--preserve-original-event", "--internal-networks", "private,49.49.49.0/28",
		capture("akvorado-data-qinq.pcap"))
	if err != nil {
		t.Fatalf("decode: %v\n%s", err, errOut)
	}
	var want map[string]any
	if err := json.Unmarshal([]byte(strings.TrimSpace(out)), &want); err != nil {
		t.Fatal(err)
	}
	sendCapture(t, addr, capture("akvorado-data-qinq.pcap"))
	doc := waitDocs(t, es, 1, 30*time.Second)[0]
	if doc.Meta["pipeline"] != "sflowbeat-enrich" {
		t.Errorf("document sent with pipeline %v, want sflowbeat-enrich (the input's pipeline option)", doc.Meta["pipeline"])
	}
	got := doc.Source
	if ev, _ := got["event"].(map[string]any); ev["original"] == nil || ev["original"] == "" {
		t.Errorf("no event.original in %v", got)
	}
	// 49.49.49.2 (internal) to 49.49.49.109 (external).
	if nw, _ := got["network"].(map[string]any); nw["direction"] != "outbound" {
		t.Errorf("network.direction = %v, want outbound", nw["direction"])
	}
	if diff := cmp.Diff(comparable(t, want), comparable(t, got)); diff != "" {
		t.Errorf("published event differs from decode --preserve-original-event (-decode +published):\n%s", diff)
	}
	b.stop(30 * time.Second)
}
