package beater

import (
	"strings"
	"testing"

	"github.com/elastic/elastic-agent-client/v7/pkg/client"
	"github.com/elastic/elastic-agent-client/v7/pkg/proto"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/sflowbeat/sflowbeat/config"
)

// agentUnit is an sflow input unit as Fleet sends it for the package: the
// counters and the flow streams.
func agentUnit(t *testing.T, unitNS string, flow map[string]any) *proto.UnitExpectedConfig {
	t.Helper()
	return &proto.UnitExpectedConfig{
		Id: "sflow-1", Type: "sflow",
		DataStream: &proto.DataStream{Namespace: unitNS},
		Source: mustStruct(t, map[string]any{"id": "sflow-1", "type": "sflow",
			"processors": []any{map[string]any{"drop_fields": map[string]any{"fields": []any{"x"}}}}}),
		Streams: []*proto.Stream{
			{Id: "counters-1", DataStream: &proto.DataStream{Dataset: "sflow.counters", Type: "metrics"},
				Source: mustStruct(t, map[string]any{"id": "counters-1"})},
			{Id: "flow-1", DataStream: &proto.DataStream{Dataset: "sflow.flow", Type: "logs"},
				Source: mustStruct(t, flow)},
		},
	}
}

func mustStruct(t *testing.T, m map[string]any) *structpb.Struct {
	t.Helper()
	s, err := structpb.NewStruct(m)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestAgentConfig(t *testing.T) {
	flow := map[string]any{
		"host": "127.0.0.1:6343", "tags": []any{"edge"},
		"processors": []any{map[string]any{"add_tags": map[string]any{"tags": []any{"own"}}}},
	}
	cfgs, err := AgentConfig(agentUnit(t, "prod", flow), &client.AgentInfo{ID: "agent-1", Version: "9.3.0"})
	if err != nil {
		t.Fatal(err)
	}
	if len(cfgs) != 2 {
		t.Fatalf("%d configurations for 2 streams", len(cfgs))
	}
	var got []map[string]any
	for _, c := range cfgs {
		var m map[string]any
		if err := c.Config.Unpack(&m); err != nil {
			t.Fatal(err)
		}
		got = append(got, m)
	}
	// Stream order is kept: libbeat reports stream i's state with config i.
	if got[0]["id"] != "counters-1" || got[1]["id"] != "flow-1" {
		t.Errorf("ids %v, %v; want the stream ids in order", got[0]["id"], got[1]["id"])
	}
	wantDS := map[string]any{"type": "logs", "dataset": "sflow.flow", "namespace": "prod", "counters": true}
	if diff := cmp.Diff(wantDS, got[1]["data_stream"]); diff != "" {
		t.Errorf("flow data_stream (-want +got):\n%s", diff)
	}
	procs := processorNames(got[1]["processors"])
	wantProcs := []string{"drop_fields", "add_tags"}
	if diff := cmp.Diff(wantProcs, procs); diff != "" {
		t.Errorf("processors: global, then the stream's (-want +got):\n%s", diff)
	}
	wantAgent := map[string]any{"input_id": "sflow-1", "stream_id": "flow-1", "id": "agent-1", "version": "9.3.0", "snapshot": false}
	if diff := cmp.Diff(wantAgent, got[1]["_agent"]); diff != "" {
		t.Errorf("Agent's metadata (-want +got):\n%s", diff)
	}
	for i, c := range cfgs {
		in, err := config.ParseInput(c.Config)
		if err != nil {
			t.Fatalf("stream %d: sflowbeat rejects the configuration: %v", i, err)
		}
		if in.Type != config.InputType || !in.DataStream.Enabled() {
			t.Errorf("stream %d: type %q, data streams %v", i, in.Type, in.DataStream.Enabled())
		}
	}
}

// processorNames names each processor configuration, with the target of
// add_fields.
func processorNames(v any) []string {
	var out []string
	list, _ := v.([]any)
	for _, p := range list {
		for name, body := range p.(map[string]any) {
			if target, ok := body.(map[string]any)["target"]; ok && name == "add_fields" {
				name += ":" + target.(string)
			}
			out = append(out, name)
		}
	}
	return out
}

func TestAgentConfigNamespace(t *testing.T) {
	for _, tc := range []struct{ unitNS, want string }{{"", "default"}, {"default", "default"}, {"ops", "ops"}} {
		cfgs, err := AgentConfig(agentUnit(t, tc.unitNS, map[string]any{"host": "127.0.0.1:0"}), nil)
		if err != nil {
			t.Fatal(err)
		}
		in, err := config.ParseInput(cfgs[1].Config)
		if err != nil {
			t.Fatal(err)
		}
		if in.DataStream.Namespace != tc.want || in.DataStream.FlowIndex() != "logs-sflow.flow-"+tc.want {
			t.Errorf("unit namespace %q: namespace %q, flow index %q", tc.unitNS, in.DataStream.Namespace, in.DataStream.FlowIndex())
		}
	}
}

// TestAgentConfigNoCountersStream: without the counters stream (disabled
// in Fleet), the flow input must drop counter events, which Agent's API
// key may not write.
func TestAgentConfigNoCountersStream(t *testing.T) {
	unit := agentUnit(t, "prod", map[string]any{"host": "127.0.0.1:0"})
	unit.Streams = unit.Streams[1:]
	cfgs, err := AgentConfig(unit, nil)
	if err != nil {
		t.Fatal(err)
	}
	in, err := config.ParseInput(cfgs[0].Config)
	if err != nil {
		t.Fatal(err)
	}
	if in.DataStream.CountersEnabled() {
		t.Error("a unit without the sflow.counters stream still publishes counter events")
	}
}

func TestAgentConfigExplicitIndex(t *testing.T) {
	cfgs, err := AgentConfig(agentUnit(t, "prod", map[string]any{"host": "127.0.0.1:0", "index": "my-flows"}), nil)
	if err != nil {
		t.Fatal(err)
	}
	in, err := config.ParseInput(cfgs[1].Config)
	if err != nil {
		t.Fatal(err)
	}
	if in.Index == nil || !in.Index.IsConst() || in.DataStream.Enabled() {
		t.Errorf("index %v, data streams %v; an explicit index replaces the data streams", in.Index, in.DataStream.Enabled())
	}
}

func TestAgentConfigNoStreams(t *testing.T) {
	_, err := AgentConfig(&proto.UnitExpectedConfig{Id: "sflow-1", Type: "sflow"}, nil)
	if err == nil || !strings.Contains(err.Error(), "no streams") {
		t.Errorf("want a 'no streams' error, got %v", err)
	}
}
