package decoder

import (
	"encoding/binary"
	"math"
	"net/netip"
)

// xdr reads XDR (RFC 4506) items out of a byte slice. The first error is
// sticky: once err is set every read returns zero values, so record
// decoders read all their fields and check err once at the end.
type xdr struct {
	b    []byte
	p    int // read position in b
	base int // offset of b[0] in the datagram, for error offsets
	err  error
}

// left returns the number of bytes not read yet.
func (x *xdr) left() int { return len(x.b) - x.p }

// offset returns the datagram offset of the read position.
func (x *xdr) offset() int { return x.base + x.p }

// fail records the first error and stops reading.
func (x *xdr) fail(err error) {
	if x.err == nil {
		x.err = err
	}
	x.p = len(x.b)
}

// take returns the next n bytes, or nil (and ErrTruncated) if there are
// fewer left.
func (x *xdr) take(n int) []byte {
	if n < 0 || x.left() < n {
		x.fail(ErrTruncated)
		return nil
	}
	b := x.b[x.p : x.p+n : x.p+n]
	x.p += n
	return b
}

// u32 reads an unsigned int.
func (x *xdr) u32() uint32 {
	if x.left() < 4 {
		x.fail(ErrTruncated)
		return 0
	}
	v := binary.BigEndian.Uint32(x.b[x.p:])
	x.p += 4
	return v
}

// u64 reads an unsigned hyper.
func (x *xdr) u64() uint64 {
	if x.left() < 8 {
		x.fail(ErrTruncated)
		return 0
	}
	v := binary.BigEndian.Uint64(x.b[x.p:])
	x.p += 8
	return v
}

// i32 reads an int.
func (x *xdr) i32() int32 { return int32(x.u32()) }

// f32 reads a float (IEEE 754 single precision).
func (x *xdr) f32() float32 { return math.Float32frombits(x.u32()) }

// u8 reads a 4-byte word and keeps its low byte; used for fields sFlow
// declares as unsigned int but whose values fit a byte.
func (x *xdr) u8() uint8 { return uint8(x.u32()) }

// fixed reads a fixed-length opaque of n bytes, padded to 4.
func (x *xdr) fixed(n int) []byte {
	b := x.take(n)
	x.take(pad(n))
	return b
}

// opaque reads a variable-length opaque or string: a length, the bytes,
// and padding to 4. The padding of the last item of a structure may be
// missing (some agents omit it): it is not required.
func (x *xdr) opaque() []byte {
	n := x.u32()
	if uint64(n) > uint64(x.left()) {
		x.fail(ErrTruncated)
		return nil
	}
	b := x.take(int(n))
	if p := pad(int(n)); x.left() >= p {
		x.p += p
	}
	return b
}

// mac reads an sFlow mac (opaque[6], padded to 8 bytes).
func (x *xdr) mac() (m [6]byte) {
	copy(m[:], x.fixed(6))
	return m
}

// ipv4 reads an ip_v4 (opaque[4]).
func (x *xdr) ipv4() netip.Addr {
	b := x.take(4)
	if b == nil {
		return netip.Addr{}
	}
	return netip.AddrFrom4([4]byte(b))
}

// ipv6 reads an ip_v6 (opaque[16]).
func (x *xdr) ipv6() netip.Addr {
	b := x.take(16)
	if b == nil {
		return netip.Addr{}
	}
	return netip.AddrFrom16([16]byte(b))
}

// Address types of the sFlow v5 address union.
const (
	addrUnknown uint32 = 0
	addrIPv4    uint32 = 1
	addrIPv6    uint32 = 2
)

// addr reads an sFlow v5 address union: type 0 (unknown, no value, the
// zero netip.Addr), 1 IPv4 or 2 IPv6; any other type fails with errOther.
func (x *xdr) addr(errOther error) netip.Addr {
	switch x.u32() {
	case addrUnknown:
		return netip.Addr{}
	case addrIPv4:
		return x.ipv4()
	case addrIPv6:
		return x.ipv6()
	}
	x.fail(errOther)
	return netip.Addr{}
}

// count reads an array length and checks it against max and against the
// bytes left, each element taking at least minSize bytes; it returns 0
// and fails with ErrTooMany if either is exceeded. Callers may therefore
// size allocations by the result.
func (x *xdr) count(minSize, max int) int {
	n := x.u32()
	if x.err != nil {
		return 0
	}
	if uint64(n) > uint64(max) || uint64(n)*uint64(minSize) > uint64(x.left()) {
		x.fail(ErrTooMany)
		return 0
	}
	return int(n)
}

// u32s reads n unsigned ints into dst[:0], reusing its capacity.
func (x *xdr) u32s(dst []uint32, n int) []uint32 {
	dst = dst[:0]
	for range n {
		dst = append(dst, x.u32())
	}
	return dst
}

// reader returns a reader of the next n bytes and skips them in x; it fails
// with ErrBadLength if fewer are left.
func (x *xdr) reader(n uint32) xdr {
	if uint64(n) > uint64(x.left()) {
		x.fail(ErrBadLength)
		return xdr{base: x.offset(), err: ErrBadLength}
	}
	s := xdr{b: x.b[x.p : x.p+int(n) : x.p+int(n)], base: x.offset()}
	x.p += int(n)
	return s
}

// pad returns the XDR padding of n bytes.
func pad(n int) int { return (4 - n%4) % 4 }

// extend returns s with one more element, reusing the capacity (and so the
// nested slices of the element that was there before) when it can.
func extend[T any](s []T) []T {
	if len(s) < cap(s) {
		return s[:len(s)+1]
	}
	var zero T
	return append(s, zero)
}
