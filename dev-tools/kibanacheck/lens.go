package kibanacheck

import "fmt"

// lens checks the state of a lens object.
func (p *pass) lens(prefix string, state map[string]any, names map[string]bool) {
	if state == nil {
		p.fail("has no Lens state")
		return
	}
	p.lensState("the Lens state", prefix, state, names)
}

// lensState checks a Lens state: every layer has its data view reference
// (indexpattern-datasource-layer-<layer id>), columns are consistent and use
// declared fields, the query and filters use declared fields, and the
// visualization shows columns that exist.
func (p *pass) lensState(where, prefix string, state map[string]any, names map[string]bool) {
	layers := map[string]map[string]any{}
	sources, _ := state["datasourceStates"].(map[string]any)
	for _, kind := range []string{"formBased", "indexpattern"} {
		ds, _ := sources[kind].(map[string]any)
		ls, _ := ds["layers"].(map[string]any)
		for id, l := range ls {
			lm, _ := l.(map[string]any)
			p.claim(prefix, "indexpattern-datasource-layer-"+id, names)
			layers[id] = p.layer(where, lm)
		}
	}
	if len(layers) == 0 {
		p.fail("%s has no data layer", where)
	}
	p.kql(where, state["query"])
	p.filters(where+" filter", state["filters"], prefix, names)
	p.visualization(where, state["visualization"], layers)
}

// layer checks a layer's columns and returns them.
func (p *pass) layer(where string, l map[string]any) map[string]any {
	cols, _ := l["columns"].(map[string]any)
	order, _ := l["columnOrder"].([]any)
	for _, id := range order {
		if s, _ := id.(string); cols[s] == nil {
			p.fail("%s: columnOrder names column %q, which does not exist", where, s)
		}
	}
	for id, c := range cols {
		cm, _ := c.(map[string]any)
		p.column(fmt.Sprintf("%s column %q", where, id), cm, cols)
	}
	return cols
}

// column checks one Lens column: its fields, its filter and the columns it
// refers to.
func (p *pass) column(where string, c map[string]any, cols map[string]any) {
	src, _ := c["sourceField"].(string)
	p.field(where, src)
	params, _ := c["params"].(map[string]any)
	more, _ := params["secondaryFields"].([]any)
	for _, f := range more {
		s, _ := f.(string)
		p.field(where, s)
	}
	agg, _ := params["orderAgg"].(map[string]any)
	aggField, _ := agg["sourceField"].(string)
	p.field(where+" ranking", aggField)
	sortField, _ := params["sortField"].(string)
	p.field(where+" sort", sortField)
	p.kql(where, c["filter"])
	refs, _ := c["references"].([]any)
	for _, r := range refs {
		if s, _ := r.(string); cols[s] == nil {
			p.fail("%s refers to column %q, which does not exist", where, s)
		}
	}
	orderBy, _ := params["orderBy"].(map[string]any)
	if id, _ := orderBy["columnId"].(string); id != "" && cols[id] == nil {
		p.fail("%s is ranked by column %q, which does not exist", where, id)
	}
}

// accessorKeys are the keys of a visualization layer that name columns.
var accessorKeys = []string{"xAccessor", "splitAccessor", "accessor", "metricAccessor",
	"accessors", "primaryGroups", "groups", "metrics", "metric", "columns"}

// visualization checks that the visualization's layers are data layers and
// that the columns it shows exist in them.
func (p *pass) visualization(where string, v any, layers map[string]map[string]any) {
	vis, _ := v.(map[string]any)
	list, _ := vis["layers"].([]any)
	if list == nil {
		list = []any{vis}
	}
	for _, l := range list {
		lm, _ := l.(map[string]any)
		id, _ := lm["layerId"].(string)
		cols, ok := layers[id]
		if !ok {
			p.fail("%s: visualization layer %q has no data layer", where, id)
			continue
		}
		for _, k := range accessorKeys {
			for _, a := range accessors(lm[k]) {
				if cols[a] == nil {
					p.fail("%s: visualization shows column %q, which does not exist", where, a)
				}
			}
		}
	}
}

// accessors returns the column ids in a visualization value: a string, a
// list of strings, or a list of {columnId} objects.
func accessors(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			switch y := e.(type) {
			case string:
				out = append(out, y)
			case map[string]any:
				if id, _ := y["columnId"].(string); id != "" {
					out = append(out, id)
				}
			}
		}
		return out
	}
	return nil
}
