package ecs

import (
	"bytes"
	"maps"
	"math"
	"math/bits"
	"net/netip"
	"slices"
	"strconv"
	"sync"

	"github.com/elastic/elastic-agent-libs/mapstr"
	structform "github.com/elastic/go-structform"
	"github.com/elastic/go-structform/json"
)

// maxFields bounds len(schema) (checked when the package starts) and
// maxEntries the fields one document can set.
const (
	maxFields  = 384
	maxEntries = 255
)

// kind is the type of a value in a Doc, which says how it is written.
type kind uint8

// Kinds of values.
const (
	kindUint     kind = iota + 1 // n
	kindBool                     // n != 0
	kindString                   // strs[n]
	kindDecimal                  // n, written as a decimal string (keyword ids)
	kindIP4                      // n: the address, big endian
	kindIP6                      // ip6s[n]
	kindMAC                      // n: the 6 bytes, big endian
	kindStrings                  // strLists[n]
	kindUint32s                  // numLists[n]
	kindTCPFlags                 // n: the TCP flag bits, written as their names
	kindRelated                  // the distinct IPs of source.ip and destination.ip
	kindObject                   // objects[n], a map of plain Go values
	kindFloat                    // math.Float64frombits(n)
)

// entry is one set field of a Doc. It holds no pointer: what does (a
// string, a list) is in the Doc, at index n.
type entry struct {
	f field
	k kind
	n uint64
}

// Doc holds the fields of one event, typed: no map is built and no value
// is boxed while the mapper fills it. It is written out in schema order,
// which nests the fields as their paths say: by go-structform through
// Fold (its Fields, the fast path to Elasticsearch), or as nested maps by
// Map, when something must read or change the event as a map (libbeat
// processors, index format strings, the decode command).
//
// A Doc belongs to its event: it holds no reference to the datagram's
// buffer, so the event can outlive it (the disk queue, slow outputs).
type Doc struct {
	// What holds pointers comes first, so that the garbage collector scans
	// only the head of a Doc.
	strs     []string
	strLists [][]string
	numLists [][]uint32
	objects  []map[string]any
	entries  []entry
	ip6s     [][16]byte  // IPv6 addresses
	secs     [12]section // the top-level objects, for Fields
	strBuf   [12]string  // strs' first backing array
	listBuf  [4][]string // strLists' first backing array

	tops uint32                 // the top-level keys that are set, a bit each
	set  [maxFields / 64]uint64 // fields that are set
	pos  [maxFields]uint8       // their index in entries
	buf  [56]entry              // entries' first backing array: room for a flow event with every option
	text [64]byte               // scratch of the writers, for the text of IPs, MACs and numbers
	ip6B [4][16]byte            // ip6s' first backing array
}

func init() {
	if len(schema) > maxFields {
		panic("ecs: maxFields is smaller than FieldDocs")
	}
}

// newDoc returns an empty Doc.
func newDoc() *Doc {
	d := &Doc{}
	d.entries, d.strs, d.strLists, d.ip6s = d.buf[:0], d.strBuf[:0], d.listBuf[:0], d.ip6B[:0]
	return d
}

// put sets field f, replacing a value set before.
func (d *Doc) put(e entry) {
	if d.isSet(e.f) {
		d.entries[d.pos[e.f]] = e
		return
	}
	if len(d.entries) == maxEntries {
		return // cannot happen: no event has that many fields
	}
	d.set[e.f/64] |= 1 << (e.f % 64)
	d.tops |= schema[e.f].top
	d.pos[e.f] = uint8(len(d.entries))
	d.entries = append(d.entries, e)
}

// isSet reports whether field f is set.
func (d *Doc) isSet(f field) bool { return d.set[f/64]&(1<<(f%64)) != 0 }

// Has reports whether the field at path is set (tests, and callers that
// route on a field).
func (d *Doc) Has(path string) bool {
	f, ok := index[path]
	return ok && d.isSet(f)
}

// Setters, one per kind.
func (d *Doc) uint(f field, v uint64) { d.put(entry{f: f, k: kindUint, n: v}) }
func (d *Doc) bool(f field, v bool)   { d.put(entry{f: f, k: kindBool, n: b2u(v)}) }
func (d *Doc) str(f field, v string) {
	d.strs = append(d.strs, v)
	d.put(entry{f: f, k: kindString, n: uint64(len(d.strs) - 1)})
}
func (d *Doc) decimal(f field, v uint64)  { d.put(entry{f: f, k: kindDecimal, n: v}) }
func (d *Doc) tcpFlags(f field, v uint16) { d.put(entry{f: f, k: kindTCPFlags, n: uint64(v)}) }

// float sets f to v.
func (d *Doc) float(f field, v float64) { d.put(entry{f: f, k: kindFloat, n: math.Float64bits(v)}) }

// strNonEmpty sets f to v unless v is empty.
func (d *Doc) strNonEmpty(f field, v string) {
	if v != "" {
		d.str(f, v)
	}
}

// uintNonZero sets f to v unless v is 0.
func (d *Doc) uintNonZero(f field, v uint64) {
	if v != 0 {
		d.uint(f, v)
	}
}

// ip sets f to an address (an IPv4-mapped IPv6 address stays one, as
// the agent sent it).
func (d *Doc) ip(f field, a netip.Addr) {
	if a.Is4() {
		b := a.As4()
		d.put(entry{f: f, k: kindIP4, n: uint64(b[0])<<24 | uint64(b[1])<<16 | uint64(b[2])<<8 | uint64(b[3])})
		return
	}
	d.ip6s = append(d.ip6s, a.As16())
	d.put(entry{f: f, k: kindIP6, n: uint64(len(d.ip6s) - 1)})
}

// ipSpecified sets f to an address unless it is absent or unspecified
// (0.0.0.0, ::), which sFlow agents send for "none".
func (d *Doc) ipSpecified(f field, a netip.Addr) {
	if a.IsValid() && !a.IsUnspecified() {
		d.ip(f, a)
	}
}

// mac sets f to a MAC address.
func (d *Doc) mac(f field, m [6]byte) {
	var n uint64
	for _, b := range m {
		n = n<<8 | uint64(b)
	}
	d.put(entry{f: f, k: kindMAC, n: n})
}

// list sets f to a list of strings, which the Doc keeps (static lists are
// shared: nothing changes them).
func (d *Doc) list(f field, v []string) {
	d.strLists = append(d.strLists, v)
	d.put(entry{f: f, k: kindStrings, n: uint64(len(d.strLists) - 1)})
}

// numbers sets f to a copy of v.
func (d *Doc) numbers(f field, v []uint32) {
	d.numLists = append(d.numLists, append([]uint32(nil), v...))
	d.put(entry{f: f, k: kindUint32s, n: uint64(len(d.numLists) - 1)})
}

// related sets f to the distinct addresses of source.ip and
// destination.ip, set before.
func (d *Doc) related(f field) { d.put(entry{f: f, k: kindRelated}) }

// relatedIPs returns the distinct addresses of source.ip and
// destination.ip, in that order: the first n of ips.
func (d *Doc) relatedIPs() (ips [2]netip.Addr, n int) {
	for _, f := range [2]field{outerFlow.src.ip, outerFlow.dst.ip} {
		if d.isSet(f) {
			a := d.addr(d.at(f))
			if n == 0 || ips[0] != a {
				ips[n] = a
				n++
			}
		}
	}
	return ips, n
}

// object sets f to a map of plain Go values (the counter records).
func (d *Doc) object(f field, m map[string]any) {
	d.objects = append(d.objects, m)
	d.put(entry{f: f, k: kindObject, n: uint64(len(d.objects) - 1)})
}

// next returns the first set field from f on, in schema order, and
// whether there is one. Iterating with it (not with a callback) keeps the
// writers on the stack.
func (d *Doc) next(f field) (field, bool) {
	for w := int(f) / 64; w < len(d.set); w++ {
		word := d.set[w]
		if w == int(f)/64 {
			word &^= 1<<(uint(f)%64) - 1
		}
		if word != 0 {
			return field(w*64 + bits.TrailingZeros64(word)), true
		}
	}
	return 0, false
}

// at returns the entry of a set field.
func (d *Doc) at(f field) *entry { return &d.entries[d.pos[f]] }

// b2u converts a bool to 0 or 1.
func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// addr returns the address of an IP entry.
func (d *Doc) addr(e *entry) netip.Addr {
	if e.k == kindIP4 {
		return netip.AddrFrom4([4]byte{byte(e.n >> 24), byte(e.n >> 16), byte(e.n >> 8), byte(e.n)})
	}
	return netip.AddrFrom16(d.ip6s[e.n])
}

// macBytes returns the address of a MAC entry.
func (e *entry) macBytes() [6]byte {
	var m [6]byte
	for i := range 6 {
		m[i] = byte(e.n >> (40 - 8*i))
	}
	return m
}

// appendText appends the text of a string-like entry (decimal, IP, MAC)
// to b.
func (d *Doc) appendText(b []byte, e *entry) []byte {
	switch e.k {
	case kindDecimal:
		return strconv.AppendUint(b, e.n, 10)
	case kindIP4, kindIP6:
		return d.addr(e).AppendTo(b)
	case kindMAC:
		return appendMAC(b, e.macBytes())
	}
	return b
}

// value returns the plain Go value of an entry, as Map puts it in maps.
func (d *Doc) value(e *entry) any {
	switch e.k {
	case kindUint:
		return e.n
	case kindBool:
		return e.n != 0
	case kindString:
		return d.strs[e.n]
	case kindDecimal, kindIP4, kindIP6, kindMAC:
		return string(d.appendText(nil, e))
	case kindStrings:
		return append([]string(nil), d.strLists[e.n]...)
	case kindUint32s:
		return append([]uint32(nil), d.numLists[e.n]...)
	case kindTCPFlags:
		return tcpFlagNames(uint16(e.n))
	case kindRelated:
		var out []string
		ips, n := d.relatedIPs()
		for _, a := range ips[:n] {
			out = append(out, a.String())
		}
		return out
	case kindObject:
		return cloneObject(d.objects[e.n])
	case kindFloat:
		return math.Float64frombits(e.n)
	}
	return nil
}

// Fields returns the fields for beat.Event.Fields without building maps:
// each top-level object is a section that go-structform folds (Fold), and
// a top-level list (tags) is a []string, which libbeat's add_tags appends
// to. Nothing can read inside the sections as maps: use Map when
// processors or format strings must.
func (d *Doc) Fields() mapstr.M {
	m := make(mapstr.M, bits.OnesCount32(d.tops)+4) // room for what the input and libbeat add (agent, host, data_stream...)
	n := 0
	for t := d.tops; t != 0; t &= t - 1 {
		f, _ := d.next(topFirst[bits.TrailingZeros32(t)]) // set: its top-level key is
		key := schema[f].segs[0]
		switch e := d.at(f); {
		case schema[f].parent != root:
			d.secs[n] = section{d: d, lo: f}
			m[key] = &d.secs[n]
			n++
		case e.k == kindStrings:
			m[key] = d.strLists[e.n] // shared and never changed: an append copies it
		default:
			m[key] = d.value(e)
		}
	}
	return m
}

// topFirst is the first field of each top-level key, by its bit.
var topFirst = func() (first [32]field) {
	for f := len(schema) - 1; f >= 0; f-- {
		first[bits.TrailingZeros32(schema[f].top)] = field(f)
	}
	return first
}()

// Map returns the fields as nested maps (mapstr.M at every level) of
// plain Go values: what libbeat processors, format strings and tests read
// and change. The maps are new: changing them does not change d.
func (d *Doc) Map() mapstr.M {
	path := make([]mapstr.M, 1, 8) // path[i]: the map of the open object at depth i
	path[0] = mapstr.M{}
	open := root
	for f, ok := d.next(0); ok; f, ok = d.next(f + 1) {
		p := schema[f].parent
		for !contains(open, p) {
			open, path = objects[open].parent, path[:len(path)-1]
		}
		path, open = mapsTo(path, open, p), p
		segs := schema[f].segs
		path[len(path)-1][segs[len(segs)-1]] = d.value(d.at(f))
	}
	return path[0]
}

// mapsTo appends to path a new map for each object from open (excluded)
// down to o, each one put in its parent.
func mapsTo(path []mapstr.M, open, o object) []mapstr.M {
	if o == open {
		return path
	}
	path = mapsTo(path, open, objects[o].parent)
	m := mapstr.M{}
	path[len(path)-1][objects[o].key] = m
	return append(path, m)
}

// cloneObject copies a map of plain values, deeply, into mapstr.M maps.
func cloneObject(m map[string]any) mapstr.M {
	out := make(mapstr.M, len(m))
	for k, v := range m {
		switch v := v.(type) {
		case mapstr.M:
			out[k] = cloneObject(v)
		case []mapstr.M:
			l := make([]mapstr.M, len(v))
			for i, e := range v {
				l[i] = cloneObject(e)
			}
			out[k] = l
		case []string:
			out[k] = append([]string(nil), v...)
		default:
			out[k] = v
		}
	}
	return out
}

// section is one top-level object of a Doc (source, network, sflow...),
// the value of its key in Fields: go-structform folds it through Fold.
type section struct {
	d  *Doc
	lo field // its first field
}

// Fold writes the object to v (go-structform's gotype.Folder): the fast
// path to the encoders of libbeat's outputs and queues.
func (s *section) Fold(v structform.ExtVisitor) error {
	if err := v.OnObjectStart(-1, structform.AnyType); err != nil {
		return err
	}
	top := schema[s.lo].top
	w := writer{v: v, d: s.d, open: objectOf(s.lo), fast: outOf(v), first: true} // the section's own object is open
	w.resume()
	sec := w.open
	for f, ok := s.d.next(s.lo); ok && schema[f].top == top && w.err == nil; f, ok = s.d.next(f + 1) {
		w.write(f)
	}
	for w.open != sec {
		w.close()
	}
	w.flush()
	if w.err != nil {
		return w.err
	}
	return v.OnObjectFinished()
}

// objectOf returns the top-level object field f is in.
func objectOf(f field) object {
	o := schema[f].parent
	for objects[o].depth > 1 {
		o = objects[o].parent
	}
	return o
}

// writer writes entries to a go-structform visitor, opening and closing
// the objects their paths go through; or, on the JSON fast path (see
// rawjson.go), appends their JSON to the visitor's buffer.
type writer struct {
	v    structform.ExtVisitor
	d    *Doc
	open object // the innermost open object
	err  error

	fast  jsonOut // the fast path's buffer, when it is on
	out   []byte  // JSON appended and not yet written to it
	first bool    // the next key is the first of its object
	// (On the fast path the visitor's own state stays that of the
	// section's object, opened and closed through it: the keys and
	// nested objects appended in between are not its business, and a
	// value handed back to it is written as in any object.)
}

// write writes the key and value of field f, in the object its path
// names.
func (w *writer) write(f field) {
	if p := schema[f].parent; p != w.open {
		for !contains(w.open, p) {
			w.close()
		}
		w.openTo(p)
	}
	if w.fast.on() {
		w.key(schema[f].key)
		w.appendValue(w.d.at(f))
		return
	}
	segs := schema[f].segs
	w.do(w.v.OnKey(segs[len(segs)-1]))
	w.value(w.d.at(f))
}

// openTo opens the objects from the open one down to o, which is in it.
func (w *writer) openTo(o object) {
	if o == w.open {
		return
	}
	w.openTo(objects[o].parent)
	if w.fast.on() {
		w.key(objects[o].open)
		w.first = true
	} else {
		w.do(w.v.OnKey(objects[o].key))
		w.do(w.v.OnObjectStart(-1, structform.AnyType))
	}
	w.open = o
}

// close closes the open object.
func (w *writer) close() {
	if w.fast.on() {
		w.out = append(w.out, '}')
	} else {
		w.do(w.v.OnObjectFinished())
	}
	w.open = objects[w.open].parent
}

// key appends a JSON key (with the start of its object, for an object),
// after a comma unless it is the first of its object.
func (w *writer) key(k []byte) {
	if !w.first {
		w.out = append(w.out, ',')
	}
	w.first = false
	w.out = append(w.out, k...)
}

// resume starts appending at the end of the fast path's buffer, with room
// for a section.
func (w *writer) resume() {
	if w.fast.on() {
		w.fast.buf.Grow(512)
		w.out = w.fast.buf.AvailableBuffer()
	}
}

// flush writes what was appended to the fast path's buffer.
func (w *writer) flush() {
	if w.fast.on() {
		w.fast.buf.Write(w.out)
		w.out = nil
	}
}

// appendValue appends the JSON of an entry's value. A float and a counter
// record go through the visitor, which is then inside an object, as it
// would be: the fast path writes what it writes.
func (w *writer) appendValue(e *entry) {
	b, esc := w.out, w.fast.esc
	switch e.k {
	case kindUint:
		b = strconv.AppendUint(b, e.n, 10)
	case kindBool:
		b = strconv.AppendBool(b, e.n != 0)
	case kindString:
		b = appendString(b, w.d.strs[e.n], esc)
	case kindDecimal, kindIP4, kindIP6, kindMAC: // digits, hex digits and . : -
		b = append(w.d.appendText(append(b, '"'), e), '"')
	case kindStrings:
		b = appendStrings(b, w.d.strLists[e.n], esc)
	case kindUint32s:
		b = append(b, '[')
		for i, n := range w.d.numLists[e.n] {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendUint(b, uint64(n), 10)
		}
		b = append(b, ']')
	case kindTCPFlags:
		b = append(b, '[')
		sep := false
		for i, name := range tcpFlags {
			if e.n&(1<<i) != 0 {
				if sep {
					b = append(b, ',')
				}
				b, sep = appendString(b, name, esc), true
			}
		}
		b = append(b, ']')
	case kindRelated:
		b = append(b, '[')
		ips, n := w.d.relatedIPs()
		for i, a := range ips[:n] {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(a.AppendTo(append(b, '"')), '"')
		}
		b = append(b, ']')
	case kindObject, kindFloat:
		w.flush()
		w.value(e)
		w.resume()
		return
	}
	w.out = b
}

// do keeps the first error.
func (w *writer) do(err error) {
	if w.err == nil {
		w.err = err
	}
}

// value writes the value of an entry.
func (w *writer) value(e *entry) {
	switch e.k {
	case kindUint:
		w.do(w.v.OnUint64(e.n))
	case kindBool:
		w.do(w.v.OnBool(e.n != 0))
	case kindString:
		w.do(w.v.OnString(w.d.strs[e.n]))
	case kindDecimal, kindIP4, kindIP6, kindMAC:
		w.do(w.v.OnStringRef(w.d.appendText(w.d.text[:0], e)))
	case kindStrings:
		w.do(w.v.OnStringArray(w.d.strLists[e.n]))
	case kindUint32s:
		w.do(w.v.OnUint32Array(w.d.numLists[e.n]))
	case kindTCPFlags:
		w.flags(uint16(e.n))
	case kindRelated:
		w.related()
	case kindObject:
		w.do(foldObject(w.v, w.d.objects[e.n]))
	case kindFloat:
		w.do(w.v.OnFloat64(math.Float64frombits(e.n)))
	}
}

// flags writes the names of TCP flag bits as an array.
func (w *writer) flags(f uint16) {
	w.do(w.v.OnArrayStart(-1, structform.StringType))
	for i, name := range tcpFlags {
		if f&(1<<i) != 0 {
			w.do(w.v.OnString(name))
		}
	}
	w.do(w.v.OnArrayFinished())
}

// related writes the distinct addresses of source.ip and destination.ip
// as an array.
func (w *writer) related() {
	w.do(w.v.OnArrayStart(-1, structform.StringType))
	ips, n := w.d.relatedIPs()
	for _, a := range ips[:n] {
		w.do(w.v.OnStringRef(a.AppendTo(w.d.text[:0])))
	}
	w.do(w.v.OnArrayFinished())
}

// Materialize turns the fields of a published event into plain maps in
// place: each section of a Doc (see Fields) becomes its maps, and the maps
// an input shares between its events (data_stream) are copied, so that a
// libbeat processor can read and change every field, and no change reaches
// another event. It is the first processor of a client whose events
// processors or format strings will read.
func Materialize(fields mapstr.M) {
	var doc mapstr.M // the maps of the Doc the sections belong to, built once
	for k, v := range fields {
		switch v := v.(type) {
		case *section:
			if doc == nil {
				doc = v.d.Map()
			}
			fields[k] = doc[k]
		case *Object:
			fields[k] = v.Map()
		case mapstr.M:
			fields[k] = v.Clone()
		case []string:
			fields[k] = append([]string(nil), v...)
		}
	}
}

// Object is a read-only map of plain values that many events share (the
// beat's agent.* and host.name): go-structform folds it without reflection
// (nor map iteration: its keys are sorted once), and Materialize gives each
// event its own copy.
type Object struct {
	m    mapstr.M
	keys []string
	vals []any // m's values, in the order of keys; an Object for each map

	// The JSON of its keys and values, for the JSON fast path (see
	// rawjson.go): encoded once for each escape set, when it is plain
	// (plainValue): a float, which visitors may be set to write in other
	// ways, or a value of another type goes token by token.
	plain     bool
	encodings [2]struct { // with JSON's escapes, and with HTML's too
		once sync.Once
		b    []byte
		ok   bool // b holds it: the visitor took every value
	}
}

// NewObject returns an Object of m, which must not change afterwards.
func NewObject(m mapstr.M) *Object {
	o := &Object{m: m, keys: slices.Sorted(maps.Keys(m)), plain: true}
	for _, k := range o.keys {
		v := m[k]
		if sub, ok := v.(mapstr.M); ok {
			v = NewObject(sub)
		}
		o.plain = o.plain && plainValue(v)
		o.vals = append(o.vals, v)
	}
	return o
}

// plainValue reports whether every JSON visitor writes v the same way,
// whatever it is set to: strings, bools, integers, lists of them, and
// plain Objects, but no float anywhere.
func plainValue(v any) bool {
	switch x := v.(type) {
	case string, bool, int, int32, int64, uint8, uint16, uint32, uint64, []string, []uint32:
		return true
	case *Object:
		return x.plain
	}
	return false
}

// Fold writes the object (go-structform's gotype.Folder).
func (o *Object) Fold(v structform.ExtVisitor) error {
	if !o.plain {
		return o.fold(v)
	}
	out := outOf(v)
	if !out.on() {
		return o.fold(v)
	}
	body, ok := o.encoded(out.html())
	if !ok {
		return o.fold(v) // the visitor refuses a value: let it say why
	}
	if err := v.OnObjectStart(len(o.keys), structform.AnyType); err != nil {
		return err
	}
	out.buf.Write(body)
	return v.OnObjectFinished()
}

// encoded returns the JSON of the object's keys and values, without its
// braces, as go-structform's visitor writes them; ok is false when the
// visitor refuses one of them.
func (o *Object) encoded(html bool) (body []byte, ok bool) {
	j := &o.encodings[b2u(html)]
	j.once.Do(func() {
		var b bytes.Buffer
		jv := json.NewVisitor(&b)
		jv.SetEscapeHTML(html)
		if err := o.fold(structform.EnsureExtVisitor(jv)); err == nil && b.Len() >= 2 {
			j.b, j.ok = b.Bytes()[1:b.Len()-1], true
		}
	})
	return j.b, j.ok
}

// fold writes the object to v token by token.
func (o *Object) fold(v structform.ExtVisitor) error {
	if err := v.OnObjectStart(len(o.keys), structform.AnyType); err != nil {
		return err
	}
	for i, k := range o.keys {
		if err := v.OnKey(k); err != nil {
			return err
		}
		if err := foldValue(v, o.vals[i]); err != nil {
			return err
		}
	}
	return v.OnObjectFinished()
}

// Map returns a copy of the object as maps.
func (o *Object) Map() mapstr.M { return cloneObject(o.m) }
