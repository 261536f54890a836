package main

import (
	"fmt"
	"maps"
	"strings"

	"gopkg.in/yaml.v3"
)

// The values of -tuning.
const (
	tuningNone    = "none"    // a minimal sflowbeat.yml: the code's defaults
	tuningShipped = "shipped" // the settings of the repository's sflowbeat.yml
)

// inputID is the id of the sflow input loadbench configures.
const inputID = "load"

// tuning is the choice of sflowbeat settings for a run.
type tuning struct {
	name   string // tuningNone or tuningShipped
	preset string // output.elasticsearch.preset, if any
	extra  string // YAML merged over the rest (-config)
}

// check validates the tuning's name and extra YAML.
func (t tuning) check() error {
	if t.name != tuningNone && t.name != tuningShipped {
		return fmt.Errorf("-tuning %q: want %s or %s", t.name, tuningNone, tuningShipped)
	}
	_, err := parseYAML([]byte(t.extra))
	if err != nil {
		return fmt.Errorf("-config: %w", err)
	}
	return nil
}

// label names the settings in the report.
func (t tuning) label() string {
	s := "tuning " + t.name
	if t.preset != "" {
		s += ", preset " + t.preset
	}
	if t.extra != "" {
		s += ", -config"
	}
	return s
}

// beatConfig returns the sflowbeat.yml of a run: one sflow input on addr
// and the output to esURL, plus the tuning's settings (shipped holds the
// repository's sflowbeat.yml, read for -tuning shipped) and the monitoring
// endpoint on the unix socket sock.
func beatConfig(t tuning, shipped []byte, addr, esURL, sock string) ([]byte, error) {
	// The periodic sflow.exporters and sflow.reconcile events would count
	// as delivered samples: off, so that the counts stay exact.
	input := map[string]any{"type": "sflow", "id": inputID, "host": addr, "exporter_stats_period": "0s", "reconcile_period": "0s"}
	cfg := map[string]any{}
	if t.name == tuningShipped {
		global, in, err := shippedSettings(shipped)
		if err != nil {
			return nil, err
		}
		merge(cfg, global)
		merge(input, in)
	}
	merge(cfg, withOutput(map[string]any{"sflowbeat.inputs": []any{input}}, esURL, sock))
	if t.preset != "" {
		merge(cfg, expandMap(map[string]any{"output.elasticsearch.preset": t.preset}))
	}
	extra, err := parseYAML([]byte(t.extra))
	if err != nil {
		return nil, err
	}
	merge(cfg, extra)
	return yaml.Marshal(cfg)
}

// filebeatConfig returns the filebeat.yml of the chain: a filestream input
// that reads GoFlow2's JSON lines from file with the ndjson parser, and
// libbeat's Elasticsearch output to esURL with its defaults.
func filebeatConfig(file, esURL, sock string) ([]byte, error) {
	input := map[string]any{
		"type":    "filestream",
		"id":      "goflow2-sflow",
		"paths":   []any{file},
		"parsers": []any{map[string]any{"ndjson": map[string]any{"target": "", "add_error_key": true}}},
	}
	return yaml.Marshal(withOutput(map[string]any{"filebeat.inputs": []any{input}}, esURL, sock))
}

// withOutput adds to a Beat's configuration what every run needs and
// nothing more: the Elasticsearch hosts, the HTTP monitoring endpoint on a
// unix socket, and warnings only in the log.
func withOutput(cfg map[string]any, esURL, sock string) map[string]any {
	out := expandMap(cfg)
	merge(out, expandMap(map[string]any{
		"output.elasticsearch.hosts": []any{esURL},
		"http.enabled":               true,
		"http.host":                  "unix://" + sock,
		"logging.level":              "warning",
	}))
	return out
}

// shippedSettings returns the tuning of a shipped sflowbeat.yml: its
// output.elasticsearch settings but the hosts and credentials, its queue,
// its sflowbeat.* settings but the inputs (global), and the settings of its
// first input but type, id and host (input).
func shippedSettings(data []byte) (global, input map[string]any, err error) {
	doc, err := parseYAML(data)
	if err != nil {
		return nil, nil, fmt.Errorf("shipped configuration: %w", err)
	}
	global = map[string]any{}
	if es, ok := dig(doc, "output", "elasticsearch").(map[string]any); ok {
		global["output"] = map[string]any{"elasticsearch": without(es, "hosts", "api_key", "username", "password")}
	}
	if q, ok := doc["queue"]; ok {
		global["queue"] = q
	}
	if sb, ok := doc["sflowbeat"].(map[string]any); ok {
		global["sflowbeat"] = without(sb, "inputs")
	}
	input = map[string]any{}
	if ins, ok := dig(doc, "sflowbeat", "inputs").([]any); ok && len(ins) > 0 {
		if first, ok := ins[0].(map[string]any); ok {
			input = without(first, "type", "id", "host")
		}
	}
	return global, input, nil
}

// parseYAML parses a YAML mapping (empty for no text) with its dotted keys
// expanded.
func parseYAML(data []byte) (map[string]any, error) {
	var m map[string]any
	if err := yaml.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	return expandMap(m), nil
}

// expandMap expands the dotted keys of m, at every level, into nested
// maps, as libbeat reads them: "queue.mem.events: 1" is
// queue: {mem: {events: 1}}. Keys that meet are merged.
func expandMap(m map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		path := strings.Split(k, ".")
		nested := expand(v)
		for i := len(path) - 1; i > 0; i-- {
			nested = map[string]any{path[i]: nested}
		}
		merge(out, map[string]any{path[0]: nested})
	}
	return out
}

// expand expands the dotted keys of the maps in v (see expandMap).
func expand(v any) any {
	switch v := v.(type) {
	case map[string]any:
		return expandMap(v)
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = expand(e)
		}
		return out
	}
	return v
}

// merge copies src into dst; maps present in both are merged, anything
// else in src replaces what dst had.
func merge(dst, src map[string]any) {
	for k, v := range src {
		d, dok := dst[k].(map[string]any)
		s, sok := v.(map[string]any)
		if dok && sok {
			merge(d, s)
			continue
		}
		dst[k] = v
	}
}

// dig returns the value at a path of nested maps, or nil.
func dig(m map[string]any, path ...string) any {
	var v any = m
	for _, k := range path {
		mm, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = mm[k]
	}
	return v
}

// without returns a copy of m without the given keys.
func without(m map[string]any, keys ...string) map[string]any {
	out := maps.Clone(m)
	for _, k := range keys {
		delete(out, k)
	}
	return out
}
