package ecs

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sflowbeat/sflowbeat/beater/pcapfile"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoder"
)

var update = flag.Bool("update", false, "rewrite the golden files and _meta/fields.yml")

// capturesDir holds the real sFlow captures shared by the tests.
const capturesDir = "../../testdata/pcaps"

// decodeCapture decodes and maps every sFlow datagram of a capture with
// opts, stamping events with the capture time, and returns them as JSON
// lines. Interface names are learned as `sflowbeat decode` learns them.
func decodeCapture(t testing.TB, path string, opts Options) []byte {
	t.Helper()
	dgs, err := pcapfile.ReadAll(path, 6343)
	if err != nil {
		t.Fatal(err)
	}
	dec := decoder.NewDecoder()
	opts.InterfaceNames = NewInterfaceNames()
	m := NewMapper(opts)
	var dg decoded.Datagram
	var buf bytes.Buffer
	for _, d := range dgs {
		if err := dec.Decode(d.Payload, &dg); err != nil {
			continue // counted by the input; the golden files hold events only
		}
		for _, e := range m.Map(&dg, d.Timestamp, nil) {
			if err := EncodeJSON(&buf, e); err != nil {
				t.Fatal(err)
			}
		}
	}
	return buf.Bytes()
}

// TestGolden maps every capture and compares the events with the reviewed
// golden files in testdata/golden (-update rewrites them).
func TestGolden(t *testing.T) {
	captures, err := filepath.Glob(filepath.Join(capturesDir, "*.pcap"))
	if err != nil || len(captures) < 20 {
		t.Fatalf("expected the shared captures in %s, found %d (%v)", capturesDir, len(captures), err)
	}
	for _, c := range captures {
		name := filepath.Base(c)
		t.Run(name, func(t *testing.T) {
			got := decodeCapture(t, c, Options{})
			compareGolden(t, filepath.Join("testdata", "golden", strings.TrimSuffix(name, ".pcap")+".ndjson"), got)
		})
	}
}

// compareGolden compares events, as ndjson, with the golden file at path
// (-update rewrites it first).
func compareGolden(t *testing.T, golden string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(strings.Split(string(want), "\n"), strings.Split(string(got), "\n")); diff != "" {
		t.Errorf("events differ from %s (-golden +got):\n%s", golden, diff)
	}
}
