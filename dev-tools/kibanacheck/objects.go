package kibanacheck

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// Object is one saved object file.
type Object struct {
	// Path is the file the object was read from.
	Path string
	// ID, Type and References are the saved object's.
	ID         string
	Type       string
	References []Reference
	// Attributes are the saved object's attributes, with the JSON-valued
	// ones (panelsJSON, optionsJSON, searchSourceJSON, ...) decoded when the
	// file holds them as strings.
	Attributes map[string]any
	// Raw is the whole decoded file.
	Raw map[string]any
}

// Reference is an entry of a saved object's references.
type Reference struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Type string `json:"type"`
}

// jsonValued are the attributes that hold JSON documents; Kibana stores them
// as strings, libbeat's loader accepts them as values and encodes them.
var jsonValued = []string{"panelsJSON", "optionsJSON", "uiStateJSON", "visState",
	"layerListJSON", "mapStateJSON"}

// LoadDir reads every saved object under dir (a folder such as
// _meta/kibana/7 holding one folder per type: dashboard, index-pattern,
// lens, ...). A file that is not a JSON object is an error.
func LoadDir(dir string) ([]*Object, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*", "*"))
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	var objs []*Object
	for _, p := range paths {
		if st, err := os.Stat(p); err != nil || st.IsDir() {
			continue
		}
		o, err := LoadFile(p)
		if err != nil {
			return nil, err
		}
		objs = append(objs, o)
	}
	if len(objs) == 0 {
		return nil, fmt.Errorf("no saved objects under %s", dir)
	}
	return objs, nil
}

// LoadFile reads one saved object file.
func LoadFile(path string) (*Object, error) {
	if filepath.Ext(path) != ".json" {
		return nil, fmt.Errorf("%s: libbeat loads only .json files", path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("%s: not a JSON object: %w", path, err)
	}
	o := &Object{Path: path, Raw: raw}
	o.ID, _ = raw["id"].(string)
	o.Type, _ = raw["type"].(string)
	o.Attributes, _ = raw["attributes"].(map[string]any)
	if err := decodeReferences(raw["references"], &o.References); err != nil {
		return nil, fmt.Errorf("%s: references: %w", path, err)
	}
	return o, nil
}

// decodeReferences converts a decoded references list into refs.
func decodeReferences(v any, refs *[]Reference) error {
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, refs)
}

// jsonAttr returns the JSON-valued attribute name of attrs decoded (from a
// string when needed); ok is false when it is absent.
func jsonAttr(attrs map[string]any, name string) (any, bool, error) {
	v, ok := attrs[name]
	if !ok {
		return nil, false, nil
	}
	s, isString := v.(string)
	if !isString {
		return v, true, nil
	}
	var out any
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		return nil, true, fmt.Errorf("attribute %s is not valid JSON: %w", name, err)
	}
	return out, true, nil
}

// searchSource returns the decoded kibanaSavedObjectMeta.searchSourceJSON.
func searchSource(attrs map[string]any) (map[string]any, error) {
	meta, _ := attrs["kibanaSavedObjectMeta"].(map[string]any)
	if meta == nil {
		return nil, nil
	}
	v, _, err := jsonAttr(meta, "searchSourceJSON")
	if err != nil {
		return nil, err
	}
	m, _ := v.(map[string]any)
	return m, nil
}

// key identifies an object by type and id.
func (o *Object) key() string { return o.Type + "/" + o.ID }

// String names the object in messages.
func (o *Object) String() string {
	return fmt.Sprintf("%s %q (%s)", o.Type, o.ID, filepath.Base(o.Path))
}

// refNames returns the object's reference names.
func (o *Object) refNames() map[string]bool {
	names := make(map[string]bool, len(o.References))
	for _, r := range o.References {
		names[r.Name] = true
	}
	return names
}
