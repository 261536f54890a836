package ecs

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// field identifies a declared field (a FieldDocs entry other than
// @timestamp): its index in schema, which is sorted by path. The fields of
// an object share the prefix of its path, so they are neighbours in this
// order, and a document written in it nests as it is read.
type field uint16

// noField marks a field that a kind of event does not have.
const noField field = 1<<16 - 1

// fieldInfo is what a Doc needs of a declared field.
type fieldInfo struct {
	path   string
	segs   []string // path split on '.'
	top    uint32   // the bit of its top-level key (segs[0])
	parent object   // the object its key is in
	key    []byte   // its key as JSON, with the colon: "key":
}

// object identifies an object that declared fields are in: its index in
// objects. The event itself is root.
type object uint16

// root is the event: the object of the top-level keys.
const root object = 0

// objectInfo is what the writers need of an object: where it is.
type objectInfo struct {
	key    string // its key in its parent
	parent object
	depth  int    // root is 0, a top-level object (source, network...) 1
	open   []byte // its key as JSON and the object's start: "key":{
}

// schema is every declared field, sorted by path; index maps paths to
// fields; objects are the objects their paths go through.
var schema, index, objects = buildSchema(FieldDocs)

// buildSchema sorts the declared fields, indexes them and lists the
// objects they are in.
func buildSchema(docs []FieldDoc) ([]fieldInfo, map[string]field, []objectInfo) {
	var paths []string
	for _, d := range docs {
		if d.Name != "@timestamp" {
			paths = append(paths, d.Name)
		}
	}
	slices.Sort(paths)
	s := make([]fieldInfo, len(paths))
	idx := make(map[string]field, len(paths))
	tops := map[string]uint32{}
	objs := []objectInfo{{}}
	objIdx := map[string]object{"": root}
	for i, p := range paths {
		segs := strings.Split(p, ".")
		if _, ok := tops[segs[0]]; !ok {
			tops[segs[0]] = 1 << len(tops) // fewer than 32 top-level keys: checked by a test
		}
		parent := root
		for d := 1; d < len(segs); d++ {
			prefix := strings.Join(segs[:d], ".")
			o, ok := objIdx[prefix]
			if !ok {
				o = object(len(objs))
				objs = append(objs, objectInfo{key: segs[d-1], parent: parent, depth: d, open: append(jsonKey(segs[d-1]), '{')})
				objIdx[prefix] = o
			}
			parent = o
		}
		s[i] = fieldInfo{path: p, segs: segs, top: tops[segs[0]], parent: parent, key: jsonKey(segs[len(segs)-1])}
		idx[p] = field(i)
	}
	return s, idx, objs
}

// jsonKey returns k as a JSON key, "k":, for the JSON fast path, which
// writes keys without escaping them: it stops the program (at start-up,
// and in every test) when a declared key would need escaping.
func jsonKey(k string) []byte {
	for i := range len(k) {
		if c := k[i]; c < 0x20 || c >= utf8.RuneSelf || strings.IndexByte(`"\<>&`, c) >= 0 {
			panic("ecs: the declared key " + strconv.Quote(k) + " needs escaping in JSON")
		}
	}
	return []byte(`"` + k + `":`)
}

// contains reports whether object o is in object a, or is a.
func contains(a, o object) bool {
	for objects[o].depth > objects[a].depth {
		o = objects[o].parent
	}
	return o == a
}

// must returns the field of a declared path. The mapper's fields are
// package variables set with it, so an undeclared field stops the program
// at start-up (and every test) instead of reaching Elasticsearch unmapped.
func must(path string) field {
	f, ok := index[path]
	if !ok {
		panic("ecs: field " + path + " is not in FieldDocs")
	}
	return f
}

// topLevel are the first segments of the declared fields: the top-level
// keys of the mapper's events.
var topLevel = func() map[string]bool {
	m := map[string]bool{}
	for _, f := range schema {
		m[f.segs[0]] = true
	}
	return m
}()

// IsMapperField reports whether a dotted field path is inside one of the
// objects the mapper writes (source, network, sflow, ...): whether reading
// it needs the event's fields as maps (see Materialize).
func IsMapperField(path string) bool {
	top, _, _ := strings.Cut(path, ".")
	return topLevel[top]
}
