package beater

import (
	"context"
	"fmt"
	"time"

	"github.com/elastic/beats/v7/libbeat/esleg/eslegclient"
	conf "github.com/elastic/elastic-agent-libs/config"
	"github.com/elastic/elastic-agent-libs/logp"
)

// EnrichPipeline is the ingest pipeline `sflowbeat setup --pipelines`
// installs: GeoIP location and AS of source and destination. Inputs route
// their events through it with `pipeline: sflowbeat-enrich`.
const EnrichPipeline = "sflowbeat-enrich"

// geoProcessors returns the processors that enrich one side (source or
// destination) of a flow. The AS comes from the GeoLite2 ASN database only
// when the router did not report it (extended_gateway).
func geoProcessors(side string) []map[string]any {
	noAS := fmt.Sprintf("ctx.%s?.as?.number == null", side)
	return []map[string]any{
		{"geoip": map[string]any{"field": side + ".ip", "target_field": side + ".geo", "ignore_missing": true}},
		{"geoip": map[string]any{"database_file": "GeoLite2-ASN.mmdb", "field": side + ".ip", "target_field": side + ".as",
			"properties": []string{"asn", "organization_name"}, "ignore_missing": true, "if": noAS}},
		{"rename": map[string]any{"field": side + ".as.asn", "target_field": side + ".as.number", "ignore_missing": true}},
		{"rename": map[string]any{"field": side + ".as.organization_name", "target_field": side + ".as.organization.name", "ignore_missing": true}},
	}
}

// enrichPipeline returns the body of EnrichPipeline.
func enrichPipeline() map[string]any {
	return map[string]any{
		"description": "sflowbeat: GeoIP location and AS of source and destination",
		"processors":  append(geoProcessors("source"), geoProcessors("destination")...),
		"on_failure": []map[string]any{
			{"append": map[string]any{"field": "error.message", "value": "{{{ _ingest.on_failure_message }}}"}},
		},
	}
}

// loadPipelines installs EnrichPipeline in the Elasticsearch of esConfig
// (`sflowbeat setup --pipelines`).
func loadPipelines(esConfig *conf.C, log *logp.Logger) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	client, err := eslegclient.NewConnectedClient(ctx, esConfig, Name, log)
	if err != nil {
		return fmt.Errorf("cannot connect to Elasticsearch to load the ingest pipelines: %w", err)
	}
	defer client.Close()
	status, resp, err := client.Request("PUT", "/_ingest/pipeline/"+EnrichPipeline, "", nil, enrichPipeline())
	if err != nil {
		return fmt.Errorf("loading ingest pipeline %s: status %d: %w: %s", EnrichPipeline, status, err, resp)
	}
	log.Infow("loaded ingest pipeline", "pipeline", EnrichPipeline)
	return nil
}
