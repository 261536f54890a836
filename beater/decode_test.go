package beater

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sflowbeat/sflowbeat/processor/ecs"
)

// TestDecodeFilesMissing: a file that cannot be opened is an error before
// anything is decoded: no events and no summary, even after a good file.
func TestDecodeFilesMissing(t *testing.T) {
	good := filepath.Join("..", "testdata", "pcaps", "ovs-3.1-sflow.pcap")
	for _, files := range [][]string{{"missing.pcap"}, {good, "missing.pcap"}} {
		var out, errOut bytes.Buffer
		err := decodeFiles(&out, &errOut, files, 6343, ecs.Options{})
		if err == nil || !strings.Contains(err.Error(), "missing.pcap") {
			t.Errorf("%v: error %v, want one naming missing.pcap", files, err)
		}
		if out.Len() != 0 || errOut.Len() != 0 {
			t.Errorf("%v: wrote %d bytes of events and %q before the error", files, out.Len(), errOut.String())
		}
	}
	var out, errOut bytes.Buffer
	if err := decodeFiles(&out, &errOut, []string{good}, 6343, ecs.Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(errOut.String(), "datagrams: ") || out.Len() == 0 {
		t.Errorf("a good file: summary %q, %d bytes of events", errOut.String(), out.Len())
	}
}
