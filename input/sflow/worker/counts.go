package worker

import (
	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoder"
)

// Counts is a Counter that keeps totals, for the decode command, the
// replay tool and tests (the input counts into its monitoring registry).
type Counts struct {
	Datagrams        int            // datagrams processed, valid or not
	InvalidDatagrams int            // rejected as a whole
	InvalidByCause   map[string]int // by decoder.Cause
	Samples          int            // samples decoded, all kinds
	// Skipped sums the decode statistics of the valid datagrams: samples
	// and records unknown or malformed.
	Skipped decoded.DecodeStats
}

// Invalid counts a rejected datagram.
func (c *Counts) Invalid(err error) {
	c.Datagrams++
	c.InvalidDatagrams++
	if c.InvalidByCause == nil {
		c.InvalidByCause = map[string]int{}
	}
	c.InvalidByCause[decoder.Cause(err)]++
}

// Decoded counts a decoded datagram.
func (c *Counts) Decoded(dg *decoded.Datagram) {
	c.Datagrams++
	c.Samples += dg.Samples()
	c.Skipped.SamplesUnknown += dg.Stats.SamplesUnknown
	c.Skipped.SamplesMalformed += dg.Stats.SamplesMalformed
	c.Skipped.RecordsUnknown += dg.Stats.RecordsUnknown
	c.Skipped.RecordsMalformed += dg.Stats.RecordsMalformed
}
