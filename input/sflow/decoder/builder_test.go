package decoder

import (
	"encoding/binary"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
	"math"
	"net/netip"
	"reflect"
)

// xb builds XDR bytes for tests: b.u32(...), b.opaque(...), and
// b.record(format, func(b)) / b.sample(...) which compute the length word.
type xb struct{ b []byte }

func (b *xb) u32(vs ...uint32) *xb {
	for _, v := range vs {
		b.b = binary.BigEndian.AppendUint32(b.b, v)
	}
	return b
}

func (b *xb) u64(v uint64) *xb {
	b.b = binary.BigEndian.AppendUint64(b.b, v)
	return b
}

func (b *xb) raw(p []byte) *xb {
	b.b = append(b.b, p...)
	return b
}

// opaque appends a variable-length opaque/string with its padding.
func (b *xb) opaque(p []byte) *xb {
	b.u32(uint32(len(p)))
	b.b = append(b.b, p...)
	b.b = append(b.b, make([]byte, pad(len(p)))...)
	return b
}

func (b *xb) str(s string) *xb { return b.opaque([]byte(s)) }

// mac appends an sFlow mac: opaque[6] padded to 8.
func (b *xb) mac(m [6]byte) *xb { return b.raw(m[:]).raw([]byte{0, 0}) }

// addr appends an sFlow address union (type 1 or 2 and the address).
func (b *xb) addr(s string) *xb {
	a := netip.MustParseAddr(s)
	if a.Is4() {
		return b.u32(1).raw(a.AsSlice())
	}
	return b.u32(2).raw(a.AsSlice())
}

// tlv appends data_format, length and the body built by f.
func (b *xb) tlv(format uint32, f func(*xb)) *xb {
	var body xb
	f(&body)
	return b.u32(format, uint32(len(body.b))).raw(body.b)
}

func (b *xb) record(format uint32, f func(*xb)) *xb { return b.tlv(format, f) }
func (b *xb) sample(format uint32, f func(*xb)) *xb { return b.tlv(format, f) }

// datagram returns a v5 datagram from agent 192.0.2.1 (sub-agent 1,
// sequence 2, uptime 3) declaring n samples, built by f.
func datagram(n uint32, f func(*xb)) []byte {
	var b xb
	b.u32(5).addr("192.0.2.1").u32(1, 2, 3, n)
	f(&b)
	return b.b
}

// flowSample appends a flow_sample (0:1) with seq 10, source ifIndex 7,
// rate 100, pool 1000, drops 0, input 1, output 2 and the records of f.
func (b *xb) flowSample(nrec uint32, f func(*xb)) *xb {
	return b.sample(decoded.SampleFlow, func(b *xb) {
		b.u32(10, 7, 100, 1000, 0, 1, 2, nrec)
		f(b)
	})
}

// counterSample appends a counters_sample (0:2), seq 20, source ifIndex 7.
func (b *xb) counterSample(nrec uint32, f func(*xb)) *xb {
	return b.sample(decoded.SampleCounters, func(b *xb) {
		b.u32(20, 7, nrec)
		f(b)
	})
}

// seqStruct fills a struct of numeric fields (uint32, uint64, int32,
// float32) with 1, 2, 3, ... in field order and returns it with its XDR
// encoding in the same order: for the structures whose wire layout is
// their field order.
func seqStruct[T any]() (T, []byte) {
	var v T
	rv := reflect.ValueOf(&v).Elem()
	var b xb
	for i := range rv.NumField() {
		f := rv.Field(i)
		n := uint64(i + 1)
		switch f.Kind() {
		case reflect.Uint32:
			f.SetUint(n)
			b.u32(uint32(n))
		case reflect.Uint64:
			n += 1 << 40 // make the high word matter
			f.SetUint(n)
			b.u64(n)
		case reflect.Int32:
			f.SetInt(-int64(n))
			b.u32(uint32(-int32(n)))
		case reflect.Float32:
			f.SetFloat(float64(n) + 0.5)
			b.u32(math.Float32bits(float32(n) + 0.5))
		default:
			panic("seqStruct: unsupported field " + rv.Type().Field(i).Name)
		}
	}
	return v, b.b
}
