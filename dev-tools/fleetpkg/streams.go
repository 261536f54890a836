package main

import (
	"slices"
	"strings"
)

// dataStream is one data stream of the package: its base fields and the
// rule that picks, among the fields the beat declares, those its events
// can have.
type dataStream struct {
	name     string            // folder under data_stream/
	datasets []string          // event.dataset of the events it receives
	base     []field           // base-fields.yml
	owns     func(string) bool // whether a declared field belongs here
}

// Datasets of the events, as processor/ecs/dataset names them.
const (
	flowDataset      = "sflow.flow"
	dropsDataset     = "sflow.drops"
	countersDataset  = "sflow.counters"
	exportersDataset = "sflow.exporters"
	reconcileDataset = "sflow.reconcile"
)

// streamDatasets are the datasets of the events the router sends to each
// data stream (dataset.IsMetric: counter samples and the accounting
// stage's events are metrics). A data stream's own dataset is
// sflow.<name>, the value of its constant data_stream.dataset.
var streamDatasets = map[string][]string{
	"flow":     {flowDataset, dropsDataset},
	"counters": {countersDataset, exportersDataset, reconcileDataset},
}

// metricGroups are the groups of the fields only metric events have:
// counter samples, exporter health (sflow.exporters) and reconciliation
// (sflow.reconcile).
var metricGroups = []string{"sflow.counters", "sflow.exporter", "sflow.reconcile"}

// counterExtras are fields of counter events that the golden events cannot
// show: sampling_interval is only in RFC 3176 (v2/v4) counter samples.
var counterExtras = []string{"sflow.sample.sampling_interval"}

// dataStreams returns the package's data streams, with the datasets the
// router sends each (streamDatasets). Counters has the groups of metric fields
// and every field its golden events have (the datagram header, event.*,
// observer.*); flow has every other field, and none that only the
// accounting events have (event.start, event.end).
func dataStreams(src sources) []dataStream {
	flowDatasets, metricDatasets := streamDatasets["flow"], streamDatasets["counters"]
	inCounters := src.goldenFields(metricDatasets...)
	inFlow := src.goldenFields(flowDatasets...)
	accountingOnly := src.goldenFields(exportersDataset, reconcileDataset)
	metricGroup := func(name string) bool {
		return slices.ContainsFunc(metricGroups, func(g string) bool { return under(name, g) })
	}
	return []dataStream{
		{
			name:     "flow",
			datasets: flowDatasets,
			base:     baseFields(field{Name: "event.dataset", Type: "keyword", Description: "sflow.flow (flow samples) or sflow.drops (drop events)."}),
			owns: func(name string) bool {
				return !metricGroup(name) && (inFlow[name] || !accountingOnly[name])
			},
		},
		{
			name:     "counters",
			datasets: metricDatasets,
			base: baseFields(field{Name: "event.dataset", Type: "keyword", Description: "sflow.counters (counter samples)," +
				" sflow.exporters (what each exporter sent and lost) or sflow.reconcile (flow estimates against interface counters)."}),
			owns: func(name string) bool {
				return metricGroup(name) || inCounters[name] || slices.Contains(counterExtras, name)
			},
		},
	}
}

// goldenFields returns the set of the fields of the golden events of
// datasets.
func (s sources) goldenFields(datasets ...string) map[string]bool {
	set := map[string]bool{}
	for _, ds := range datasets {
		for _, p := range s.golden[ds] {
			set[p] = true
		}
	}
	return set
}

// baseFields returns the fields every data stream defines, with its own
// event.dataset.
func baseFields(dataset field) []field {
	return []field{
		{Name: "data_stream.type", Type: "constant_keyword", Description: "Data stream type."},
		{Name: "data_stream.dataset", Type: "constant_keyword", Description: "Data stream dataset."},
		{Name: "data_stream.namespace", Type: "constant_keyword", Description: "Data stream namespace."},
		{Name: "@timestamp", Type: "date", Description: "Time the datagram was received."},
		{Name: "event.module", Type: "constant_keyword", Value: "sflow", Description: "Event module."},
		dataset,
	}
}

// under reports whether name is group or a field under it.
func under(name, group string) bool {
	return name == group || strings.HasPrefix(name, group+".")
}

// agentFields are the fields that events have under Elastic Agent besides
// those of the mapper, the same in every data stream:
//   - agent.* and host.name: libbeat's agent and host metadata
//     (processing.WithAgentMeta and WithHost in main.go's settings);
//   - elastic_agent.* and agent.id: the add_fields processors that
//     beater.AgentConfig adds to every stream, as Agent does for Beats;
//   - labels and fields: the objects the policy's processors and the
//     beat's fields setting fill (add_fields targets labels, or fields by
//     default).
//
// A field without a type takes its definition from ECS or libbeat's common
// fields. sflowbeat adds no input.type (Filebeat's inputs do) and no other
// host.* (no add_host_metadata; events are tagged forwarded).
var agentFields = []field{
	{Name: "agent.ephemeral_id", Description: "ID of the running sflowbeat process, new at each start."},
	{Name: "agent.id", Description: "ID of the Elastic Agent (set by the policy's add_fields); standalone, the ID of the sflowbeat instance."},
	{Name: "agent.name", Description: "Name of the sflowbeat instance: its name setting, else the host name."},
	{Name: "agent.type", Description: "Type of the agent: sflowbeat."},
	{Name: "agent.version", Description: "Version of sflowbeat."},
	{Name: "host.name", Description: "Name of the sflowbeat instance (its name setting, else the host name); the exporter is observer.*."},
	{Name: "labels", Description: "Custom key/value pairs, e.g. from an add_fields processor with target labels."},
	{Name: "fields", Description: "Fields of the beat's fields setting and of add_fields processors without a target."},
	{Name: "elastic_agent.id", Type: "keyword", Description: "ID of the Elastic Agent that runs sflowbeat."},
	{Name: "elastic_agent.snapshot", Type: "boolean", Description: "Whether the Elastic Agent is a snapshot build."},
	{Name: "elastic_agent.version", Type: "keyword", Description: "Version of the Elastic Agent."},
}
