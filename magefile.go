//go:build mage

// Build, test and maintenance targets for sflowbeat. Run them with
// `go run github.com/magefile/mage@v1.17.2 <target>` (or an installed mage).
// The magefile uses only the standard library so that it needs nothing but Go.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

// fuzzTargets are the fuzz tests run by Fuzz, as package:FuzzName.
var fuzzTargets = []string{
	"./input/sflow/decoder:FuzzDecode",
	"./input/sflow/header:FuzzParse",
	"./processor/ecs:FuzzMap",
}

// run runs a command with the magefile's output and environment.
func run(name string, args ...string) error {
	fmt.Println(">", name, strings.Join(args, " "))
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	return cmd.Run()
}

// Build builds the sflowbeat binary in the repository root.
func Build() error {
	return run("go", "build", "-o", "sflowbeat", ".")
}

// Test runs vet, every test (unit, golden, end to end) and a bounded fuzzing
// run of every fuzz target. This is what CI runs.
func Test() error {
	if err := run("go", "vet", "./..."); err != nil {
		return err
	}
	if err := run("go", "test", "-count=1", "-timeout", "30m", "./..."); err != nil {
		return err
	}
	return fuzz(envDuration("FUZZTIME", 20*time.Second))
}

// Fuzz runs every fuzz target for $FUZZTIME each (default 5m).
func Fuzz() error {
	return fuzz(envDuration("FUZZTIME", 5*time.Minute))
}

// fuzz runs every fuzz target for d.
func fuzz(d time.Duration) error {
	for _, t := range fuzzTargets {
		pkg, name, _ := strings.Cut(t, ":")
		if err := run("go", "test", "-run", "^$", "-fuzz", "^"+name+"$", "-fuzztime", d.String(), pkg); err != nil {
			return err
		}
	}
	return nil
}

// Bench runs the decoder, header and mapping benchmarks.
func Bench() error {
	return run("go", "test", "-run", "^$", "-bench", ".", "-benchmem",
		"./input/sflow/decoder", "./input/sflow/header", "./processor/ecs")
}

// Check runs go vet and checks formatting.
func Check() error {
	if err := run("go", "vet", "./..."); err != nil {
		return err
	}
	out, err := exec.Command("gofmt", "-l", ".").Output()
	if err != nil {
		return err
	}
	if len(strings.TrimSpace(string(out))) > 0 {
		return fmt.Errorf("files not gofmt'ed:\n%s", out)
	}
	return nil
}

// Update regenerates the generated files: _meta/fields.yml from the
// processor's field table, the embedded fields asset, and, with
// UPDATE_GOLDEN=1, the golden files of the captures.
func Update() error {
	if err := run("go", "test", "./processor/ecs", "-run", "^TestFieldsYML$", "-update"); err != nil {
		return err
	}
	if err := run("go", "test", "./beater", "-run", "^TestFieldsAsset$", "-update"); err != nil {
		return err
	}
	if os.Getenv("UPDATE_GOLDEN") == "1" {
		return run("go", "test", "./processor/ecs", "-run", "^TestGolden", "-update")
	}
	return nil
}

// envDuration reads a duration from the environment, or returns def.
func envDuration(name string, def time.Duration) time.Duration {
	if v, err := time.ParseDuration(os.Getenv(name)); err == nil {
		return v
	}
	return def
}
