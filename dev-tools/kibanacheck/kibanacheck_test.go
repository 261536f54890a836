package kibanacheck

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// shippedDir holds the saved objects libbeat loads (setup.dashboards.directory
// is _meta/kibana; the loader reads its "7" folder, also for Kibana 9).
var shippedDir = filepath.Join("..", "..", "_meta", "kibana", "7")

// dataView is the index pattern libbeat generates and imports first.
const dataView = "sflowbeat-*"

// beatFields loads the fields.yml files sflowbeat embeds.
func beatFields(t *testing.T) *Fields {
	t.Helper()
	var paths []string
	for _, f := range []string{"fields.ecs.yml", "fields.common.yml", "fields.yml"} {
		paths = append(paths, filepath.Join("..", "..", "_meta", f))
	}
	fields, err := LoadFields(paths...)
	if err != nil {
		t.Fatal(err)
	}
	return fields
}

// checker returns a Checker with the beat's fields and data view.
func checker(t *testing.T) *Checker {
	t.Helper()
	return &Checker{Fields: beatFields(t), DataViews: []string{dataView}}
}

// TestShippedObjects checks every saved object sflowbeat ships.
func TestShippedObjects(t *testing.T) {
	objs, err := LoadDir(shippedDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range checker(t).Check(objs) {
		t.Error(e)
	}
	got := map[string]string{}
	for _, o := range objs {
		got[o.key()], _ = o.Attributes["title"].(string)
	}
	want := map[string]string{
		"dashboard/sflowbeat-overview":           "[sFlow] Overview",
		"dashboard/sflowbeat-interface-counters": "[sFlow] Interface counters",
		"dashboard/sflowbeat-exporters":          "[sFlow] Exporters",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("shipped objects (-want +got):\n%s", d)
	}
}

// TestShippedDashboardsCoverIssue checks that the dashboards show what
// issues #4 and #12 (exporters losing data, flow estimates against
// interface counters) ask for, on the fields the events carry.
func TestShippedDashboardsCoverIssue(t *testing.T) {
	want := map[string][]string{
		"sflowbeat-overview": {"event.dataset", "observer.ip", "network.bytes", "network.packets",
			"source.ip", "destination.ip", "network.transport", "network.type", "destination.port",
			"observer.ingress.vlan.id", "observer.ingress.interface.id", "observer.egress.interface.id",
			"source.as.number", "destination.as.number"},
		"sflowbeat-interface-counters": {"event.dataset", "observer.ip", "observer.ingress.interface.id",
			"sflow.counters.if_in_octets", "sflow.counters.if_out_octets", "sflow.counters.if_speed",
			"sflow.counters.if_in_errors", "sflow.counters.if_out_errors",
			"sflow.counters.if_in_discards", "sflow.counters.if_out_discards"},
		"sflowbeat-exporters": {"event.dataset", "observer.ip", "sflow.sub_agent_id",
			"sflow.exporter.datagrams_missing", "sflow.exporter.samples_missing", "sflow.exporter.datagrams_missing_pct",
			"sflow.reconcile.if_index", "sflow.reconcile.direction", "sflow.reconcile.flow_bytes",
			"sflow.reconcile.counter_octets", "sflow.reconcile.ratio"},
	}
	for id, fields := range want {
		o, err := LoadFile(filepath.Join(shippedDir, "dashboard", id+".json"))
		if err != nil {
			t.Fatal(err)
		}
		used := FieldsUsed(o)
		for _, f := range fields {
			if !contains(used, f) {
				t.Errorf("%s does not use %s; it uses %v", id, f, used)
			}
		}
	}
}

// contains reports whether list holds s.
func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// overview is the id of the dashboard the negative tests break.
const overview = "sflowbeat-overview"

// TestCheckRejects breaks a copy of a shipped dashboard in one way per case
// and expects the checker to say so.
func TestCheckRejects(t *testing.T) {
	cases := []struct {
		name string
		edit func(raw map[string]any)
		want string
	}{
		{"unknown Lens field", func(raw map[string]any) {
			firstColumn(raw)["sourceField"] = "network.bytez"
		}, `uses field "network.bytez"`},
		{"unknown field in a KQL query", func(raw map[string]any) {
			lensState(raw, 0)["query"] = map[string]any{"language": "kuery", "query": `flow.dataset : "sflow.flow"`}
		}, `uses field "flow.dataset"`},
		{"unknown field in a dashboard filter", func(raw map[string]any) {
			meta := dig(raw, "attributes", "kibanaSavedObjectMeta", "searchSourceJSON", "filter", 0, "meta").(map[string]any)
			meta["key"] = "event.datasets"
		}, `uses field "event.datasets"`},
		{"unknown control field", func(raw map[string]any) {
			group := dig(raw, "attributes", "controlGroupInput").(map[string]any)
			group["panelsJSON"] = strings.Replace(group["panelsJSON"].(string), `"observer.ip"`, `"observer.ipz"`, 1)
		}, `uses field "observer.ipz"`},
		{"dangling reference", func(raw map[string]any) {
			addReference(raw, map[string]any{"id": "no-such-vis", "name": "panel_0", "type": "visualization"})
		}, `points to visualization "no-such-vis", which is neither shipped nor generated`},
		{"panelRefName without reference", func(raw map[string]any) {
			panel(raw, 0)["panelRefName"] = "panel_9"
		}, `uses reference "panel_9", which is not in its references`},
		{"Lens layer without dashboard reference", func(raw map[string]any) {
			refs := raw["references"].([]any)
			raw["references"] = refs[:1] // keeps only the filter's
		}, `is not in the dashboard's references`},
		{"reference nothing uses", func(raw map[string]any) {
			addReference(raw, map[string]any{"id": dataView, "name": "stray", "type": "index-pattern"})
		}, `reference "stray" is used by no panel`},
		{"missing column", func(raw map[string]any) {
			layer := firstLayer(raw)
			layer["columnOrder"] = append(layer["columnOrder"].([]any), "gone")
		}, `columnOrder names column "gone"`},
		{"duplicate panelIndex", func(raw map[string]any) {
			p0, p1 := panel(raw, 0), panel(raw, 1)
			p1["panelIndex"] = p0["panelIndex"]
		}, `is not unique`},
		{"panelsJSON string that is not JSON", func(raw map[string]any) {
			raw["attributes"].(map[string]any)["panelsJSON"] = "[{"
		}, `attribute panelsJSON is not valid JSON`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := copyShipped(t)
			editObject(t, filepath.Join(dir, "dashboard", overview+".json"), c.edit)
			expectProblem(t, checker(t), dir, c.want)
		})
	}
}

// TestCheckRejectsLayout covers problems of the folder rather than of one
// object: ids, file names and the data view.
func TestCheckRejectsLayout(t *testing.T) {
	t.Run("duplicate id", func(t *testing.T) {
		dir := copyShipped(t)
		data, err := os.ReadFile(filepath.Join(dir, "dashboard", overview+".json"))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, "dashboard", "copy.json"), data)
		expectProblem(t, checker(t), dir, "id is not unique")
		expectProblem(t, checker(t), dir, "must be in dashboard/sflowbeat-overview.json")
	})
	t.Run("no generated data view", func(t *testing.T) {
		c := checker(t)
		c.DataViews = nil
		expectProblem(t, c, copyShipped(t), `points to index-pattern "sflowbeat-*"`)
	})
	t.Run("file that is not JSON", func(t *testing.T) {
		dir := copyShipped(t)
		writeFile(t, filepath.Join(dir, "dashboard", "broken.json"), []byte("{"))
		if _, err := LoadDir(dir); err == nil || !strings.Contains(err.Error(), "not a JSON object") {
			t.Errorf("LoadDir accepted a broken file: %v", err)
		}
	})
	t.Run("empty folder", func(t *testing.T) {
		if _, err := LoadDir(t.TempDir()); err == nil {
			t.Error("LoadDir accepted a folder without saved objects")
		}
	})
}

// expectProblem checks the saved objects in dir and expects a problem
// containing want.
func expectProblem(t *testing.T, c *Checker, dir, want string) {
	t.Helper()
	objs, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	errs := c.Check(objs)
	for _, e := range errs {
		if strings.Contains(e.Error(), want) {
			return
		}
	}
	t.Errorf("no problem says %q; got %v", want, errs)
}

// copyShipped copies the shipped saved objects into a temporary folder.
func copyShipped(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	paths, err := filepath.Glob(filepath.Join(shippedDir, "*", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, filepath.Base(filepath.Dir(p)), filepath.Base(p)), data)
	}
	return dir
}

// writeFile writes data to path, creating its folder.
func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// editObject decodes the object in path, applies edit and writes it back.
func editObject(t *testing.T, path string, edit func(map[string]any)) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	edit(raw)
	data, err = json.Marshal(raw)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, path, data)
}

// dig follows map keys and list indexes into v.
func dig(v any, path ...any) any {
	for _, k := range path {
		switch key := k.(type) {
		case string:
			v = v.(map[string]any)[key]
		case int:
			v = v.([]any)[key]
		}
	}
	return v
}

// panel returns panel i of a dashboard.
func panel(raw map[string]any, i int) map[string]any {
	return dig(raw, "attributes", "panelsJSON", i).(map[string]any)
}

// lensState returns the Lens state of panel i.
func lensState(raw map[string]any, i int) map[string]any {
	return dig(panel(raw, i), "embeddableConfig", "attributes", "state").(map[string]any)
}

// firstLayer returns the first layer of the first panel.
func firstLayer(raw map[string]any) map[string]any {
	layers := dig(lensState(raw, 0), "datasourceStates", "formBased", "layers").(map[string]any)
	for _, l := range layers {
		return l.(map[string]any)
	}
	panic("no layer")
}

// firstColumn returns a column with a source field of the first layer.
func firstColumn(raw map[string]any) map[string]any {
	for _, c := range firstLayer(raw)["columns"].(map[string]any) {
		if cm := c.(map[string]any); cm["sourceField"] != nil {
			return cm
		}
	}
	panic("no column with a field")
}

// addReference appends ref to the object's references.
func addReference(raw map[string]any, ref map[string]any) {
	raw["references"] = append(raw["references"].([]any), ref)
}

// TestKQLFields checks the field names found in KQL queries.
func TestKQLFields(t *testing.T) {
	cases := map[string][]string{
		`event.dataset : "sflow.flow"`:                             {"event.dataset"},
		`a:1 and not (b >= 2 or c<3)`:                              {"a", "b", "c"},
		`source.ip : fe80::1 and x : "y : z"`:                      {"source.ip", "x"},
		`network.transport : (tcp or udp) and @timestamp > now-1d`: {"network.transport", "@timestamp"},
		`sflow.* : 1 and free text`:                                nil,
		`event.kind:metric and dest: {ip: 1}`:                      {"event.kind", "dest"},
	}
	for q, want := range cases {
		if d := cmp.Diff(want, KQLFields(q)); d != "" {
			t.Errorf("KQLFields(%q) (-want +got):\n%s", q, d)
		}
	}
}

// TestFieldsHas checks how fields.yml declarations are read.
func TestFieldsHas(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "fields.yml")
	writeFile(t, path, []byte(`- key: k
  fields:
    - name: top
      type: group
      fields:
        - name: leaf
          type: long
        - name: dotted.name
          type: keyword
          multi_fields:
            - name: text
              type: match_only_text
        - name: obj
          type: object
          object_type: long
`))
	f, err := LoadFields(path)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]bool{
		"top.leaf": true, "top.dotted.name": true, "top.dotted.name.text": true,
		"top.obj": true, "top.obj.any.thing": true,
		"top": false, "leaf": false, "top.leafs": false, "top.dotted": false,
	} {
		if got := f.Has(name); got != want {
			t.Errorf("Has(%q) = %v, want %v", name, got, want)
		}
	}
}
