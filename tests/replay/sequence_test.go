package replay

import (
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/sflowbeat/sflowbeat/beater/pcapfile"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoder"
)

// TestSequencer: a capture sent twice through a Sequencer numbers its
// datagrams and the samples of each data source on from where they
// stopped, with uptimes that do not go back, and changes nothing else.
func TestSequencer(t *testing.T) {
	dgs, err := pcapfile.ReadAll("../../testdata/pcaps/ovs-3.1-sflow.pcap", 6343)
	if err != nil {
		t.Fatal(err)
	}
	s := NewSequencer()
	dec := decoder.NewDecoder()
	lastSeq, lastUptime := map[string]uint32{}, map[string]uint32{}
	samples := map[string]uint32{}
	for round := range 2 {
		for _, d := range dgs {
			out := s.Next(d.Payload)
			var orig, got decoded.Datagram
			if dec.Decode(d.Payload, &orig) != nil || dec.Decode(out, &got) != nil {
				t.Fatal("a renumbered datagram does not decode")
			}
			exp := fmt.Sprint(got.AgentAddress, "/", got.SubAgentID)
			if got.SequenceNumber != lastSeq[exp]+1 || got.Uptime < lastUptime[exp] {
				t.Fatalf("round %d, %s: sequence %d after %d, uptime %d after %d", round, exp, got.SequenceNumber, lastSeq[exp], got.Uptime, lastUptime[exp])
			}
			lastSeq[exp], lastUptime[exp] = got.SequenceNumber, got.Uptime
			for i := range got.CounterSamples {
				key := fmt.Sprint(exp, "/", got.CounterSamples[i].SourceID)
				if n := got.CounterSamples[i].SequenceNumber; n != samples[key]+1 {
					t.Fatalf("source %d: sample %d after %d", got.CounterSamples[i].SourceID.Index, n, samples[key])
				}
				samples[key]++
				got.CounterSamples[i].SequenceNumber = orig.CounterSamples[i].SequenceNumber
			}
			if len(out) != len(d.Payload) || binary.BigEndian.Uint32(out) != 5 {
				t.Fatal("the datagram changed size or version")
			}
		}
	}
	total := uint32(0)
	for _, n := range lastSeq {
		total += n
	}
	if total != uint32(2*len(dgs)) || len(samples) == 0 {
		t.Errorf("%d datagrams numbered, want %d; %d data sources", total, 2*len(dgs), len(samples))
	}
}
