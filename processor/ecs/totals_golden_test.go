package ecs

import (
	"bytes"
	"net/netip"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/sflowbeat/sflowbeat/input/sflow/accounting"
)

// accountingGolden holds the accounting stage's events, for the reviewers
// and for the Fleet package's generator, which takes the fields of each
// dataset from the golden files. Its name starts with _ because no capture
// makes it.
var accountingGolden = filepath.Join("testdata", "golden", "_accounting.ndjson")

// accountingEvents returns the events of accountingGolden: an exporter with
// every field set, an IPv6 exporter that lost nothing, and a reconciliation
// of each direction.
func accountingEvents() []Event {
	end := time.Date(2026, 12, 2, 10, 1, 0, 0, time.UTC)
	lossy := accounting.ExporterHealth{
		Exporter: accounting.Exporter{Agent: netip.MustParseAddr("192.0.2.1"), SubAgentID: 3},
		Received: accounting.Received{Datagrams: 90, FlowSamples: 700, CounterSamples: 20, DropSamples: 5},
		Counts: accounting.Counts{
			Datagrams:      accounting.Sequence{Missing: 10, Reordered: 2, Duplicate: 1, Late: 1},
			Samples:        accounting.Sequence{Missing: 80, Reordered: 4, Duplicate: 1, Late: 2},
			SequenceResets: 1, SamplesNoRate: 6, FactorsCapped: 2,
		},
		Rates: []uint32{512, 1024}, RatesOther: 3, SamplePool: 1 << 20, AgentDrops: 7,
	}
	clean := accounting.ExporterHealth{
		Exporter:   accounting.Exporter{Agent: netip.MustParseAddr("2001:db8::1")},
		Received:   accounting.Received{Datagrams: 60, FlowSamples: 300, CounterSamples: 12},
		Rates:      []uint32{4096},
		SamplePool: 1228800,
	}
	in := accounting.Reconciliation{Exporter: lossy.Exporter, IfIndex: 7, Direction: accounting.Ingress,
		FlowBytes: 9.5e8, CounterOctets: 1e9, Ratio: 0.95, FlowSamples: 600, CounterSamples: 2}
	out := accounting.Reconciliation{Exporter: lossy.Exporter, IfIndex: 7, Direction: accounting.Egress,
		FlowBytes: 1.2e8, CounterOctets: 1e8, Ratio: 1.2, FlowSamples: 100, CounterSamples: 2}
	return []Event{
		ExporterEvent(&lossy, time.Minute, end),
		ExporterEvent(&clean, time.Minute, end),
		ReconcileEvent(&in, 5*time.Minute, end),
		ReconcileEvent(&out, 5*time.Minute, end),
	}
}

// TestGoldenAccounting compares the accounting events with
// accountingGolden (-update rewrites it) and checks that they have every
// field FieldDocs lists for them, so that the golden file shows them all.
func TestGoldenAccounting(t *testing.T) {
	var buf bytes.Buffer
	seen := map[string]bool{}
	for _, e := range accountingEvents() {
		if err := EncodeJSON(&buf, e); err != nil {
			t.Fatal(err)
		}
		for path := range flatJSON(t, e) {
			seen[path] = true
		}
	}
	compareGolden(t, accountingGolden, buf.Bytes())
	var missing []string
	for _, d := range FieldDocs {
		if d.Type != "group" && accountingField(d.Name) && !seen[d.Name] {
			missing = append(missing, d.Name)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("accounting fields of FieldDocs that no event of %s has: %s", accountingGolden, strings.Join(missing, ", "))
	}
}

// accountingField reports whether only the accounting events have the
// field name.
func accountingField(name string) bool {
	return name == "event.start" || name == "event.end" ||
		strings.HasPrefix(name, "sflow.exporter.") || strings.HasPrefix(name, "sflow.reconcile.")
}
