package main

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/elastic/elastic-agent-libs/config"
	"github.com/google/go-cmp/cmp"
)

// A shipped sflowbeat.yml with dotted and nested keys, credentials and an
// input option.
const shippedYAML = `
sflowbeat.inputs:
  - type: sflow
    id: sflow-default
    host: "0.0.0.0:6343"
    read_buffer: 16MiB
sflowbeat.shutdown_timeout: 7s
output.elasticsearch:
  hosts: ["localhost:9200"]
  api_key: "id:key"
  worker: 2
  bulk_max_size: 3200
queue.mem:
  events: 6400
  flush.timeout: 1s
logging.level: debug
`

// resolve reads a generated configuration as libbeat does (dotted keys
// are paths) and returns it as nested maps.
func resolve(t *testing.T, yml []byte) map[string]any {
	t.Helper()
	c, err := config.NewConfigWithYAML(yml, "generated")
	if err != nil {
		t.Fatalf("libbeat cannot read the generated configuration: %v\n%s", err, yml)
	}
	var m map[string]any
	if err := c.Unpack(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestBeatConfig: with no tuning the configuration holds the input and the
// output's hosts and nothing that tunes; -tuning shipped adds the shipped
// output (but hosts and credentials), queue, sflowbeat and input settings;
// -preset sets the output's preset; -config overrides the rest.
func TestBeatConfig(t *testing.T) {
	const addr, es, sock = "127.0.0.1:6343", "http://127.0.0.1:9200", "/tmp/x.sock"
	monitoring := map[string]any{"http": map[string]any{"enabled": true, "host": "unix://" + sock}, "logging": map[string]any{"level": "warning"}}
	input := map[string]any{"type": "sflow", "id": inputID, "host": addr, "exporter_stats_period": "0s", "reconcile_period": "0s"}
	tests := []struct {
		name string
		t    tuning
		want map[string]any
	}{
		{"none", tuning{name: tuningNone}, map[string]any{
			"sflowbeat": map[string]any{"inputs": []any{input}},
			"output":    map[string]any{"elasticsearch": map[string]any{"hosts": []any{es}}},
		}},
		{"shipped", tuning{name: tuningShipped}, map[string]any{
			"sflowbeat": map[string]any{"inputs": []any{with(input, "read_buffer", "16MiB")}, "shutdown_timeout": "7s"},
			"output":    map[string]any{"elasticsearch": map[string]any{"hosts": []any{es}, "worker": uint64(2), "bulk_max_size": uint64(3200)}},
			"queue":     map[string]any{"mem": map[string]any{"events": uint64(6400), "flush": map[string]any{"timeout": "1s"}}},
		}},
		{"preset", tuning{name: tuningNone, preset: "throughput"}, map[string]any{
			"sflowbeat": map[string]any{"inputs": []any{input}},
			"output":    map[string]any{"elasticsearch": map[string]any{"hosts": []any{es}, "preset": "throughput"}},
		}},
		{"extra", tuning{name: tuningShipped, extra: "output.elasticsearch.worker: 4\nqueue:\n  mem.events: 100\n"}, map[string]any{
			"sflowbeat": map[string]any{"inputs": []any{with(input, "read_buffer", "16MiB")}, "shutdown_timeout": "7s"},
			"output":    map[string]any{"elasticsearch": map[string]any{"hosts": []any{es}, "worker": uint64(4), "bulk_max_size": uint64(3200)}},
			"queue":     map[string]any{"mem": map[string]any{"events": uint64(100), "flush": map[string]any{"timeout": "1s"}}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			yml, err := beatConfig(tt.t, []byte(shippedYAML), addr, es, sock)
			if err != nil {
				t.Fatal(err)
			}
			want := with(tt.want, "http", monitoring["http"])
			want["logging"] = monitoring["logging"]
			if d := cmp.Diff(want, resolve(t, yml)); d != "" {
				t.Errorf("configuration (-want +got):\n%s\n%s", d, yml)
			}
		})
	}
}

// TestShippedTuningIsTheRepositorys: -tuning shipped carries every output
// and queue setting of the repository's sflowbeat.yml but the hosts.
func TestShippedTuningIsTheRepositorys(t *testing.T) {
	shipped, err := os.ReadFile("../../sflowbeat.yml")
	if err != nil {
		t.Fatal(err)
	}
	yml, err := beatConfig(tuning{name: tuningShipped}, shipped, "127.0.0.1:1", "http://127.0.0.1:2", "/tmp/x.sock")
	if err != nil {
		t.Fatal(err)
	}
	want, got := resolve(t, shipped), resolve(t, yml)
	for _, key := range []string{"output.elasticsearch", "queue"} {
		w, g := without(sub(want, key), "hosts"), without(sub(got, key), "hosts")
		if d := cmp.Diff(w, g); d != "" {
			t.Errorf("%s (-shipped +generated):\n%s", key, d)
		}
	}
}

// TestFilebeatConfig: Filebeat tails GoFlow2's file with a filestream
// input and the ndjson parser, and publishes with the output's defaults.
func TestFilebeatConfig(t *testing.T) {
	yml, err := filebeatConfig("/tmp/goflow2.json", "http://127.0.0.1:9200", "/tmp/fb.sock")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"filebeat": map[string]any{"inputs": []any{map[string]any{
			"type": "filestream", "id": "goflow2-sflow", "paths": []any{"/tmp/goflow2.json"},
			"parsers": []any{map[string]any{"ndjson": map[string]any{"target": "", "add_error_key": true}}},
		}}},
		"output":  map[string]any{"elasticsearch": map[string]any{"hosts": []any{"http://127.0.0.1:9200"}}},
		"http":    map[string]any{"enabled": true, "host": "unix:///tmp/fb.sock"},
		"logging": map[string]any{"level": "warning"},
	}
	if d := cmp.Diff(want, resolve(t, yml)); d != "" {
		t.Errorf("configuration (-want +got):\n%s\n%s", d, yml)
	}
}

// TestOptions: the flags are checked, and -rates overrides -rate.
func TestOptions(t *testing.T) {
	o, err := parseFlags([]string{"-rate", "5000", "-rates", "45000, 90000"})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]int{45000, 90000}, o.rates); d != "" || o.mode != "both" || o.tuning.name != tuningNone || o.rounds != 1 {
		t.Errorf("rates (-want +got):\n%s\nmode %q, tuning %q, rounds %d; want both, none, 1", d, o.mode, o.tuning.name, o.rounds)
	}
	for _, bad := range [][]string{{"-mode", "all"}, {"-tuning", "max"}, {"-rates", "1,x"}, {"-rates", "0"}, {"-config", "a: [b"}, {"-duration", "0s"},
		{"-rounds", "0"}, {"-mode", "chain", "-baseline", "/tmp/old"}} {
		if _, err := parseFlags(bad); err == nil {
			t.Errorf("%v: accepted", bad)
		}
	}
}

// TestInTurn: over as many rounds as sides, each side runs once in each
// place, and the first round keeps the given order.
func TestInTurn(t *testing.T) {
	sides := []string{"sflowbeat", "baseline", "chain"}
	places := map[string]map[int]bool{}
	for round := 1; round <= len(sides); round++ {
		order := inTurn(sides, round)
		if round == 1 && !slices.Equal(order, sides) {
			t.Errorf("round 1: %v, want %v", order, sides)
		}
		for i, s := range order {
			if places[s] == nil {
				places[s] = map[int]bool{}
			}
			places[s][i] = true
		}
	}
	for _, s := range sides {
		if len(places[s]) != len(sides) {
			t.Errorf("%s ran in places %v over %d rounds, want every place once", s, places[s], len(sides))
		}
	}
	if got := inTurn(sides, 4); !slices.Equal(got, sides) {
		t.Errorf("round 4: %v, want round 1's order again", got)
	}
	if got := inTurn([]string{"sflowbeat"}, 2); !slices.Equal(got, []string{"sflowbeat"}) {
		t.Errorf("one side, round 2: %v", got)
	}
}

// with returns a copy of m with k set to v.
func with(m map[string]any, k string, v any) map[string]any {
	out := without(m)
	out[k] = v
	return out
}

// sub returns the map at a dotted path of nested maps.
func sub(m map[string]any, path string) map[string]any {
	v, _ := dig(m, strings.Split(path, ".")...).(map[string]any)
	return v
}
