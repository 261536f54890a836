package ecs

import "testing"

// TestTopLevelKeys: each top-level key of the schema has its own bit.
func TestTopLevelKeys(t *testing.T) {
	if len(topLevel) >= 32 {
		t.Fatalf("%d top-level keys: Doc.tops has 32 bits", len(topLevel))
	}
	seen := map[uint32]string{}
	for _, f := range schema {
		if other, ok := seen[f.top]; ok && other != f.segs[0] {
			t.Errorf("%s and %s share a bit", other, f.segs[0])
		}
		seen[f.top] = f.segs[0]
	}
}
