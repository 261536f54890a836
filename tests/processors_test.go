package tests

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/elastic/elastic-agent-libs/mapstr"
	"github.com/google/go-cmp/cmp"

	"github.com/sflowbeat/sflowbeat/tests/esmock"
)

// processorsCapture has flow samples with ports, and counter samples.
const processorsCapture = "akvorado-data-1140.pcap"

// inputProcessors change fields all over the event, as users do.
const inputProcessors = `
    tags: [edge]
    fields: {site: par1}
    index: "flows-%{[agent.version]}"
    processors:
      - drop_fields: {fields: ["sflow.header", "source.mac"], ignore_missing: true}
      - rename: {fields: [{from: "sflow.sample_rate", to: "sflow.rate"}], ignore_missing: true}
      - add_fields: {target: network, fields: {name: lan}}
      - copy_fields: {fields: [{from: observer.ip, to: sflow.exporter}]}
      - script:
          lang: javascript
          source: >
            function process(event) {
              var s = event.Get("source.port"), d = event.Get("destination.port");
              if (s !== null && d !== null) { event.Put("sflow.port_sum", s + d); }
              event.Delete("sflow.sample_pool");
            }
`

// TestProcessorsSeeEveryField: libbeat processors (drop_fields, rename,
// add_fields, copy_fields, script), fields, tags and index of an input see
// and change every field of the mapper's events, as they would on maps
// (the beat materializes the typed events for them). Each published
// document must be the event `sflowbeat decode` prints, changed as the
// processors say.
func TestProcessorsSeeEveryField(t *testing.T) {
	es := esmock.Start()
	defer es.Close()
	cfg := strings.Replace(beatConfig(es.URL, "127.0.0.1:0"), "    host: \"127.0.0.1:0\"\n",
		"    host: \"127.0.0.1:0\"\n"+strings.TrimPrefix(inputProcessors, "\n"), 1)
	b := startBeat(t, cfg)
	want := decodeEvents(t, capture(processorsCapture))
	sendCapture(t, b.listenAddrs(1)[0], capture(processorsCapture))
	docs := waitDocs(t, es, len(want), 60*time.Second)

	changed := make([]map[string]any, len(want))
	for i, e := range want {
		changed[i] = applyInputProcessors(t, e)
	}
	var got []map[string]any
	for _, d := range docs {
		if !strings.HasPrefix(d.Index, "flows-") || strings.Contains(d.Index, "%") {
			t.Fatalf("index %q, want flows-<version>", d.Index)
		}
		got = append(got, d.Source)
	}
	if diff := cmp.Diff(sortedComparable(t, changed), sortedComparable(t, got)); diff != "" {
		t.Errorf("processed documents (-decode changed by the processors +published):\n%s", diff)
	}
	ports := 0
	for _, g := range got {
		if v, err := mapstr.M(g).GetValue("sflow.port_sum"); err == nil && v != nil {
			ports++
		}
	}
	if ports == 0 {
		t.Error("the script processor saw no ports")
	}
}

// applyInputProcessors changes a decoded event as inputProcessors do.
func applyInputProcessors(t *testing.T, e map[string]any) map[string]any {
	t.Helper()
	m := mapstr.M(deepCopy(t, e))
	_ = m.Delete("sflow.header")
	_ = m.Delete("source.mac")
	if v, err := m.GetValue("sflow.sample_rate"); err == nil {
		_ = m.Delete("sflow.sample_rate")
		_, _ = m.Put("sflow.rate", v)
	}
	_, _ = m.Put("network.name", "lan")
	ip, _ := m.GetValue("observer.ip")
	_, _ = m.Put("sflow.exporter", ip)
	s, errS := m.GetValue("source.port")
	d, errD := m.GetValue("destination.port")
	if errS == nil && errD == nil {
		_, _ = m.Put("sflow.port_sum", s.(float64)+d.(float64))
	}
	_ = m.Delete("sflow.sample_pool")
	tags, _ := m.GetValue("tags")
	_, _ = m.Put("tags", append(tags.([]any), "edge"))
	_, _ = m.Put("fields.site", "par1")
	return m
}

// deepCopy copies a decoded JSON document.
func deepCopy(t *testing.T, m map[string]any) map[string]any {
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestFieldReadersSeeEveryField: global processors, and an output index
// that reads an event field, see the mapper's fields without any processor
// on the input.
func TestFieldReadersSeeEveryField(t *testing.T) {
	for name, extra := range map[string]string{
		"global processors": "processors:\n  - add_fields: {target: sflow, fields: {global: true}}\n",
		"output index":      "",
	} {
		t.Run(name, func(t *testing.T) {
			es := esmock.Start()
			defer es.Close()
			cfg := beatConfig(es.URL, "127.0.0.1:0") + extra
			if extra == "" {
				cfg = strings.Replace(cfg, "output.elasticsearch:\n", "output.elasticsearch:\n  index: \"sflow-%{[event.dataset]}\"\n", 1) +
					"setup.template.name: sflow\nsetup.template.pattern: \"sflow-*\"\nsetup.ilm.enabled: false\n"
			}
			b := startBeat(t, cfg)
			want := decodeEvents(t, capture(processorsCapture))
			sendCapture(t, b.listenAddrs(1)[0], capture(processorsCapture))
			for _, d := range waitDocs(t, es, len(want), 60*time.Second) {
				ds, _ := mapstr.M(d.Source).GetValue("event.dataset")
				if extra == "" && d.Index != fmt.Sprintf("sflow-%v", ds) {
					t.Fatalf("index %q for event.dataset %v", d.Index, ds)
				}
				if g, _ := mapstr.M(d.Source).GetValue("sflow.global"); extra != "" && g != true {
					t.Fatalf("sflow.global %v: the global processor did not run", g)
				}
				if v, _ := mapstr.M(d.Source).GetValue("sflow.sequence_num"); v == nil {
					t.Fatalf("the document lost the mapper's fields: %v", d.Source)
				}
			}
		})
	}
}
