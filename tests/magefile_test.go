package tests

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestMagefileTargetsExist checks that every package and fuzz test the
// magefile names is still there: `mage test` fuzzes fuzzTargets and `mage
// bench` benchmarks benchPackages by path, and a package that moved (as the
// header parser did, into input/sflow/decoder/header) fails only in CI.
func TestMagefileTargetsExist(t *testing.T) {
	data, err := os.ReadFile("../magefile.go")
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]int{"fuzzTargets": 4, "benchPackages": 6} {
		entries := stringList(t, string(data), name)
		if len(entries) < want {
			t.Errorf("magefile %s has %d entries, want at least %d: %q", name, len(entries), want, entries)
		}
		for _, e := range entries {
			pkg, fuzz, _ := strings.Cut(e, ":")
			checkTarget(t, name, filepath.Join("..", pkg), fuzz)
		}
	}
}

// stringList returns the quoted strings of the magefile's `var name =
// []string{...}`.
func stringList(t *testing.T, src, name string) []string {
	t.Helper()
	m := regexp.MustCompile(`(?s)var ` + name + ` = \[\]string\{(.*?)\n\}`).FindStringSubmatch(src)
	if m == nil {
		t.Fatalf("magefile has no var %s = []string{...}", name)
	}
	var out []string
	for _, q := range regexp.MustCompile(`"([^"]+)"`).FindAllStringSubmatch(m[1], -1) {
		out = append(out, q[1])
	}
	return out
}

// checkTarget checks that dir holds Go tests and, when fuzz is set, that one
// of its test files declares func fuzz.
func checkTarget(t *testing.T, list, dir, fuzz string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*_test.go"))
	if len(files) == 0 {
		t.Errorf("magefile %s: %s has no test files (moved or removed?)", list, dir)
		return
	}
	if fuzz == "" {
		return
	}
	decl := "func " + fuzz + "(f *testing.F)"
	for _, f := range files {
		if src, err := os.ReadFile(f); err == nil && strings.Contains(string(src), decl) {
			return
		}
	}
	t.Errorf("magefile %s: no %s in %s", list, decl, dir)
}
