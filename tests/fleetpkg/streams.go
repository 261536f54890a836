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

// countersPrefix is the group of the fields only counter events have.
const countersPrefix = "sflow.counters"

// counterExtras are fields of counter events that the golden events cannot
// show: sampling_interval is only in RFC 3176 (v2/v4) counter samples.
var counterExtras = []string{"sflow.sample.sampling_interval"}

// dataStreams returns the package's data streams. Flow and drop events go
// to flow, so it has every field but the counters; counters has the
// sflow.counters group and the fields golden counter events have (the
// datagram header, event.*, observer.*).
func dataStreams(src sources) []dataStream {
	inCounters := map[string]bool{}
	for _, p := range src.golden["sflow.counters"] {
		inCounters[p] = true
	}
	return []dataStream{
		{
			name:     "flow",
			datasets: []string{"sflow.flow", "sflow.drops"},
			base:     baseFields(field{Name: "event.dataset", Type: "keyword", Description: "sflow.flow (flow samples) or sflow.drops (drop events)."}),
			owns:     func(name string) bool { return !under(name, countersPrefix) },
		},
		{
			name:     "counters",
			datasets: []string{"sflow.counters"},
			base:     baseFields(field{Name: "event.dataset", Type: "constant_keyword", Value: "sflow.counters", Description: "Event dataset."}),
			owns: func(name string) bool {
				return under(name, countersPrefix) || inCounters[name] || slices.Contains(counterExtras, name)
			},
		},
	}
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
