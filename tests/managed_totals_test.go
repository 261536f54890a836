package tests

import (
	"strings"
	"testing"
	"time"

	"github.com/elastic/elastic-agent-client/v7/pkg/proto"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/sflowbeat/sflowbeat/tests/esmock"
	"github.com/sflowbeat/sflowbeat/tests/replay"
)

// totalsUnit is the first integration's input unit listening on port with
// sflow.exporters events every second.
func totalsUnit(t *testing.T, rev uint64, port int) *proto.UnitExpected {
	t.Helper()
	u := inputUnit(t, rev, port, proto.State_HEALTHY)
	for _, s := range u.Config.Streams {
		if s.Id == flowStreamID {
			s.Source.Fields["exporter_stats_period"] = structpb.NewStringValue("1s")
		}
	}
	return u
}

// totals: with exporter events switched on, 5 consecutive datagrams lost
// on the way in make the unit DEGRADED with a message that says so, then
// HEALTHY again; the sflow.exporters events go to the counters data stream
// with Agent's metadata. The policy is put back afterwards, so that the
// later phases' exact document counts still hold.
func (m *managed) totals(t *testing.T) {
	port := freeUDPPort(t)
	m.agent.setExpected(totalsUnit(t, 101, port), outputUnit(t, 1, m.es1.URL))
	waitListening(t, m.agent, port)
	dgs := payloadsOf(t, "overflowd-sflow.pcap")[:20]
	s := newSender(t, udpAddr(port), replay.NewSequencer(), newLedger())
	for i, p := range dgs {
		if i >= 10 && i < 15 {
			s.skip(p)
		} else {
			s.send(p)
		}
	}
	msg := m.agent.waitUnit(t, inputUnitID, proto.State_DEGRADED, 10*time.Second)
	if !strings.Contains(msg, "5 datagrams lost between the exporters and the collector") {
		t.Errorf("DEGRADED message %q does not say that 5 datagrams were lost on the way in", msg)
	}
	m.agent.waitUnit(t, inputUnitID, proto.State_HEALTHY, 10*time.Second)
	checkExporterEvents(t, m.es1, 5)

	m.agent.setExpected(inputUnit(t, 102, m.port1, proto.State_HEALTHY), outputUnit(t, 1, m.es1.URL))
	waitListening(t, m.agent, m.port1)
	waitDocsStable(t, m.es1, 1500*time.Millisecond)
}

// checkExporterEvents waits until the sflow.exporters events count missing
// datagrams, and checks that they went to the counters data stream with
// data_stream.* and elastic_agent.id.
func checkExporterEvents(t *testing.T, es *esmock.Server, missing float64) {
	t.Helper()
	var got float64
	for deadline := time.Now().Add(10 * time.Second); got < missing && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		got = 0
		for _, d := range es.Docs() {
			if lookup(d.Source, "event.dataset") != "sflow.exporters" {
				continue
			}
			got += num(d.Source, "sflow.exporter.datagrams_missing")
			ds := [3]any{lookup(d.Source, "data_stream.type"), lookup(d.Source, "data_stream.dataset"), lookup(d.Source, "data_stream.namespace")}
			if d.Index != "metrics-sflow.counters-"+managedNS || ds != [3]any{"metrics", "sflow.counters", managedNS} ||
				lookup(d.Source, "elastic_agent.id") == nil {
				t.Fatalf("sflow.exporters event sent to %s with data_stream %v, elastic_agent.id %v", d.Index, ds, lookup(d.Source, "elastic_agent.id"))
			}
		}
	}
	if got != missing {
		t.Errorf("sflow.exporters events count %v datagrams missing, want %v", got, missing)
	}
}

// waitDocsStable waits until the mock's document count has not moved for
// quiet.
func waitDocsStable(t *testing.T, es *esmock.Server, quiet time.Duration) {
	t.Helper()
	n, since := len(es.Docs()), time.Now()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if now := len(es.Docs()); now != n {
			n, since = now, time.Now()
		} else if time.Since(since) >= quiet {
			return
		}
	}
	t.Fatal("documents kept arriving for 30s")
}
