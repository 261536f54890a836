package ecs

import (
	"encoding/json"
	"github.com/sflowbeat/sflowbeat/processor/ecs/dataset"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// enrichment are the fields the integration gets from Elasticsearch's GeoIP
// databases or from its test configuration, not from the sFlow data.
var enrichment = []string{"source.geo.", "destination.geo.", "event.timezone"}

// goflow2Fields returns every field of the integration's expected pipeline
// output with the values it holds, except enrichment.
func goflow2Fields(t *testing.T) map[string]map[string]bool {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "goflow2", "test-goflow2-sflow-sample.log-expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct{ Expected []map[string]any }
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]bool{}
	for _, e := range doc.Expected {
		flat := map[string]string{}
		flatten("", e, flat)
	next:
		for k, v := range flat {
			for _, p := range enrichment {
				if strings.HasPrefix(k, p) {
					continue next
				}
			}
			if out[k] == nil {
				out[k] = map[string]bool{}
			}
			out[k][v] = true
		}
	}
	return out
}

// sflowbeatFields returns every field of the flow events of every capture,
// mapped with preserve_original_event, with the values each holds.
func sflowbeatFields(t *testing.T) map[string]map[string]bool {
	t.Helper()
	captures, _ := filepath.Glob(filepath.Join(capturesDir, "*.pcap"))
	out := map[string]map[string]bool{}
	for _, c := range captures {
		for _, ev := range captureEvents(t, filepath.Base(c), Options{PreserveOriginal: true}) {
			if ev["event.dataset"] != dataset.Flow {
				continue
			}
			for k, v := range ev {
				if out[k] == nil {
					out[k] = map[string]bool{}
				}
				out[k][v] = true
			}
		}
	}
	return out
}

// vocabulary are the fields whose values are words both must spell alike.
var vocabulary = []string{"event.kind", "event.category", "event.type", "event.action", "network.type", "network.transport", "tags"}

// TestGoFlow2Parity checks that sflowbeat's flow events have every field the
// GoFlow2 integration's pipeline produces (GeoIP enrichment aside), with the
// same words for the enumerated fields.
func TestGoFlow2Parity(t *testing.T) {
	theirs, ours := goflow2Fields(t), sflowbeatFields(t)
	var missing []string
	for k := range theirs {
		if ours[k] == nil {
			missing = append(missing, k)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("fields of the GoFlow2 chain that sflowbeat does not produce: %v", missing)
	}
	if len(theirs) < 25 {
		t.Fatalf("only %d fields read from the integration's expected output", len(theirs))
	}
	for _, k := range vocabulary {
		ourWords := words(ours[k])
		for w := range words(theirs[k]) {
			if !ourWords[w] {
				t.Errorf("%s: the chain writes %q, sflowbeat never does (it writes %v)", k, w, keys(ourWords))
			}
		}
	}
}

// words splits the values of a field, lists included ("[a b]"), into the
// set of their words.
func words(values map[string]bool) map[string]bool {
	out := map[string]bool{}
	for v := range values {
		for _, w := range strings.Fields(strings.Trim(v, "[]")) {
			out[w] = true
		}
	}
	return out
}

// keys returns the keys of a set, sorted.
func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
