package beater

import (
	"fmt"

	"github.com/elastic/beats/v7/libbeat/common/reload"
	"github.com/elastic/elastic-agent-client/v7/pkg/client"
	"github.com/elastic/elastic-agent-client/v7/pkg/proto"
	conf "github.com/elastic/elastic-agent-libs/config"

	"github.com/sflowbeat/sflowbeat/config"
	"github.com/sflowbeat/sflowbeat/processor/ecs/dataset"
)

// Defaults of the data stream of an Agent stream that does not name one.
const (
	agentDefaultType      = dataset.LogsType
	agentDefaultNamespace = "default"
)

// AgentConfig turns the input unit of an Elastic Agent policy into sflow
// input configurations, one per stream; it is sflowbeat's
// management.ConfigTransform. Each stream keeps its own settings (host,
// allowed_exporters, tags, processors, pipeline, ...) and gets:
//   - type sflow and, unless it has one, the stream's id as input id;
//   - data_stream.{type,dataset,namespace} from the policy, so that the
//     input routes flow and drop events to <type>-<dataset>-<namespace>
//     and counter events to metrics-sflow.counters-<namespace>, or drops
//     (and counts) counter events when the unit has no sflow.counters
//     stream, whose data stream Agent may then not write (a stream with an
//     explicit index keeps that index instead);
//   - what Agent adds to the events of every Beat input (@metadata.input_id
//     and stream_id, elastic_agent.* and agent.id), as input settings
//     (_agent) rather than the add_fields processors other Beats get, so
//     that a stream without processors keeps the fast path (maps are built
//     only for processors to read);
//   - the policy's global processors, then the stream's own.
func AgentConfig(unit *proto.UnitExpectedConfig, agent *client.AgentInfo) ([]*reload.ConfigWithMeta, error) {
	streams := unit.GetStreams()
	if len(streams) == 0 {
		return nil, fmt.Errorf("sflow input unit %q has no streams: add the sFlow integration's flow stream", unit.GetId())
	}
	shared := unitShared{unit: unit, agent: agent, counters: hasCountersStream(streams)}
	shared.global, _ = unit.GetSource().AsMap()["processors"].([]any)
	out := make([]*reload.ConfigWithMeta, 0, len(streams))
	for i, stream := range streams {
		src := agentStream(shared, stream)
		c, err := conf.NewConfigFrom(src)
		if err != nil {
			return nil, fmt.Errorf("sflow input unit %q, stream %d: %w", unit.GetId(), i, err)
		}
		out = append(out, &reload.ConfigWithMeta{Config: c})
	}
	return out, nil
}

// hasCountersStream reports whether the unit has the stream of the
// sflow.counters data stream: Fleet gives the Agent's API key write access
// to a package's data streams only through their enabled streams.
func hasCountersStream(streams []*proto.Stream) bool {
	for _, s := range streams {
		if s.GetDataStream().GetDataset() == dataset.Counters {
			return true
		}
	}
	return false
}

// unitShared is what the streams of a unit share.
type unitShared struct {
	unit     *proto.UnitExpectedConfig
	agent    *client.AgentInfo
	counters bool  // the unit has the counters data stream's stream
	global   []any // the unit's processors
}

// agentStream returns the input configuration of one stream of u.
func agentStream(u unitShared, stream *proto.Stream) map[string]any {
	src := stream.GetSource().AsMap()
	src["type"] = config.InputType
	if _, ok := src["id"]; !ok && stream.GetId() != "" {
		src["id"] = stream.GetId()
	}
	if _, ok := src["index"]; ok {
		delete(src, "data_stream")
	} else {
		ds := agentDataStream(u.unit, stream)
		ds["counters"] = u.counters
		src["data_stream"] = ds
	}
	src["_agent"] = agentMetadata(u, stream)
	if procs := append(append([]any(nil), u.global...), asList(src["processors"])...); len(procs) > 0 {
		src["processors"] = procs
	}
	return src
}

// agentDataStream resolves the data stream of a stream as libbeat does for
// other inputs: the unit's values override the stream's unless they are
// the defaults.
func agentDataStream(unit *proto.UnitExpectedConfig, stream *proto.Stream) map[string]any {
	pick := func(def, streamV, unitV string) string {
		v := def
		if streamV != "" {
			v = streamV
		}
		if unitV != "" && unitV != def {
			v = unitV
		}
		return v
	}
	u, s := unit.GetDataStream(), stream.GetDataStream()
	return map[string]any{
		"type":      pick(agentDefaultType, s.GetType(), u.GetType()),
		"dataset":   pick(dataset.Flow, s.GetDataset(), u.GetDataset()),
		"namespace": pick(agentDefaultNamespace, s.GetNamespace(), u.GetNamespace()),
	}
}

// agentMetadata returns what Agent adds to every event of a stream of u
// (config.AgentMetadata): the input sets it itself, as add_fields
// processors would, so that a stream without processors of its own keeps
// the fast path.
func agentMetadata(u unitShared, stream *proto.Stream) map[string]any {
	m := map[string]any{"input_id": u.unit.GetId(), "stream_id": stream.GetId()}
	if a := u.agent; a != nil {
		m["id"], m["version"], m["snapshot"] = a.ID, a.Version, a.Snapshot
	}
	return m
}

// asList returns v if it is a list.
func asList(v any) []any {
	l, _ := v.([]any)
	return l
}
