//go:build tools

// Package chain pins the programs of the chain sflowbeat replaces, for the
// load benchmark (dev-tools/loadbench -mode chain): GoFlow2, which receives
// sFlow and writes JSON lines to a file, and Filebeat, built from the same
// beats module version as sflowbeat, which tails that file and publishes
// to Elasticsearch. Nothing here is compiled into sflowbeat; loadbench
// builds each program from this module with
//
//	go build -o DIR/goflow2 github.com/netsampler/goflow2/v2/cmd/goflow2
//	go build -o DIR/filebeat github.com/elastic/beats/v7/filebeat
package chain

import (
	_ "github.com/elastic/beats/v7/filebeat"
	_ "github.com/netsampler/goflow2/v2/cmd/goflow2"
)
