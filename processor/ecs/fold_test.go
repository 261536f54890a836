package ecs

import (
	"bytes"
	"encoding/json"
	"net/netip"
	"path/filepath"
	"testing"

	"github.com/elastic/elastic-agent-libs/mapstr"
	"github.com/google/go-cmp/cmp"

	"github.com/sflowbeat/sflowbeat/beater/pcapfile"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoder"
)

// foldJSON encodes fields as libbeat's encoders do, with go-structform
// (its JSON visitor's defaults: HTML escaped, over a bytes.Buffer).
func foldJSON(t testing.TB, fields any) []byte {
	t.Helper()
	return encodeWith(t, fields, true, true)
}

// parseJSON parses a JSON object, numbers as json.Number.
func parseJSON(t testing.TB, b []byte) map[string]any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		t.Fatalf("%v in %s", err, b)
	}
	return m
}

// captureDocs maps every datagram of every capture (with every option on)
// and returns the events.
func captureDocs(t testing.TB) []Event {
	t.Helper()
	captures, _ := filepath.Glob(filepath.Join(capturesDir, "*.pcap"))
	names := NewInterfaceNames()
	m := NewMapper(Options{PreserveOriginal: true, InternalNetworks: privateNets(), InterfaceNames: names})
	dec := decoder.NewDecoder()
	var out []Event
	for _, c := range captures {
		dgs, err := pcapfile.ReadAll(c, 6343)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range dgs {
			var dg decoded.Datagram // not reused: the events keep nothing of it, which this also checks
			if dec.Decode(d.Payload, &dg) == nil {
				out = m.Map(&dg, d.Timestamp, out)
			}
		}
	}
	if len(out) < 8000 {
		t.Fatalf("only %d events from the captures", len(out))
	}
	return out
}

// TestFoldEqualsMap: for every event of every capture, what go-structform
// encodes from Doc.Fields (the fast path to the outputs) is what the maps
// of Doc.Map (what processors and the golden files see) hold.
func TestFoldEqualsMap(t *testing.T) {
	for i, e := range captureDocs(t) {
		fast := parseJSON(t, foldJSON(t, e.Doc.Fields()))
		slow, err := json.Marshal(e.Map())
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(parseJSON(t, slow), fast); diff != "" {
			t.Fatalf("event %d (%s): Fields encode differently from Map (-map +fields):\n%s", i, e.Dataset, diff)
		}
	}
}

// TestMapIsACopy: changing the maps of Doc.Map, as processors do, changes
// neither the Doc nor the next Map.
func TestMapIsACopy(t *testing.T) {
	for _, e := range captureDocs(t)[:500] {
		before := parseJSON(t, foldJSON(t, e.Doc.Fields()))
		m := e.Map()
		for _, k := range []string{"source.ip", "sflow.sample.type", "tags", "event.category", "related.ip", "sflow.counters.if_index"} {
			if v, err := m.GetValue(k); err == nil {
				if l, ok := v.([]string); ok && len(l) > 0 {
					l[0] = "changed"
				}
				_, _ = m.Put(k, "changed")
			}
		}
		if c, ok := m["sflow"].(map[string]any); ok {
			if counters, ok := c["counters"].(map[string]any); ok {
				counters["if_index"] = "changed"
			}
		}
		if diff := cmp.Diff(before, parseJSON(t, foldJSON(t, e.Doc.Fields()))); diff != "" {
			t.Fatalf("changing Map() changed the Doc (-before +after):\n%s", diff)
		}
	}
}

// privateNets are the private networks, as internal_networks: [private].
func privateNets() []netip.Prefix {
	return []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("172.16.0.0/12"),
		netip.MustParsePrefix("192.168.0.0/16"), netip.MustParsePrefix("fc00::/7")}
}

// TestMaterialize: Materialize turns the Fields of every capture event
// into the maps of Map, and copies the maps that are shared.
func TestMaterialize(t *testing.T) {
	shared := mapstr.M{"type": "logs", "dataset": "sflow.flow", "namespace": "default"}
	for _, e := range captureDocs(t)[:2000] {
		f := e.Doc.Fields()
		f["data_stream"] = shared
		Materialize(f)
		want := e.Map()
		want["data_stream"] = shared.Clone()
		if diff := cmp.Diff(want, f); diff != "" {
			t.Fatalf("materialized fields (-Map +Materialize):\n%s", diff)
		}
		f["data_stream"].(mapstr.M)["namespace"] = "changed"
		if shared["namespace"] != "default" {
			t.Fatal("changing a materialized event changed the shared data_stream map")
		}
	}
}
