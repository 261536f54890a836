// Package kibanacheck checks the Kibana saved objects that sflowbeat ships in
// _meta/kibana/7 for `sflowbeat setup --dashboards`, without Kibana.
//
// The files are in the format libbeat's dashboard loader reads: one saved
// object per file, named <id>.json in a folder named after its type, with
// panelsJSON, optionsJSON and searchSourceJSON as JSON values (the loader
// encodes them as strings before the import). Check reports, for every
// object:
//
//   - format: id, type, title, file name and folder, JSON-valued attributes;
//   - ids that are not unique;
//   - references that resolve to neither a shipped object nor the data view
//     libbeat generates (sflowbeat-*);
//   - panels whose panelRefName, Lens layer or control has no reference, and
//     references that name no panel, layer, control or filter;
//   - fields used by Lens columns, filters, KQL queries and controls that the
//     beat's fields.yml files do not declare.
//
// It does not import libbeat, so it runs without building the beat.
package kibanacheck
