// Command sflowbeat receives sFlow datagrams over UDP, maps their samples to
// Elastic Common Schema events and publishes them with libbeat.
//
// With -E management.enabled=true it runs as an Elastic Agent component:
// it reads the connection to Agent from stdin and takes its inputs and
// output from the policy.
//
// Besides libbeat's standard commands (run, setup, test, export, keystore,
// version) it has `decode`, which prints the events of sFlow captures.
package main

import (
	"os"

	libcmd "github.com/elastic/beats/v7/libbeat/cmd"
	"github.com/elastic/beats/v7/libbeat/cmd/instance"
	// The Elastic Agent manager (V2 control protocol) is Elastic License
	// 2.0 code: see NOTICE.txt.
	"github.com/elastic/beats/v7/x-pack/libbeat/management"

	"github.com/sflowbeat/sflowbeat/beater"
)

// settings returns the libbeat settings of sflowbeat. Events carry
// ecs.version from the mapper itself, so the processing adds only host and
// agent metadata, and lets processors see the mapper's typed events as
// maps (beater.ProcessingSupport).
func settings() instance.Settings {
	return instance.Settings{
		Name:          beater.Name,
		HasDashboards: true,
		Processing:    beater.ProcessingSupport(),
	}
}

func main() {
	// Under Elastic Agent (-E management.enabled=true), the sflow input
	// units of the policy become sflow inputs through AgentConfig.
	management.ConfigTransform.SetTransform(beater.AgentConfig)
	root := libcmd.GenRootCmdWithSettings(beater.New, settings())
	root.AddCommand(beater.DecodeCommand())
	if err := root.Execute(); err != nil {
		os.Exit(1)
	}
}
