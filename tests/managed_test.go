package tests

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/elastic/elastic-agent-client/v7/pkg/proto"
	"gopkg.in/yaml.v3"

	"github.com/sflowbeat/sflowbeat/dev-tools/kibanacheck"
	"github.com/sflowbeat/sflowbeat/tests/esmock"
)

// componentSpec is the part of Elastic Agent's component spec (version 2)
// that sflowbeat.spec.yml fills; the field rules are those of Agent's
// pkg/component (InputSpec.Validate).
type componentSpec struct {
	Version int `yaml:"version"`
	Inputs  []struct {
		Name        string   `yaml:"name"`
		Description string   `yaml:"description"`
		Platforms   []string `yaml:"platforms"`
		Outputs     []string `yaml:"outputs"`
		Command     *struct {
			Args []string `yaml:"args"`
		} `yaml:"command"`
	} `yaml:"inputs"`
}

// readSpec reads sflowbeat.spec.yml.
func readSpec(t *testing.T) componentSpec {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "sflowbeat.spec.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var spec componentSpec
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(false)
	if err := dec.Decode(&spec); err != nil {
		t.Fatalf("sflowbeat.spec.yml: %v", err)
	}
	return spec
}

// managedArgs are the command arguments that sflowbeat.spec.yml gives
// Elastic Agent for the sflow input, with debug logs for the tests.
func managedArgs(t *testing.T) []string {
	t.Helper()
	spec := readSpec(t)
	if len(spec.Inputs) == 0 || spec.Inputs[0].Command == nil {
		t.Fatal("sflowbeat.spec.yml has no input with a command")
	}
	return append(slices.Clone(spec.Inputs[0].Command.Args), "-E", "logging.level=debug")
}

// TestComponentSpec checks sflowbeat.spec.yml against the rules Elastic
// Agent applies when it loads a component spec.
func TestComponentSpec(t *testing.T) {
	spec := readSpec(t)
	if spec.Version != 2 {
		t.Errorf("version %d, want 2", spec.Version)
	}
	known := []string{"container/amd64", "container/arm64", "darwin/amd64", "darwin/arm64", "linux/amd64", "linux/arm64", "windows/amd64", "windows/arm64"}
	if len(spec.Inputs) != 1 || spec.Inputs[0].Name != "sflow" {
		t.Fatalf("inputs %+v, want the one input sflow", spec.Inputs)
	}
	in := spec.Inputs[0]
	if in.Description == "" || in.Command == nil || len(in.Outputs) == 0 || len(in.Platforms) == 0 {
		t.Errorf("input sflow needs a description, a command, outputs and platforms: %+v", in)
	}
	seen := map[string]bool{}
	for _, p := range in.Platforms {
		if !slices.Contains(known, p) || seen[p] {
			t.Errorf("platform %q is unknown to Agent or listed twice", p)
		}
		seen[p] = true
	}
	if !slices.Contains(in.Outputs, "elasticsearch") {
		t.Errorf("outputs %v lack elasticsearch", in.Outputs)
	}
	args := strings.Join(in.Command.Args, " ")
	for _, want := range []string{"management.enabled=true", "management.restart_on_output_change=true"} {
		if !strings.Contains(args, want) {
			t.Errorf("command args %q lack %s", args, want)
		}
	}
}

// Unit and stream ids as Agent names them.
const (
	inputUnitID    = "sflow-default-sflow-1" // <input type>-<output name>-<policy input id>
	outputUnitID   = "default"
	flowStreamID   = "sflow-sflow.flow-1"
	countersStream = "sflow-sflow.counters-1"
	managedNS      = "testns"
)

// inputUnit is the expected sflow input unit of the policy's first sFlow
// integration: see sflowUnit.
func inputUnit(t *testing.T, rev uint64, port int, state proto.State) *proto.UnitExpected {
	t.Helper()
	return sflowUnit(t, 1, rev, port, state)
}

// sflowUnit is the input unit that Fleet builds from the n-th sFlow
// integration of a policy: the sflow.counters stream, which renders to no
// settings and must not listen, and the sflow.flow stream listening on
// port, with the settings the package's template renders.
func sflowUnit(t *testing.T, n int, rev uint64, port int, state proto.State) *proto.UnitExpected {
	t.Helper()
	flowID, countersID := fmt.Sprintf("sflow-sflow.flow-%d", n), fmt.Sprintf("sflow-sflow.counters-%d", n)
	streamSrc := map[string]any{
		"id":            flowID,
		"data_stream":   map[string]any{"dataset": "sflow.flow", "type": "logs"},
		"host":          fmt.Sprintf("127.0.0.1:%d", port),
		"status_period": "1s",
		// The package renders both periods; off here, so that no exporter
		// or reconciliation event slips into a phase's exact document
		// counts (the totals phase switches exporter events on).
		"exporter_stats_period": "0s",
		"reconcile_period":      "0s",
		"tags":                  []any{"agent-test"},
		"fields":                map[string]any{"site": "lab"},
		"pipeline":              "sflowbeat-enrich",
		"processors": []any{map[string]any{"add_fields": map[string]any{
			"target": "labels", "fields": map[string]any{"policy": "p1"}}}},
	}
	return &proto.UnitExpected{
		Id: fmt.Sprintf("sflow-default-sflow-%d", n), Type: proto.UnitType_INPUT, State: state, ConfigStateIdx: rev,
		LogLevel: proto.UnitLogLevel_DEBUG,
		Config: &proto.UnitExpectedConfig{
			Id: fmt.Sprintf("sflow-%d", n), Type: "sflow", Name: fmt.Sprintf("sflow-%d", n), Revision: rev,
			DataStream: &proto.DataStream{Namespace: managedNS},
			Meta:       &proto.Meta{Package: &proto.Package{Name: "sflow", Version: "0.3.1"}},
			Source:     mustStruct(t, map[string]any{"id": fmt.Sprintf("sflow-%d", n), "type": "sflow", "revision": rev}),
			Streams: []*proto.Stream{{
				Id:         countersID,
				DataStream: &proto.DataStream{Dataset: "sflow.counters", Type: "metrics"},
				Source: mustStruct(t, map[string]any{"id": countersID,
					"data_stream": map[string]any{"dataset": "sflow.counters", "type": "metrics"}}),
			}, {
				Id:         flowID,
				DataStream: &proto.DataStream{Dataset: "sflow.flow", Type: "logs"},
				Source:     mustStruct(t, streamSrc),
			}},
		},
	}
}

// outputUnit is the expected Elasticsearch output unit.
func outputUnit(t *testing.T, rev uint64, esURL string) *proto.UnitExpected {
	t.Helper()
	return &proto.UnitExpected{
		Id: outputUnitID, Type: proto.UnitType_OUTPUT, State: proto.State_HEALTHY, ConfigStateIdx: rev,
		LogLevel: proto.UnitLogLevel_DEBUG,
		Config: &proto.UnitExpectedConfig{
			Id: "default", Type: "elasticsearch", Name: "default", Revision: rev,
			Source: mustStruct(t, map[string]any{"type": "elasticsearch", "hosts": []any{esURL}}),
		},
	}
}

// TestManagedByAgent drives sflowbeat as Elastic Agent does, through the
// control protocol with mutual TLS and the connection info on stdin:
// documents go to the data streams, units report their real state, policy
// changes (output, port, integrations) apply, a port in use fails the
// unit, and stopping the unit then SIGTERM publishes everything. Full
// tier: it takes more than a minute.
func TestManagedByAgent(t *testing.T) {
	fullTier(t, "more than a minute of policy changes")
	m := startManaged(t)
	t.Run("degraded while datagrams are rejected", m.degraded)
	t.Run("datagrams lost on the way in, and exporter events", m.totals)
	t.Run("output change restarts the beat", m.outputChange)
	t.Run("port change", m.portChange)
	t.Run("add and remove an integration", m.addRemove)
	t.Run("stop then SIGTERM publishes everything", m.stop)
}

// managed is a managed sflowbeat, its stub Agent and its two outputs; its
// methods are the phases of TestManagedByAgent, in order.
type managed struct {
	parent       *testing.T // owns the beat processes
	agent        *agentStub
	b            *beat
	es1, es2     *esmock.Server
	capFile      string
	perCapture   int // events of capFile
	port1, port2 int
}

// startManaged starts the stub Agent and sflowbeat, sends the first policy
// (input on port1, output es1) and checks the first documents.
func startManaged(t *testing.T) *managed {
	m := &managed{parent: t, es1: esmock.Start(), es2: esmock.Start(), agent: startAgentStub(t),
		capFile: capture("cistern-sflow-dumps.pcap"), // flows, counters and a drop event
		port1:   freeUDPPort(t), port2: freeUDPPort(t)}
	t.Cleanup(m.es1.Close)
	t.Cleanup(m.es2.Close)
	m.perCapture = len(decodeEvents(t, m.capFile))
	m.b = startBeatStdin(t, "", m.agent.connInfo(t), managedArgs(t)...)
	m.agent.setExpected(inputUnit(t, 1, m.port1, proto.State_HEALTHY), outputUnit(t, 1, m.es1.URL))
	m.agent.waitUnit(t, outputUnitID, proto.State_HEALTHY, 60*time.Second)
	m.agent.waitUnit(t, inputUnitID, proto.State_HEALTHY, 60*time.Second)
	checkStreams(t, m.agent, m.port1)
	sendCaptureLive(t, udpAddr(m.port1), m.capFile)
	checkDataStreams(t, waitDocs(t, m.es1, m.perCapture, 60*time.Second))
	return m
}

// degraded: invalid datagrams make the unit DEGRADED, then HEALTHY again.
func (m *managed) degraded(t *testing.T) {
	sendRaw(t, udpAddr(m.port1), garbageDatagrams()[0].data)
	msg := m.agent.waitUnit(t, inputUnitID, proto.State_DEGRADED, 10*time.Second)
	if !strings.Contains(msg, "invalid datagrams") {
		t.Errorf("DEGRADED message %q does not say what went wrong", msg)
	}
	m.agent.waitUnit(t, inputUnitID, proto.State_HEALTHY, 10*time.Second)
}

// outputChange: with restart_on_output_change (sflowbeat.spec.yml) the
// beat publishes what it read, exits cleanly, and Agent starts it again
// with the new output.
func (m *managed) outputChange(t *testing.T) {
	before := len(m.es1.Docs())
	sendCaptureLive(t, udpAddr(m.port1), m.capFile)
	m.agent.setExpected(inputUnit(t, 2, m.port1, proto.State_HEALTHY), outputUnit(t, 2, m.es2.URL))
	m.b.waitExit(60 * time.Second)
	m.agent.waitDisconnected(t, 10*time.Second)
	if got := len(m.es1.Docs()); got != before+m.perCapture {
		t.Errorf("the old output has %d documents after the restart, want %d: events were lost", got, before+m.perCapture)
	}
	m.b = startBeatStdin(m.parent, "", m.agent.connInfo(t), managedArgs(t)...) // outlives this subtest
	waitListening(t, m.agent, m.port1)
	sendCaptureLive(t, udpAddr(m.port1), m.capFile)
	waitDocs(t, m.es2, m.perCapture, 30*time.Second)
}

// portChange: the input moves to port2 and releases port1; a port held by
// another program fails the unit; moving back recovers it.
func (m *managed) portChange(t *testing.T) {
	before := len(m.es2.Docs())
	sendCaptureLive(t, udpAddr(m.port1), m.capFile) // in flight during the change: not lost, and not waited for
	start := time.Now()
	m.agent.setExpected(inputUnit(t, 3, m.port2, proto.State_HEALTHY), outputUnit(t, 2, m.es2.URL))
	waitListening(t, m.agent, m.port2)
	t.Logf("the input moved to port %d %s after the policy change (libbeat waits 1s to group changes)", m.port2, time.Since(start).Round(time.Millisecond))
	waitPortFree(t, m.port1)
	sendCaptureLive(t, udpAddr(m.port2), m.capFile)
	waitDocs(t, m.es2, before+2*m.perCapture, 30*time.Second)
	t.Run("failed when the port is taken", func(t *testing.T) {
		taken, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
		if err != nil {
			t.Fatal(err)
		}
		defer taken.Close()
		m.agent.setExpected(inputUnit(t, 4, taken.LocalAddr().(*net.UDPAddr).Port, proto.State_HEALTHY), outputUnit(t, 2, m.es2.URL))
		msg := m.agent.waitUnit(t, inputUnitID, proto.State_FAILED, 30*time.Second)
		if !strings.Contains(msg, "address already in use") {
			t.Errorf("FAILED message %q does not name the cause", msg)
		}
	})
	m.agent.setExpected(inputUnit(t, 5, m.port2, proto.State_HEALTHY), outputUnit(t, 2, m.es2.URL))
	m.agent.waitUnit(t, inputUnitID, proto.State_HEALTHY, 30*time.Second)
	waitListening(t, m.agent, m.port2)
}

// addRemove: a second integration on the first one's port fails; on its
// own port it receives; stopped then removed (as Agent does), it releases
// its port while the first keeps running.
func (m *managed) addRemove(t *testing.T) {
	first := inputUnit(t, 6, m.port2, proto.State_HEALTHY)
	out := outputUnit(t, 2, m.es2.URL)
	m.agent.setExpected(first, sflowUnit(t, 2, 1, m.port2, proto.State_HEALTHY), out)
	if msg := m.agent.waitUnit(t, "sflow-default-sflow-2", proto.State_FAILED, 30*time.Second); !strings.Contains(msg, "already listens") {
		t.Errorf("FAILED message %q does not name the input that holds the port", msg)
	}
	port3 := freeUDPPort(t)
	m.agent.setExpected(first, sflowUnit(t, 2, 2, port3, proto.State_HEALTHY), out)
	m.agent.waitStream(t, "sflow-default-sflow-2", "sflow-sflow.flow-2", "HEALTHY", fmt.Sprintf("receiving sFlow on 127.0.0.1:%d", port3), 60*time.Second)
	before := len(m.es2.Docs())
	sendCaptureLive(t, udpAddr(port3), m.capFile)
	waitDocs(t, m.es2, before+m.perCapture, 30*time.Second)
	m.agent.setExpected(first, sflowUnit(t, 2, 2, port3, proto.State_STOPPED), out)
	m.agent.waitUnit(t, "sflow-default-sflow-2", proto.State_STOPPED, 30*time.Second)
	waitPortFree(t, port3)
	m.agent.setExpected(first, out)
	waitListening(t, m.agent, m.port2) // the first integration kept running
	sendCaptureLive(t, udpAddr(m.port2), m.capFile)
	waitDocs(t, m.es2, before+2*m.perCapture, 30*time.Second)
}

// stop: Agent stops the input unit, then the beat gets SIGTERM; every
// event read before is published, and the exit is clean.
func (m *managed) stop(t *testing.T) {
	before := len(m.es2.Docs())
	sendCaptureLive(t, udpAddr(m.port2), m.capFile)
	m.agent.setExpected(inputUnit(t, 6, m.port2, proto.State_STOPPED), outputUnit(t, 2, m.es2.URL))
	m.agent.waitUnit(t, inputUnitID, proto.State_STOPPED, 30*time.Second)
	waitDocs(t, m.es2, before+m.perCapture, 30*time.Second)
	m.b.stop(30 * time.Second)
	if got := len(m.es2.Docs()); got != before+m.perCapture {
		t.Errorf("%d documents after stop, want %d", got, before+m.perCapture)
	}
}

// checkStreams checks the stream states the input unit reports: the flow
// stream receives on port, the counters stream listens nowhere.
func checkStreams(t *testing.T, agent *agentStub, port int) {
	t.Helper()
	waitListening(t, agent, port)
	agent.waitStream(t, inputUnitID, countersStream, "HEALTHY", "received by the sflow.flow stream", 30*time.Second)
}

// checkDataStreams checks that flow and drop events went to the flow data
// stream and counter events to the counters data stream, with
// data_stream.*, the stream's tags and processors, and Agent's metadata.
func checkDataStreams(t *testing.T, docs []esmock.Doc) {
	t.Helper()
	kinds := map[string]int{}
	// Every field must be declared by the Fleet package's data stream.
	declared := map[string]*kibanacheck.Fields{"logs": dataStreamFields(t, "flow"), "metrics": dataStreamFields(t, "counters")}
	undeclared := map[string]bool{}
	for _, d := range docs {
		keys := map[string][]string{}
		flattenEvent(d.Source, "", keys)
		for k := range keys {
			if !declared[strings.SplitN(d.Index, "-", 2)[0]].Has(k) {
				undeclared[d.Index+": "+k] = true
			}
		}
		dataset := lookup(d.Source, "event.dataset")
		kinds[fmt.Sprint(dataset)]++
		wantType, wantDataset := "logs", "sflow.flow"
		if dataset == "sflow.counters" {
			wantType, wantDataset = "metrics", "sflow.counters"
		}
		wantIndex := wantType + "-" + wantDataset + "-" + managedNS
		if d.Index != wantIndex {
			t.Errorf("%v event written to %q, want %q", dataset, d.Index, wantIndex)
		}
		for field, want := range map[string]any{
			"data_stream.type": wantType, "data_stream.dataset": wantDataset, "data_stream.namespace": managedNS,
			"elastic_agent.id": "test-agent-id", "labels.policy": "p1", "fields.site": "lab",
		} {
			if got := lookup(d.Source, field); got != want {
				t.Errorf("%v event: %s = %v, want %v", dataset, field, got, want)
			}
		}
		if d.Meta["pipeline"] != "sflowbeat-enrich" {
			t.Errorf("%v event: bulk action %v lacks the stream's pipeline", dataset, d.Meta)
		}
		if tags, _ := d.Source["tags"].([]any); !slices.Contains(tags, any("agent-test")) {
			t.Errorf("%v event: tags %v lack the stream's tag agent-test", dataset, tags)
		}
	}
	for k := range undeclared {
		t.Errorf("%s is not declared by the Fleet package's data stream", k)
	}
	for _, k := range []string{"sflow.flow", "sflow.counters", "sflow.drops"} {
		if kinds[k] == 0 {
			t.Errorf("no %s events among %v: the capture should give every kind", k, kinds)
		}
	}
}

// lookup returns the value at a dotted path of a document.
func lookup(doc map[string]any, path string) any {
	var cur any = doc
	for _, p := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[p]
	}
	return cur
}

// waitListening waits until the flow stream reports that it receives on
// port: a policy change applies asynchronously.
func waitListening(t *testing.T, agent *agentStub, port int) {
	t.Helper()
	agent.waitStream(t, inputUnitID, flowStreamID, "HEALTHY", fmt.Sprintf("receiving sFlow on 127.0.0.1:%d", port), 60*time.Second)
}

// freeUDPPort returns a loopback UDP port that is free now.
func freeUDPPort(t *testing.T) int {
	t.Helper()
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).Port
}

// waitPortFree waits until port can be bound, that is until the beat has
// released it.
func waitPortFree(t *testing.T, port int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: port})
		if err == nil {
			c.Close()
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("port %d is still bound 30s after the policy moved the input away", port)
}

// udpAddr is the loopback address of port.
func udpAddr(port int) string { return fmt.Sprintf("127.0.0.1:%d", port) }

// sendRaw sends one datagram to addr.
func sendRaw(t *testing.T, addr string, data []byte) {
	t.Helper()
	c, err := net.Dial("udp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Write(data); err != nil {
		t.Fatal(err)
	}
}
