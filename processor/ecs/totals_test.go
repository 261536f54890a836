package ecs

import (
	"bytes"
	"encoding/json"
	"net/netip"
	"testing"
	"time"

	"github.com/sflowbeat/sflowbeat/input/sflow/accounting"
)

// TestExporterEvent maps an exporter's period: counts, the share of
// missing datagrams and samples, the rates seen and the agent's own loss.
func TestExporterEvent(t *testing.T) {
	end := time.Date(2026, 12, 2, 10, 1, 0, 0, time.UTC)
	h := accounting.ExporterHealth{
		Exporter: accounting.Exporter{Agent: netip.MustParseAddr("192.0.2.1"), SubAgentID: 3},
		Received: accounting.Received{Datagrams: 90, FlowSamples: 700, CounterSamples: 20, DropSamples: 0},
		Counts: accounting.Counts{Datagrams: accounting.Sequence{Missing: 10, Reordered: 2},
			Samples: accounting.Sequence{Missing: 80, Duplicate: 1}, SequenceResets: 1},
		Rates: []uint32{512, 1024}, SamplePool: 1 << 20, AgentDrops: 7,
	}
	e := ExporterEvent(&h, time.Minute, end)
	if e.Dataset != "sflow.exporters" || !e.Timestamp.Equal(end) {
		t.Fatalf("dataset %s at %v", e.Dataset, e.Timestamp)
	}
	checkFields(t, flatJSON(t, e), map[string]string{
		"event.kind": "metric", "event.dataset": "sflow.exporters", "event.start": "2026-12-02T10:00:00Z",
		"event.end": "2026-12-02T10:01:00Z", "observer.ip": "192.0.2.1", "sflow.sub_agent_id": "3",
		"sflow.exporter.datagrams": "90", "sflow.exporter.datagrams_missing": "10", "sflow.exporter.datagrams_missing_pct": "10",
		"sflow.exporter.datagrams_reordered": "2", "sflow.exporter.samples_missing": "80",
		"sflow.exporter.samples_missing_pct": "10", "sflow.exporter.samples_duplicate": "1",
		"sflow.exporter.sequence_resets": "1", "sflow.exporter.sample_rates": "[512 1024]",
		"sflow.exporter.sample_pool": "1048576", "sflow.exporter.agent_drops": "7", "sflow.exporter.samples_no_rate": absent,
	})
}

// TestReconcileEvent maps an interface's reconciliation.
func TestReconcileEvent(t *testing.T) {
	r := accounting.Reconciliation{Exporter: accounting.Exporter{Agent: netip.MustParseAddr("2001:db8::1")}, IfIndex: 7,
		Direction: accounting.Egress, FlowBytes: 1.2e9, CounterOctets: 1e9, Ratio: 1.2, FlowSamples: 900, CounterSamples: 10}
	e := ReconcileEvent(&r, 5*time.Minute, time.Unix(0, 0))
	checkFields(t, flatJSON(t, e), map[string]string{
		"event.dataset": "sflow.reconcile", "observer.ip": "2001:db8::1", "sflow.reconcile.if_index": "7",
		"sflow.reconcile.direction": "egress", "sflow.reconcile.flow_bytes": "1200000000",
		"sflow.reconcile.counter_octets": "1000000000", "sflow.reconcile.ratio": "1.2", "sflow.reconcile.flow_samples": "900",
	})
	r.CounterOctets = 0
	e = ReconcileEvent(&r, 5*time.Minute, time.Unix(0, 0))
	if e.Doc.Has("sflow.reconcile.ratio") {
		t.Error("a ratio without counter octets")
	}
}

// flatJSON returns the fields of an event as the decode command prints
// them, by dotted path.
func flatJSON(t *testing.T, e Event) map[string]string {
	t.Helper()
	var buf bytes.Buffer
	if err := EncodeJSON(&buf, e); err != nil {
		t.Fatal(err)
	}
	d := json.NewDecoder(&buf)
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		t.Fatal(err)
	}
	flat := map[string]string{}
	flatten("", m, flat)
	return flat
}
