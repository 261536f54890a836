package tests

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sflowbeat/sflowbeat/dev-tools/kibanacheck"
	"github.com/sflowbeat/sflowbeat/tests/esmock"
)

// kibanaVersion is the version the Kibana mock reports.
const kibanaVersion = "9.3.0"

// kibanaImport is one request to the saved objects import API.
type kibanaImport struct {
	Query    url.Values
	Filename string
	XSRF     string
	Objects  []map[string]any
}

// kibanaMock is a Kibana-protocol server: it answers GET /api/status and
// POST /api/saved_objects/_import, and records the imports and any other
// request.
type kibanaMock struct {
	*httptest.Server
	mu      sync.Mutex
	imports []kibanaImport
	others  []string
	// reply, when set, answers imports instead of success.
	reply func(w http.ResponseWriter, objs []map[string]any)
}

// startKibana starts a Kibana mock on 127.0.0.1 with a random port.
func startKibana(t *testing.T, reply func(http.ResponseWriter, []map[string]any)) *kibanaMock {
	t.Helper()
	k := &kibanaMock{reply: reply}
	k.Server = httptest.NewServer(http.HandlerFunc(k.serve))
	t.Cleanup(k.Close)
	return k
}

// serve routes a request.
func (k *kibanaMock) serve(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/api/status":
		writeJSON(w, http.StatusOK, map[string]any{"name": "kibana", "version": map[string]any{
			"number": kibanaVersion, "build_snapshot": false, "build_flavor": "traditional"}})
	case r.Method == http.MethodPost && r.URL.Path == "/api/saved_objects/_import":
		k.importObjects(w, r)
	default:
		k.mu.Lock()
		k.others = append(k.others, r.Method+" "+r.URL.String())
		k.mu.Unlock()
		writeJSON(w, http.StatusNotFound, map[string]any{"statusCode": 404, "message": "Not Found"})
	}
}

// importObjects records an import (a multipart form with an ndjson file)
// and answers as Kibana does.
func (k *kibanaMock) importObjects(w http.ResponseWriter, r *http.Request) {
	imp, err := readImport(r)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"statusCode": 400, "message": err.Error()})
		return
	}
	k.mu.Lock()
	k.imports = append(k.imports, imp)
	k.mu.Unlock()
	if k.reply != nil {
		k.reply(w, imp.Objects)
		return
	}
	var results []map[string]any
	for _, o := range imp.Objects {
		results = append(results, map[string]any{"id": o["id"], "type": o["type"]})
	}
	writeJSON(w, http.StatusOK, map[string]any{"success": true, "successCount": len(results), "successResults": results})
}

// readImport decodes the "file" part of an import request.
func readImport(r *http.Request) (kibanaImport, error) {
	imp := kibanaImport{Query: r.URL.Query(), XSRF: r.Header.Get("kbn-xsrf")}
	mediaType, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/form-data" {
		return imp, fmt.Errorf("content type %q is not multipart/form-data", r.Header.Get("Content-Type"))
	}
	part, err := multipart.NewReader(r.Body, params["boundary"]).NextPart()
	if err != nil {
		return imp, err
	}
	if part.FormName() != "file" {
		return imp, fmt.Errorf("form field %q, want file", part.FormName())
	}
	imp.Filename = part.FileName()
	data, err := io.ReadAll(part)
	if err != nil {
		return imp, err
	}
	imp.Objects, err = parseNDJSON(data)
	return imp, err
}

// parseNDJSON decodes one JSON object per line.
func parseNDJSON(data []byte) ([]map[string]any, error) {
	var out []map[string]any
	for _, line := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			return nil, fmt.Errorf("ndjson line: %w", err)
		}
		out = append(out, m)
	}
	return out, nil
}

// writeJSON writes v as a JSON response.
func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

// Imports returns the recorded imports.
func (k *kibanaMock) Imports() []kibanaImport {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]kibanaImport(nil), k.imports...)
}

// Others returns the requests the mock does not know.
func (k *kibanaMock) Others() []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]string(nil), k.others...)
}

// kibanaDir is the absolute path of the shipped dashboards folder, the value
// of setup.dashboards.directory.
func kibanaDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "_meta", "kibana"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// runSetupDashboards runs `sflowbeat setup --dashboards` against Kibana at
// kibanaURL, with an Elasticsearch output at esURL that it must not need.
func runSetupDashboards(t *testing.T, kibanaURL, esURL string) (string, error) {
	t.Helper()
	dir := writeConfig(t, beatConfig(esURL, "127.0.0.1:0"))
	out, errOut, err := runCommand(t, "setup", "--dashboards",
		"-c", filepath.Join(dir, "sflowbeat.yml"), "--path.home", dir,
		"--path.data", filepath.Join(dir, "data"), "--path.logs", filepath.Join(dir, "logs"),
		"-E", "setup.kibana.host="+kibanaURL,
		"-E", "setup.dashboards.directory="+kibanaDir(t))
	return out + errOut, err
}

// TestSetupDashboards runs `sflowbeat setup --dashboards` against the Kibana
// mock and checks that the import carried the generated sflowbeat-* data
// view and every shipped saved object intact.
func TestSetupDashboards(t *testing.T) {
	kb := startKibana(t, nil)
	es := esmock.Start()
	defer es.Close()
	out, err := runSetupDashboards(t, kb.URL, es.URL)
	if err != nil || !strings.Contains(out, "Loaded dashboards") {
		t.Fatalf("setup --dashboards: %v\n%s", err, out)
	}
	imported := importedObjects(t, kb.Imports())
	checkDataView(t, imported["index-pattern/sflowbeat-*"])
	shipped, err := kibanacheck.LoadDir(filepath.Join(kibanaDir(t), "7"))
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range shipped {
		got, ok := imported[o.Type+"/"+o.ID]
		if !ok {
			t.Errorf("%s %s was not imported", o.Type, o.ID)
			continue
		}
		checkImported(t, o, got)
	}
	if len(imported) != len(shipped)+1 {
		t.Errorf("imported %d objects, want the %d shipped and the data view", len(imported), len(shipped))
	}
	if others := kb.Others(); len(others) > 0 {
		t.Errorf("unexpected Kibana requests: %v", others)
	}
	if reqs := es.Requests(); len(reqs) > 0 {
		t.Errorf("setup --dashboards asked Elasticsearch: %v", reqs[0].Path)
	}
}

// importedObjects checks how each import was sent and returns the objects
// by type/id.
func importedObjects(t *testing.T, imports []kibanaImport) map[string]map[string]any {
	t.Helper()
	objs := map[string]map[string]any{}
	for _, imp := range imports {
		if imp.Query.Get("overwrite") != "true" || imp.XSRF == "" || !strings.HasSuffix(imp.Filename, ".ndjson") {
			t.Errorf("import with query %v, kbn-xsrf %q, file %q: want overwrite=true, the header, an ndjson file",
				imp.Query, imp.XSRF, imp.Filename)
		}
		for _, o := range imp.Objects {
			objs[fmt.Sprintf("%v/%v", o["type"], o["id"])] = o
		}
	}
	return objs
}

// checkDataView checks the data view libbeat generated from fields.yml: the
// dashboards reference it by id and need the fields they use in it.
func checkDataView(t *testing.T, dv map[string]any) {
	t.Helper()
	if dv == nil {
		t.Fatal("the sflowbeat-* data view was not imported")
	}
	attrs, _ := dv["attributes"].(map[string]any)
	fields, _ := attrs["fields"].(string)
	for _, f := range []string{"network.bytes", "observer.ip", "sflow.counters.if_in_octets"} {
		if !strings.Contains(fields, `"name":"`+f+`"`) {
			t.Errorf("the generated data view has no field %s", f)
		}
	}
	if attrs["title"] != "sflowbeat-*" || attrs["timeFieldName"] != "@timestamp" {
		t.Errorf("data view title %v, time field %v", attrs["title"], attrs["timeFieldName"])
	}
}

// stringEncoded are the attributes Kibana's import wants as JSON strings;
// the files hold them as JSON values and libbeat encodes them.
var stringEncoded = []string{"panelsJSON", "optionsJSON"}

// checkImported compares an imported object with the shipped file: the
// same object once the attributes libbeat encodes as strings are decoded.
func checkImported(t *testing.T, shipped *kibanacheck.Object, got map[string]any) {
	t.Helper()
	attrs, _ := got["attributes"].(map[string]any)
	for _, name := range stringEncoded {
		if _, ok := attrs[name].(string); !ok && shipped.Attributes[name] != nil {
			t.Errorf("%s: %s was not sent as a string", shipped.ID, name)
		}
	}
	meta, _ := attrs["kibanaSavedObjectMeta"].(map[string]any)
	if _, ok := meta["searchSourceJSON"].(string); !ok && meta != nil {
		t.Errorf("%s: searchSourceJSON was not sent as a string", shipped.ID)
	}
	if d := cmp.Diff(shipped.Raw, decodeStrings(t, got)); d != "" {
		t.Errorf("%s changed on the way to Kibana (-shipped +imported):\n%s", shipped.ID, d)
	}
}

// decodeStrings returns a copy of a saved object whose string-encoded
// attributes are decoded.
func decodeStrings(t *testing.T, o map[string]any) map[string]any {
	t.Helper()
	var c map[string]any
	b, _ := json.Marshal(o)
	_ = json.Unmarshal(b, &c)
	attrs, _ := c["attributes"].(map[string]any)
	for _, name := range stringEncoded {
		decodeAttr(t, attrs, name)
	}
	meta, _ := attrs["kibanaSavedObjectMeta"].(map[string]any)
	decodeAttr(t, meta, "searchSourceJSON")
	return c
}

// decodeAttr decodes m[name] when it is a JSON string.
func decodeAttr(t *testing.T, m map[string]any, name string) {
	t.Helper()
	s, ok := m[name].(string)
	if !ok {
		return
	}
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Errorf("%s is not JSON: %v", name, err)
		return
	}
	m[name] = v
}

// TestSetupDashboardsKibanaError checks that setup --dashboards fails, and
// says why, when Kibana rejects the import.
func TestSetupDashboardsKibanaError(t *testing.T) {
	cases := []struct {
		name  string
		reply func(http.ResponseWriter, []map[string]any)
		want  []string
	}{
		{"import errors", func(w http.ResponseWriter, objs []map[string]any) {
			writeJSON(w, http.StatusOK, map[string]any{"success": false, "errors": []any{map[string]any{
				"id": objs[len(objs)-1]["id"], "type": objs[len(objs)-1]["type"],
				"error": map[string]any{"type": "missing_references",
					"references": []any{map[string]any{"type": "index-pattern", "id": "sflowbeat-*"}}}}}})
		}, []string{"fail to import the dashboards in Kibana", "missing_references"}},
		{"server error", func(w http.ResponseWriter, _ []map[string]any) {
			writeJSON(w, http.StatusInternalServerError, map[string]any{
				"statusCode": 500, "error": "Internal Server Error", "message": "saved objects index unavailable"})
		}, []string{"import", "saved objects index unavailable"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			kb := startKibana(t, c.reply)
			es := esmock.Start()
			defer es.Close()
			out, err := runSetupDashboards(t, kb.URL, es.URL)
			if err == nil {
				t.Fatalf("setup --dashboards succeeded although Kibana refused the import:\n%s", out)
			}
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("the output does not say %q:\n%s", w, out)
				}
			}
			if len(kb.Imports()) == 0 {
				t.Error("no import reached Kibana")
			}
		})
	}
}
