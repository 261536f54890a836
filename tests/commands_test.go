package tests

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sflowbeat/sflowbeat/tests/esmock"
)

// TestVersion checks `sflowbeat version`.
func TestVersion(t *testing.T) {
	out, errOut, err := runCommand(t, "version")
	if err != nil {
		t.Fatalf("version: %v\n%s", err, errOut)
	}
	if !strings.HasPrefix(out, "sflowbeat version ") || !strings.Contains(out, "libbeat") {
		t.Errorf("unexpected version output %q", out)
	}
}

// TestTestConfig checks that `sflowbeat test config` accepts the shipped
// configuration files and rejects invalid ones with a clear message.
func TestTestConfig(t *testing.T) {
	for _, f := range []string{"sflowbeat.yml", "sflowbeat.reference.yml"} {
		path, err := filepath.Abs(filepath.Join("..", f))
		if err != nil {
			t.Fatal(err)
		}
		// libbeat refuses config files writable by others; a checkout may be 0664.
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		dir := writeConfig(t, string(data))
		out, errOut, err := runCommand(t, "test", "config", "-c", filepath.Join(dir, "sflowbeat.yml"), "--path.home", dir)
		if err != nil || !strings.Contains(out, "Config OK") {
			t.Errorf("test config %s: %v\n%s%s", f, err, out, errOut)
		}
	}
	cases := []struct{ name, input, want string }{
		{"unknown type", "type: netflow", `unknown input type "netflow": the only valid type is "sflow"`},
		{"bad port", "type: sflow\n    host: 0.0.0.0:99999", "is not a number from 0 to 65535"},
		{"negative size", "type: sflow\n    max_message_size: -1", "max_message_size"},
		{"duplicate id", "type: sflow\n    id: a\n  - type: sflow\n    id: a\n    host: 0.0.0.0:6344", `id "a" is already used`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := writeConfig(t, "sflowbeat.inputs:\n  - "+c.input+"\noutput.elasticsearch.hosts: [\"localhost:9200\"]\n")
			out, errOut, err := runCommand(t, "test", "config", "-c", filepath.Join(dir, "sflowbeat.yml"), "--path.home", dir)
			if err == nil {
				t.Fatalf("test config accepted an invalid configuration:\n%s", out)
			}
			if !strings.Contains(out+errOut, c.want) {
				t.Errorf("the error does not say %q:\n%s%s", c.want, out, errOut)
			}
		})
	}
}

// TestPortInUse checks that an input whose address cannot be bound stops the
// beat with the reason.
func TestPortInUse(t *testing.T) {
	busy, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	es := esmock.Start()
	defer es.Close()
	b := startBeat(t, beatConfig(es.URL, busy.LocalAddr().String()))
	b.waitFailure("its port was in use")
	if !strings.Contains(b.output(), "address already in use") || !strings.Contains(b.output(), "cannot listen on "+busy.LocalAddr().String()) {
		t.Errorf("the log does not say why the input could not start:\n%s", b.output())
	}
}

// TestOverlappingInputs configures two inputs on the same port (wildcard
// and loopback): with SO_REUSEPORT both would bind and split the traffic,
// so the beat must refuse to start and name the input that holds the port.
func TestOverlappingInputs(t *testing.T) {
	port := freeUDPPort(t)
	b := startBeat(t, beatConfig("http://127.0.0.1:1", fmt.Sprintf("0.0.0.0:%d", port), fmt.Sprintf("127.0.0.1:%d", port)))
	b.waitFailure("two inputs were on one port")
	if !strings.Contains(b.output(), `input "sflow-0" already listens`) {
		t.Errorf("the log does not name the input that holds the port:\n%s", b.output())
	}
}

// TestSeveralInputs runs two inputs at once and checks that both deliver.
func TestSeveralInputs(t *testing.T) {
	es := esmock.Start()
	defer es.Close()
	b := startBeat(t, beatConfig(es.URL, "127.0.0.1:0", "[::1]:0"))
	addrs := b.listenAddrs(2)
	n := 0
	for _, a := range addrs {
		n += len(decodeEvents(t, capture("akvorado-data-1140.pcap")))
		sendCapture(t, a, capture("akvorado-data-1140.pcap"))
	}
	docs := waitDocs(t, es, n, 60*time.Second)
	if len(docs) != n {
		t.Errorf("got %d documents from two inputs, want %d", len(docs), n)
	}
	b.stop(30 * time.Second)
}

// TestExportTemplate checks that the index template maps sflowbeat's fields
// with their types.
func TestExportTemplate(t *testing.T) {
	dir := writeConfig(t, beatConfig("http://localhost:9200", "127.0.0.1:0"))
	out, errOut, err := runCommand(t, "export", "template", "-c", filepath.Join(dir, "sflowbeat.yml"), "--path.home", dir)
	if err != nil {
		t.Fatalf("export template: %v\n%s", err, errOut)
	}
	var tmpl map[string]any
	if err := json.Unmarshal([]byte(out), &tmpl); err != nil {
		t.Fatalf("export template did not print JSON: %v", err)
	}
	props := mappingProperties(t, tmpl)
	for path, want := range map[string]string{
		"source.ip":                     "ip",
		"destination.port":              "long",
		"observer.ip":                   "ip",
		"network.community_id":          "keyword",
		"observer.ingress.interface.id": "keyword",
		"sflow.gateway.next_hop":        "ip",
		"sflow.counters.if_in_octets":   "long",
		"sflow.sample_rate":             "long",
		"sflow.header.protocol":         "keyword",
		"source.locality":               "keyword",
		"network.direction":             "keyword",
	} {
		if got := fieldType(props, path); got != want {
			t.Errorf("template maps %s as %q, want %q", path, got, want)
		}
	}
}

// mappingProperties returns template.mappings.properties of an exported
// index template.
func mappingProperties(t *testing.T, tmpl map[string]any) map[string]any {
	t.Helper()
	m, ok := tmpl["template"].(map[string]any)
	if !ok {
		t.Fatalf("no template in %v", tmpl)
	}
	mappings, _ := m["mappings"].(map[string]any)
	props, ok := mappings["properties"].(map[string]any)
	if !ok {
		t.Fatalf("no mappings.properties in the template")
	}
	return props
}

// fieldType returns the mapped type of a dotted field path.
func fieldType(props map[string]any, path string) string {
	parts := strings.Split(path, ".")
	cur := props
	for i, p := range parts {
		f, ok := cur[p].(map[string]any)
		if !ok {
			return fmt.Sprintf("<missing %s>", strings.Join(parts[:i+1], "."))
		}
		if i == len(parts)-1 {
			typ, _ := f["type"].(string)
			return typ
		}
		cur, _ = f["properties"].(map[string]any)
	}
	return ""
}

// TestTestOutput checks `sflowbeat test output` against the mock.
func TestTestOutput(t *testing.T) {
	es := esmock.Start()
	defer es.Close()
	dir := writeConfig(t, beatConfig(es.URL, "127.0.0.1:0"))
	out, errOut, err := runCommand(t, "test", "output", "-c", filepath.Join(dir, "sflowbeat.yml"), "--path.home", dir)
	if err != nil || !strings.Contains(out, "talk to server... OK") || !strings.Contains(out, "version: "+esmock.Version) {
		t.Errorf("test output: %v\n%s%s", err, out, errOut)
	}
}

// TestExportConfig checks that `export config` prints the inputs.
func TestExportConfig(t *testing.T) {
	dir := writeConfig(t, beatConfig("http://localhost:9200", "127.0.0.1:6343"))
	out, errOut, err := runCommand(t, "export", "config", "-c", filepath.Join(dir, "sflowbeat.yml"), "--path.home", dir)
	if err != nil || !strings.Contains(out, "type: sflow") || !strings.Contains(out, "host: 127.0.0.1:6343") {
		t.Errorf("export config: %v\n%s%s", err, out, errOut)
	}
}

// TestSetupIndexManagement checks that `setup --index-management` installs
// the index template and the ILM policy of the sflowbeat data stream.
func TestSetupIndexManagement(t *testing.T) {
	es := esmock.Start()
	defer es.Close()
	dir := writeConfig(t, beatConfig(es.URL, "127.0.0.1:0"))
	out, errOut, err := runCommand(t, "setup", "--index-management", "-c", filepath.Join(dir, "sflowbeat.yml"), "--path.home", dir)
	if err != nil {
		t.Fatalf("setup: %v\n%s%s", err, out, errOut)
	}
	var template, policy bool
	for _, r := range es.Requests() {
		if r.Method == "PUT" && strings.HasPrefix(r.Path, "/_index_template/sflowbeat-") {
			template = strings.Contains(string(r.Body), `"source"`) && strings.Contains(string(r.Body), `"data_stream"`)
		}
		if r.Method == "PUT" && strings.HasPrefix(r.Path, "/_ilm/policy/sflowbeat") {
			policy = true
		}
	}
	if !template || !policy {
		t.Errorf("setup sent template=%v ILM policy=%v; requests: %v", template, policy, requestLines(es.Requests()))
	}
}

// requestLines summarises recorded requests for failure messages.
func requestLines(rs []esmock.Request) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

// TestKeystore checks that a value from the keystore reaches the
// configuration: the input's port is ${SFLOW_PORT}.
func TestKeystore(t *testing.T) {
	dir := writeConfig(t, beatConfig("http://localhost:9200", "127.0.0.1:${SFLOW_PORT}"))
	args := []string{"-c", filepath.Join(dir, "sflowbeat.yml"), "--path.home", dir, "--path.data", filepath.Join(dir, "data")}
	if out, _, err := runCommand(t, append([]string{"test", "config"}, args...)...); err == nil {
		t.Fatalf("test config passed without the secret:\n%s", out)
	}
	if out, errOut, err := runCommand(t, append([]string{"keystore", "create"}, args...)...); err != nil {
		t.Fatalf("keystore create: %v\n%s%s", err, out, errOut)
	}
	if out, errOut, err := runCommandStdin(t, "6343", append([]string{"keystore", "add", "SFLOW_PORT", "--stdin"}, args...)...); err != nil {
		t.Fatalf("keystore add: %v\n%s%s", err, out, errOut)
	}
	out, errOut, err := runCommand(t, append([]string{"keystore", "list"}, args...)...)
	if err != nil || !strings.Contains(out, "SFLOW_PORT") {
		t.Fatalf("keystore list: %v\n%s%s", err, out, errOut)
	}
	out, errOut, err = runCommand(t, append([]string{"test", "config"}, args...)...)
	if err != nil || !strings.Contains(out, "Config OK") {
		t.Errorf("test config with a keystore secret: %v\n%s%s", err, out, errOut)
	}
}

// TestSetupPipelines checks that `setup --pipelines` installs the GeoIP/AS
// enrichment pipeline.
func TestSetupPipelines(t *testing.T) {
	es := esmock.Start()
	defer es.Close()
	dir := writeConfig(t, beatConfig(es.URL, "127.0.0.1:0"))
	out, errOut, err := runCommand(t, "setup", "--pipelines", "-c", filepath.Join(dir, "sflowbeat.yml"), "--path.home", dir)
	if err != nil || !strings.Contains(out, "Loaded Ingest pipelines") {
		t.Fatalf("setup --pipelines: %v\n%s%s", err, out, errOut)
	}
	for _, r := range es.Requests() {
		if r.Method == "PUT" && r.Path == "/_ingest/pipeline/sflowbeat-enrich" {
			var body struct {
				Processors []map[string]map[string]any `json:"processors"`
			}
			if err := json.Unmarshal(r.Body, &body); err != nil {
				t.Fatal(err)
			}
			targets := map[string]bool{}
			for _, p := range body.Processors {
				if g, ok := p["geoip"]; ok {
					targets[fmt.Sprint(g["target_field"])] = true
				}
			}
			for _, want := range []string{"source.geo", "destination.geo", "source.as", "destination.as"} {
				if !targets[want] {
					t.Errorf("the pipeline has no geoip processor for %s: %s", want, r.Body)
				}
			}
			return
		}
	}
	t.Errorf("no PUT /_ingest/pipeline/sflowbeat-enrich; requests: %v", requestLines(es.Requests()))
}
