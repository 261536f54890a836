package ecs

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"slices"
	"testing"

	"github.com/elastic/elastic-agent-libs/mapstr"
	structform "github.com/elastic/go-structform"
	"github.com/elastic/go-structform/cborl"
	"github.com/elastic/go-structform/gotype"
	sfjson "github.com/elastic/go-structform/json"
	"github.com/google/go-cmp/cmp"
)

// encodeWith encodes v with go-structform's JSON visitor, escaping HTML
// or not; on the fast path when fast, else token by token (the visitor
// then writes to a writer that is not a bytes.Buffer, which the fast path
// does not take).
func encodeWith(t testing.TB, v any, html, fast bool) []byte {
	t.Helper()
	b, err := encode(v, html, fast)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// encode is encodeWith, returning the visitor's error.
func encode(v any, html, fast bool) ([]byte, error) {
	var buf bytes.Buffer
	var w io.Writer = &buf
	if !fast {
		w = struct{ io.Writer }{&buf}
	}
	jv := sfjson.NewVisitor(w)
	jv.SetEscapeHTML(html)
	err := gotype.Fold(v, jv)
	return buf.Bytes(), err
}

// TestJSONFastPathRecognized: the fast path finds the buffer and the
// escape set of go-structform's JSON visitor as go.mod pins it, and only
// of a JSON visitor over a bytes.Buffer. When this fails after an upgrade
// of go-structform, findLayout must learn the new layout.
func TestJSONFastPathRecognized(t *testing.T) {
	if jsonLayout == nil {
		t.Fatal("go-structform's JSON visitor does not have the fields the fast path reads")
	}
	for _, html := range []bool{false, true} {
		var buf bytes.Buffer
		jv := sfjson.NewVisitor(&buf)
		jv.SetEscapeHTML(html)
		ev := structform.EnsureExtVisitor(jv)
		o := outOf(ev)
		if !o.on() || o.buf != &buf || o.html() != html {
			t.Fatalf("escape_html %v: the fast path found %+v under a JSON visitor over a bytes.Buffer", html, o)
		}
		jv.SetEscapeHTML(!html) // the escape set is read at each call, not kept
		if o := outOf(ev); o.html() == html {
			t.Fatalf("escape_html set to %v after use: the fast path still escapes as %v", !html, html)
		}
	}
	var buf bytes.Buffer
	for name, v := range map[string]structform.Visitor{
		"JSON over another writer": sfjson.NewVisitor(struct{ io.Writer }{&buf}),
		"CBOR":                     cborl.NewVisitor(&buf),
	} {
		if o := outOf(structform.EnsureExtVisitor(v)); o.on() {
			t.Errorf("%s: the fast path took %+v", name, o)
		}
	}
}

// TestJSONFastPathMatchesVisitor: for every event of every capture, each
// top-level value of Doc.Fields (sections and shared Objects) encodes on
// the fast path to the bytes the visitor writes token by token, with and
// without HTML escaping, and twice in an array, so that the visitor's
// commas around the fast path's writes are checked too. Counter records,
// which are maps, come out in map order: those events are compared as
// JSON values.
func TestJSONFastPathMatchesVisitor(t *testing.T) {
	shared := NewObject(mapstr.M{"name": "collector<1>&", "type": "sflowbeat", "id": "x\"y\\z\u2028", "n": 3, "ok": true,
		"nested": mapstr.M{"tags": []string{"a", "b\n"}}})
	fast := 0
	for i, e := range captureDocs(t) {
		fields := e.Doc.Fields()
		fields["agent"] = shared
		hasRecords := slices.ContainsFunc(e.Doc.entries, func(en entry) bool { return en.k == kindObject })
		for _, k := range slices.Sorted(maps.Keys(fields)) {
			for _, html := range []bool{false, true} {
				v := []any{fields[k], fields[k]}
				got, want := encodeWith(t, v, html, true), encodeWith(t, v, html, false)
				if bytes.Equal(got, want) {
					fast++
					continue
				}
				if !hasRecords || !sameJSON(t, got, want) {
					t.Fatalf("event %d (%s), %s, escape_html %v: the fast path wrote\n%s\nthe visitor\n%s", i, e.Dataset, k, html, got, want)
				}
			}
		}
	}
	if fast == 0 {
		t.Fatal("nothing compared byte for byte")
	}
}

// sameJSON reports whether two JSON texts hold the same value.
func sameJSON(t *testing.T, a, b []byte) bool {
	t.Helper()
	var va, vb any
	if err := json.Unmarshal(a, &va); err != nil {
		t.Fatalf("%v in %s", err, a)
	}
	if err := json.Unmarshal(b, &vb); err != nil {
		t.Fatalf("%v in %s", err, b)
	}
	return cmp.Equal(va, vb)
}

// escapeCases are strings that need escaping in every way the visitor
// escapes.
var escapeCases = []string{
	"", "plain", `quote " and \ backslash`, "line\nfeed\rreturn\ttab", "\x00\x01\x1f\x7f", "<b>&amp;</b>",
	"caf\u00e9 \u65e5\u672c", "invalid \xff\xfe utf-8 \xc3", "separators \u2028 and \u2029", "\xe2\x80", "emoji \U0001F600",
}

// TestAppendStringMatchesVisitor: appendString escapes as the visitor's
// OnString, with JSON's escape set and with HTML's.
func TestAppendStringMatchesVisitor(t *testing.T) {
	for _, s := range escapeCases {
		checkAppendString(t, s)
	}
}

// checkAppendString compares appendString with the visitor on s.
func checkAppendString(t *testing.T, s string) {
	t.Helper()
	for _, html := range []bool{false, true} {
		var buf bytes.Buffer
		jv := sfjson.NewVisitor(struct{ io.Writer }{&buf})
		jv.SetEscapeHTML(html)
		if err := jv.OnString(s); err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		v := sfjson.NewVisitor(&b)
		v.SetEscapeHTML(html)
		esc := outOf(structform.EnsureExtVisitor(v)).esc // the visitor's escape set
		if got := appendString([]byte("x"), s, esc); string(got) != "x"+buf.String() {
			t.Fatalf("%q, escape_html %v: appendString wrote %s, the visitor %s", s, html, got[1:], buf.Bytes())
		}
	}
}

// FuzzAppendString: appendString escapes any string as the visitor does.
func FuzzAppendString(f *testing.F) {
	for _, s := range escapeCases {
		f.Add(s)
	}
	f.Fuzz(checkAppendString)
}

// TestObjectFastPath: an Object writes its JSON once encoded (twice in an
// array, to check the commas around it), the bytes the visitor writes;
// one holding a float, which visitors may be set to write differently,
// goes token by token.
func TestObjectFastPath(t *testing.T) {
	plain := NewObject(mapstr.M{"b": "x<y>", "a": mapstr.M{"z": uint64(1), "y": []string{"p", "q"}}, "c": false})
	float := NewObject(mapstr.M{"load": 0.5, "name": "n"})
	deep := NewObject(mapstr.M{"l": []mapstr.M{{"f": 1.0}}, "o": float})
	if !plain.plain || float.plain || deep.plain {
		t.Fatalf("plain: %v for strings, %v for a float, %v for floats deeper", plain.plain, float.plain, deep.plain)
	}
	for _, o := range []*Object{plain, float, deep} {
		for _, html := range []bool{false, true} {
			v := []any{o, o}
			if got, want := encodeWith(t, v, html, true), encodeWith(t, v, html, false); !bytes.Equal(got, want) {
				t.Fatalf("escape_html %v: the fast path wrote\n%s\nthe visitor\n%s", html, got, want)
			}
		}
	}
	if o := plain.encodings[0].b; !bytes.Contains(o, []byte(`"a":{"y":["p","q"],"z":1}`)) {
		t.Fatalf("the encoded object is %s", o)
	}
	refused := NewObject(mapstr.M{"c": make(chan int)}) // no float, but nothing the visitor writes
	for _, fast := range []bool{true, false} {
		if b, err := encode(refused, true, fast); err == nil {
			t.Fatalf("fast path %v: an Object holding a channel encoded as %s", fast, b)
		}
	}
}
