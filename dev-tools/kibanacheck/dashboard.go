package kibanacheck

import "fmt"

// panels checks a dashboard's panelsJSON: unique panel indexes, panel
// references, and the Lens state of panels saved by value.
func (p *pass) panels() {
	v, _, _ := jsonAttr(p.o.Attributes, "panelsJSON")
	list, ok := v.([]any)
	if !ok {
		p.fail("panelsJSON must be a list of panels")
		return
	}
	seen := map[string]bool{}
	for i, x := range list {
		panel, _ := x.(map[string]any)
		p.panel(i, panel, seen)
	}
}

// panel checks one dashboard panel.
func (p *pass) panel(i int, panel map[string]any, seen map[string]bool) {
	idx, _ := panel["panelIndex"].(string)
	if idx == "" {
		p.fail("panel %d has no panelIndex", i)
		return
	}
	if seen[idx] {
		p.fail("panelIndex %q is not unique", idx)
	}
	seen[idx] = true
	grid, _ := panel["gridData"].(map[string]any)
	if gi, _ := grid["i"].(string); gi != idx {
		p.fail("panel %s: gridData.i %q differs from panelIndex", idx, gi)
	}
	if ref, _ := panel["panelRefName"].(string); ref != "" {
		p.claim("", ref, p.o.refNames())
	}
	cfg, _ := panel["embeddableConfig"].(map[string]any)
	if attrs, _ := cfg["attributes"].(map[string]any); attrs != nil {
		title, _ := panel["title"].(string)
		p.byValue(fmt.Sprintf("panel %q", title), idx, attrs)
	}
}

// byValue checks a panel saved by value: its own references must be in the
// dashboard's as "<panelIndex>:<name>" (Kibana's import resolves only
// those), and a Lens panel's state is checked like a lens object's.
func (p *pass) byValue(where, idx string, attrs map[string]any) {
	var inner []Reference
	if err := decodeReferences(attrs["references"], &inner); err != nil {
		p.fail("%s: references: %v", where, err)
		return
	}
	outer := map[string]Reference{}
	for _, r := range p.o.References {
		outer[r.Name] = r
	}
	names := map[string]bool{}
	for _, r := range inner {
		names[r.Name] = true
		if d, ok := outer[idx+":"+r.Name]; !ok || d.ID != r.ID || d.Type != r.Type {
			p.fail("%s: reference %q (%s %q) is not in the dashboard's references as %q",
				where, r.Name, r.Type, r.ID, idx+":"+r.Name)
		}
	}
	if t, _ := attrs["type"].(string); t == "lens" {
		state, _ := attrs["state"].(map[string]any)
		p.lensState(where, idx+":", state, names)
	}
}

// controls checks the dashboard's controls: their field, and the data view
// reference "controlGroup_<id>:..." each needs.
func (p *pass) controls() {
	group, _ := p.o.Attributes["controlGroupInput"].(map[string]any)
	if group == nil {
		return
	}
	v, _, err := jsonAttr(group, "panelsJSON")
	if err != nil {
		p.fail("controlGroupInput: %v", err)
		return
	}
	list, _ := v.(map[string]any)
	for id, c := range list {
		cm, _ := c.(map[string]any)
		in, _ := cm["explicitInput"].(map[string]any)
		field, _ := in["fieldName"].(string)
		p.field(fmt.Sprintf("control %q", id), field)
		p.claim("", "controlGroup_"+id+":optionsListDataView", p.o.refNames())
	}
}
