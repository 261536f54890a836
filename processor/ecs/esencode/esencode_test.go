package esencode

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/elastic/beats/v7/libbeat/beat"
	"github.com/elastic/beats/v7/libbeat/idxmgmt"
	"github.com/elastic/beats/v7/libbeat/outputs"
	_ "github.com/elastic/beats/v7/libbeat/outputs/elasticsearch" // registers the output
	"github.com/elastic/beats/v7/libbeat/publisher"
	"github.com/elastic/beats/v7/libbeat/publisher/queue"
	conf "github.com/elastic/elastic-agent-libs/config"
	"github.com/elastic/elastic-agent-libs/logp"
	"github.com/elastic/elastic-agent-libs/mapstr"
	structform "github.com/elastic/go-structform"
	"github.com/google/go-cmp/cmp"

	"github.com/sflowbeat/sflowbeat/beater/pcapfile"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoder"
	"github.com/sflowbeat/sflowbeat/input/sflow/worker"
	"github.com/sflowbeat/sflowbeat/processor/ecs"
)

// builtin is what libbeat's processing adds to every event (agent.*,
// host.name), as a beat on a collector would.
var builtin = mapstr.M{
	"agent": mapstr.M{"ephemeral_id": "5b5fd9b2-0a0c-4b62-8e36-2a0a3a4e6f21", "id": "c6b1d0f5-7d0f-4b8e-9a5c-1d2e3f4a5b6c",
		"name": "collector-1", "type": "sflowbeat", "version": "9.3.0"},
	"host": mapstr.M{"name": "collector-1"},
}

// captureEvents maps every datagram of a capture.
func captureEvents(t testing.TB, name string) []ecs.Event {
	t.Helper()
	dgs, err := pcapfile.ReadAll(filepath.Join("..", "..", "..", "testdata", "pcaps", name), 6343)
	if err != nil {
		t.Fatal(err)
	}
	var out []ecs.Event
	for _, d := range dgs {
		w := worker.New(ecs.Options{InterfaceNames: ecs.NewInterfaceNames()}, nil, &worker.Counts{})
		out = append(out, w.Process(d.Payload, d.Timestamp).Events...)
	}
	return out
}

// encoder returns libbeat's Elasticsearch event encoder, from the output
// itself, with the beat's default index.
func encoder(t testing.TB) queue.Encoder {
	t.Helper()
	log := logp.NewNopLogger()
	info := beat.Info{Beat: "sflowbeat", IndexPrefix: "sflowbeat", Version: "9.3.0", Logger: log}
	cfg := conf.MustNewConfigFrom(map[string]any{"hosts": []string{"127.0.0.1:9200"}})
	im, err := idxmgmt.DefaultSupport(info, nil)
	if err != nil {
		t.Fatal(err)
	}
	group, err := outputs.Load(im, info, nil, "elasticsearch", cfg)
	if err != nil {
		t.Fatal(err)
	}
	if group.EncoderFactory == nil {
		t.Fatal("the Elasticsearch output has no event encoder")
	}
	return group.EncoderFactory()
}

// builtinObjects are builtin as the input sets it (shared objects).
var builtinObjects = map[string]*ecs.Object{
	"agent": ecs.NewObject(builtin["agent"].(mapstr.M)), "host": ecs.NewObject(builtin["host"].(mapstr.M)),
}

// publish returns the beat event of e as the pipeline hands it to the
// queue: the mapper's fields (typed, or maps) and the beat's metadata, as
// the input sets them.
func publish(e *ecs.Event, maps bool) publisher.Event {
	f := e.Doc.Fields()
	for k, o := range builtinObjects {
		f[k] = o
	}
	if maps {
		ecs.Materialize(f)
	}
	return publisher.Event{Content: beat.Event{Timestamp: e.Timestamp, Fields: f}}
}

// encoded runs the encoder on one event and returns the document (the
// output's encoded event prints as the document, then its @metadata).
func encoded(t testing.TB, enc queue.Encoder, ev publisher.Event) []byte {
	t.Helper()
	out, _ := enc.EncodeEntry(ev)
	s, ok := out.(publisher.Event).EncodedEvent.(fmt.Stringer)
	if !ok {
		t.Fatalf("cannot read the encoded event %#v", out)
	}
	doc, _, ok := strings.Cut(s.String(), ", Meta: ")
	if !ok {
		t.Fatalf("cannot read the encoded event %q", s)
	}
	return []byte(doc)
}

// parse parses a JSON document, numbers as json.Number.
func parse(t testing.TB, b []byte) map[string]any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		t.Fatalf("%v in %s", err, b)
	}
	return m
}

// TestEncoderWritesTheEvent: for every event of the switch and Open vSwitch
// captures, the document libbeat's Elasticsearch encoder writes from the
// typed fields (the fast path) and from the maps (processors) is the event
// the decode command prints, with libbeat's metadata.
func TestEncoderWritesTheEvent(t *testing.T) {
	enc := encoder(t)
	for _, name := range []string{"overflowd-sflow.pcap", "ovs-3.1-sflow.pcap", "cistern-sflow-dumps.pcap"} {
		for i, e := range captureEvents(t, name) {
			var line bytes.Buffer
			if err := ecs.EncodeJSON(&line, e); err != nil {
				t.Fatal(err)
			}
			want := parse(t, line.Bytes())
			want["@timestamp"] = e.Timestamp.UTC().Format("2006-01-02T15:04:05.000Z") // libbeat writes milliseconds
			for k, v := range builtin {
				want[k] = parse(t, must(json.Marshal(v)))
			}
			for _, maps := range []bool{false, true} {
				got := parse(t, encoded(t, enc, publish(&e, maps)))
				if diff := cmp.Diff(want, got); diff != "" {
					t.Fatalf("%s event %d (maps %v): the encoder wrote (-decode +encoder):\n%s", name, i, maps, diff)
				}
			}
		}
	}
}

// must returns b, or panics.
func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

// What a benchmark encodes: the mapper's events of overflowd-sflow.pcap,
// mapped beforehand, mapped in the loop from decoded datagrams, or made in
// the loop by the worker from the datagrams' bytes.
const (
	premapped = iota // encode only
	mapping          // map and encode
	working          // decode, count, account, map, encode
)

// benchEncode encodes the events of overflowd-sflow.pcap (switch traffic,
// 92% flow samples) with libbeat's encoder, made as stage says. Reported
// per event, with the document sizes: JSON, and gzip (level 1, libbeat's
// default) in a bulk body of 1600 events.
func benchEncode(b *testing.B, maps bool, stage int) {
	next := eventSource(b, stage)
	enc := encoder(b)
	n := 0
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ReportAllocs()
	for b.Loop() {
		evs := next()
		for i := range evs {
			enc.EncodeEntry(publish(&evs[i], maps))
		}
		n += len(evs)
	}
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/event")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(n), "allocs/event")
	jsonSize, gzSize := sizes(b, enc, captureEvents(b, "overflowd-sflow.pcap"), maps)
	b.ReportMetric(jsonSize, "JSON_B/doc")
	b.ReportMetric(gzSize, "gzip_B/doc")
}

// eventSource returns a function that gives the events of the next
// datagram of overflowd-sflow.pcap, round and round, made as stage says.
func eventSource(b *testing.B, stage int) func() []ecs.Event {
	i := 0
	if stage == premapped {
		events := captureEvents(b, "overflowd-sflow.pcap")
		return func() []ecs.Event { i++; return events[i%len(events) : i%len(events)+1] }
	}
	payloads := capturePayloads(b, "overflowd-sflow.pcap")
	if stage == mapping {
		dgs := make([]decoded.Datagram, len(payloads))
		dec := decoder.NewDecoder()
		for j, p := range payloads {
			if err := dec.Decode(p, &dgs[j]); err != nil {
				b.Fatal(err)
			}
		}
		m := ecs.NewMapper(ecs.Options{InterfaceNames: ecs.NewInterfaceNames()})
		var evs []ecs.Event
		return func() []ecs.Event {
			i++
			evs = m.Map(&dgs[i%len(dgs)], time.Unix(0, 0), evs[:0])
			return evs
		}
	}
	w := worker.New(ecs.Options{InterfaceNames: ecs.NewInterfaceNames()}, nil, &worker.Counts{})
	return func() []ecs.Event { i++; return w.Process(payloads[i%len(payloads)], time.Unix(0, 0)).Events }
}

// capturePayloads returns the sFlow datagrams of a capture.
func capturePayloads(t testing.TB, name string) [][]byte {
	p, err := pcapfile.Payloads(filepath.Join("..", "..", "..", "testdata", "pcaps", name), 6343)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// sizes returns the mean size of the documents of the first 1600 events,
// as JSON and gzipped in a bulk body (an action line each).
func sizes(t testing.TB, enc queue.Encoder, events []ecs.Event, maps bool) (jsonSize, gzSize float64) {
	var body bytes.Buffer
	total, n := 0, min(1600, len(events))
	for i := range n {
		doc := encoded(t, enc, publish(&events[i], maps))
		total += len(doc)
		body.WriteString(`{"create":{"_index":"sflowbeat-9.3.0"}}` + "\n")
		body.Write(doc)
		body.WriteByte('\n')
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestSpeed)
	_, _ = zw.Write(body.Bytes())
	_ = zw.Close()
	return float64(total) / float64(n), float64(gz.Len()) / float64(n)
}

// BenchmarkEncode: libbeat's Elasticsearch encoder on the typed events
// (the fast path).
func BenchmarkEncode(b *testing.B) { benchEncode(b, false, premapped) }

// BenchmarkEncodeMaps: the same on the events as maps (with processors).
func BenchmarkEncodeMaps(b *testing.B) { benchEncode(b, true, premapped) }

// BenchmarkMapAndEncode: map decoded datagrams and encode their events,
// with the garbage collection of fresh documents: the target is 8 µs per
// event.
func BenchmarkMapAndEncode(b *testing.B) { benchEncode(b, false, mapping) }

// BenchmarkProcessAndEncode: the worker's whole loop from the datagrams'
// bytes (decode, count, account, map), then the encoder.
func BenchmarkProcessAndEncode(b *testing.B) { benchEncode(b, false, working) }

// probe is a field value that records whether the visitor folding it is
// one the JSON fast path takes.
type probe struct{ fast *bool }

// Fold records it and writes an empty object.
func (p probe) Fold(v structform.ExtVisitor) error {
	*p.fast = ecs.JSONFastPath(v)
	if err := v.OnObjectStart(0, structform.AnyType); err != nil {
		return err
	}
	return v.OnObjectFinished()
}

// TestEncoderTakesTheFastPath: libbeat's Elasticsearch encoder folds the
// event's values with go-structform's JSON visitor over a buffer, which
// the mapper's documents write their JSON into directly (the JSON fast
// path). If a libbeat upgrade changes that, the documents still encode
// right, token by token, but at about twice the cost: this fails.
func TestEncoderTakesTheFastPath(t *testing.T) {
	var fast bool
	enc := encoder(t)
	enc.EncodeEntry(publisher.Event{Content: beat.Event{Timestamp: time.Now(), Fields: mapstr.M{"probe": probe{&fast}}}})
	if !fast {
		t.Fatal("libbeat's Elasticsearch encoder does not hand the fields a JSON visitor over a bytes.Buffer: the JSON fast path is off")
	}
}
