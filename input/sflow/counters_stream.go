package sflow

import (
	"github.com/elastic/beats/v7/libbeat/management/status"

	"github.com/sflowbeat/sflowbeat/config"
	"github.com/sflowbeat/sflowbeat/processor/ecs/dataset"
)

// countersStream is the runner of an input whose data_stream.dataset is
// sflow.counters: the stream of the Fleet package's counters data stream.
// It does not listen, because counter samples arrive on the flow stream's
// port and that input routes them to metrics-sflow.counters-<namespace>;
// it exists so that Fleet grants Agent's API key write access to that data
// stream, and it reports HEALTHY while it runs.
type countersStream struct {
	cfg    config.Input
	status status.StatusReporter
}

// isCountersStream reports whether c is the counters data stream's stream.
func isCountersStream(c config.Input) bool {
	return c.DataStream.Enabled() && c.DataStream.Dataset == dataset.Counters
}

// SetStatusReporter implements status.WithStatusReporter.
func (s *countersStream) SetStatusReporter(r status.StatusReporter) { s.status = r }

// Start reports HEALTHY.
func (s *countersStream) Start() {
	s.report(status.Running, "counter samples are received by the sflow.flow stream's listener")
}

// Stop reports STOPPED.
func (s *countersStream) Stop() { s.report(status.Stopped, "stopped") }

// String names the runner in libbeat's logs.
func (s *countersStream) String() string {
	return "sflow counters stream " + s.cfg.ID + " (no listener)"
}

// report updates the state when a reporter is set.
func (s *countersStream) report(st status.Status, msg string) {
	if s.status != nil {
		s.status.UpdateStatus(st, msg)
	}
}
