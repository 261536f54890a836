package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// The beat's dashboards and what becomes of them in the package.
const (
	beatDataView   = "sflowbeat-*" // the data view libbeat generates
	beatIDPrefix   = "sflowbeat-"  // ids of the beat's saved objects
	pkgIDPrefix    = "sflow-"      // package-spec: ids start with the package name
	beatTitleStart = "[sFlow] "    // the beat's dashboard titles
	datasetField   = "event.dataset"
	dataStreamKey  = "data_stream.dataset"
)

// encodedAttributes are the attributes Kibana stores as JSON strings. The
// beat's files hold them as JSON values (libbeat's loader encodes them);
// elastic-package encodes them when it builds a package, and this package
// is zipped as it is, so its files hold them encoded.
var encodedAttributes = [][]string{
	{"kibanaSavedObjectMeta", "searchSourceJSON"},
	{"layerListJSON"},
	{"mapStateJSON"},
	{"optionsJSON"},
	{"panelsJSON"},
	{"uiStateJSON"},
	{"visState"},
}

// runGenDashboards writes (or, with -check, compares) the package's
// dashboards, made from the beat's _meta/kibana/7/dashboard.
func runGenDashboards(args []string) error {
	fs := flag.NewFlagSet("gen-dashboards", flag.ContinueOnError)
	root := fs.String("root", "../..", "sflowbeat's repository root")
	check := fs.Bool("check", false, "compare the files with what would be generated instead of writing them")
	if err := fs.Parse(args); err != nil {
		return err
	}
	pkg := filepath.Join(*root, "packages", "sflow")
	files, err := genDashboards(filepath.Join(*root, "_meta", "kibana", "7", "dashboard"), pkg)
	if err != nil {
		return err
	}
	if *check {
		return errors.Join(checkFiles(pkg, files, "gen-dashboards"), checkNoOthers(pkg, files))
	}
	return writeFiles(pkg, files)
}

// genDashboards returns the package's dashboard files, by path relative to
// the package directory pkg: one for each dashboard of dir.
func genDashboards(dir, pkg string) (map[string][]byte, error) {
	types, err := dataStreamTypes(pkg)
	if err != nil {
		return nil, err
	}
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(paths) == 0 {
		return nil, fmt.Errorf("no dashboards (*.json) in %s: %v", dir, err)
	}
	files := map[string][]byte{}
	for _, p := range paths {
		id, data, err := packageDashboard(p, types)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		files[filepath.Join("kibana", "dashboard", id+".json")] = data
	}
	return files, nil
}

// dataStreamTypes returns the type (logs, metrics) of each data stream of
// the package, by name (its folder).
func dataStreamTypes(pkg string) (map[string]string, error) {
	manifests, err := filepath.Glob(filepath.Join(pkg, "data_stream", "*", "manifest.yml"))
	if err != nil || len(manifests) == 0 {
		return nil, fmt.Errorf("no data streams in %s: %v", pkg, err)
	}
	types := map[string]string{}
	for _, m := range manifests {
		data, err := os.ReadFile(m)
		if err != nil {
			return nil, err
		}
		var ds struct{ Type string }
		if err := yaml.Unmarshal(data, &ds); err != nil || ds.Type == "" {
			return nil, fmt.Errorf("%s: no data stream type: %v", m, err)
		}
		types[filepath.Base(filepath.Dir(m))] = ds.Type
	}
	return types, nil
}

// packageDashboard reads the beat's dashboard at path and returns its id
// and file in the package.
func packageDashboard(path string, types map[string]string) (string, []byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", nil, err
	}
	obj, err := decodeJSON(data)
	if err != nil {
		return "", nil, err
	}
	so, ok := obj.(map[string]any)
	if !ok || so["type"] != "dashboard" {
		return "", nil, errors.New("not a dashboard saved object")
	}
	if err := toPackage(so, types); err != nil {
		return "", nil, err
	}
	out, err := encodeJSON(so, "    ")
	if err != nil {
		return "", nil, err
	}
	return so["id"].(string), append(out, '\n'), nil
}

// toPackage turns the beat's dashboard so into the package's: sflow- id,
// the title of its data stream's type, a filter on data_stream.dataset
// (filterDataStream), the data view Fleet creates for that type
// (logs-*, metrics-*) instead of sflowbeat-*, and encoded attributes.
func toPackage(so map[string]any, types map[string]string) error {
	attrs, ok := so["attributes"].(map[string]any)
	if !ok {
		return errors.New("no attributes")
	}
	if err := packageID(so); err != nil {
		return err
	}
	stream, err := filterDataStream(so)
	if err != nil {
		return err
	}
	typ, ok := types[stream]
	if !ok {
		return fmt.Errorf("filter on %s: the package has no data stream %s", datasetField, stream)
	}
	if err := packageTitle(attrs, typ); err != nil {
		return err
	}
	if err := replaceDataView(so, typ+"-*"); err != nil {
		return err
	}
	return encodeAttributes(attrs)
}

// packageID replaces the sflowbeat- prefix of the id with sflow-.
func packageID(so map[string]any) error {
	id, _ := so["id"].(string)
	if !strings.HasPrefix(id, beatIDPrefix) {
		return fmt.Errorf("id %q does not start with %s", id, beatIDPrefix)
	}
	so["id"] = pkgIDPrefix + strings.TrimPrefix(id, beatIDPrefix)
	return nil
}

// packageTitle names the dashboard as integration packages do, by the type
// of its data ([Logs sFlow] ..., [Metrics sFlow] ...), which also tells it
// from the beat's dashboard in a Kibana that has both.
func packageTitle(attrs map[string]any, typ string) error {
	title, _ := attrs["title"].(string)
	if !strings.HasPrefix(title, beatTitleStart) {
		return fmt.Errorf("title %q does not start with %q", title, beatTitleStart)
	}
	attrs["title"] = "[" + strings.ToUpper(typ[:1]) + typ[1:] + " sFlow] " + strings.TrimPrefix(title, beatTitleStart)
	return nil
}

// replaceDataView points every reference to sflowbeat-* (the dashboard's
// and those of panels saved by value) at dataView; any other reference,
// or sflowbeat-* left anywhere else, is an error: the package ships only
// dashboards.
func replaceDataView(so map[string]any, dataView string) error {
	if err := replaceRefs(so["references"], dataView); err != nil {
		return err
	}
	attrs := so["attributes"].(map[string]any)
	panels, _ := attrs["panelsJSON"].([]any)
	for _, p := range panels {
		panel, _ := p.(map[string]any)
		cfg, _ := panel["embeddableConfig"].(map[string]any)
		inner, _ := cfg["attributes"].(map[string]any)
		if err := replaceRefs(inner["references"], dataView); err != nil {
			return fmt.Errorf("panel %v: %w", panel["panelIndex"], err)
		}
	}
	if left := findString(attrs, beatDataView); left != "" {
		return fmt.Errorf("%s is still used at %s", beatDataView, left)
	}
	return nil
}

// replaceRefs points the references of list to sflowbeat-* at dataView.
func replaceRefs(list any, dataView string) error {
	refs, _ := list.([]any)
	for _, r := range refs {
		ref, _ := r.(map[string]any)
		if ref["type"] != "index-pattern" || ref["id"] != beatDataView {
			return fmt.Errorf("reference %v: only references to the data view %s are supported", ref, beatDataView)
		}
		ref["id"] = dataView
	}
	return nil
}

// findString returns the path of the first string of v that contains s,
// also inside JSON-encoded strings, or "".
func findString(v any, s string) string {
	switch v := v.(type) {
	case string:
		if strings.Contains(v, s) {
			return "(value)"
		}
	case map[string]any:
		for k, x := range v {
			if p := findString(x, s); p != "" {
				return k + "." + p
			}
		}
	case []any:
		for i, x := range v {
			if p := findString(x, s); p != "" {
				return fmt.Sprintf("%d.%s", i, p)
			}
		}
	}
	return ""
}

// encodeAttributes replaces the JSON-valued attributes by their encoding.
func encodeAttributes(attrs map[string]any) error {
	for _, path := range encodedAttributes {
		parent := attrs
		for _, k := range path[:len(path)-1] {
			parent, _ = parent[k].(map[string]any)
		}
		name := path[len(path)-1]
		v, ok := parent[name]
		if _, isString := v.(string); !ok || isString {
			continue
		}
		data, err := encodeJSON(v, "")
		if err != nil {
			return fmt.Errorf("%s: %w", strings.Join(path, "."), err)
		}
		parent[name] = string(data)
	}
	return nil
}

// decodeJSON decodes data keeping numbers as written.
func decodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// encodeJSON encodes v with sorted keys, indented by indent ("" for one
// line), without escaping <, > and &.
func encodeJSON(v any, indent string) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", indent)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// checkNoOthers reports dashboards of the package that are not generated:
// a dashboard removed from the beat must leave the package too.
func checkNoOthers(pkg string, files map[string][]byte) error {
	paths, err := filepath.Glob(filepath.Join(pkg, "kibana", "dashboard", "*"))
	if err != nil {
		return err
	}
	var extra []string
	for _, p := range paths {
		rel, _ := filepath.Rel(pkg, p)
		if _, ok := files[rel]; !ok {
			extra = append(extra, rel)
		}
	}
	if len(extra) > 0 {
		return fmt.Errorf("not made from a dashboard of the beat, remove: %s", strings.Join(extra, ", "))
	}
	return nil
}
