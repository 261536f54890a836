package ecs

import (
	"encoding/json"
	"io"
	"time"

	"github.com/elastic/elastic-agent-libs/mapstr"
)

// EncodeJSON writes e as one JSON line: "@timestamp" (RFC 3339, UTC, with
// nanoseconds) first, then the fields with their keys sorted, as nested
// objects. `sflowbeat decode` and the golden files use it: it goes through
// Doc.Map, as processors see the event.
func EncodeJSON(w io.Writer, e Event) error {
	var m mapstr.M
	if e.Doc != nil {
		m = e.Doc.Map()
	}
	fields, err := json.Marshal(m)
	if err != nil {
		return err
	}
	ts, err := json.Marshal(e.Timestamp.UTC().Format(time.RFC3339Nano))
	if err != nil {
		return err
	}
	line := make([]byte, 0, len(fields)+len(ts)+16)
	line = append(line, `{"@timestamp":`...)
	line = append(line, ts...)
	if len(m) > 0 { // json.Marshal gives {} for empty fields and null for nil
		line = append(line, ',')
		line = append(line, fields[1:]...)
	} else {
		line = append(line, '}')
	}
	line = append(line, '\n')
	_, err = w.Write(line)
	return err
}
