// Package dataset names the kinds of events sflowbeat publishes: their
// event.dataset values, which are also the datasets of the data streams
// they go to under Elastic Agent. It is a leaf: the configuration, the
// mapper and the input share these names without importing each other.
package dataset

// The event.dataset of each kind of event.
const (
	Flow     = "sflow.flow"     // a flow sample (flow_sample, flow_sample_expanded)
	Counters = "sflow.counters" // a counter sample (counters_sample, counters_sample_expanded)
	Drops    = "sflow.drops"    // a dropped packet notification (event_discarded_packet)

	// Exporters is what one exporter sent and lost over a period; Reconcile
	// compares the bytes estimated from an interface's flow samples with
	// its counters. Both are metrics: under Elastic Agent they go to the
	// counters data stream.
	Exporters = "sflow.exporters"
	Reconcile = "sflow.reconcile"
)

// IsMetric reports whether events of dataset ds are metrics, which go to
// the counters data stream under Elastic Agent.
func IsMetric(ds string) bool { return ds == Counters || ds == Exporters || ds == Reconcile }

// Data stream types (the first part of a data stream's name).
const (
	LogsType    = "logs"    // flow and drop events
	MetricsType = "metrics" // counter events
)
