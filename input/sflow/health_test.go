package sflow

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/elastic/beats/v7/libbeat/common/fmtstr"
	"github.com/elastic/beats/v7/libbeat/management/status"
	"github.com/elastic/elastic-agent-libs/logp"
	"github.com/elastic/elastic-agent-libs/mapstr"
	"github.com/elastic/elastic-agent-libs/monitoring"
	"github.com/google/go-cmp/cmp"

	"github.com/sflowbeat/sflowbeat/config"
	"github.com/sflowbeat/sflowbeat/processor/ecs"
	"github.com/sflowbeat/sflowbeat/processor/ecs/dataset"
)

// recorder is a status.StatusReporter that keeps every update.
type recorder struct {
	mu      sync.Mutex
	updates []string
}

func (r *recorder) UpdateStatus(s status.Status, msg string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.updates = append(r.updates, s.String()+": "+msg)
}

func (r *recorder) last() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.updates) == 0 {
		return ""
	}
	return r.updates[len(r.updates)-1]
}

// TestHealth checks the states an input reports as its loss counters move.
func TestHealth(t *testing.T) {
	m := newMetrics(monitoring.NewRegistry(), "127.0.0.1:0", 0, logp.NewNopLogger())
	defer m.close()
	r := &recorder{}
	h := &health{r: r, m: m, period: time.Hour, addr: "127.0.0.1:6343", done: make(chan struct{})}
	h.start()
	if got := r.last(); got != "Running: receiving sFlow on 127.0.0.1:6343" {
		t.Errorf("after start: %q", got)
	}
	m.datagramsDropped.Add(3)
	m.datagramsDenied.Inc()
	h.check()
	want := "Degraded: in the last 1h0m0s: 3 datagrams dropped because the decode queue was full (decoders or output too slow); " +
		"1 datagrams rejected from exporters not in allowed_exporters"
	if got := r.last(); got != want {
		t.Errorf("after losses:\n got %q\nwant %q", got, want)
	}
	h.check()
	if got := r.last(); !strings.HasPrefix(got, "Running:") {
		t.Errorf("a period without losses: %q, want Running", got)
	}
	m.datagramsInvalid.Inc()
	h.check()
	if got := r.last(); !strings.Contains(got, "1 invalid datagrams") {
		t.Errorf("after an invalid datagram: %q", got)
	}
	if m.kernelDrops == nil {
		t.Fatal("the kernel's drop counter (system_packet_drops) is not in the registry")
	}
	m.kernelDrops.Set(m.kernelDrops.Get() + 5)
	h.check()
	if got := r.last(); !strings.Contains(got, "5 datagrams dropped by the kernel") {
		t.Errorf("after kernel drops: %q", got)
	}
	m.accounting.datagrams.missing.Add(7)
	h.check()
	if got := r.last(); !strings.HasPrefix(got, "Degraded:") || !strings.Contains(got, "7 datagrams lost between the exporters and the collector") {
		t.Errorf("after datagrams lost on the way in: %q", got)
	}
	h.stopping()
	h.stopped()
	if got := r.last(); got != "Stopped: stopped" {
		t.Errorf("after stop: %q", got)
	}
}

// TestRouter checks that data stream routing sends counters and flows to
// their data streams, and that it is off without a namespace.
func TestRouter(t *testing.T) {
	off := newRouter(config.DefaultInput(), options{})
	if ev := off.event(&ecs.Event{Doc: &ecs.Doc{}, Dataset: dataset.Flow}); ev.Meta != nil || ev.Fields["data_stream"] != nil {
		t.Errorf("routing without a namespace: meta %v, fields %v", ev.Meta, ev.Fields)
	}
	c := config.DefaultInput()
	c.DataStream.Namespace = "prod"
	r := newRouter(c, options{})
	for dataset, want := range map[string]string{
		dataset.Flow: "logs-sflow.flow-prod", dataset.Drops: "logs-sflow.flow-prod", dataset.Counters: "metrics-sflow.counters-prod",
	} {
		ev := r.event(&ecs.Event{Doc: &ecs.Doc{}, Dataset: dataset})
		if ev.Meta["index"] != want {
			t.Errorf("%s: index %v, want %s", dataset, ev.Meta["index"], want)
		}
		typ, _ := ev.Fields.GetValue("data_stream.type")
		dsName, _ := ev.Fields.GetValue("data_stream.dataset")
		if got := typ.(string) + "-" + dsName.(string) + "-prod"; got != want {
			t.Errorf("%s: data_stream fields name %s, want %s", dataset, got, want)
		}
	}
}

// TestRouterDropsCounters checks that counter events are dropped and
// counted when there is no counters data stream.
func TestRouterDropsCounters(t *testing.T) {
	m := newMetrics(monitoring.NewRegistry(), "127.0.0.1:0", 0, logp.NewNopLogger())
	defer m.close()
	c := config.DefaultInput()
	off := false
	c.DataStream.Namespace, c.DataStream.Counters = "prod", &off
	evs := []ecs.Event{{Doc: &ecs.Doc{}, Dataset: dataset.Counters}, {Doc: &ecs.Doc{}, Dataset: dataset.Flow}}
	out := newRouter(c, options{}).filter(evs, m, nil)
	if len(out) != 1 || out[0].Meta["index"] != "logs-sflow.flow-prod" || m.countersDropped.Get() != 1 {
		t.Errorf("%d events (%v), counters_dropped_total %d; want the flow event only and 1 dropped", len(out), out, m.countersDropped.Get())
	}
}

// TestCountersStream checks the runner of the counters data stream's
// stream: it listens nowhere and reports HEALTHY, then STOPPED.
func TestCountersStream(t *testing.T) {
	c := config.DefaultInput()
	c.ID, c.DataStream.Namespace, c.DataStream.Type, c.DataStream.Dataset = "counters-1", "prod", "metrics", dataset.Counters
	if !isCountersStream(c) {
		t.Fatal("a metrics sflow.counters data stream is not recognised as the counters stream")
	}
	r := &recorder{}
	s := &countersStream{cfg: c}
	s.SetStatusReporter(r)
	s.Start()
	if got := r.last(); !strings.HasPrefix(got, "Running: counter samples are received by the sflow.flow stream") {
		t.Errorf("after Start: %q", got)
	}
	s.Stop()
	if got := r.last(); got != "Stopped: stopped" {
		t.Errorf("after Stop: %q", got)
	}
	c.DataStream.Dataset = dataset.Flow
	if isCountersStream(c) {
		t.Error("the flow data stream is taken for the counters stream")
	}
}

// TestRouterMetadata: the router sets the pipeline and, under Elastic
// Agent, the unit's and stream's ids in @metadata, and elastic_agent.* and
// agent.id in the fields; the maps shared between events are copied when
// fields_under_root makes the input build maps.
func TestRouterMetadata(t *testing.T) {
	c := config.DefaultInput()
	c.DataStream.Namespace, c.Pipeline = "prod", "enrich"
	c.Agent = config.AgentMetadata{InputID: "unit-1", StreamID: "flow-1", ID: "agent-1", Version: "9.3.0"}
	r := newRouter(c, options{})
	ev := r.event(&ecs.Event{Doc: &ecs.Doc{}, Dataset: dataset.Flow})
	wantMeta := mapstr.M{"index": "logs-sflow.flow-prod", "pipeline": "enrich", "input_id": "unit-1", "stream_id": "flow-1"}
	if diff := cmp.Diff(wantMeta, ev.Meta); diff != "" {
		t.Errorf("@metadata (-want +got):\n%s", diff)
	}
	ecs.Materialize(ev.Fields)
	if id, _ := ev.Fields.GetValue("agent.id"); id != "agent-1" {
		t.Errorf("agent.id %v", id)
	}
	if v, _ := ev.Fields.GetValue("elastic_agent.version"); v != "9.3.0" {
		t.Errorf("elastic_agent.version %v", v)
	}
	c.Fields, c.FieldsUnderRoot = mapstr.M{"site": "par1"}, true
	maps := newRouter(c, options{})
	ev = maps.event(&ecs.Event{Doc: &ecs.Doc{}, Dataset: dataset.Flow})
	ev.Meta["index"] = "changed"
	ev.Fields["data_stream"].(mapstr.M)["namespace"] = "changed"
	again := maps.event(&ecs.Event{Doc: &ecs.Doc{}, Dataset: dataset.Flow})
	if again.Meta["index"] != "logs-sflow.flow-prod" || again.Fields["data_stream"].(mapstr.M)["namespace"] != "prod" {
		t.Errorf("a change to one event reached the next: %v, %v", again.Meta, again.Fields["data_stream"])
	}
}

// TestRouterIndex: an input's index is a format string of the beat's
// static fields and the event time, as in Filebeat; one that reads an
// event field is refused.
func TestRouterIndex(t *testing.T) {
	static := fmtstr.FieldsForBeat("sflowbeat", "9.3.0")
	at := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	for expr, want := range map[string]string{
		"flows":                    "flows",
		"flows-%{[agent.version]}": "flows-9.3.0",
		"flows-%{[agent.version]}-%{+yyyy.MM.dd}": "flows-9.3.0-2026.12.02",
	} {
		c := config.DefaultInput()
		c.Index = fmtstr.MustCompileEvent(expr)
		if err := checkIndex(c.Index, static); err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		ev := newRouter(c, options{indexFields: static}).event(&ecs.Event{Doc: &ecs.Doc{}, Dataset: dataset.Flow, Timestamp: at})
		if ev.Meta["index"] != want {
			t.Errorf("%s: index %v, want %s", expr, ev.Meta["index"], want)
		}
	}
	if err := checkIndex(fmtstr.MustCompileEvent("flows-%{[event.dataset]}"), static); err == nil {
		t.Error("an index that reads an event field was accepted")
	}
}
