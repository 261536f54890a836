package config

import (
	"strings"
	"testing"

	conf "github.com/elastic/elastic-agent-libs/config"
	"github.com/google/go-cmp/cmp"
)

// parseYAML unpacks one input from a YAML snippet.
func parseYAML(t *testing.T, y string) (Input, error) {
	t.Helper()
	c, err := conf.NewConfigWithYAML([]byte(y), "test")
	if err != nil {
		t.Fatal(err)
	}
	return ParseInput(c)
}

func TestDefaultsValidate(t *testing.T) {
	d := DefaultInput()
	if err := d.Validate(); err != nil {
		t.Fatalf("the defaults do not validate: %v", err)
	}
	got, err := parseYAML(t, "type: sflow")
	if err != nil {
		t.Fatal(err)
	}
	want := DefaultInput()
	want.ID = "sflow-0.0.0.0:6343"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("defaults (-want +got):\n%s", diff)
	}
}

func TestParseInput(t *testing.T) {
	got, err := parseYAML(t, `
type: sflow
id: edge
host: "[::1]:9999"
max_message_size: 1500
read_buffer: 16MiB
queue_size: 10
tags: [a, b]
index: logs-sflow.flow-default
`)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != "edge" || got.Host != "[::1]:9999" || got.MaxMessageSize != 1500 ||
		got.ReadBuffer != 16<<20 || got.QueueSize != 10 || len(got.Tags) != 2 || got.Index != "logs-sflow.flow-default" {
		t.Errorf("unexpected input config: %+v", got)
	}
}

func TestInvalidInputs(t *testing.T) {
	cases := []struct {
		name, yaml, wantErr string
	}{
		{"unknown type", "type: netflow", `unknown input type "netflow": the only valid type is "sflow"`},
		{"no port", "type: sflow\nhost: 0.0.0.0", "expected host:port"},
		{"bad port", "type: sflow\nhost: 0.0.0.0:70000", "port \"70000\" is not a number from 0 to 65535"},
		{"bad host", "type: sflow\nhost: 'not an/address:6343'", "neither an IP address nor a host name"},
		{"negative size", "type: sflow\nmax_message_size: -1", "max_message_size"},
		{"too small", "type: sflow\nmax_message_size: 64", "max_message_size"},
		{"too large", "type: sflow\nmax_message_size: 70000", "to 65535"},
		{"negative buffer", "type: sflow\nread_buffer: -5", "read_buffer"},
		{"zero queue", "type: sflow\nqueue_size: 0", "queue_size"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := parseYAML(t, c.yaml)
			if err == nil {
				t.Fatalf("accepted invalid config %q", c.yaml)
			}
			if !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("error %q does not mention %q", err, c.wantErr)
			}
		})
	}
}

func TestConfigNeedsInputs(t *testing.T) {
	c, err := conf.NewConfigWithYAML([]byte("inputs: []"), "test")
	if err != nil {
		t.Fatal(err)
	}
	var cfg Config
	err = c.Unpack(&cfg)
	if err == nil || !strings.Contains(err.Error(), "no inputs configured") {
		t.Errorf("want a 'no inputs configured' error, got %v", err)
	}
}
