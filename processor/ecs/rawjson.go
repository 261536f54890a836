package ecs

import (
	"bytes"
	"io"
	"reflect"
	"sync/atomic"
	"unicode/utf8"
	"unsafe"

	structform "github.com/elastic/go-structform"
	"github.com/elastic/go-structform/json"
)

// The JSON fast path.
//
// libbeat's Elasticsearch output (and its json codec) encode an event with
// go-structform's JSON visitor into a bytes.Buffer. The visitor writes each
// key and value in several small writes, scanning every byte of every key
// for escapes, and it has no way to take JSON that is already encoded: at
// about 90 tokens per flow event that was most of the encoding cost. When a
// section or an Object is folded by that visitor, it appends its JSON to
// the visitor's buffer itself instead: the keys encoded once at start-up,
// the values appended in place. It opens and closes its object through the
// visitor, so the visitor's own state stays right around it, and it hands
// floats and counter records back to the visitor, which then writes inside
// an object as it would anyway. The bytes are those the visitor writes
// (TestJSONFastPathMatchesVisitor); any other visitor (the disk queue's
// CBOR, a visitor that is not over a bytes.Buffer) gets the tokens.
//
// go-structform keeps the visitor's buffer and escape set unexported: they
// are found once, by name and type (jsonLayout), and the fast path is off
// when they are not there, which TestJSONFastPathRecognized turns into a
// failure when go-structform changes.

// jsonOut is where the fast path writes: the buffer under a JSON visitor,
// and the bytes that visitor escapes. Its zero value is "not a JSON
// visitor over a bytes.Buffer": the visitor gets the tokens.
type jsonOut struct {
	buf *bytes.Buffer
	esc []bool // escaped ASCII bytes: the visitor's set (JSON's, or JSON's and HTML's)
}

// on reports whether the fast path writes to o.
func (o jsonOut) on() bool { return o.buf != nil }

// html reports whether the visitor escapes <, > and & (libbeat's
// escape_html).
func (o jsonOut) html() bool { return o.esc['<'] }

// layout is where go-structform keeps what the fast path needs.
type layout struct {
	ext    reflect.Type // the type EnsureExtVisitor wraps a JSON visitor in
	inner  int          // the index of the wrapped visitor in it
	out    uintptr      // the offset of the visitor's io.Writer
	escape uintptr      // the offset of its escape set
}

// jsonLayout is the layout of the go-structform built in, or nil when it
// is not the one the fast path knows.
var jsonLayout = findLayout()

// seen is a visitor found to be a JSON visitor, and the visitor it wraps.
type seen struct {
	v  structform.ExtVisitor
	jv *json.Visitor
}

// lastSeen is the last JSON visitor found: one per encoder, which folds
// many sections in a row, so that only the first pays for reflection.
// (Holding the visitor also keeps its address from being reused.)
var lastSeen atomic.Pointer[seen]

// findLayout finds the fields of go-structform's JSON visitor that the fast
// path reads, checking their types, and that the visitor writes straight
// to its io.Writer (its writer holds nothing else, no buffer of its own).
func findLayout() *layout {
	ext := reflect.TypeOf(structform.EnsureExtVisitor(json.NewVisitor(io.Discard)))
	if ext.Kind() != reflect.Pointer || ext.Elem().Kind() != reflect.Struct {
		return nil
	}
	inner, ok := ext.Elem().FieldByName("Visitor")
	if !ok || len(inner.Index) != 1 || !inner.IsExported() || inner.Type.Kind() != reflect.Interface {
		return nil
	}
	vt := reflect.TypeOf(json.Visitor{})
	w, okW := vt.FieldByName("w")
	esc, okE := vt.FieldByName("escapeSet")
	if !okW || !okE || w.Type.Kind() != reflect.Struct || w.Type.NumField() != 1 || esc.Type != reflect.TypeOf([]bool(nil)) {
		return nil
	}
	out, ok := w.Type.FieldByName("out")
	if !ok || out.Type != reflect.TypeOf((*io.Writer)(nil)).Elem() {
		return nil
	}
	return &layout{ext: ext, inner: inner.Index[0], out: w.Offset + out.Offset, escape: esc.Offset}
}

// outOf returns where the fast path writes under v: the zero jsonOut when
// v is not a JSON visitor over a bytes.Buffer. The buffer and the escape
// set are read at each call, as the visitor has them.
func outOf(v structform.ExtVisitor) jsonOut {
	s := lastSeen.Load()
	if s == nil || s.v != v {
		if jsonLayout == nil || reflect.TypeOf(v) != jsonLayout.ext {
			return jsonOut{}
		}
		jv, ok := reflect.ValueOf(v).Elem().Field(jsonLayout.inner).Interface().(*json.Visitor)
		if !ok || jv == nil {
			return jsonOut{}
		}
		s = &seen{v: v, jv: jv}
		lastSeen.Store(s)
	}
	p := unsafe.Pointer(s.jv)
	buf, ok := (*(*io.Writer)(unsafe.Add(p, jsonLayout.out))).(*bytes.Buffer)
	esc := *(*[]bool)(unsafe.Add(p, jsonLayout.escape))
	if !ok || buf == nil || len(esc) != utf8.RuneSelf {
		return jsonOut{}
	}
	return jsonOut{buf: buf, esc: esc}
}

// JSONFastPath reports whether a Doc's sections folded by v take the JSON
// fast path: v is go-structform's JSON visitor over a bytes.Buffer. Tests
// of libbeat's encoders use it to check that they still hand Folders such
// a visitor.
func JSONFastPath(v structform.ExtVisitor) bool { return outOf(v).on() }

// hexDigits are the digits of \u escapes, lower case as the visitor writes them.
const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string, escaped as go-structform's
// visitor escapes it: the bytes of esc, \n \r \t \" \\ by their short
// forms and the others as \u00XX, invalid UTF-8 as \ufffd, and U+2028 and
// U+2029 (which JavaScript does not take in strings).
func appendString(b []byte, s string, esc []bool) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			if !esc[c] {
				continue
			}
			b = append(b, s[start:i-1]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(append(b, s[start:i]...), `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(append(b, s[start:i]...), '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	return append(append(b, s[start:]...), '"')
}

// appendStrings appends a JSON array of strings.
func appendStrings(b []byte, l []string, esc []bool) []byte {
	b = append(b, '[')
	for i, s := range l {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s, esc)
	}
	return append(b, ']')
}
