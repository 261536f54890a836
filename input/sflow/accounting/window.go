package accounting

import "math/bits"

// class is what a sequence number is, relative to the numbers seen before
// it in its sequence.
type class uint8

const (
	clsFirst     class = iota // first number of the sequence, or first after a restart
	clsAdvance                // a new highest number; the numbers it skipped are pending gaps
	clsReordered              // fills a pending gap inside the window, or comes before the first number
	clsLate                   // fills a gap that was already counted missing (timeout)
	clsDuplicate              // a number already seen inside the window
	clsBehind                 // ReorderWindow or more behind the highest number
)

// maxMarks bounds the groups of pending gaps whose opening time a window
// keeps for ReorderTimeout.
const maxMarks = 4

// window tracks one sequence of 32-bit numbers (a datagram sequence_number
// or a data source's sample sequence_number): the highest number seen, a
// bitmap of the numbers seen among the last size numbers, and the numbers
// already settled. Numbers compare modulo 2^32: b is after a when
// 0 < b-a < 2^31.
//
// A number below the highest that is not seen, and not before the first,
// is a pending gap until it is settled: counted missing when the highest
// number moves size or more past it, or when it has been pending for the
// reorder timeout. Every number up to base is settled (seen, or counted
// missing).
type window struct {
	started bool
	first   uint32   // number the sequence started at
	high    uint32   // highest number seen
	base    uint32   // numbers up to base are settled; high-size <= base <= high
	size    uint32   // numbers kept: a power of two, a multiple of 64
	bits    []uint64 // bit n&(size-1) set: number n, inside the window, was seen
	marks   [maxMarks]mark
	nmarks  int
}

// mark says that the pending gaps below upTo (and above the previous mark)
// were opened at the receive time at, in Unix nanoseconds.
type mark struct {
	upTo uint32
	at   int64
}

// newWindow returns an empty window of size numbers.
func newWindow(size uint32) window {
	return window{size: size, bits: make([]uint64, size/64)}
}

// after reports whether b comes after a, modulo 2^32.
func after(a, b uint32) bool {
	d := b - a
	return d != 0 && d < 1<<31
}

// classify tells what n is, without changing the window.
func (w *window) classify(n uint32) class {
	back := w.high - n
	switch {
	case !w.started:
		return clsFirst
	case after(w.high, n):
		return clsAdvance
	case back >= w.size:
		return clsBehind
	case w.seen(n):
		return clsDuplicate
	case back < w.high-w.base, w.high-w.first < w.size && after(n, w.first):
		return clsReordered
	}
	return clsLate
}

// place records n, of class cls (from classify), received at now, and
// returns how many numbers it settled as missing.
func (w *window) place(n uint32, now int64, cls class) (missing uint64) {
	switch cls {
	case clsFirst, clsBehind:
		w.start(n)
	case clsAdvance:
		return w.advance(n, now)
	case clsReordered, clsLate:
		w.set(n)
	}
	return 0
}

// start forgets everything and starts the sequence at n.
func (w *window) start(n uint32) {
	clear(w.bits)
	w.started, w.first, w.high, w.base, w.nmarks = true, n, n, n, 0
	w.set(n)
}

// advance makes n the highest number. The numbers that leave the window are
// settled; the numbers skipped between the old highest and n are pending
// gaps opened at now.
func (w *window) advance(n uint32, now int64) (missing uint64) {
	d := n - w.high
	if lo := n - w.size; after(w.base, lo) {
		missing = w.leave(lo)
	}
	w.span(w.high+1, min(d, w.size), clearBits)
	w.high = n
	w.set(n)
	w.dropSettledMarks()
	if d > 1 {
		w.pushMark(n, now)
	}
	return missing
}

// leave settles every number up to lo, which leave the window: those up
// to the highest number are missing unless seen, those after it were never
// seen.
func (w *window) leave(lo uint32) uint64 {
	inside, beyond := lo-w.base, uint32(0)
	if after(w.high, lo) {
		inside, beyond = w.high-w.base, lo-w.high
	}
	missing := w.settleTo(inside) + uint64(beyond)
	w.base = lo
	return missing
}

// settle counts as missing the gaps that have been pending for timeout
// nanoseconds or more at now.
func (w *window) settle(now, timeout int64) (missing uint64) {
	for w.nmarks > 0 && now-w.marks[0].at >= timeout {
		if upTo := w.marks[0].upTo; after(w.base, upTo) {
			missing += w.settleTo(upTo - w.base)
			w.base = upTo
		}
		w.popMark()
	}
	return missing
}

// settleTo returns how many of the k numbers after base were not seen; the
// caller moves base.
func (w *window) settleTo(k uint32) uint64 {
	return uint64(k - w.span(w.base+1, k, countBits))
}

// dropSettledMarks forgets the marks whose gaps are all settled.
func (w *window) dropSettledMarks() {
	for w.nmarks > 0 && !after(w.base, w.marks[0].upTo) {
		w.popMark()
	}
}

// pushMark records that gaps below upTo were opened at now. When maxMarks
// groups are pending already, the newest group takes in the new one with
// the later time: its gaps are then settled later, never early.
func (w *window) pushMark(upTo uint32, now int64) {
	if w.nmarks == maxMarks {
		w.nmarks--
	}
	w.marks[w.nmarks] = mark{upTo: upTo, at: now}
	w.nmarks++
}

// popMark forgets the oldest mark.
func (w *window) popMark() {
	copy(w.marks[:], w.marks[1:w.nmarks])
	w.nmarks--
}

// seen reports whether n, inside the window, was seen.
func (w *window) seen(n uint32) bool {
	s := n & (w.size - 1)
	return w.bits[s>>6]&(1<<(s&63)) != 0
}

// set marks n, inside the window, as seen.
func (w *window) set(n uint32) {
	s := n & (w.size - 1)
	w.bits[s>>6] |= 1 << (s & 63)
}

// bitsOp is what span does to the bits of a run of numbers.
type bitsOp uint8

const (
	countBits bitsOp = iota // count the seen numbers
	clearBits               // forget them
)

// span applies op to the k (at most size) numbers from n and returns how
// many of them were seen, one word of the bitmap at a time.
func (w *window) span(n, k uint32, op bitsOp) (seen uint32) {
	for k > 0 {
		s := n & (w.size - 1)
		run := min(k, 64-s&63)
		m := ^uint64(0) >> (64 - run) << (s & 63)
		word := &w.bits[s>>6]
		seen += uint32(bits.OnesCount64(*word & m))
		if op == clearBits {
			*word &^= m
		}
		n, k = n+run, k-run
	}
	return seen
}
