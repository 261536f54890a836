package main

import (
	"fmt"
	"slices"
	"sort"
)

// filterDataStream finds the dashboard's filter on event.dataset and
// returns the data stream that receives its datasets (streamDatasets). The
// filter is a phrase filter (one dataset) or a phrases filter (is one of),
// not negated, on datasets of one data stream:
//   - on the data stream's own dataset alone (sflow.flow, sflow.counters),
//     it is rewritten to filter data_stream.dataset, the constant_keyword
//     of the data stream;
//   - on its other datasets (sflow.drops, sflow.exporters, ...), it stays,
//     and a phrase filter on data_stream.dataset is added next to it, so
//     that the dashboard reads one data stream.
func filterDataStream(so map[string]any) (string, error) {
	attrs, _ := so["attributes"].(map[string]any)
	meta, _ := attrs["kibanaSavedObjectMeta"].(map[string]any)
	search, _ := meta["searchSourceJSON"].(map[string]any)
	filters, _ := search["filter"].([]any)
	var found []map[string]any
	for _, f := range filters {
		if fm, _ := f.(map[string]any); filterMeta(fm)["key"] == datasetField {
			found = append(found, fm)
		}
	}
	if len(found) != 1 {
		return "", fmt.Errorf("want one filter on %s, found %d", datasetField, len(found))
	}
	datasets, err := filterDatasets(found[0])
	if err != nil {
		return "", err
	}
	stream, err := receiver(datasets)
	if err != nil {
		return "", err
	}
	if own := "sflow." + stream; slices.Equal(datasets, []string{own}) {
		renameField(found[0], datasetField, dataStreamKey)
		return stream, nil
	}
	search["filter"] = append(filters, streamFilter(so, found[0], len(filters), stream))
	return stream, nil
}

// filterMeta returns the meta object of filter f.
func filterMeta(f map[string]any) map[string]any {
	m, _ := f["meta"].(map[string]any)
	return m
}

// filterDatasets returns the datasets a phrase or phrases filter on
// event.dataset keeps, sorted, after checking that its query matches
// them.
func filterDatasets(f map[string]any) ([]string, error) {
	meta := filterMeta(f)
	if meta["negate"] == true {
		return nil, fmt.Errorf("filter on %s is negated: only filters that keep datasets are supported", datasetField)
	}
	var values []string
	switch meta["type"] {
	case "phrase":
		params, _ := meta["params"].(map[string]any)
		if v, ok := params["query"].(string); ok {
			values = []string{v}
		}
	case "phrases":
		params, _ := meta["params"].([]any)
		for _, p := range params {
			values = append(values, fmt.Sprint(p))
		}
	default:
		return nil, fmt.Errorf("filter on %s of type %v: only phrase and phrases filters are supported", datasetField, meta["type"])
	}
	sort.Strings(values)
	matched := matchPhrases(f["query"])
	sort.Strings(matched)
	if len(values) == 0 || !slices.Equal(values, matched) {
		return nil, fmt.Errorf("filter on %s: params %v but query on %v", datasetField, values, matched)
	}
	return values, nil
}

// matchPhrases returns the values of the match_phrase queries on
// event.dataset in q.
func matchPhrases(q any) []string {
	var out []string
	switch q := q.(type) {
	case map[string]any:
		for k, v := range q {
			if m, ok := v.(map[string]any); ok && k == "match_phrase" && m[datasetField] != nil {
				out = append(out, fmt.Sprint(m[datasetField]))
				continue
			}
			out = append(out, matchPhrases(v)...)
		}
	case []any:
		for _, v := range q {
			out = append(out, matchPhrases(v)...)
		}
	}
	return out
}

// receiver returns the data stream that receives all of datasets.
func receiver(datasets []string) (string, error) {
	var streams []string
	for _, ds := range datasets {
		s := streamOf(ds)
		if s == "" {
			return "", fmt.Errorf("filter on %s %q: no data stream of streams.go receives it", datasetField, ds)
		}
		if !slices.Contains(streams, s) {
			streams = append(streams, s)
		}
	}
	if len(streams) != 1 {
		return "", fmt.Errorf("filter on %s %v: the datasets go to data streams %v; a dashboard reads one",
			datasetField, datasets, streams)
	}
	return streams[0], nil
}

// streamOf returns the data stream that receives dataset, or "".
func streamOf(dataset string) string {
	for name, list := range streamDatasets {
		if slices.Contains(list, dataset) {
			return name
		}
	}
	return ""
}

// renameField renames the field of filter f: its meta key and field, and
// the keys of its match_phrase queries.
func renameField(f map[string]any, from, to string) {
	meta := filterMeta(f)
	meta["key"] = to
	if meta["field"] != nil {
		meta["field"] = to
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if m, ok := v["match_phrase"].(map[string]any); ok && m[from] != nil {
				m[to] = m[from]
				delete(m, from)
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(f["query"])
}

// streamFilter returns a phrase filter on data_stream.dataset
// sflow.<stream>, to stand at index i of the filters of the dashboard so.
// When like, the filter it goes with, names its data view by reference,
// the new filter gets a reference of its own, added to so's.
func streamFilter(so map[string]any, like map[string]any, i int, stream string) map[string]any {
	dataset := "sflow." + stream
	meta := map[string]any{"alias": nil, "disabled": false, "key": dataStreamKey, "negate": false,
		"params": map[string]any{"query": dataset}, "type": "phrase"}
	if _, ok := filterMeta(like)["indexRefName"]; ok {
		ref := fmt.Sprintf("kibanaSavedObjectMeta.searchSourceJSON.filter[%d].meta.index", i)
		meta["indexRefName"] = ref
		refs, _ := so["references"].([]any)
		so["references"] = append(refs, map[string]any{"id": beatDataView, "name": ref, "type": "index-pattern"})
	}
	return map[string]any{
		"$state": map[string]any{"store": "appState"},
		"meta":   meta,
		"query":  map[string]any{"match_phrase": map[string]any{dataStreamKey: dataset}},
	}
}
