package config

import (
	"net/netip"
	"runtime"
	"strings"
	"testing"

	"github.com/elastic/beats/v7/libbeat/common/fmtstr"
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
	want.Workers = runtime.NumCPU()
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
workers: 3
allowed_exporters: ["192.0.2.0/24", "2001:db8::1"]
tags: [a, b]
index: logs-sflow.flow-default
`)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != "edge" || got.Host != "[::1]:9999" || got.MaxMessageSize != 1500 ||
		got.ReadBuffer != 16<<20 || got.QueueSize != 10 || len(got.Tags) != 2 || indexString(got.Index) != "logs-sflow.flow-default" ||
		got.Workers != 3 || len(got.AllowedExporters) != 2 {
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
		{"negative workers", "type: sflow\nworkers: -1", "workers"},
		{"bad exporter", "type: sflow\nallowed_exporters: [10.0.0.0/33]", "neither a CIDR"},
		{"interface name without exporter", "type: sflow\ninterface_names: [{if_index: 3, name: eth3}]", "is not an IP address"},
		{"interface name without index", "type: sflow\ninterface_names: [{exporter: 192.0.2.1, name: eth3}]", "if_index must be set"},
		{"interface without name", "type: sflow\ninterface_names: [{exporter: 192.0.2.1, if_index: 3}]", "set name, alias or both"},
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

func TestDataStream(t *testing.T) {
	for _, tc := range []struct {
		yaml, flow, counters, err string
	}{
		{yaml: "{}"},
		{yaml: "data_stream.namespace: prod", flow: "logs-sflow.flow-prod", counters: "metrics-sflow.counters-prod"},
		{yaml: "data_stream: {namespace: ns1, dataset: sflow.flow, type: logs}", flow: "logs-sflow.flow-ns1", counters: "metrics-sflow.counters-ns1"},
		{yaml: "data_stream.namespace: Prod", err: "lowercase"},
		{yaml: "data_stream.namespace: a-b", err: "data_stream.namespace"},
		{yaml: "data_stream: {namespace: x, dataset: 'my data'}", err: "data_stream.dataset"},
		{yaml: "data_stream: {namespace: x, type: ''}", err: "data_stream.type \"\": must not be empty"},
		{yaml: "data_stream.namespace: _x", err: "must not start"},
		{yaml: "data_stream.namespace: " + strings.Repeat("n", 101), err: "100 bytes"},
		{yaml: "data_stream: {namespace: x, dataset: " + strings.Repeat("d", 250) + "}", err: "255 bytes"},
		{yaml: "{index: my-flows, data_stream.namespace: x}", err: "not both"},
	} {
		c, err := conf.NewConfigWithYAML([]byte(tc.yaml), "test")
		if err != nil {
			t.Fatal(err)
		}
		in, err := ParseInput(c)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: want an error with %q, got %v", tc.yaml, tc.err, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.yaml, err)
			continue
		}
		if in.DataStream.Enabled() != (tc.flow != "") {
			t.Errorf("%s: Enabled() = %v", tc.yaml, in.DataStream.Enabled())
		}
		if tc.flow != "" && (in.DataStream.FlowIndex() != tc.flow || in.DataStream.CountersIndex() != tc.counters) {
			t.Errorf("%s: indices %s, %s; want %s, %s", tc.yaml, in.DataStream.FlowIndex(), in.DataStream.CountersIndex(), tc.flow, tc.counters)
		}
	}
}

func TestParsePrefixes(t *testing.T) {
	got, err := ParsePrefixes([]string{"192.0.2.7/24", "2001:db8::1", "::ffff:198.51.100.1"})
	if err != nil {
		t.Fatal(err)
	}
	want := []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24"), netip.MustParsePrefix("2001:db8::1/128"),
		netip.MustParsePrefix("198.51.100.1/32")}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// unpackSection unpacks the sflowbeat section y over the defaults.
func unpackSection(t *testing.T, y string) Config {
	t.Helper()
	c, err := conf.NewConfigWithYAML([]byte(y), "test")
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	if err := c.Unpack(&cfg); err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestSectionDefaults(t *testing.T) {
	cfg := unpackSection(t, "inputs: [{type: sflow}]")
	if cfg.ShutdownTimeout != DefaultShutdownTimeout {
		t.Errorf("shutdown_timeout = %v, want %v", cfg.ShutdownTimeout, DefaultShutdownTimeout)
	}
	if !cfg.AdaptiveProcs {
		t.Error("adaptive_procs is off by default")
	}
	if unpackSection(t, "adaptive_procs: false").AdaptiveProcs {
		t.Error("adaptive_procs: false left it on")
	}
}

func TestParseNetworks(t *testing.T) {
	got, err := ParseNetworks([]string{"private", "203.0.113.0/24"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 5 || got[0].String() != "10.0.0.0/8" || got[3].String() != "fc00::/7" || got[4].String() != "203.0.113.0/24" {
		t.Errorf("ParseNetworks = %v", got)
	}
	if _, err := ParseNetworks([]string{"intranet"}); err == nil || !strings.Contains(err.Error(), "one of private") {
		t.Errorf("an unknown name gave %v", err)
	}
}

// TestParsedOnce: the networks and addresses of an input are parsed when it
// is unpacked, so that the input uses them without parsing again.
func TestParsedOnce(t *testing.T) {
	in, err := parseYAML(t, `
type: sflow
allowed_exporters: ["192.0.2.7/24", "::ffff:198.51.100.1"]
internal_networks: [loopback, 203.0.113.0/24]
interface_names: [{exporter: "::ffff:192.0.2.1", if_index: 3, name: eth3}]
`)
	if err != nil {
		t.Fatal(err)
	}
	cmpPrefix := cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })
	wantAllowed := Prefixes{netip.MustParsePrefix("192.0.2.0/24"), netip.MustParsePrefix("198.51.100.1/32")}
	if diff := cmp.Diff(wantAllowed, in.AllowedExporters, cmpPrefix); diff != "" {
		t.Errorf("allowed_exporters (-want +got):\n%s", diff)
	}
	wantInternal := Networks{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128"), netip.MustParsePrefix("203.0.113.0/24")}
	if diff := cmp.Diff(wantInternal, in.InternalNetworks, cmpPrefix); diff != "" {
		t.Errorf("internal_networks (-want +got):\n%s", diff)
	}
	if got := in.InterfaceNames[0].Exporter.Addr; got != netip.MustParseAddr("192.0.2.1") {
		t.Errorf("interface_names exporter %v, want 192.0.2.1 (unmapped)", got)
	}
	if !in.AllowedExporters.Contains(netip.MustParseAddr("::ffff:192.0.2.200")) || in.AllowedExporters.Contains(netip.MustParseAddr("192.0.3.1")) {
		t.Error("Prefixes.Contains is wrong")
	}
}

// indexString returns the expression of an index format string.
func indexString(f *fmtstr.EventFormatString) string {
	if f == nil {
		return ""
	}
	ts, _ := fmtstr.NewTimestampFormatString(f, nil)
	return ts.String()
}
