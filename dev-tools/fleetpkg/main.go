// Command fleetpkg checks and maintains the Fleet integration package of
// sflowbeat (packages/sflow):
//
//	fleetpkg validate DIR                          validate DIR against Elastic's package-spec v3
//	fleetpkg gen-fields [-root DIR] [-check]       (re)generate the data streams' fields/*.yml
//	fleetpkg gen-dashboards [-root DIR] [-check]   (re)generate kibana/dashboard/*.json from the beat's dashboards
//	fleetpkg zip [-out DIR] DIR                    build NAME-VERSION.zip for Kibana's "Upload integration"
//
// It is a module of its own so that the package-spec validator and its
// dependencies stay out of sflowbeat's go.mod.
package main

import (
	"fmt"
	"os"
)

// usage is printed for a missing or unknown subcommand.
const usage = `usage:
  fleetpkg validate DIR                         validate a package directory with package-spec v3
  fleetpkg gen-fields [-root DIR] [-check]      generate packages/sflow/data_stream/*/fields/*.yml
  fleetpkg gen-dashboards [-root DIR] [-check]  generate packages/sflow/kibana/dashboard/*.json from _meta/kibana/7/dashboard
  fleetpkg zip [-out DIR] DIR                   build NAME-VERSION.zip for Kibana's "Upload integration"
`

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "fleetpkg:", err)
		os.Exit(1)
	}
}

// run dispatches to the subcommand named by args[0].
func run(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("no subcommand\n%s", usage)
	}
	switch args[0] {
	case "validate":
		return runValidate(args[1:])
	case "gen-fields":
		return runGenFields(args[1:])
	case "gen-dashboards":
		return runGenDashboards(args[1:])
	case "zip":
		return runZip(args[1:])
	default:
		return fmt.Errorf("unknown subcommand %q\n%s", args[0], usage)
	}
}
