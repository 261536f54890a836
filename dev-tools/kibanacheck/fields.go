package kibanacheck

import (
	"fmt"
	"os"
	"strings"

	"gopkg.in/yaml.v3"
)

// Fields is the set of fields declared by fields.yml files.
type Fields struct {
	names   map[string]bool
	dynamic map[string]bool // object and flattened fields: any subfield is valid
}

// ymlField is one entry of a fields.yml file: a field or a group.
type ymlField struct {
	Name        string     `yaml:"name"`
	Type        string     `yaml:"type"`
	Fields      []ymlField `yaml:"fields"`
	MultiFields []ymlField `yaml:"multi_fields"`
}

// ymlKey is a top-level entry of a fields.yml file.
type ymlKey struct {
	Key    string     `yaml:"key"`
	Fields []ymlField `yaml:"fields"`
}

// LoadFields reads fields.yml files (a list of keys, each with nested
// fields; groups have type group).
func LoadFields(paths ...string) (*Fields, error) {
	return loadFields(paths, func(f *Fields, data []byte) error {
		var keys []ymlKey
		if err := yaml.Unmarshal(data, &keys); err != nil {
			return err
		}
		for _, k := range keys {
			f.add("", k.Fields)
		}
		return nil
	})
}

// LoadPackageFields reads the fields files of a Fleet package's data
// stream (data_stream/*/fields/*.yml: a list of fields, without keys).
func LoadPackageFields(paths ...string) (*Fields, error) {
	return loadFields(paths, func(f *Fields, data []byte) error {
		var list []ymlField
		if err := yaml.Unmarshal(data, &list); err != nil {
			return err
		}
		f.add("", list)
		return nil
	})
}

// loadFields reads each file and declares its fields with add.
func loadFields(paths []string, add func(*Fields, []byte) error) (*Fields, error) {
	f := &Fields{names: map[string]bool{}, dynamic: map[string]bool{}}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		if err := add(f, data); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
	}
	return f, nil
}

// add declares fields under prefix, recursing into groups.
func (f *Fields) add(prefix string, list []ymlField) {
	for _, y := range list {
		name := join(prefix, y.Name)
		if y.Type == "group" {
			f.add(name, y.Fields)
			continue
		}
		f.names[name] = true
		if y.Type == "object" || y.Type == "flattened" {
			f.dynamic[name] = true
		}
		f.add(name, y.Fields)
		f.add(name, y.MultiFields)
	}
}

// join joins a group prefix and a field name.
func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

// Has reports whether name is declared, or is a subfield of a declared
// object or flattened field.
func (f *Fields) Has(name string) bool {
	if f.names[name] {
		return true
	}
	for p := name; strings.Contains(p, "."); {
		p = p[:strings.LastIndex(p, ".")]
		if f.dynamic[p] {
			return true
		}
	}
	return false
}

// Len returns the number of declared fields.
func (f *Fields) Len() int { return len(f.names) }
