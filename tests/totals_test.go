package tests

import (
	"fmt"
	"math"
	"net/netip"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/sflowbeat/sflowbeat/beater/pcapfile"
	"github.com/sflowbeat/sflowbeat/tests/esmock"
	"github.com/sflowbeat/sflowbeat/tests/replay"
)

// The totals tests send captures through a replay.Sequencer, leave
// datagrams out, reorder, repeat and restart them, and check the beat's
// counters and sflow.exporters events against a ledger that the test
// computes from what it sent (ledger_test.go). Loss counters are read only
// once every gap must be final: reorderTimeout after the last datagram,
// plus the second in which the input copies its counters.

// reorderTimeout is the accounting stage's ReorderTimeout.
const reorderTimeout = 2 * time.Second

// pace lets the beat read what a test sent, so that the loopback socket
// buffer does not overflow.
func pace() { time.Sleep(2 * time.Millisecond) }

// totalsRun is a beat with one input that publishes sflow.exporters events
// every second, and what a test sent it.
type totalsRun struct {
	t    *testing.T
	es   *esmock.Server
	b    *beat
	addr string
	sock string
	l    *ledger
	last time.Time // when the test sent its last datagram
}

// totalsOptions are the input options of a totals test.
type totalsOptions struct {
	workers   int    // decoders; 1 keeps the datagrams in order
	reconcile string // reconcile_period: "0s" unless set
	extra     string // more YAML lines of the input, indented by 4
}

// startTotals starts a beat whose input publishes sflow.exporters events
// every second, with the options o.
func startTotals(t *testing.T, o totalsOptions) *totalsRun {
	t.Helper()
	es := esmock.Start()
	t.Cleanup(es.Close)
	sock := filepath.Join(t.TempDir(), "http.sock")
	if o.reconcile == "" {
		o.reconcile = "0s"
	}
	cfg := fmt.Sprintf(`sflowbeat.inputs:
  - type: sflow
    id: sflow-0
    host: "127.0.0.1:0"
    workers: %d
    exporter_stats_period: 1s
    reconcile_period: %s
%soutput.elasticsearch:
  hosts: [%q]
queue.mem:
  flush.timeout: 50ms
http.enabled: true
http.host: unix://%s
`, o.workers, o.reconcile, o.extra, es.URL, sock)
	b := startBeat(t, cfg)
	return &totalsRun{t: t, es: es, b: b, addr: b.listenAddrs(1)[0], sock: sock, l: newLedger()}
}

// sender returns a sender to the beat that numbers with seq.
func (r *totalsRun) sender(seq *replay.Sequencer) *sender { return newSender(r.t, r.addr, seq, r.l) }

// sent notes that the test sent its last datagram.
func (r *totalsRun) sent() { r.last = time.Now() }

// lossCounters are the input's counters that the ledger predicts.
var lossCounters = []string{
	"datagrams_missing_total", "datagrams_reordered_total", "datagrams_duplicate_total", "datagrams_late_total",
	"samples_missing_total", "samples_reordered_total", "samples_duplicate_total", "samples_late_total",
	"sequence_resets_total",
}

// final waits until every gap must be final and the input's counters no
// longer move, and returns its metrics.
func (r *totalsRun) final() map[string]any {
	r.t.Helper()
	// A gap is final reorderTimeout after it opened, at the next flush,
	// which copies the counters too; the margin is for the beat reading
	// the last datagrams a little after they were sent.
	time.Sleep(time.Until(r.last.Add(reorderTimeout + flushPeriod + 200*time.Millisecond)))
	prev, since := "", time.Now()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(250 * time.Millisecond) {
		m := inputMetrics(r.t, r.sock, "sflow-0")
		var now strings.Builder
		for _, c := range append(lossCounters, "datagrams_received_total", "events_published_total") {
			fmt.Fprint(&now, counter(m, c), " ")
		}
		if now.String() != prev {
			prev, since = now.String(), time.Now()
		} else if time.Since(since) > flushPeriod {
			return m
		}
	}
	r.t.Fatal("the input's counters kept moving for 10s after the last datagram")
	return nil
}

// flushPeriod is how often the input settles timed-out gaps and copies its
// counters.
const flushPeriod = time.Second

// checkCounters compares the input's loss counters with the ledger's sums.
func (r *totalsRun) checkCounters(m map[string]any, want map[string]int) {
	r.t.Helper()
	got := map[string]int{}
	for _, c := range lossCounters {
		got[c] = counter(m, c)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		r.t.Errorf("input counters (-ledger +beat):\n%s", diff)
	}
}

// exporterDocs waits until the sflow.exporters events account for every
// datagram and every missing number the input counted (m), and returns
// them, and the other events.
func (r *totalsRun) exporterDocs(m map[string]any) (exporters, samples []map[string]any) {
	r.t.Helper()
	want := [2]int{counter(m, "datagrams_received_total") - counter(m, "datagrams_duplicate_total"),
		counter(m, "datagrams_missing_total") + counter(m, "samples_missing_total")}
	var got [2]int
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		exporters, samples = splitDocs(r.es.Docs())
		got = [2]int{}
		for _, d := range exporters {
			got[0] += int(num(d, "sflow.exporter.datagrams"))
			got[1] += int(num(d, "sflow.exporter.datagrams_missing") + num(d, "sflow.exporter.samples_missing"))
		}
		if got == want {
			return exporters, samples
		}
	}
	r.t.Fatalf("sflow.exporters events count %v datagrams and missing numbers, the input %v", got, want)
	return nil, nil
}

// splitDocs separates the sflow.exporters events from the others.
func splitDocs(docs []esmock.Doc) (exporters, others []map[string]any) {
	for _, d := range docs {
		if lookup(d.Source, "event.dataset") == "sflow.exporters" {
			exporters = append(exporters, d.Source)
		} else {
			others = append(others, d.Source)
		}
	}
	return exporters, others
}

// num returns a numeric field of a document (0 when it has none).
func num(doc map[string]any, path string) float64 {
	v, _ := lookup(doc, path).(float64)
	return v
}

// exporterFields maps the fields of sflow.exporters events to the ledger's
// totals.
var exporterFields = map[string]func(*exporterTotals) *float64{
	"datagrams": func(t *exporterTotals) *float64 { return &t.Datagrams }, "flow_samples": func(t *exporterTotals) *float64 { return &t.FlowSamples },
	"counter_samples": func(t *exporterTotals) *float64 { return &t.CounterSamples }, "drop_samples": func(t *exporterTotals) *float64 { return &t.DropSamples },
	"datagrams_missing":   func(t *exporterTotals) *float64 { return &t.DatagramsMissing },
	"datagrams_reordered": func(t *exporterTotals) *float64 { return &t.DatagramsReordered },
	"datagrams_duplicate": func(t *exporterTotals) *float64 { return &t.DatagramsDuplicate },
	"datagrams_late":      func(t *exporterTotals) *float64 { return &t.DatagramsLate },
	"samples_missing":     func(t *exporterTotals) *float64 { return &t.SamplesMissing },
	"samples_reordered":   func(t *exporterTotals) *float64 { return &t.SamplesReordered },
	"samples_duplicate":   func(t *exporterTotals) *float64 { return &t.SamplesDuplicate },
	"samples_late":        func(t *exporterTotals) *float64 { return &t.SamplesLate },
	"sequence_resets":     func(t *exporterTotals) *float64 { return &t.SequenceResets },
	"sample_pool":         func(t *exporterTotals) *float64 { return &t.SamplePool },
}

// sumExporters adds up the sflow.exporters events of each exporter, and
// checks each event's missing percentages.
func sumExporters(t *testing.T, docs []map[string]any) map[string]exporterTotals {
	t.Helper()
	out := map[string]exporterTotals{}
	for _, d := range docs {
		k := fmt.Sprint(lookup(d, "observer.ip"), "/", num(d, "sflow.sub_agent_id"))
		tt := out[k]
		for f, p := range exporterFields {
			*p(&tt) += num(d, "sflow.exporter."+f)
		}
		rates, _ := lookup(d, "sflow.exporter.sample_rates").([]any)
		for _, r := range rates {
			if !containsRate(tt.SampleRates, r.(float64)) {
				tt.SampleRates = append(tt.SampleRates, r.(float64))
			}
		}
		out[k] = tt
		checkPct(t, d, "datagrams", num(d, "sflow.exporter.datagrams"))
		checkPct(t, d, "samples", num(d, "sflow.exporter.flow_samples")+num(d, "sflow.exporter.counter_samples")+
			num(d, "sflow.exporter.drop_samples"))
	}
	for k, tt := range out {
		slices.Sort(tt.SampleRates)
		out[k] = tt
	}
	return out
}

// containsRate reports whether r is in rates.
func containsRate(rates []float64, r float64) bool {
	for _, x := range rates {
		if x == r {
			return true
		}
	}
	return false
}

// checkPct checks the missing percentage of kind (datagrams or samples)
// of one event: missing / (received + missing).
func checkPct(t *testing.T, d map[string]any, kind string, received float64) {
	t.Helper()
	missing := num(d, "sflow.exporter."+kind+"_missing")
	pct, ok := lookup(d, "sflow.exporter."+kind+"_missing_pct").(float64)
	switch {
	case received+missing == 0 && ok:
		t.Errorf("%s_missing_pct = %v with nothing received or missing", kind, pct)
	case received+missing > 0 && math.Abs(pct-100*missing/(received+missing)) > 1e-9:
		t.Errorf("%s_missing_pct = %v, want %v (%v missing, %v received)", kind, pct, 100*missing/(received+missing), missing, received)
	}
}

// equateTotals compares totals with their rates in any order.
var equateTotals = cmp.Options{cmpopts.SortSlices(func(a, b float64) bool { return a < b }), cmpopts.EquateEmpty()}

// checkExporters compares the sums of the sflow.exporters events with the
// ledger, exporter by exporter.
func (r *totalsRun) checkExporters(docs []map[string]any, want map[string]exporterTotals) {
	r.t.Helper()
	if diff := cmp.Diff(want, sumExporters(r.t, docs), equateTotals); diff != "" {
		r.t.Errorf("sums of the sflow.exporters events (-ledger +beat):\n%s", diff)
	}
}

// checkAll checks the input's counters, the sflow.exporters events and
// that every sample the ledger expects was published once.
func (r *totalsRun) checkAll() {
	r.t.Helper()
	m := r.final()
	want := r.l.totals()
	r.checkCounters(m, sum(want))
	exporters, samples := r.exporterDocs(m)
	r.checkExporters(exporters, want)
	if len(samples) != r.l.events {
		r.t.Errorf("%d sample events published, want %d (one per sample received)", len(samples), r.l.events)
	}
}

// TestTotalsPlantedLoss sends a capture of 4 exporters 3 times, leaving
// out every 7th datagram: the input's counters and the sums of the
// sflow.exporters events are exact, and every sample received is
// published once.
func TestTotalsPlantedLoss(t *testing.T) {
	t.Parallel()
	r := startTotals(t, totalsOptions{workers: 1})
	r.plantLoss()
	if want := sum(r.l.totals()); want["datagrams_missing_total"] == 0 || want["samples_missing_total"] == 0 {
		t.Fatalf("the ledger planted no loss: %v", want)
	}
	r.checkAll()
}

// plantLoss sends ovs-3.1-sflow.pcap (4 exporters) 3 times, leaving out
// every 7th datagram. A datagram that starts a sequence (an exporter's or
// a data source's) is given time to be accounted before the next: with
// several decoders, the next could be accounted first, and the gap below
// the first number accounted is not counted (accounting/doc.go), where the
// ledger, which knows only the order sent, counts it.
func (r *totalsRun) plantLoss() {
	dgs := payloadsOf(r.t, "ovs-3.1-sflow.pcap")
	s := r.sender(replay.NewSequencer())
	for i := range 3 * len(dgs) {
		p := dgs[i%len(dgs)]
		if i%7 == 6 {
			s.skip(p)
			continue
		}
		if s.send(p); s.started {
			time.Sleep(startPause)
		}
	}
	r.sent()
}

// startPause is how long plantLoss leaves the beat to account a datagram
// that starts a sequence.
const startPause = 20 * time.Millisecond

// payloadsOf returns the datagrams of a test capture.
func payloadsOf(t *testing.T, name string) [][]byte {
	t.Helper()
	p, err := pcapfile.Payloads(capture(name), 6343)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestTotalsPlantedLossWorkers is TestTotalsPlantedLoss with 2 decoders:
// they take the datagrams of one exporter in any order, so the beat may
// count some reordered or late, but the numbers missing less those that
// came late are still exact, and every sample is published once.
func TestTotalsPlantedLossWorkers(t *testing.T) {
	t.Parallel()
	r := startTotals(t, totalsOptions{workers: 2})
	r.plantLoss()
	m := r.final()
	want := sum(r.l.totals())
	for _, kind := range []string{"datagrams", "samples"} {
		got := counter(m, kind+"_missing_total") - counter(m, kind+"_late_total")
		if w := want[kind+"_missing_total"] - want[kind+"_late_total"]; got != w {
			t.Errorf("%s missing less late = %d, want %d", kind, got, w)
		}
	}
	for _, c := range []string{"datagrams_duplicate_total", "samples_duplicate_total", "sequence_resets_total"} {
		if counter(m, c) != 0 {
			t.Errorf("%s = %d, want 0", c, counter(m, c))
		}
	}
	if _, samples := r.exporterDocs(m); len(samples) != r.l.events {
		t.Errorf("%d sample events published, want %d (one per sample received)", len(samples), r.l.events)
	}
}

// sequenceCase is a case of TestTotalsSequences: an exporter of its own,
// what the test sends it, and what the ledger must show that it planted.
type sequenceCase struct {
	name     string
	agent    string
	opts     []replay.Option
	send     func(s *sender, dgs [][]byte)
	intended func(l map[string]exporterTotals, k string) bool
}

// sendAll sends the datagrams in order.
func sendAll(s *sender, dgs [][]byte) {
	for _, p := range dgs {
		s.send(p)
	}
}

// numbered returns the datagrams numbered by s's Sequencer, not sent yet.
func (s *sender) numbered(dgs [][]byte) [][]byte {
	out := make([][]byte, len(dgs))
	for i, p := range dgs {
		out[i] = s.seq.Next(p)
	}
	return out
}

// sequenceCases are the cases of TestTotalsSequences, on the first
// datagrams of overflowd-sflow.pcap: one exporter whose flow data source
// has about 6 samples per datagram.
var sequenceCases = []sequenceCase{
	{name: "reordered: neighbours swapped", agent: "192.0.2.101",
		send: func(s *sender, dgs [][]byte) {
			ps := s.numbered(dgs[:60])
			for i := 0; i < len(ps); i += 2 {
				s.write(ps[i+1])
				s.write(ps[i])
			}
		},
		intended: func(l map[string]exporterTotals, k string) bool {
			return l[k].DatagramsReordered == 30 && l[k].DatagramsMissing == 0
		}},
	{name: "duplicated: every 5th datagram twice", agent: "192.0.2.102",
		send: func(s *sender, dgs [][]byte) {
			for i, p := range s.numbered(dgs[:60]) {
				s.write(p)
				if i%5 == 4 {
					s.write(p)
				}
			}
		},
		intended: func(l map[string]exporterTotals, k string) bool {
			return l[k].DatagramsDuplicate == 12 && l[k].SamplesDuplicate == 0 && l[k].Datagrams == 60
		}},
	{name: "held up: one datagram 50 late", agent: "192.0.2.103",
		send: func(s *sender, dgs [][]byte) {
			ps := s.numbered(dgs[:120])
			for i, p := range ps {
				if i != 19 {
					s.write(p)
				}
				if i == 69 {
					s.write(ps[19])
				}
			}
		},
		intended: func(l map[string]exporterTotals, k string) bool {
			return l[k].DatagramsReordered == 1 && l[k].SamplesLate > 0 && l[k].SequenceResets == 0
		}},
	{name: "restarts: far behind, then inside the window", agent: "2001:db8::104",
		send: func(s *sender, dgs [][]byte) {
			sendAll(s, dgs[:300])
			s.restart(5000)
			sendAll(s, dgs[300:400])
			s.restart(3000)
			sendAll(s, dgs[400:450])
		},
		intended: func(l map[string]exporterTotals, k string) bool {
			return l[k].SequenceResets == 2 && l[k].DatagramsMissing == 0 && l[k].SamplesMissing == 0
		}},
	{name: "two sub-agents: loss in one", agent: "192.0.2.105", opts: []replay.Option{replay.WithSubAgent(1)},
		send: func(s *sender, dgs [][]byte) {
			other := newSender(s.t, s.addr, replay.NewSequencer(replay.WithAgent(netipMust("192.0.2.105")), replay.WithSubAgent(2)), s.l)
			for i, p := range dgs[:60] {
				s.send(p)
				if i%6 == 5 {
					other.skip(p)
				} else {
					other.send(p)
				}
			}
		},
		intended: func(l map[string]exporterTotals, k string) bool {
			two := l["192.0.2.105/2"]
			return l[k].DatagramsMissing == 0 && two.DatagramsMissing > 0 && two.SamplesMissing > 0
		}},
	{name: "32-bit wrap", agent: "192.0.2.106",
		send: func(s *sender, dgs [][]byte) {
			s.seq.StartAt(math.MaxUint32 - 39)
			for i, p := range dgs[:100] {
				if i%9 == 8 {
					s.skip(p)
				} else {
					s.send(p)
				}
			}
		},
		intended: func(l map[string]exporterTotals, k string) bool {
			return l[k].DatagramsMissing == 11 && l[k].SamplesMissing > 0 && l[k].SequenceResets == 0
		}},
}

// TestTotalsSequences sends each case to its own exporter of one beat, and
// checks each twice: the ledger shows that the case planted what it
// intends, and the beat's sflow.exporters events match the ledger.
func TestTotalsSequences(t *testing.T) {
	t.Parallel()
	r := startTotals(t, totalsOptions{workers: 1})
	dgs := payloadsOf(t, "overflowd-sflow.pcap")
	for _, c := range sequenceCases {
		opts := append([]replay.Option{replay.WithAgent(netipMust(c.agent))}, c.opts...)
		c.send(r.sender(replay.NewSequencer(opts...)), dgs)
	}
	r.sent()
	want := r.l.totals()
	m := r.final()
	r.checkCounters(m, sum(want))
	exporters, samples := r.exporterDocs(m)
	got := sumExporters(t, exporters)
	for _, c := range sequenceCases {
		t.Run(c.name, func(t *testing.T) {
			k := c.agent + "/0"
			if len(c.opts) > 0 {
				k = c.agent + "/1"
			}
			if !c.intended(want, k) {
				t.Errorf("the ledger does not show what the case plants: %+v", want[k])
			}
			if diff := cmp.Diff(want[k], got[k], equateTotals); diff != "" {
				t.Errorf("sums of the sflow.exporters events of %s (-ledger +beat):\n%s", k, diff)
			}
		})
	}
	if diff := cmp.Diff(want, got, equateTotals); diff != "" {
		t.Errorf("sums of the sflow.exporters events (-ledger +beat):\n%s", diff)
	}
	if len(samples) != r.l.events {
		t.Errorf("%d sample events published, want %d (one per sample received)", len(samples), r.l.events)
	}
}

// netipMust parses an address.
func netipMust(s string) netip.Addr { return netip.MustParseAddr(s) }

// samplingCase is an exporter of TestTotalsSampling: the rate it reports,
// and the rate the beat must apply and say where it comes from.
type samplingCase struct {
	agent    string
	reported uint32
	applied  uint32 // 0: none (no network.bytes)
	source   string // sflow.sampling.rate_source; "" when the reported rate applies
}

// TestTotalsSampling checks the sampling rules: an exporter reporting rate
// 0 without a rule, a default rule on an exporter that reports 0 and on
// one that reports a rate, and an override rule on both. sflow.sample_rate
// stays as reported; network.packets and network.bytes use the applied
// rate and the frame lengths the test decodes from what it sent.
func TestTotalsSampling(t *testing.T) {
	t.Parallel()
	r := startTotals(t, totalsOptions{workers: 1, extra: `    sampling:
      - {exporters: [192.0.2.122/31], rate: 50, mode: default}
      - {exporters: [192.0.2.124/31], rate: 70, mode: override}
`})
	cases := []samplingCase{
		{agent: "192.0.2.121", reported: 0, source: "missing"},
		{agent: "192.0.2.122", reported: 0, applied: 50, source: "default"},
		{agent: "192.0.2.123", reported: 300, applied: 300},
		{agent: "192.0.2.124", reported: 0, applied: 70, source: "override"},
		{agent: "192.0.2.125", reported: 300, applied: 70, source: "override"},
	}
	dgs := payloadsOf(t, "overflowd-sflow.pcap")[:20]
	frames := map[string]float64{} // sum of the frame lengths of the flow samples sent, by agent
	flows := map[string]int{}
	for _, c := range cases {
		s := r.sender(replay.NewSequencer(replay.WithAgent(netipMust(c.agent)), replay.WithSamplingRate(c.reported)))
		for _, p := range s.numbered(dgs) {
			for _, f := range decodeDatagram(t, p).FlowSamples {
				frames[c.agent] += float64(f.Records.SampledHeader.FrameLength)
				flows[c.agent]++
			}
			s.write(p)
		}
	}
	docs := waitDocs(t, r.es, r.l.events, 10*time.Second)
	bytes := map[string]float64{}
	for _, d := range docs {
		if lookup(d.Source, "event.dataset") != "sflow.flow" {
			continue
		}
		agent := lookup(d.Source, "observer.ip").(string)
		c := cases[slices.IndexFunc(cases, func(c samplingCase) bool { return c.agent == agent })]
		checkSampling(t, d.Source, c)
		bytes[agent] += num(d.Source, "network.bytes")
	}
	for _, c := range cases {
		if want := float64(c.applied) * frames[c.agent]; bytes[c.agent] != want || frames[c.agent] == 0 {
			t.Errorf("%s: network.bytes add up to %v, want %v (rate %d x the frame lengths sent)", c.agent, bytes[c.agent], want, c.applied)
		}
	}
	m := inputMetrics(t, r.sock, "sflow-0")
	for deadline := time.Now().Add(3 * time.Second); counter(m, "samples_no_rate_total") != flows[cases[0].agent] && time.Now().Before(deadline); {
		time.Sleep(200 * time.Millisecond)
		m = inputMetrics(t, r.sock, "sflow-0")
	}
	if got := counter(m, "samples_no_rate_total"); got != flows[cases[0].agent] {
		t.Errorf("samples_no_rate_total = %d, want %d (the flow samples of %s)", got, flows[cases[0].agent], cases[0].agent)
	}
}

// checkSampling checks the rate fields of one flow event of case c.
func checkSampling(t *testing.T, d map[string]any, c samplingCase) {
	t.Helper()
	got := [5]any{lookup(d, "sflow.sample_rate"), lookup(d, "sflow.sampling.rate_source"), lookup(d, "sflow.sampling.applied_rate"),
		lookup(d, "network.packets"), lookup(d, "network.bytes")}
	want := [5]any{float64(c.reported), nil, nil, float64(c.applied), float64(c.applied) * num(d, "sflow.bytes")}
	if c.source != "" {
		want[1] = c.source
	}
	if c.source != "" && c.applied != 0 {
		want[2] = float64(c.applied)
	}
	if c.applied == 0 {
		want[3], want[4] = nil, nil
	}
	if got != want {
		t.Errorf("%s: sample_rate, rate_source, applied_rate, network.packets, network.bytes = %v, want %v", c.agent, got, want)
	}
}

// compensationWindow is the accounting stage's CompensationWindow: the
// received samples over which a data source's effective rate is measured.
const compensationWindow = 1024

// TestTotalsLossCompensation sends one flow data source, one flow sample
// per datagram, and leaves out the two datagrams after each one sent: its
// sample_pool grows by 3 x the rate between the samples received. The test
// computes the factor from the pools it sent; the samples before the
// window is full have no factor, the later ones that factor, and
// network.packets and network.bytes scaled by it.
func TestTotalsLossCompensation(t *testing.T) {
	t.Parallel()
	r := startTotals(t, totalsOptions{workers: 1, extra: "    loss_compensation: true\n"})
	var singles [][]byte
	for _, p := range payloadsOf(t, "overflowd-sflow.pcap") {
		if one := replay.FirstSamples(p, 1); one != nil && len(decodeDatagram(t, one).FlowSamples) == 1 {
			singles = append(singles, one)
		}
	}
	s := r.sender(replay.NewSequencer())
	var sent []decodedFlow
	for i := 0; len(sent) < compensationWindow+100; i++ {
		p := s.seq.Next(singles[i%len(singles)])
		s.write(p)
		f := decodeDatagram(t, p).FlowSamples[0]
		sent = append(sent, decodedFlow{f.SequenceNumber, f.SamplePool, f.SamplingRate})
		s.skip(singles[(i+1)%len(singles)])
		s.skip(singles[(i+2)%len(singles)])
	}
	factor := effectiveFactor(t, sent)
	if factor != 3 {
		t.Fatalf("the pools say %v samples taken per sample received, want 3 (1 sent, 2 left out)", factor)
	}
	docs := waitDocs(t, r.es, r.l.events, 10*time.Second)
	var flows []map[string]any
	for _, d := range docs {
		if lookup(d.Source, "event.dataset") == "sflow.flow" {
			flows = append(flows, d.Source)
		}
	}
	slices.SortFunc(flows, func(a, b map[string]any) int {
		return int(num(a, "sflow.sample.sequence_number") - num(b, "sflow.sample.sequence_number"))
	})
	if len(flows) != len(sent) {
		t.Fatalf("%d flow events, want %d", len(flows), len(sent))
	}
	for i, d := range flows {
		want, rate := 1.0, num(d, "sflow.sample_rate")
		if i >= compensationWindow { // the first sample brings no pool growth
			want = factor
		}
		got, ok := lookup(d, "sflow.sampling.compensation_factor").(float64)
		if !ok {
			got = 1
		}
		if got != want || ok != (want > 1) || num(d, "network.packets") != math.Round(rate*want) ||
			num(d, "network.bytes") != math.Round(num(d, "sflow.bytes")*rate*want) {
			t.Fatalf("flow sample %d of the source: factor %v (set: %v), network.packets %v, network.bytes %v; want factor %v, rate %v, frame %v",
				i+1, got, ok, lookup(d, "network.packets"), lookup(d, "network.bytes"), want, rate, lookup(d, "sflow.bytes"))
		}
	}
}

// decodedFlow is what the compensation test keeps of a flow sample sent.
type decodedFlow struct {
	n, pool, rate uint32
}

// effectiveFactor returns the samples taken per sample received, from the
// growth of sample_pool between the samples sent, and checks that it is
// the same between any two of them.
func effectiveFactor(t *testing.T, sent []decodedFlow) float64 {
	t.Helper()
	var f float64
	for i := 1; i < len(sent); i++ {
		g := float64(sent[i].pool-sent[i-1].pool) / float64(sent[i].rate)
		if i > 1 && g != f || g <= 1 {
			t.Fatalf("sample_pool grew by %v rates before sample %d, by %v before", g, i, f)
		}
		f = g
	}
	return f
}
