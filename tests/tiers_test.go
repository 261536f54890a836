package tests

import (
	"strings"
	"testing"

	"github.com/sflowbeat/sflowbeat/tests/testdeps"
)

// The tests run in two tiers. The fast tier, `go test -short ./...`, needs
// only Go and takes a few minutes. The full tier, testdeps.FullTestCommand
// (what CI runs), runs every test: also those that run tshark, buildah, rpm
// or dpkg, and the slow end-to-end tests.

// fullTier skips t in the fast tier; why says what keeps it out.
func fullTier(t *testing.T, why string) {
	t.Helper()
	if testing.Short() {
		t.Skipf("full tier only (%s): `%s` runs it, `go test -short` does not", why, testdeps.FullTestCommand)
	}
}

// needTools puts t in the full tier and fails it, with the command that
// installs them, when some of the commands are not on the PATH: the full
// tier never skips a test for a missing program.
func needTools(t *testing.T, commands ...string) {
	t.Helper()
	fullTier(t, "runs "+strings.Join(commands, ", "))
	if pkgs := testdeps.Missing(commands...); len(pkgs) > 0 {
		t.Fatalf("this test runs %s; missing Debian packages: %s. Install them with\n\n    %s\n\n(`%s`, run as root, installs them itself)",
			strings.Join(commands, ", "), strings.Join(pkgs, ", "), testdeps.InstallCommand(pkgs), testdeps.FullTestCommand)
	}
}
