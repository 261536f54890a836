package decoder

import (
	"errors"
	"fmt"
)

// Sentinel errors, for errors.Is on the errors returned by Decode and kept
// in Datagram.Errors.
var (
	// ErrTruncated: a structure needs more bytes than there are.
	ErrTruncated = errors.New("truncated")
	// ErrNotSFlow: the datagram is not sFlow (unknown version word, e.g. a
	// NetFlow v5 export sent to the sFlow port).
	ErrNotSFlow = errors.New("not an sFlow datagram")
	// ErrUnsupportedVersion: sFlow version 1 or 3, which are not decoded
	// (versions 2 and 4, RFC 3176, and 5 are).
	ErrUnsupportedVersion = errors.New("unsupported sFlow version")
	// ErrUnknownType: an RFC 3176 (v2/v4) union tag (sample_types,
	// packet_information_type, extended_information_type, counters_version)
	// that is not defined. Those structures carry no length, so nothing
	// after the tag can be found: the sample and the rest of the datagram
	// are dropped (a sample error, never a datagram error).
	ErrUnknownType = errors.New("unknown RFC 3176 structure type")
	// ErrTooMany: a count (samples, records, AS path, ...) is larger than
	// the limit or than the bytes left can hold.
	ErrTooMany = errors.New("count too large")
	// ErrBadLength: a length field is inconsistent with its container.
	ErrBadLength = errors.New("bad length")
	// ErrAgentAddress: the agent address type is neither IPv4 (1) nor IPv6 (2).
	ErrAgentAddress = errors.New("bad agent address type")
	// ErrPanic: the decoder panicked (a bug); the panic was recovered.
	ErrPanic = errors.New("decoder panic")
)

// DatagramError is an error of the datagram as a whole: nothing of it was
// decoded. Offset is the byte offset in the datagram where decoding failed.
type DatagramError struct {
	Offset int
	Err    error
}

// Error implements error.
func (e *DatagramError) Error() string {
	return fmt.Sprintf("sflow datagram: offset %d: %v", e.Offset, e.Err)
}

// Unwrap returns the cause.
func (e *DatagramError) Unwrap() error { return e.Err }

// SampleError is an error of one sample, which was dropped. Index is the
// position of the sample in the datagram (0-based), Format its data_format
// word (enterprise<<12 | format), Offset the datagram offset of the sample.
type SampleError struct {
	Index  int
	Format uint32
	Offset int
	Err    error
}

// Error implements error.
func (e *SampleError) Error() string {
	return fmt.Sprintf("sflow sample %d (%d:%d) at offset %d: %v", e.Index, e.Format>>12, e.Format&0xFFF, e.Offset, e.Err)
}

// Unwrap returns the cause.
func (e *SampleError) Unwrap() error { return e.Err }

// RecordError is an error of one flow or counter record, which was dropped
// (its sample was kept). Format is the record's data_format word, Offset the
// datagram offset of the record.
type RecordError struct {
	Format uint32
	Offset int
	Err    error
}

// Error implements error.
func (e *RecordError) Error() string {
	return fmt.Sprintf("sflow record %d:%d at offset %d: %v", e.Format>>12, e.Format&0xFFF, e.Offset, e.Err)
}

// Unwrap returns the cause.
func (e *RecordError) Unwrap() error { return e.Err }

// causes maps the sentinels to the metric-friendly names of Cause, most
// specific first; datagram tells the causes of the errors Decode returns.
var causes = []struct {
	err      error
	name     string
	datagram bool
}{
	{ErrPanic, "panic", true},
	{ErrNotSFlow, "not_sflow", true},
	{ErrUnsupportedVersion, "unsupported_version", true},
	{ErrAgentAddress, "agent_address", true},
	{ErrUnknownType, "unknown_type", false},
	{ErrTooMany, "too_many", true},
	{ErrBadLength, "bad_length", true},
	{ErrTruncated, "truncated", true},
}

// CauseOther is the Cause of an error that wraps none of the sentinels.
const CauseOther = "other"

// Cause returns a short, bounded name for the cause of err, for per-cause
// counters: one of DatagramCauses for the errors Decode returns; the
// sample errors of Datagram.Errors may also be "unknown_type".
func Cause(err error) string {
	for _, c := range causes {
		if errors.Is(err, c.err) {
			return c.name
		}
	}
	return CauseOther
}

// DatagramCauses returns every Cause of the errors Decode returns, so that
// a counter of each can be created up front.
func DatagramCauses() []string {
	var out []string
	for _, c := range causes {
		if c.datagram {
			out = append(out, c.name)
		}
	}
	return append(out, CauseOther)
}
