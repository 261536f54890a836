package beater

import (
	"testing"

	"github.com/elastic/beats/v7/libbeat/beat"
	"github.com/elastic/beats/v7/libbeat/publisher/processing"
	conf "github.com/elastic/elastic-agent-libs/config"
	"github.com/elastic/elastic-agent-libs/logp"
	"github.com/elastic/elastic-agent-libs/mapstr"
	"github.com/gofrs/uuid/v5"
	"github.com/google/go-cmp/cmp"

	"github.com/sflowbeat/sflowbeat/processor/ecs"
)

// testInfo is the beat.Info of a beat on host collector-1.
func testInfo() beat.Info {
	return beat.Info{Beat: Name, IndexPrefix: Name, Version: "9.3.0", Hostname: "collector-1", Name: "edge-1",
		ID: uuid.Must(uuid.NewV4()), EphemeralID: uuid.Must(uuid.NewV4()), Logger: logp.NewNopLogger()}
}

// run runs the processing of a client of factory on an event of fields.
func run(t *testing.T, factory processing.SupportFactory, info beat.Info, fields mapstr.M) mapstr.M {
	t.Helper()
	s, err := factory(info, logp.NewNopLogger(), conf.NewConfig())
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.Create(beat.ProcessingConfig{}, false)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := p.Run(&beat.Event{Fields: fields})
	if err != nil {
		t.Fatal(err)
	}
	return ev.Fields
}

// TestBuiltinFields: the metadata the inputs set themselves is exactly
// what libbeat's default processing adds to an event, and sflowbeat's
// processing leaves the inputs' objects alone.
func TestBuiltinFields(t *testing.T) {
	info := testInfo()
	libbeat := processing.MakeDefaultSupport(false, nil, processing.WithHost, processing.WithAgentMeta())
	if diff := cmp.Diff(run(t, libbeat, info, mapstr.M{}), BuiltinFields(info)); diff != "" {
		t.Errorf("libbeat adds (-) what BuiltinFields gives (+):\n%s", diff)
	}
	agent := ecs.NewObject(mapstr.M{"id": "x"})
	got := run(t, ProcessingSupport(), info, mapstr.M{"agent": agent})
	if o, ok := got["agent"].(*ecs.Object); !ok || o != agent || len(got) != 1 {
		t.Errorf("sflowbeat's processing changed the input's metadata: %v", got)
	}
}
