package tests

import (
	be "encoding/binary"
	"fmt"
	"math/rand"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/sflowbeat/sflowbeat/tests/beatmon"
	"github.com/sflowbeat/sflowbeat/tests/esmock"
)

// inputMetrics returns the metrics of the input with the given id.
func inputMetrics(t *testing.T, sock, id string) map[string]any {
	t.Helper()
	m, err := beatmon.Input(sock, id)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// counter reads a numeric metric (-1 when it is missing).
func counter(m map[string]any, name string) int {
	v, ok := m[name].(float64)
	if !ok {
		return -1
	}
	return int(v)
}

// TestCountersAccountForEverything sends valid datagrams mixed with garbage
// (truncated, random, NetFlow, oversized, lying lengths, sFlow v2) and
// checks that every valid sample, sFlow v5, v4 and v2, is published and the
// counters account for every datagram that was not.
func TestCountersAccountForEverything(t *testing.T) {
	es := esmock.Start()
	defer es.Close()
	sock := filepath.Join(t.TempDir(), "http.sock")
	cfg := beatConfig(es.URL, "127.0.0.1:0") + fmt.Sprintf("http.enabled: true\nhttp.host: unix://%s\n", sock)
	cfg += "sflowbeat.inputs.0.max_message_size: 2048\n"
	b := startBeat(t, cfg)
	addr := b.listenAddrs(1)[0]

	valid := len(decodeEvents(t, capture("akvorado-data-1140.pcap")))
	sent := sendCapture(t, addr, capture("akvorado-data-1140.pcap"))
	garbage := garbageDatagrams()
	conn, err := net.Dial("udp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Valid sFlow v2 and v4 datagrams, and a v4 one cut inside its header.
	old := rfc3176Datagrams(tcpFrame(t))
	for _, d := range old {
		valid += samplesIn(t, d)
		if _, err := conn.Write(d); err != nil {
			t.Fatal(err)
		}
	}
	sent += len(old)
	garbage = append(garbage, garbageDatagram{old[len(old)-1][:20], "truncated"})
	for _, g := range garbage {
		if _, err := conn.Write(g.data); err != nil {
			t.Fatal(err)
		}
	}
	waitDocs(t, es, valid, 30*time.Second)

	var m map[string]any
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		m = inputMetrics(t, sock, "sflow-0")
		if counter(m, "datagrams_received_total") >= sent+len(garbage) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	want := map[string]int{
		"datagrams_received_total": sent + len(garbage),
		"datagrams_invalid_total":  len(garbage),
		"datagrams_dropped_total":  0,
		"events_published_total":   valid,
		"samples_total":            valid,
	}
	for name, n := range want {
		if got := counter(m, name); got != n {
			t.Errorf("%s = %d, want %d", name, got, n)
		}
	}
	byCause, _ := m["datagrams_invalid_by_cause"].(map[string]any)
	causes := map[string]int{}
	for _, g := range garbage {
		causes[g.cause]++
	}
	for cause, n := range causes {
		if got := counter(byCause, cause+"_total"); got != n {
			t.Errorf("datagrams_invalid_by_cause.%s_total = %d, want %d (all: %v)", cause, got, n, byCause)
		}
	}
	if got := counter(m, "samples_flow_total") + counter(m, "samples_counters_total"); got != valid {
		t.Errorf("samples_flow_total + samples_counters_total = %d, want %d", got, valid)
	}
	if docs := es.Docs(); len(docs) != valid {
		t.Errorf("%d documents published, want %d", len(docs), valid)
	}
	if len(b.findLogs("invalid sFlow datagram dropped")) > 3 {
		t.Errorf("invalid datagrams are logged one line each; want a rate-limited log")
	}
	b.stop(30 * time.Second)
}

// samplesIn returns the number of samples the decoder finds in a datagram.
func samplesIn(t *testing.T, data []byte) int {
	t.Helper()
	return decodeDatagram(t, data).Samples()
}

// garbageDatagram is an invalid datagram and the cause it must be counted as.
type garbageDatagram struct {
	data  []byte
	cause string
}

// garbageDatagrams returns datagrams that must be rejected whole.
func garbageDatagrams() []garbageDatagram {
	rnd := rand.New(rand.NewSource(1))
	random := make([]byte, 300)
	rnd.Read(random)
	random[0] = 0xff // not a version sFlow knows
	netflow := make([]byte, 24+48)
	be.BigEndian.PutUint16(netflow, 5) // NetFlow v5 header: version 5, count 1
	be.BigEndian.PutUint16(netflow[2:], 1)
	lying := sflowHeader(5, 10_000_000) // claims ten million samples
	v3 := sflowHeader(3, 1)             // there is no sFlow version 3
	return []garbageDatagram{
		{[]byte{0, 0, 0, 5, 0, 0}, "truncated"},
		{random, "not_sflow"},
		{netflow, "not_sflow"},
		{make([]byte, 4000), "truncated"}, // larger than max_message_size
		{lying, "too_many"},
		{v3, "unsupported_version"},
	}
}

// sflowHeader builds an sFlow datagram header (IPv4 agent) with no samples
// after it but numSamples claimed.
func sflowHeader(version, numSamples uint32) []byte {
	b := make([]byte, 28)
	be.BigEndian.PutUint32(b, version)
	be.BigEndian.PutUint32(b[4:], 1) // IPv4 agent
	copy(b[8:], []byte{192, 0, 2, 1})
	be.BigEndian.PutUint32(b[24:], numSamples)
	return b
}

// TestAllowedExporters checks that datagrams from sources outside
// allowed_exporters are dropped and counted, and the others published.
func TestAllowedExporters(t *testing.T) {
	es := esmock.Start()
	defer es.Close()
	sock := filepath.Join(t.TempDir(), "http.sock")
	cfg := beatConfig(es.URL, "127.0.0.1:0", "127.0.0.1:0") + fmt.Sprintf("http.enabled: true\nhttp.host: unix://%s\n", sock) +
		"sflowbeat.inputs.0.allowed_exporters: [192.0.2.0/24]\nsflowbeat.inputs.1.allowed_exporters: [127.0.0.0/8]\n" +
		"sflowbeat.inputs.0.workers: 2\nsflowbeat.inputs.1.workers: 2\n"
	b := startBeat(t, cfg)
	addrs := b.listenAddrs(2)
	denied := sendCapture(t, addrs[0], capture("akvorado-data-1140.pcap"))
	sendCapture(t, addrs[1], capture("akvorado-data-1140.pcap"))
	want := len(decodeEvents(t, capture("akvorado-data-1140.pcap")))
	waitDocs(t, es, want, 30*time.Second)
	time.Sleep(300 * time.Millisecond)
	if got := len(es.Docs()); got != want {
		t.Errorf("%d documents, want %d (only from the allowed input)", got, want)
	}
	if got := counter(inputMetrics(t, sock, "sflow-0"), "datagrams_denied_total"); got != denied {
		t.Errorf("sflow-0 datagrams_denied_total = %d, want %d", got, denied)
	}
	if got := counter(inputMetrics(t, sock, "sflow-1"), "datagrams_denied_total"); got != 0 {
		t.Errorf("sflow-1 datagrams_denied_total = %d, want 0", got)
	}
	b.stop(30 * time.Second)
}

// TestShutdownPublishesWhatWasRead sends datagrams while Elasticsearch
// rejects every bulk request, lets it recover, and stops the beat at once:
// everything that was read must reach Elasticsearch before the beat exits.
func TestShutdownPublishesWhatWasRead(t *testing.T) {
	es := esmock.Start()
	defer es.Close()
	es.SetReject(true)
	sock := filepath.Join(t.TempDir(), "http.sock")
	b := startBeat(t, beatConfig(es.URL, "127.0.0.1:0")+fmt.Sprintf("http.enabled: true\nhttp.host: unix://%s\nsflowbeat.shutdown_timeout: 20s\n", sock))
	addr := b.listenAddrs(1)[0]
	want := len(decodeEvents(t, capture("ovs-3.1-sflow.pcap")))
	sendCapture(t, addr, capture("ovs-3.1-sflow.pcap"))
	deadline := time.Now().Add(30 * time.Second)
	for counter(inputMetrics(t, sock, "sflow-0"), "events_published_total") < want {
		if time.Now().After(deadline) {
			t.Fatalf("the input did not publish %d events", want)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if n := len(es.Docs()); n != 0 {
		t.Fatalf("%d documents accepted while Elasticsearch was rejecting", n)
	}
	es.SetReject(false)
	b.stop(60 * time.Second)
	if got := len(es.Docs()); got != want {
		t.Errorf("%d of %d events reached Elasticsearch before the beat exited", got, want)
	}
}

// TestShutdownDrainsBlockedInput stops the beat while its decoders are
// blocked on a full pipeline (Elasticsearch was rejecting): the datagrams
// still queued in the input must be published before libbeat closes the
// publisher, which on its own waits only 1s and then drops what comes next.
func TestShutdownDrainsBlockedInput(t *testing.T) {
	es := esmock.Start()
	defer es.Close()
	es.SetReject(true)
	sock := filepath.Join(t.TempDir(), "http.sock")
	b := startBeat(t, beatConfig(es.URL, "127.0.0.1:0")+fmt.Sprintf(
		"http.enabled: true\nhttp.host: unix://%s\nsflowbeat.shutdown_timeout: 30s\n"+
			"sflowbeat.inputs.0.workers: 1\nqueue.mem.events: 32\nqueue.mem.flush.min_events: 16\noutput.elasticsearch.bulk_max_size: 16\n", sock))
	addr := b.listenAddrs(1)[0]
	capFile := capture("ovs-3.1-sflow.pcap")
	want := len(decodeEvents(t, capFile))
	sent := sendCapture(t, addr, capFile)
	deadline := time.Now().Add(30 * time.Second)
	for counter(inputMetrics(t, sock, "sflow-0"), "datagrams_received_total") < sent {
		if time.Now().After(deadline) {
			t.Fatalf("the input did not receive the %d datagrams", sent)
		}
		time.Sleep(50 * time.Millisecond)
	}
	m := inputMetrics(t, sock, "sflow-0")
	if published := counter(m, "events_published_total"); published >= want {
		t.Fatalf("all %d events were already published: the pipeline did not block, the test proves nothing", published)
	}
	es.SetReject(false)
	b.stop(60 * time.Second)
	if got := len(es.Docs()); got != want {
		t.Errorf("%d of %d events reached Elasticsearch: events read before SIGTERM were lost", got, want)
	}
}
