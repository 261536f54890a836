package tests

import (
	"bytes"
	"context"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sflowbeat/sflowbeat/dev-tools/kibanacheck"
	"github.com/sflowbeat/sflowbeat/tests/esmock"
)

// pkgRun runs a command and returns its stdout; it fails the test with the
// command's output on error.
func pkgRun(t *testing.T, env []string, name string, args ...string) string {
	t.Helper()
	out, errOut, err := pkgTry(env, name, args...)
	if err != nil {
		t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, out, errOut)
	}
	return out
}

// pkgTry runs a command and returns its stdout, stderr and error.
func pkgTry(env []string, name string, args ...string) (string, string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	return out.String(), errOut.String(), err
}

// healthcheckPkg is the image's HEALTHCHECK program, relative to tests/.
const healthcheckPkg = "../cmd/healthcheck"

// pkgBins are the small programs the packaging tests need, built in a
// test's directory.
type pkgBins struct {
	pkgtool     string // dev-tools/pkgtool, a module of its own
	healthcheck string // cmd/healthcheck, static, for linux/GOARCH
}

// buildPkgBins builds pkgtool and the healthcheck for goarch into dir.
func buildPkgBins(t *testing.T, dir, goarch string) pkgBins {
	t.Helper()
	b := pkgBins{pkgtool: filepath.Join(dir, "pkgtool"), healthcheck: buildHealthcheck(t, dir, goarch)}
	pkgRun(t, nil, "go", "-C", "../dev-tools/pkgtool", "build", "-o", b.pkgtool, ".")
	return b
}

// buildHealthcheck builds the static healthcheck for linux/goarch into dir
// and returns its path.
func buildHealthcheck(t *testing.T, dir, goarch string) string {
	t.Helper()
	out := filepath.Join(dir, "healthcheck-"+goarch)
	pkgRun(t, []string{"CGO_ENABLED=0", "GOOS=linux", "GOARCH=" + goarch},
		"go", "build", "-trimpath", "-ldflags", "-s -w", "-o", out, healthcheckPkg)
	return out
}

// beatVersion returns the version the e2e binary reports.
func beatVersion(t *testing.T) string {
	t.Helper()
	out := pkgRun(t, nil, binary, "version")
	f := strings.Fields(out)
	if len(f) < 3 || f[1] != "version" {
		t.Fatalf("unexpected output of sflowbeat version: %q", out)
	}
	return f[2]
}

// fileEntry is a file of a package as the tests compare them.
type fileEntry struct {
	Path, Mode, Owner string
}

// elfInfo returns the machine of an ELF executable and whether it is
// dynamically linked (has a program interpreter).
func elfInfo(t *testing.T, path string) (elf.Machine, bool) {
	t.Helper()
	f, err := elf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return f.Machine, true
		}
	}
	return f.Machine, false
}

// shippedDashboards returns the Kibana dashboards of the repository, which
// every artifact carries in its path.home's kibana/7/dashboard.
func shippedDashboards(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../_meta/kibana/7/dashboard/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no dashboards in ../_meta/kibana/7/dashboard: %v", err)
	}
	return files
}

// checkHomeExtras checks that an unpacked artifact has the repository's
// dashboards, byte for byte, in home/kibana/7/dashboard, and the Elastic
// Agent spec in binDir, beside the binary.
func checkHomeExtras(t *testing.T, home, binDir string) {
	t.Helper()
	for _, f := range shippedDashboards(t) {
		sameFile(t, f, filepath.Join(home, "kibana/7/dashboard", filepath.Base(f)))
	}
	sameFile(t, "../sflowbeat.spec.yml", filepath.Join(binDir, "sflowbeat.spec.yml"))
}

// checkSetupDashboards runs an unpacked sflowbeat's `setup --dashboards`
// with args (its paths) and no dashboards directory, so libbeat reads
// ${path.home}/kibana, against a Kibana mock; every shipped saved object
// must reach it.
func checkSetupDashboards(t *testing.T, bin string, args ...string) {
	t.Helper()
	kb := startKibana(t, nil)
	es := esmock.Start()
	defer es.Close()
	args = append([]string{"setup", "--dashboards", "-E", "setup.kibana.host=" + kb.URL,
		"-E", "output.elasticsearch.hosts=[\"" + es.URL + "\"]"}, args...)
	out, errOut, err := pkgTry(nil, bin, args...)
	if err != nil || !strings.Contains(out, "Loaded dashboards") {
		t.Fatalf("%s %s: %v\n%s%s", bin, strings.Join(args, " "), err, out, errOut)
	}
	imported := importedObjects(t, kb.Imports())
	shipped, err := kibanacheck.LoadDir(filepath.Join(kibanaDir(t), "7"))
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range shipped {
		if _, ok := imported[o.Type+"/"+o.ID]; !ok {
			t.Errorf("setup --dashboards did not import %s %s from the installed files", o.Type, o.ID)
		}
	}
}
