package ecs

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// fieldDef is one entry of a fields.yml file.
type fieldDef struct {
	Key         string     `yaml:"key"`
	Name        string     `yaml:"name"`
	Type        string     `yaml:"type"`
	ObjectType  string     `yaml:"object_type"`
	Description string     `yaml:"description"`
	Fields      []fieldDef `yaml:"fields"`
}

// declared collects the leaf fields and the object (wildcard) prefixes that
// fields.yml files declare.
type declared struct {
	leaves  map[string]string // path -> type
	objects []string          // prefixes whose sub-fields are mapped by object_type
}

// loadFields reads the fields.yml files that the binary embeds.
func loadFields(t *testing.T) declared {
	t.Helper()
	d := declared{leaves: map[string]string{}}
	for _, f := range []string{"fields.ecs.yml", "fields.common.yml", "fields.yml"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "_meta", f))
		if err != nil {
			t.Fatal(err)
		}
		var keys []fieldDef
		if err := yaml.Unmarshal(data, &keys); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, k := range keys {
			d.add("", k.Fields)
		}
	}
	return d
}

// add records defs under prefix.
func (d *declared) add(prefix string, defs []fieldDef) {
	for _, f := range defs {
		path := f.Name
		if prefix != "" {
			path = prefix + "." + f.Name
		}
		switch {
		case f.Type == "group" || (f.Type == "" && len(f.Fields) > 0):
			d.add(path, f.Fields)
		case f.Type == "object":
			d.objects = append(d.objects, path+".")
			d.leaves[path] = "object"
		default:
			d.leaves[path] = f.Type
		}
	}
}

// has reports whether path is declared.
func (d *declared) has(path string) bool {
	if _, ok := d.leaves[path]; ok {
		return true
	}
	for _, o := range d.objects {
		if strings.HasPrefix(path, o) {
			return true
		}
	}
	return false
}

// TestFieldsDeclared fails when an event of any capture has a field that
// fields.yml (ECS, libbeat common, sflowbeat's own) does not declare: such a
// field would be left to dynamic mapping.
func TestFieldsDeclared(t *testing.T) {
	d := loadFields(t)
	captures, _ := filepath.Glob(filepath.Join(capturesDir, "*.pcap"))
	missing := map[string]string{}
	for _, c := range captures {
		for _, ev := range captureEvents(t, filepath.Base(c), Options{}) {
			for path := range ev {
				if !d.has(path) {
					missing[path] = filepath.Base(c)
				}
			}
		}
	}
	var list []string
	for p, c := range missing {
		list = append(list, p+" (in "+c+")")
	}
	sort.Strings(list)
	if len(list) > 0 {
		t.Errorf("fields emitted but not declared in _meta/fields.yml:\n%s", strings.Join(list, "\n"))
	}
}

// TestFieldTypes checks the types of the fields users query most.
func TestFieldTypes(t *testing.T) {
	d := loadFields(t)
	for path, want := range map[string]string{
		"source.ip": "ip", "observer.ip": "ip", "sflow.gateway.next_hop": "ip", "sflow.router.next_hop": "ip",
		"observer.ingress.interface.id": "keyword", "network.vlan.id": "keyword", "source.mac": "keyword",
		"network.bytes": "long", "sflow.counters.if_in_octets": "long", "sflow.sample_rate": "long",
	} {
		if got := d.leaves[path]; got != want {
			t.Errorf("%s is declared as %q, want %q", path, got, want)
		}
	}
}
