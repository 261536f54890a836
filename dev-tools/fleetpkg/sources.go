package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"gopkg.in/yaml.v3"
)

// field is one field definition of a fields.yml file, as package-spec and
// libbeat write it. Name is the full dotted name once flattened.
type field struct {
	Name        string  `yaml:"name"`
	Type        string  `yaml:"type,omitempty"`
	ObjectType  string  `yaml:"object_type,omitempty"`
	Value       string  `yaml:"value,omitempty"`
	Description string  `yaml:"description,omitempty"`
	Fields      []field `yaml:"fields,omitempty"`
}

// readFieldsYML reads a libbeat fields.yml (a list of keys, each with
// nested fields) and returns its leaf fields by full dotted name.
func readFieldsYML(path string) (map[string]field, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var keys []struct {
		Fields []field `yaml:"fields"`
	}
	if err := yaml.Unmarshal(data, &keys); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := map[string]field{}
	for _, k := range keys {
		flatten(out, "", k.Fields)
	}
	return out, nil
}

// flatten adds the leaves of list to out under prefix; groups are not
// leaves, objects are.
func flatten(out map[string]field, prefix string, list []field) {
	for _, f := range list {
		name := f.Name
		if prefix != "" {
			name = prefix + "." + f.Name
		}
		if f.Type == "group" || (f.Type == "" && len(f.Fields) > 0) {
			flatten(out, name, f.Fields)
			continue
		}
		out[name] = field{Name: name, Type: f.Type, ObjectType: f.ObjectType, Description: f.Description}
	}
}

// readFieldDocs returns the fields that processor/ecs's FieldDocs lists,
// parsed from its Go source (this module does not import sflowbeat's):
// every {Name: ..., Type: ...} literal of the FieldDocs variable, groups
// left out.
func readFieldDocs(path string) ([]field, error) {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
	if err != nil {
		return nil, err
	}
	var out []field
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Names) != 1 || vs.Names[0].Name != "FieldDocs" || len(vs.Values) != 1 {
			return true
		}
		out = fieldDocLiterals(vs.Values[0])
		return false
	})
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no FieldDocs entries found", path)
	}
	return out, nil
}

// fieldDocLiterals returns the non-group fields of the FieldDocs
// composite literal e.
func fieldDocLiterals(e ast.Expr) []field {
	list, ok := e.(*ast.CompositeLit)
	if !ok {
		return nil
	}
	var out []field
	for _, elt := range list.Elts {
		lit, ok := elt.(*ast.CompositeLit)
		if !ok {
			continue
		}
		if f := fieldDocLiteral(lit); f.Name != "" && f.Type != "group" {
			out = append(out, f)
		}
	}
	return out
}

// fieldDocLiteral reads one {Name: "...", Type: "...", ...} literal.
func fieldDocLiteral(lit *ast.CompositeLit) field {
	var f field
	for _, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		key, _ := kv.Key.(*ast.Ident)
		val, _ := kv.Value.(*ast.BasicLit)
		if key == nil || val == nil || val.Kind != token.STRING {
			continue
		}
		s, _ := strconv.Unquote(val.Value)
		switch key.Name {
		case "Name":
			f.Name = s
		case "Type":
			f.Type = s
		case "ObjectType":
			f.ObjectType = s
		case "Description":
			f.Description = s
		}
	}
	return f
}

// readGolden returns, for each event.dataset of the golden events in dir
// (*.ndjson), the sorted dotted paths of the fields they have.
func readGolden(dir string) (map[string][]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.ndjson"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no golden events (*.ndjson) in %s: %v", dir, err)
	}
	seen := map[string]map[string]bool{}
	for _, file := range files {
		if err := readGoldenFile(file, seen); err != nil {
			return nil, err
		}
	}
	out := map[string][]string{}
	for ds, paths := range seen {
		for p := range paths {
			out[ds] = append(out[ds], p)
		}
		sort.Strings(out[ds])
	}
	return out, nil
}

// readGoldenFile adds the field paths of each event of file to seen, by
// event.dataset.
func readGoldenFile(file string, seen map[string]map[string]bool) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var ev map[string]any
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		event, _ := ev["event"].(map[string]any)
		ds, _ := event["dataset"].(string)
		if seen[ds] == nil {
			seen[ds] = map[string]bool{}
		}
		leafPaths(seen[ds], "", ev)
	}
	return sc.Err()
}

// leafPaths adds the dotted paths of the values of m to out, those of
// nested objects (also in arrays) rather than the objects'.
func leafPaths(out map[string]bool, prefix string, m map[string]any) {
	for k, v := range m {
		p := k
		if prefix != "" {
			p = prefix + "." + k
		}
		switch v := v.(type) {
		case map[string]any:
			leafPaths(out, p, v)
		case []any:
			elemPaths(out, p, v)
		default:
			out[p] = true
		}
	}
}

// elemPaths adds the paths of the elements of list, an array at path p:
// p itself for an array of values, the paths under p for objects.
func elemPaths(out map[string]bool, p string, list []any) {
	for _, e := range list {
		if m, ok := e.(map[string]any); ok {
			leafPaths(out, p, m)
		} else {
			out[p] = true
		}
	}
	if len(list) == 0 {
		out[p] = true
	}
}
