package ecs

import (
	"slices"
	"strings"
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
	path string
	segs []string // path split on '.'
	top  uint32   // the bit of its top-level key (segs[0])
}

// schema is every declared field, sorted by path; index maps paths to
// fields.
var schema, index = buildSchema(FieldDocs)

// buildSchema sorts the declared fields and indexes them.
func buildSchema(docs []FieldDoc) ([]fieldInfo, map[string]field) {
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
	for i, p := range paths {
		segs := strings.Split(p, ".")
		if _, ok := tops[segs[0]]; !ok {
			tops[segs[0]] = 1 << len(tops) // fewer than 32 top-level keys: checked by a test
		}
		s[i] = fieldInfo{path: p, segs: segs, top: tops[segs[0]]}
		idx[p] = field(i)
	}
	return s, idx
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
