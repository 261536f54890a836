package replay

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"net/netip"
	"testing"

	"github.com/sflowbeat/sflowbeat/beater/pcapfile"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoder"
)

// ovs is a capture of 4 exporters with flow and counter samples.
const ovs = "../../testdata/pcaps/ovs-3.1-sflow.pcap"

// payloads reads the datagrams of a capture.
func payloads(t *testing.T, path string) [][]byte {
	t.Helper()
	p, err := pcapfile.Payloads(path, 6343)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// decode decodes a datagram, failing the test if it does not.
func decode(t *testing.T, p []byte) *decoded.Datagram {
	t.Helper()
	var dg decoded.Datagram
	if err := decoder.NewDecoder().Decode(p, &dg); err != nil {
		t.Fatalf("a rewritten datagram does not decode: %v", err)
	}
	return &dg
}

// masked returns a copy of a v5 datagram with the words a Sequencer
// renumbers set to 0: what is left must not change.
func masked(p []byte) []byte {
	out := append([]byte(nil), p...)
	if at, ok := headerEnd(out); ok {
		clear(out[at+4 : at+12])
	}
	eachSample(out, func(format uint32, body []byte) {
		clear(body[:4])
		if at := flowField(format, poolWord); at >= 0 {
			clear(body[at : at+4])
		}
	})
	return out
}

// exporterOf names the exporter of a decoded datagram.
func exporterOf(dg *decoded.Datagram) string { return fmt.Sprint(dg.AgentAddress, "/", dg.SubAgentID) }

// TestSequencer: a capture sent twice through a Sequencer numbers its
// datagrams and the samples of each data source on from where they
// stopped, grows sample_pool by the rate at every number, with uptimes
// that do not go back, and changes nothing else.
func TestSequencer(t *testing.T) {
	dgs := payloads(t, ovs)
	s := NewSequencer()
	lastSeq, lastUptime := map[string]uint32{}, map[string]uint32{}
	samples, pools := map[string]uint32{}, map[string]uint32{}
	for round := range 2 {
		for _, p := range dgs {
			out := s.Next(p)
			if !bytes.Equal(masked(out), masked(p)) {
				t.Fatal("the Sequencer changed more than the numbers, uptime and sample_pool")
			}
			got := decode(t, out)
			exp := exporterOf(got)
			if got.SequenceNumber != lastSeq[exp]+1 || got.Uptime < lastUptime[exp] {
				t.Fatalf("round %d, %s: sequence %d after %d, uptime %d after %d", round, exp, got.SequenceNumber, lastSeq[exp], got.Uptime, lastUptime[exp])
			}
			lastSeq[exp], lastUptime[exp] = got.SequenceNumber, got.Uptime
			for _, c := range got.CounterSamples {
				key := fmt.Sprint(exp, "/c/", c.SourceID)
				if c.SequenceNumber != samples[key]+1 {
					t.Fatalf("source %v: sample %d after %d", c.SourceID, c.SequenceNumber, samples[key])
				}
				samples[key]++
			}
			for _, f := range got.FlowSamples {
				key := fmt.Sprint(exp, "/f/", f.SourceID)
				if f.SequenceNumber != samples[key]+1 || f.SamplePool != pools[key]+f.SamplingRate {
					t.Fatalf("source %v: sample %d pool %d after %d pool %d (rate %d)", f.SourceID, f.SequenceNumber, f.SamplePool,
						samples[key], pools[key], f.SamplingRate)
				}
				samples[key]++
				pools[key] = f.SamplePool
			}
		}
	}
	total := uint32(0)
	for _, n := range lastSeq {
		total += n
	}
	if total != uint32(2*len(dgs)) || len(samples) == 0 || len(pools) == 0 {
		t.Errorf("%d datagrams numbered, want %d; %d data sources, %d of flows", total, 2*len(dgs), len(samples), len(pools))
	}
}

// TestSequencerStartAtRestartSkip: StartAt starts the numbers near 2^32 to
// wrap, Skip consumes the numbers of the datagram it returns, and Restart
// starts every number again with an uptime that went back.
func TestSequencerStartAtRestartSkip(t *testing.T) {
	p := payloads(t, ovs)[0]
	s := NewSequencer()
	s.StartAt(math.MaxUint32)
	a := decode(t, s.Next(p))
	skipped := decode(t, s.Skip(p))
	b := decode(t, s.Next(p))
	if a.SequenceNumber != math.MaxUint32 || skipped.SequenceNumber != 0 || b.SequenceNumber != 1 || s.Skipped() != 1 {
		t.Errorf("numbers %d, %d (skipped), %d, want 2^32-1, 0, 1 (wrap); %d skipped", a.SequenceNumber, skipped.SequenceNumber,
			b.SequenceNumber, s.Skipped())
	}
	if n := b.Samples(); n == 0 || firstNumber(b) != 1 {
		t.Errorf("sample numbers of the third datagram start at %d, want 1 (%d samples)", firstNumber(b), n)
	}
	s.StartAt(10)
	s.Restart(500)
	r := decode(t, s.Next(p))
	if r.SequenceNumber != 10 || firstNumber(r) != 10 || r.Uptime >= b.Uptime || r.Uptime < 500 {
		t.Errorf("after Restart: number %d, sample %d, uptime %d after %d; want 10, 10, and the uptime back",
			r.SequenceNumber, firstNumber(r), r.Uptime, b.Uptime)
	}
}

// firstNumber returns the sequence_number of the first sample of dg.
func firstNumber(dg *decoded.Datagram) uint32 {
	switch {
	case len(dg.FlowSamples) > 0:
		return dg.FlowSamples[0].SequenceNumber
	case len(dg.CounterSamples) > 0:
		return dg.CounterSamples[0].SequenceNumber
	}
	return 0
}

// TestSequencerOptions: each option rewrites what it says and nothing
// else.
func TestSequencerOptions(t *testing.T) {
	var flows []byte
	for _, p := range payloads(t, ovs) {
		if len(decode(t, p).FlowSamples) > 0 {
			flows = p
			break
		}
	}
	v6 := netip.MustParseAddr("2001:db8::7")
	tests := []struct {
		name  string
		opt   Option
		check func(orig, got *decoded.Datagram) bool
	}{
		{"WithSamplingRate", WithSamplingRate(7), func(_, got *decoded.Datagram) bool { return got.FlowSamples[0].SamplingRate == 7 }},
		{"WithSubAgent", WithSubAgent(9), func(_, got *decoded.Datagram) bool { return got.SubAgentID == 9 }},
		{"WithAgent", WithAgent(v6), func(_, got *decoded.Datagram) bool { return got.AgentAddress == v6 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plain, edited := NewSequencer().Next(flows), NewSequencer(tt.opt).Next(flows)
			orig, got := decode(t, plain), decode(t, edited)
			if !tt.check(orig, got) {
				t.Errorf("the option did not apply")
			}
			// Undo what the option says it changes; the rest must be equal.
			// (every flow sample of the capture has the same rate)
			for _, undo := range []Option{WithAgent(orig.AgentAddress), WithSubAgent(orig.SubAgentID),
				WithSamplingRate(orig.FlowSamples[0].SamplingRate)} {
				edited = rewriteOf(undo)(edited)
			}
			if !bytes.Equal(masked(plain), masked(edited)) {
				t.Errorf("the option changed more than it says")
			}
		})
	}
	compact := binary.BigEndian.AppendUint32(make([]byte, 4), 0<<24|5)
	expanded := binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(make([]byte, 4), 0), 5)
	if sampleKey(1, append(compact, 0, 0, 0, 0)) != sampleKey(3, expanded) {
		t.Errorf("compact and expanded flow samples of one data source do not share a sequence")
	}
}

// rewriteOf returns the rewrite of an Option, to apply it to a datagram.
func rewriteOf(o Option) func([]byte) []byte {
	var s Sequencer
	o(&s)
	return s.edits[0]
}

// TestFirstSamples: the datagram keeps its first sample, unchanged, and
// says it holds one.
func TestFirstSamples(t *testing.T) {
	kept := 0
	for _, p := range payloads(t, ovs) {
		one := FirstSamples(p, 1)
		if decode(t, p).Samples() == 0 {
			if one != nil {
				t.Error("FirstSamples kept a sample of a datagram without samples")
			}
			continue
		}
		if got := decode(t, one).Samples(); got != 1 {
			t.Fatalf("FirstSamples kept %d samples, want 1", got)
		}
		at, _ := headerEnd(one)
		restored := append([]byte(nil), one...)
		copy(restored[at+12:at+16], p[at+12:at+16])
		if !bytes.Equal(restored, p[:len(one)]) {
			t.Fatal("FirstSamples changed more than the number of samples")
		}
		kept++
	}
	if kept == 0 {
		t.Error("no datagram of the capture has samples")
	}
}
