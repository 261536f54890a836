//go:build mage

// Build, test and maintenance targets for sflowbeat. Run them with
// `go run github.com/magefile/mage@v1.17.2 <target>` (or an installed mage).
// The magefile uses only the standard library and tests/testdeps (itself
// standard library only) so that it needs nothing but Go.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/sflowbeat/sflowbeat/tests/testdeps"
)

// fuzzTargets are the fuzz tests run by Fuzz, as package:FuzzName.
var fuzzTargets = []string{
	"./input/sflow/decoder:FuzzDecode",
	"./input/sflow/decoder/header:FuzzParse",
	"./processor/ecs:FuzzMap",
	"./processor/ecs:FuzzAppendString",
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

// The build tools that are Go modules of their own, outside the beat's
// ./...: their dependencies (nfpm, package-spec) stay out of the beat's go.mod.
const (
	pkgtoolModule  = "dev-tools/pkgtool"
	fleetpkgModule = "dev-tools/fleetpkg"
)

// toolModules are the tool modules, which vet checks too.
var toolModules = []string{pkgtoolModule, fleetpkgModule}

// Test runs vet, every test (unit, golden, end to end: both the fast tier of
// `go test -short` and the full tier) and a bounded fuzzing run of every fuzz
// target (500,000 inputs each, or $FUZZTIME). This is what CI runs. First it
// makes sure that the programs the full tier runs (tests/testdeps: tshark,
// buildah, rpm, dpkg) are there: as root it installs what is missing with
// apt-get, otherwise it stops before building anything and says what to run.
func Test() error {
	if err := testdeps.Ensure(); err != nil {
		return err
	}
	if err := vet(); err != nil {
		return err
	}
	if err := run("go", "test", "-count=1", "-timeout", "30m", "./..."); err != nil {
		return err
	}
	return fuzz(envFuzztime("500000x"))
}

// Fuzz runs every fuzz target for $FUZZTIME each (default 5m).
func Fuzz() error {
	return fuzz(envFuzztime("5m"))
}

// envFuzztime returns $FUZZTIME if it is a valid -fuzztime (a duration, or a
// number of inputs such as 500000x), or def.
//
// Test's default is a number of inputs, not a duration: with a duration, Go
// up to 1.26 can fail a clean fuzzing run with "context deadline exceeded"
// when the time is up (go.dev/issue/75804, fixed in Go 1.27), and it did so
// in CI. A number of inputs never starts that deadline.
func envFuzztime(def string) string {
	v := os.Getenv("FUZZTIME")
	if n, ok := strings.CutSuffix(v, "x"); ok {
		if _, err := strconv.ParseUint(n, 10, 63); err == nil {
			return v
		}
	}
	if _, err := time.ParseDuration(v); err == nil {
		return v
	}
	return def
}

// fuzz runs every fuzz target for fuzztime (go test's -fuzztime).
func fuzz(fuzztime string) error {
	for _, t := range fuzzTargets {
		pkg, name, _ := strings.Cut(t, ":")
		if err := run("go", "test", "-run", "^$", "-fuzz", "^"+name+"$", "-fuzztime", fuzztime, pkg); err != nil {
			return err
		}
	}
	return nil
}

// benchPackages are the packages whose benchmarks Bench runs, in the order
// data flows through them: decode, account, the worker loop, map, encode.
var benchPackages = []string{
	"./input/sflow/decoder",
	"./input/sflow/decoder/header",
	"./input/sflow/accounting",
	"./input/sflow/worker",
	"./processor/ecs",
	"./processor/ecs/esencode",
}

// Bench runs the decoder, header, accounting, worker, mapping and encoding
// benchmarks.
func Bench() error {
	return run("go", append([]string{"test", "-run", "^$", "-bench", ".", "-benchmem"}, benchPackages...)...)
}

// vet runs go vet on the beat's module and on every tool module.
func vet() error {
	if err := run("go", "vet", "./..."); err != nil {
		return err
	}
	for _, m := range toolModules {
		if err := run("go", "-C", m, "vet", "./..."); err != nil {
			return err
		}
	}
	return nil
}

// Check runs go vet and checks formatting.
func Check() error {
	if err := vet(); err != nil {
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

// packageArchs are the linux architectures that Package builds.
var packageArchs = []string{"amd64", "arm64"}

// Package builds static linux binaries for amd64 and arm64 and, from them,
// tarballs, deb and rpm packages (dev-tools/pkgtool, nfpm) with .sha512 files in
// build/distributions. $VERSION overrides the version the binary reports.
func Package() error {
	var bins []string
	for _, arch := range packageArchs {
		bin, err := buildStatic(arch)
		if err != nil {
			return err
		}
		bins = append(bins, "-binary", arch+"="+bin)
	}
	version, err := beatVersion()
	if err != nil {
		return err
	}
	args := append([]string{"package", "-root", absPath("."), "-out", absPath("build/distributions"), "-version", version}, bins...)
	return pkgtool(args...)
}

// Image builds the container image sflowbeat:VERSION for the machine's
// architecture (or $IMAGE_ARCH) from the Dockerfile with buildah (vfs storage,
// docker format for the HEALTHCHECK), checks its configuration with buildah
// inspect and saves it for `docker load` in build/distributions.
// $BUILDER=docker builds with docker instead, unchecked.
func Image() error {
	arch := envOr("IMAGE_ARCH", runtime.GOARCH)
	bin, err := buildStatic(arch)
	if err != nil {
		return err
	}
	health := absPath(filepath.Join("build", "bin", "linux-"+arch, "healthcheck"))
	if err := goBuildStatic(arch, health, "./cmd/healthcheck", "-s -w"); err != nil {
		return err
	}
	ctx := absPath(filepath.Join("build", "image"))
	if err := pkgtool("image-context", "-root", absPath("."), "-out", ctx, "-arch", arch, "-binary", bin, "-healthcheck", health); err != nil {
		return err
	}
	version, err := beatVersion()
	if err != nil {
		return err
	}
	tag := "sflowbeat:" + version
	args := []string{"-f", "Dockerfile", "-t", tag, "-t", "sflowbeat:latest",
		"--build-arg", "VERSION=" + version, "--build-arg", "REVISION=" + gitRevision(),
		"--build-arg", "CREATED=" + time.Now().UTC().Format(time.RFC3339), ctx}
	if os.Getenv("BUILDER") == "docker" {
		return run("docker", append([]string{"build"}, args...)...)
	}
	bud := append([]string{"--storage-driver", "vfs", "bud", "--format", "docker", "--arch", arch}, args...)
	if err := run("buildah", bud...); err != nil {
		return err
	}
	if err := checkImage(tag); err != nil {
		return err
	}
	// An archive for `docker load`, as Elastic publishes beside packages.
	archive := absPath(filepath.Join("build", "distributions", fmt.Sprintf("sflowbeat-%s-docker-image-linux-%s.tar", version, arch)))
	if err := os.MkdirAll(filepath.Dir(archive), 0o755); err != nil {
		return err
	}
	_ = os.Remove(archive)
	return run("buildah", "--storage-driver", "vfs", "push", tag, "docker-archive:"+archive+":"+tag)
}

// staticBuilt holds the binaries buildStatic built in this run, by arch.
var staticBuilt = map[string]string{}

// buildStatic builds the static linux binary of sflowbeat for arch in
// build/bin/linux-ARCH, once per run, and returns its absolute path. The
// commit and build time are stamped where `sflowbeat version` reads them.
func buildStatic(arch string) (string, error) {
	if out, ok := staticBuilt[arch]; ok {
		return out, nil
	}
	out := absPath(filepath.Join("build", "bin", "linux-"+arch, "sflowbeat"))
	ldflags := fmt.Sprintf("-s -w -X github.com/elastic/beats/v7/libbeat/version.commit=%s -X github.com/elastic/beats/v7/libbeat/version.buildTime=%s",
		gitRevision(), time.Now().UTC().Format(time.RFC3339))
	if err := goBuildStatic(arch, out, ".", ldflags); err != nil {
		return "", err
	}
	staticBuilt[arch] = out
	return out, nil
}

// goBuildStatic builds pkg with CGO_ENABLED=0 for linux/arch.
func goBuildStatic(arch, out, pkg, ldflags string) error {
	fmt.Printf("> GOOS=linux GOARCH=%s CGO_ENABLED=0 go build -o %s %s\n", arch, out, pkg)
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags", ldflags, "-o", out, pkg)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+arch)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	return cmd.Run()
}

// FleetPackage validates the Fleet integration package (packages/sflow)
// and writes build/distributions/sflow-VERSION.zip, the archive Kibana's
// "Upload integration" takes.
func FleetPackage() error {
	return run("go", "-C", fleetpkgModule, "run", ".", "zip",
		"-out", absPath(filepath.Join("build", "distributions")), absPath(filepath.Join("packages", "sflow")))
}

// pkgtool runs dev-tools/pkgtool, a module of its own (nfpm stays out of go.mod).
func pkgtool(args ...string) error {
	return run("go", append([]string{"-C", pkgtoolModule, "run", "."}, args...)...)
}

// beatVersion returns $VERSION or the version the machine's sflowbeat
// binary reports ("sflowbeat version 9.3.0 (amd64), libbeat ...").
func beatVersion() (string, error) {
	if v := os.Getenv("VERSION"); v != "" {
		return v, nil
	}
	bin, err := buildStatic(runtime.GOARCH)
	if err != nil {
		return "", err
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		return "", fmt.Errorf("%s version: %w", bin, err)
	}
	f := strings.Fields(string(out))
	if len(f) < 3 || f[1] != "version" {
		return "", fmt.Errorf("unexpected output of %s version: %q", bin, out)
	}
	return f[2], nil
}

// checkImage checks what `docker run` relies on in the image's
// configuration: a non-root user, the entrypoint, the sFlow port, the
// volumes and the HEALTHCHECK.
func checkImage(tag string) error {
	out, err := exec.Command("buildah", "--storage-driver", "vfs", "inspect", "--type", "image", tag).Output()
	if err != nil {
		return fmt.Errorf("buildah inspect %s: %w", tag, err)
	}
	var img struct {
		Docker struct {
			Config struct {
				User         string
				Entrypoint   []string
				ExposedPorts map[string]any
				Volumes      map[string]any
				Healthcheck  *struct{ Test []string }
			} `json:"config"`
		}
	}
	if err := json.Unmarshal(out, &img); err != nil {
		return err
	}
	c := img.Docker.Config
	var problems []string
	if c.User == "" || c.User == "root" || strings.HasPrefix(c.User, "0") {
		problems = append(problems, "runs as root")
	}
	if len(c.Entrypoint) == 0 || c.Entrypoint[0] != "/usr/share/sflowbeat/sflowbeat" {
		problems = append(problems, fmt.Sprintf("entrypoint %v", c.Entrypoint))
	}
	if _, ok := c.ExposedPorts["6343/udp"]; !ok {
		problems = append(problems, "6343/udp not exposed")
	}
	if len(c.Volumes) != 2 {
		problems = append(problems, fmt.Sprintf("volumes %v", c.Volumes))
	}
	if c.Healthcheck == nil || len(c.Healthcheck.Test) == 0 {
		problems = append(problems, "no HEALTHCHECK (build with --format docker)")
	}
	if len(problems) > 0 {
		return fmt.Errorf("image %s: %s", tag, strings.Join(problems, "; "))
	}
	fmt.Printf("image %s: user %s, entrypoint %v, healthcheck %v\n", tag, c.User, c.Entrypoint, c.Healthcheck.Test)
	return nil
}

// gitRevision returns the commit of HEAD, or "unknown".
func gitRevision() string {
	out, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(out))
}

// absPath returns path made absolute from the repository root.
func absPath(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return path
	}
	return abs
}

// envOr returns $name or def.
func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
