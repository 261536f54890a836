package tests

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	conf "github.com/elastic/elastic-agent-libs/config"
	"gopkg.in/yaml.v3"

	"github.com/sflowbeat/sflowbeat/config"
	"github.com/sflowbeat/sflowbeat/dev-tools/kibanacheck"
	"github.com/sflowbeat/sflowbeat/processor/ecs"
	"github.com/sflowbeat/sflowbeat/processor/ecs/dataset"
)

// fleetPackage is the Fleet integration package, relative to tests/.
const fleetPackage = "../packages/sflow"

// TestFleetPackage checks packages/sflow: it passes package-spec v3
// validation and broken copies of it do not, its fields are those the beat
// declares and those events have under Elastic Agent, its dashboards are
// the beat's for Fleet's data views, and its stream template renders a
// valid sflow input configuration.
func TestFleetPackage(t *testing.T) {
	tool := buildFleetpkg(t)
	t.Run("Valid", func(t *testing.T) { testPackageValid(t, tool) })
	t.Run("Broken", func(t *testing.T) { testPackageBroken(t, tool) })
	t.Run("FieldsGenerated", func(t *testing.T) { testFieldsGenerated(t, tool) })
	t.Run("FieldsDeclared", testFieldsDeclared)
	t.Run("DatasetsAccepted", testDatasetsAccepted)
	t.Run("AgentFieldsDeclared", testAgentFieldsDeclared)
	t.Run("DashboardsGenerated", func(t *testing.T) { testDashboardsGenerated(t, tool) })
	t.Run("Dashboards", testPackageDashboards)
	t.Run("DashboardFilters", func(t *testing.T) { testDashboardFilters(t, tool) })
	t.Run("StreamTemplate", testStreamTemplate)
	t.Run("Zip", func(t *testing.T) { testPackageZip(t, tool) })
}

// testPackageZip builds the archive users upload to Kibana and checks that
// it holds every file of the package under sflow-VERSION/ (the tool also
// validates the archive).
func testPackageZip(t *testing.T, tool string) {
	out := t.TempDir()
	if o, errOut, err := pkgTry(nil, tool, "zip", "-out", out, absPath(t, fleetPackage)); err != nil {
		t.Fatalf("fleetpkg zip: %v\n%s%s", err, o, errOut)
	}
	var m struct{ Version string }
	readYAML(t, filepath.Join(fleetPackage, "manifest.yml"), &m)
	zr, err := zip.OpenReader(filepath.Join(out, "sflow-"+m.Version+".zip"))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	inZip := map[string]bool{}
	for _, f := range zr.File {
		inZip[f.Name] = true
	}
	err = filepath.WalkDir(fleetPackage, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(fleetPackage, p)
		if name := "sflow-" + m.Version + "/" + filepath.ToSlash(rel); !inZip[name] {
			t.Errorf("%s is not in the archive", name)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// buildFleetpkg builds dev-tools/fleetpkg (a module of its own, with the
// package-spec validator) into the test's directory.
func buildFleetpkg(t *testing.T) string {
	t.Helper()
	tool := filepath.Join(t.TempDir(), "fleetpkg")
	pkgRun(t, nil, "go", "-C", "../dev-tools/fleetpkg", "build", "-o", tool, ".")
	return tool
}

// absPath returns the absolute path of rel, relative to tests/.
func absPath(t *testing.T, rel string) string {
	t.Helper()
	p, err := filepath.Abs(rel)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// testPackageValid validates the package as it is.
func testPackageValid(t *testing.T, tool string) {
	out, errOut, err := pkgTry(nil, tool, "validate", absPath(t, fleetPackage))
	if err != nil {
		t.Fatalf("package-spec validation failed: %v\n%s%s", err, out, errOut)
	}
	t.Log(strings.TrimSpace(out))
}

// testPackageBroken validates copies of the package, each broken in one
// way, and expects the validator to say what is wrong.
func testPackageBroken(t *testing.T, tool string) {
	cases := []struct {
		name, file, old, new, want string
	}{
		{"manifest without owner", "manifest.yml", "owner:\n  github: sflowbeat/sflowbeat\n  type: community\n", "", "owner is required"},
		{"var of unknown type", "data_stream/flow/manifest.yml", "type: integer", "type: number", "type must be one of"},
		{"timestamp of wrong type", "data_stream/counters/fields/base-fields.yml", "type: date", "type: keyword", `"@timestamp"`},
		{"agent field of unknown type", "data_stream/flow/fields/agent.yml", "type: boolean", "type: bool", "agent.yml\" is invalid"},
		{"dashboard id not its file name", "kibana/dashboard/sflow-overview.json", `"id": "sflow-overview"`, `"id": "sflow-other"`, "non-matching ID"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := copyPackage(t)
			editFile(t, filepath.Join(dir, c.file), c.old, c.new)
			out, errOut, err := pkgTry(nil, tool, "validate", dir)
			if err == nil {
				t.Fatalf("validation passed, want a failure:\n%s", out)
			}
			if !strings.Contains(out+errOut, c.want) {
				t.Errorf("validation output lacks %q:\n%s%s", c.want, out, errOut)
			}
		})
	}
}

// copyPackage copies the package into a new directory named sflow (the
// validator checks the directory name against the package name).
func copyPackage(t *testing.T) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "sflow")
	if err := os.CopyFS(dst, os.DirFS(fleetPackage)); err != nil {
		t.Fatal(err)
	}
	return dst
}

// editFile replaces the first old in path with new; old must be there.
func editFile(t *testing.T, path, old, new string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), old) {
		t.Fatalf("%s has no %q to replace", path, old)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(data), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// testFieldsGenerated checks that the fields files are what gen-fields
// makes of the beat's field definitions and golden events.
func testFieldsGenerated(t *testing.T, tool string) {
	out, errOut, err := pkgTry(nil, tool, "gen-fields", "-check", "-root", absPath(t, ".."))
	if err != nil {
		t.Fatalf("gen-fields -check: %v\n%s%s", err, out, errOut)
	}
}

// testFieldsDeclared checks, independently of the generator, that every
// field of ecs.FieldDocs is defined with its type by the data stream its
// events go to: the fields only metric events have (metricOnly) by
// counters, and not by flow; the others by flow.
func testFieldsDeclared(t *testing.T) {
	streams := map[string]map[string]string{
		"flow":     packageFields(t, "flow"),
		"counters": packageFields(t, "counters"),
	}
	for _, d := range ecs.FieldDocs {
		if d.Type == "group" {
			continue
		}
		ds := "flow"
		if metricOnly(d.Name) {
			ds = "counters"
			if _, ok := streams["flow"][d.Name]; ok {
				t.Errorf("%s is defined by data stream flow, whose events never have it", d.Name)
			}
		}
		got, ok := streams[ds][d.Name]
		if !ok {
			t.Errorf("%s (%s) is not defined by data stream %s", d.Name, d.Type, ds)
			continue
		}
		if got != d.Type && !(got == "constant_keyword" && d.Type == "keyword") {
			t.Errorf("%s is %q in data stream %s, %q in FieldDocs", d.Name, got, ds, d.Type)
		}
	}
	// The sampling fields of flow events (rate_source, applied_rate,
	// compensation_factor) come from FieldDocs alone.
	for _, name := range []string{"sflow.sampling.rate_source", "sflow.sampling.applied_rate", "sflow.sampling.compensation_factor"} {
		if _, ok := streams["flow"][name]; !ok {
			t.Errorf("%s is not defined by data stream flow", name)
		}
	}
}

// metricOnly reports whether only metric events have the field name:
// counter samples (sflow.counters.*), exporter health (sflow.exporter.*)
// and reconciliation (sflow.reconcile.*, and the period of both).
func metricOnly(name string) bool {
	return strings.HasPrefix(name, "sflow.counters.") || strings.HasPrefix(name, "sflow.exporter.") ||
		strings.HasPrefix(name, "sflow.reconcile.") || name == "event.start" || name == "event.end"
}

// testDatasetsAccepted checks that the event.dataset of each data stream
// accepts every dataset the router sends it (dataset.IsMetric: counters,
// else flow): a constant_keyword only its value, a keyword any value its
// description names; data_stream.dataset stays a constant_keyword.
func testDatasetsAccepted(t *testing.T) {
	for _, ds := range routedDatasets(t) {
		stream := "flow"
		if dataset.IsMetric(ds) {
			stream = "counters"
		}
		defs := baseFieldDefs(t, stream)
		def := defs["event.dataset"]
		switch {
		case def.Type == "constant_keyword" && def.Value != ds:
			t.Errorf("data stream %s receives %s, but its event.dataset is a constant_keyword %q", stream, ds, def.Value)
		case def.Type == "keyword" && !strings.Contains(def.Description, ds):
			t.Errorf("data stream %s receives %s, which the description of its event.dataset does not name: %q", stream, ds, def.Description)
		case def.Type != "keyword" && def.Type != "constant_keyword":
			t.Errorf("data stream %s: event.dataset is %q", stream, def.Type)
		}
		if defs["data_stream.dataset"].Type != "constant_keyword" {
			t.Errorf("data stream %s: data_stream.dataset is %q, want constant_keyword", stream, defs["data_stream.dataset"].Type)
		}
	}
}

// routedDatasets returns the event.dataset values that processor/ecs/dataset
// names (its string constants sflow.*), read from its source so that a new
// kind of event is checked too.
func routedDatasets(t *testing.T) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "../processor/ecs/dataset/dataset.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			if s, _ := strconv.Unquote(lit.Value); strings.HasPrefix(s, "sflow.") {
				out = append(out, s)
			}
		}
		return true
	})
	if len(out) < 5 {
		t.Fatalf("found datasets %v in processor/ecs/dataset, want at least flow, counters, drops, exporters, reconcile", out)
	}
	return out
}

// fieldDef is a definition of a fields file of the package.
type fieldDef struct{ Name, Type, Value, Description string }

// baseFieldDefs returns the definitions of base-fields.yml of the data
// stream ds, by name.
func baseFieldDefs(t *testing.T, ds string) map[string]fieldDef {
	t.Helper()
	var list []fieldDef
	readYAML(t, filepath.Join(fleetPackage, "data_stream", ds, "fields", "base-fields.yml"), &list)
	out := map[string]fieldDef{}
	for _, d := range list {
		out[d.Name] = d
	}
	return out
}

// agentFieldTypes are the fields events have under Elastic Agent besides
// the mapper's, with their types: libbeat's agent metadata and host.name
// (main.go's processing settings), the add_fields processors of
// beater.AgentConfig (elastic_agent.*, agent.id), and the objects users'
// processors fill (labels, fields).
var agentFieldTypes = map[string]string{
	"agent.ephemeral_id":     "keyword",
	"agent.id":               "keyword",
	"agent.name":             "keyword",
	"agent.type":             "keyword",
	"agent.version":          "keyword",
	"host.name":              "keyword",
	"labels":                 "object",
	"fields":                 "object",
	"elastic_agent.id":       "keyword",
	"elastic_agent.snapshot": "boolean",
	"elastic_agent.version":  "keyword",
}

// testAgentFieldsDeclared checks that both data streams define the fields
// that events have under Elastic Agent, with their types.
func testAgentFieldsDeclared(t *testing.T) {
	for _, ds := range []string{"flow", "counters"} {
		defined := packageFields(t, ds)
		for name, want := range agentFieldTypes {
			if got, ok := defined[name]; !ok || got != want {
				t.Errorf("data stream %s defines %s as %q, want %q", ds, name, got, want)
			}
		}
	}
}

// testDashboardsGenerated checks that the package's dashboards are what
// gen-dashboards makes of the beat's.
func testDashboardsGenerated(t *testing.T, tool string) {
	out, errOut, err := pkgTry(nil, tool, "gen-dashboards", "-check", "-root", absPath(t, ".."))
	if err != nil {
		t.Fatalf("gen-dashboards -check: %v\n%s%s", err, out, errOut)
	}
}

// testPackageDashboards checks each dashboard of the package as the beat's
// are checked, against the data stream it shows: it uses only the data
// view Fleet creates for the data stream's type (logs-*, metrics-*),
// filters data_stream.dataset on that data stream, and every field it uses
// is defined by the data stream.
func testPackageDashboards(t *testing.T) {
	objs, err := kibanacheck.LoadDir(filepath.Join(fleetPackage, "kibana"))
	if err != nil {
		t.Fatal(err)
	}
	byType := dataStreamsByType(t)
	shown := map[string]bool{}
	for _, o := range objs {
		ds := dashboardDataStream(t, o, byType)
		if ds == "" {
			continue
		}
		shown[ds] = true
		c := &kibanacheck.Checker{Fields: dataStreamFields(t, ds), DataViews: []string{o.References[0].ID}}
		for _, e := range c.Check([]*kibanacheck.Object{o}) {
			t.Errorf("data stream %s: %v", ds, e)
		}
	}
	for _, ds := range byType {
		if !shown[ds] {
			t.Errorf("no dashboard shows data stream %s", ds)
		}
	}
}

// datasetPhrase is a phrase filter of a beat dashboard on event.dataset.
func datasetPhrase(ds string) map[string]any {
	return map[string]any{
		"meta":  map[string]any{"key": "event.dataset", "negate": false, "params": map[string]any{"query": ds}, "type": "phrase"},
		"query": map[string]any{"match_phrase": map[string]any{"event.dataset": ds}},
	}
}

// datasetPhrases is a phrases filter (is one of) on event.dataset.
func datasetPhrases(datasets ...string) map[string]any {
	var should []any
	for _, ds := range datasets {
		should = append(should, map[string]any{"match_phrase": map[string]any{"event.dataset": ds}})
	}
	return map[string]any{
		"meta":  map[string]any{"key": "event.dataset", "negate": false, "params": datasets, "type": "phrases"},
		"query": map[string]any{"bool": map[string]any{"minimum_should_match": 1, "should": should}},
	}
}

// testDashboardFilters runs gen-dashboards on a beat dashboard with each
// filter on event.dataset and checks the filters of the package's
// dashboard (field=values, in order) or the error: the stream's own
// dataset becomes a data_stream.dataset filter, its other datasets keep
// theirs beside one, and what no single data stream receives is refused.
func testDashboardFilters(t *testing.T, tool string) {
	negated := datasetPhrase("sflow.flow")
	negated["meta"].(map[string]any)["negate"] = true
	cases := []struct {
		name    string
		filter  map[string]any
		want    []string
		wantErr string
	}{
		{"own dataset", datasetPhrase("sflow.counters"), []string{"data_stream.dataset=sflow.counters"}, ""},
		{"other dataset of the stream", datasetPhrase("sflow.drops"),
			[]string{"event.dataset=sflow.drops", "data_stream.dataset=sflow.flow"}, ""},
		{"several datasets of the stream", datasetPhrases("sflow.exporters", "sflow.reconcile"),
			[]string{"event.dataset=sflow.exporters,sflow.reconcile", "data_stream.dataset=sflow.counters"}, ""},
		{"datasets of two streams", datasetPhrases("sflow.flow", "sflow.counters"), nil, "a dashboard reads one"},
		{"unknown dataset", datasetPhrase("sflow.bogus"), nil, `"sflow.bogus": no data stream`},
		{"negated", negated, nil, "negated"},
		{"no filter", nil, nil, "want one filter on event.dataset, found 0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root := filterRoot(t, c.filter)
			out, errOut, err := pkgTry(nil, tool, "gen-dashboards", "-root", root)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(errOut, c.wantErr) {
					t.Fatalf("gen-dashboards: %v, want an error with %q\n%s%s", err, c.wantErr, out, errOut)
				}
				return
			}
			if err != nil {
				t.Fatalf("gen-dashboards: %v\n%s%s", err, out, errOut)
			}
			got := packageFilters(t, filepath.Join(root, "packages", "sflow", "kibana", "dashboard", "sflow-filters.json"))
			if !slices.Equal(got, c.want) {
				t.Errorf("package dashboard filters %v, want %v", got, c.want)
			}
		})
	}
}

// filterRoot returns a repository root for gen-dashboards with the
// package and one beat dashboard, the Exporters dashboard with filter
// (none if nil) as its only filter.
func filterRoot(t *testing.T, filter map[string]any) string {
	t.Helper()
	root := t.TempDir()
	if err := os.CopyFS(filepath.Join(root, "packages", "sflow"), os.DirFS(fleetPackage)); err != nil {
		t.Fatal(err)
	}
	var so map[string]any
	data, err := os.ReadFile(filepath.Join("..", "_meta", "kibana", "7", "dashboard", "sflowbeat-exporters.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &so); err != nil {
		t.Fatal(err)
	}
	so["id"] = "sflowbeat-filters"
	search := so["attributes"].(map[string]any)["kibanaSavedObjectMeta"].(map[string]any)["searchSourceJSON"].(map[string]any)
	search["filter"] = []any{}
	if filter != nil {
		search["filter"] = []any{filter}
	}
	if data, err = json.Marshal(so); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "_meta", "kibana", "7", "dashboard")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "sflowbeat-filters.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	return root
}

// packageFilters returns the filters of the package dashboard at path as
// field=values (the values of a phrases filter joined by commas).
func packageFilters(t *testing.T, path string) []string {
	t.Helper()
	var so struct {
		Attributes struct {
			Meta struct {
				Search string `json:"searchSourceJSON"`
			} `json:"kibanaSavedObjectMeta"`
		} `json:"attributes"`
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &so); err != nil {
		t.Fatal(err)
	}
	var search struct {
		Filter []struct {
			Meta struct {
				Key    string
				Params json.RawMessage
			}
		}
	}
	if err := json.Unmarshal([]byte(so.Attributes.Meta.Search), &search); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range search.Filter {
		var phrase struct{ Query string }
		var phrases []string
		if json.Unmarshal(f.Meta.Params, &phrase) == nil && phrase.Query != "" {
			phrases = []string{phrase.Query}
		} else if err := json.Unmarshal(f.Meta.Params, &phrases); err != nil {
			t.Fatalf("filter on %s: params %s", f.Meta.Key, f.Meta.Params)
		}
		out = append(out, f.Meta.Key+"="+strings.Join(phrases, ","))
	}
	return out
}

// dataStreamsByType returns the package's data streams by type.
func dataStreamsByType(t *testing.T) map[string]string {
	t.Helper()
	manifests, _ := filepath.Glob(filepath.Join(fleetPackage, "data_stream", "*", "manifest.yml"))
	out := map[string]string{}
	for _, m := range manifests {
		var ds struct{ Type string }
		readYAML(t, m, &ds)
		if other, dup := out[ds.Type]; dup {
			t.Fatalf("data streams %s and %s are both %s: a data view cannot tell them apart", other, filepath.Base(filepath.Dir(m)), ds.Type)
		}
		out[ds.Type] = filepath.Base(filepath.Dir(m))
	}
	return out
}

// dashboardDataStream returns the data stream the dashboard o shows: all
// its references name the data view <type>-* of one data stream's type,
// and its filter is data_stream.dataset: sflow.<data stream>. It reports
// an error and returns "" otherwise.
func dashboardDataStream(t *testing.T, o *kibanacheck.Object, byType map[string]string) string {
	t.Helper()
	views := map[string]bool{}
	for _, r := range o.References {
		views[r.Type+"/"+r.ID] = true
	}
	if len(views) != 1 || len(o.References) == 0 || o.References[0].Type != "index-pattern" {
		t.Errorf("%s: references %v, want only one data view", o, sortedSet(views))
		return ""
	}
	ds := byType[strings.TrimSuffix(o.References[0].ID, "-*")]
	if ds == "" {
		t.Errorf("%s: data view %s is no data stream type's", o, o.References[0].ID)
		return ""
	}
	if got, want := datasetFilterValue(t, o), "sflow."+ds; got != want {
		t.Errorf("%s: filter data_stream.dataset %q, want %q", o, got, want)
	}
	return ds
}

// datasetFilterValue returns the value of the dashboard's phrase filter on
// data_stream.dataset, or "".
func datasetFilterValue(t *testing.T, o *kibanacheck.Object) string {
	t.Helper()
	meta, _ := o.Attributes["kibanaSavedObjectMeta"].(map[string]any)
	raw, _ := meta["searchSourceJSON"].(string)
	var search struct {
		Filter []struct {
			Query struct {
				MatchPhrase map[string]string `json:"match_phrase"`
			} `json:"query"`
		} `json:"filter"`
	}
	if err := json.Unmarshal([]byte(raw), &search); err != nil {
		t.Errorf("%s: searchSourceJSON must be a JSON string (the package is not built): %v", o, err)
		return ""
	}
	for _, f := range search.Filter {
		if v, ok := f.Query.MatchPhrase["data_stream.dataset"]; ok {
			return v
		}
	}
	return ""
}

// dataStreamFields loads the fields files of the data stream ds for
// kibanacheck.
func dataStreamFields(t *testing.T, ds string) *kibanacheck.Fields {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(fleetPackage, "data_stream", ds, "fields", "*.yml"))
	if len(files) == 0 {
		t.Fatalf("data stream %s has no fields files", ds)
	}
	fields, err := kibanacheck.LoadPackageFields(files...)
	if err != nil {
		t.Fatal(err)
	}
	return fields
}

// packageFields returns the type of each field the data stream ds
// defines, by name.
func packageFields(t *testing.T, ds string) map[string]string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(fleetPackage, "data_stream", ds, "fields", "*.yml"))
	if len(files) == 0 {
		t.Fatalf("data stream %s has no fields files", ds)
	}
	out := map[string]string{}
	for _, f := range files {
		var list []struct{ Name, Type string }
		readYAML(t, f, &list)
		for _, fd := range list {
			out[fd.Name] = fd.Type
		}
	}
	return out
}

// readYAML decodes the YAML file path into v.
func readYAML(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// testStreamTemplate renders the flow stream's template with the defaults
// of its variables, and with every optional one set, and checks that the
// result is an sflow input configuration that sflowbeat accepts.
func testStreamTemplate(t *testing.T) {
	vars := streamVars(t)
	tmpl, err := os.ReadFile(filepath.Join(fleetPackage, "data_stream", "flow", "agent", "stream", "stream.yml.hbs"))
	if err != nil {
		t.Fatal(err)
	}
	checkVarsUsed(t, string(tmpl), vars)
	all := map[string]any{
		"allowed_exporters":     []any{"192.0.2.0/24", "2001:db8::1"},
		"workers":               2,
		"processors":            "- add_fields:\n    target: labels\n    fields:\n      site: lab\n",
		"sampling":              "- exporters: [192.0.2.0/24]\n  rate: 1024\n  mode: override\n",
		"loss_compensation":     true,
		"exporter_stats_period": "10s",
		"reconcile_period":      "1m",
	}
	t.Run("Defaults", func(t *testing.T) {
		in := renderInput(t, string(tmpl), defaults(vars, nil))
		want := config.DefaultInput()
		if in.Host != config.DefaultHost || in.MaxMessageSize != want.MaxMessageSize || in.ReadBuffer != want.ReadBuffer {
			t.Errorf("defaults render host %q, max_message_size %d, read_buffer %d; the beat's are %q, %d, %d",
				in.Host, in.MaxMessageSize, in.ReadBuffer, config.DefaultHost, want.MaxMessageSize, want.ReadBuffer)
		}
		// The beat tags every event sflow and forwarded; a default here
		// would repeat them.
		private, _ := config.ParseNetworks([]string{"private"})
		if !slices.Equal(in.InternalNetworks, config.Networks(private)) || len(in.Tags) != 0 {
			t.Errorf("internal_networks %v, tags %v; want [private], []", in.InternalNetworks, in.Tags)
		}
		if len(in.Sampling) != 0 || in.LossCompensation != want.LossCompensation ||
			in.ExporterStatsPeriod != want.ExporterStatsPeriod || in.ReconcilePeriod != want.ReconcilePeriod {
			t.Errorf("defaults render sampling %v, loss_compensation %v, exporter_stats_period %s, reconcile_period %s; the beat's are none, %v, %s, %s",
				in.Sampling, in.LossCompensation, in.ExporterStatsPeriod, in.ReconcilePeriod,
				want.LossCompensation, want.ExporterStatsPeriod, want.ReconcilePeriod)
		}
	})
	t.Run("AllSet", func(t *testing.T) {
		in := renderInput(t, string(tmpl), defaults(vars, all))
		if len(in.AllowedExporters) != 2 || in.Workers != 2 || len(in.Processors) != 1 {
			t.Errorf("allowed_exporters %v, workers %d, %d processors; want 2 exporters, 2 workers, 1 processor",
				in.AllowedExporters, in.Workers, len(in.Processors))
		}
		if len(in.Sampling) != 1 || in.Sampling[0].Rate != 1024 || in.Sampling[0].Mode != config.SamplingOverride ||
			!in.LossCompensation || in.ExporterStatsPeriod != 10*time.Second || in.ReconcilePeriod != time.Minute {
			t.Errorf("sampling %+v, loss_compensation %v, exporter_stats_period %s, reconcile_period %s; want one override rule of 1024, true, 10s, 1m",
				in.Sampling, in.LossCompensation, in.ExporterStatsPeriod, in.ReconcilePeriod)
		}
	})
}

// streamVar is a variable of the flow stream.
type streamVar struct {
	Name    string
	Type    string
	Default any
}

// streamVars returns the variables of the flow data stream's only stream.
func streamVars(t *testing.T) []streamVar {
	t.Helper()
	var m struct {
		Streams []struct {
			Input string
			Vars  []streamVar
		}
	}
	readYAML(t, filepath.Join(fleetPackage, "data_stream", "flow", "manifest.yml"), &m)
	if len(m.Streams) != 1 || m.Streams[0].Input != config.InputType {
		t.Fatalf("data stream flow has streams %+v, want one of input %q", m.Streams, config.InputType)
	}
	return m.Streams[0].Vars
}

// defaults returns the value of each variable: set's, else its default.
func defaults(vars []streamVar, set map[string]any) map[string]any {
	out := map[string]any{}
	for _, v := range vars {
		out[v.Name] = v.Default
		if s, ok := set[v.Name]; ok {
			out[v.Name] = s
		}
	}
	return out
}

// checkVarsUsed checks that the template uses every variable.
func checkVarsUsed(t *testing.T, tmpl string, vars []streamVar) {
	t.Helper()
	for _, v := range vars {
		re := regexp.MustCompile(`\{\{(#if |#each )?` + regexp.QuoteMeta(v.Name) + `\b`)
		if !re.MatchString(tmpl) {
			t.Errorf("variable %s is not used by stream.yml.hbs", v.Name)
		}
	}
}

// renderInput renders the template with vars and parses the result as
// sflowbeat does an input of the policy: every top-level key must be an
// option of config.Input, and the configuration must validate.
func renderInput(t *testing.T, tmpl string, vars map[string]any) config.Input {
	t.Helper()
	text := renderTemplate(t, tmpl, vars)
	var top map[string]any
	if err := yaml.Unmarshal([]byte(text), &top); err != nil {
		t.Fatalf("rendered stream is not YAML: %v\n%s", err, text)
	}
	keys := inputKeys()
	for k := range top {
		if !keys[k] {
			t.Errorf("rendered key %q is not an sflow input option (%s)", k, strings.Join(sortedSet(keys), ", "))
		}
	}
	cfg, err := conf.NewConfigWithYAML([]byte(text), "stream.yml.hbs")
	if err != nil {
		t.Fatal(err)
	}
	in, err := config.ParseInput(cfg)
	if err != nil {
		t.Fatalf("sflowbeat rejects the rendered stream: %v\n%s", err, text)
	}
	return in
}

// inputKeys returns the option names of config.Input.
func inputKeys() map[string]bool {
	keys := map[string]bool{}
	typ := reflect.TypeFor[config.Input]()
	for i := range typ.NumField() {
		if name, _, _ := strings.Cut(typ.Field(i).Tag.Get("config"), ","); name != "" {
			keys[name] = true
		}
	}
	return keys
}

// sortedSet returns the keys of set in order.
func sortedSet(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// hbsBlock matches the line of a block helper of the template.
var hbsBlock = regexp.MustCompile(`^\{\{(#if (\w+)|#each (\w+) as \|(\w+)\||/if|/each)\}\}$`)

// hbsVar matches a variable reference.
var hbsVar = regexp.MustCompile(`\{\{(\w+)\}\}`)

// renderTemplate renders the Handlebars subset stream templates use, one
// block helper a line: {{#if v}}, {{#each v as |x|}}, {{v}}.
func renderTemplate(t *testing.T, tmpl string, vars map[string]any) string {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(tmpl, "\n"), "\n")
	var b strings.Builder
	if err := renderLines(&b, lines, vars); err != nil {
		t.Fatalf("stream.yml.hbs: %v", err)
	}
	return b.String()
}

// renderLines renders lines with vars into b.
func renderLines(b *strings.Builder, lines []string, vars map[string]any) error {
	for i := 0; i < len(lines); i++ {
		m := hbsBlock.FindStringSubmatch(strings.TrimSpace(lines[i]))
		if m == nil {
			b.WriteString(hbsVar.ReplaceAllStringFunc(lines[i], func(ref string) string {
				return fmt.Sprint(vars[hbsVar.FindStringSubmatch(ref)[1]])
			}) + "\n")
			continue
		}
		end, err := blockEnd(lines, i)
		if err != nil {
			return err
		}
		if err := renderBlock(b, m, lines[i+1:end], vars); err != nil {
			return err
		}
		i = end
	}
	return nil
}

// renderBlock renders the body of the block helper m.
func renderBlock(b *strings.Builder, m []string, body []string, vars map[string]any) error {
	switch {
	case m[2] != "": // #if
		if truthy(vars[m[2]]) {
			return renderLines(b, body, vars)
		}
	case m[3] != "": // #each
		list, _ := vars[m[3]].([]any)
		for _, item := range list {
			inner := map[string]any{m[4]: item}
			for k, v := range vars {
				if k != m[4] {
					inner[k] = v
				}
			}
			if err := renderLines(b, body, inner); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("unexpected %s", m[0])
	}
	return nil
}

// blockEnd returns the index of the line that closes the block opened at
// lines[start].
func blockEnd(lines []string, start int) (int, error) {
	depth := 0
	for i := start; i < len(lines); i++ {
		m := hbsBlock.FindStringSubmatch(strings.TrimSpace(lines[i]))
		switch {
		case m == nil:
		case strings.HasPrefix(m[1], "#"):
			depth++
		default:
			depth--
		}
		if depth == 0 {
			return i, nil
		}
	}
	return 0, fmt.Errorf("line %d: block not closed", start+1)
}

// truthy is Handlebars' truth: not false, nil, "", 0 or an empty list.
func truthy(v any) bool {
	switch v := v.(type) {
	case nil:
		return false
	case bool:
		return v
	case string:
		return v != ""
	case int:
		return v != 0
	case []any:
		return len(v) > 0
	}
	return true
}
