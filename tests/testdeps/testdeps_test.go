package testdeps

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fakePath makes a directory holding an executable for each command, puts
// it alone on the PATH and returns it. Each executable appends a line to
// dir/log: its name, its arguments, DEBIAN_FRONTEND and its first line of
// standard input.
func fakePath(t *testing.T, commands ...string) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("PATH", dir)
	addCommands(t, dir, commands...)
	return dir
}

// addCommands writes the fake executables of fakePath into dir.
func addCommands(t *testing.T, dir string, commands ...string) {
	t.Helper()
	for _, c := range commands {
		script := "#!/bin/sh\nread -r line\necho \"${0##*/} $* DEBIAN_FRONTEND=$DEBIAN_FRONTEND stdin=$line\" >> " + filepath.Join(dir, "log") + "\n"
		if err := os.WriteFile(filepath.Join(dir, c), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

// TestMissing checks which packages are reported for which missing
// programs: each package once, in the order of Tools.
func TestMissing(t *testing.T) {
	fakePath(t, "buildah", "dpkg")
	if diff := cmp.Diff([]string{"tshark", "rpm", "dpkg"}, Missing()); diff != "" {
		t.Errorf("Missing() (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"dpkg", "rpm"}, Missing("dpkg-deb", "buildah", "rpm")); diff != "" {
		t.Errorf("Missing(dpkg-deb, buildah, rpm) (-want +got):\n%s", diff)
	}
	if got := Missing("buildah"); got != nil {
		t.Errorf("Missing(buildah) = %q with buildah on the PATH", got)
	}
}

// TestInstallCommand checks the command printed for the user: preseed
// only with tshark, sudo only when not root.
func TestInstallCommand(t *testing.T) {
	want := `sudo sh -c "echo 'wireshark-common wireshark-common/install-setuid boolean false' | debconf-set-selections && ` +
		`apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y tshark buildah rpm"`
	if got := installCommand([]string{"tshark", "buildah", "rpm"}, false); got != want {
		t.Errorf("not root:\n got %s\nwant %s", got, want)
	}
	want = "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y rpm"
	if got := installCommand([]string{"rpm"}, true); got != want {
		t.Errorf("root:\n got %s\nwant %s", got, want)
	}
}

// TestInstallRunsTheCommand runs the installation against fake
// debconf-set-selections and apt-get and checks that they ran as the
// printed command says, in its order.
func TestInstallRunsTheCommand(t *testing.T) {
	dir := fakePath(t, "debconf-set-selections", "apt-get")
	t.Setenv("DEBIAN_FRONTEND", "") // only apt-get install gets it
	if err := install([]string{"tshark", "rpm"}); err != nil {
		t.Fatal(err)
	}
	log, err := os.ReadFile(filepath.Join(dir, "log"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"debconf-set-selections  DEBIAN_FRONTEND= stdin=" + tsharkPreseed,
		"apt-get update DEBIAN_FRONTEND= stdin=",
		"apt-get install -y tshark rpm DEBIAN_FRONTEND=noninteractive stdin=",
	}
	if diff := cmp.Diff(want, strings.Split(strings.TrimSpace(string(log)), "\n")); diff != "" {
		t.Errorf("commands run (-want +got):\n%s", diff)
	}
}

// TestEnsure checks what the mage Test target does first: nothing when
// every tool is there; otherwise stop with the command to run when not
// root, or install as root and check that the tools are there now.
func TestEnsure(t *testing.T) {
	var all []string
	for _, tool := range Tools {
		all = append(all, tool.Command)
	}
	var installed [][]string
	recordInstall := func(pkgs []string) error {
		installed = append(installed, pkgs)
		return nil
	}

	fakePath(t, all...)
	if err := ensure(false, recordInstall); err != nil || installed != nil {
		t.Errorf("every tool present: err %v, installed %q", err, installed)
	}

	fakePath(t, "dpkg", "dpkg-deb", "apt-get")
	err := ensure(false, recordInstall)
	if err == nil || !strings.Contains(err.Error(), installCommand([]string{"tshark", "buildah", "rpm"}, false)) || installed != nil {
		t.Errorf("not root: err %v, installed %q; want the install command and nothing installed", err, installed)
	}

	if err := ensure(true, recordInstall); err == nil || !strings.Contains(err.Error(), "still lacks") {
		t.Errorf("root, install that installs nothing: err %v, want an error", err)
	}

	dir := fakePath(t, "dpkg", "dpkg-deb", "apt-get")
	installed = nil
	err = ensure(true, func(pkgs []string) error {
		installed = append(installed, pkgs)
		addCommands(t, dir, pkgs...)
		return nil
	})
	if err != nil || !slices.Equal(installed[0], []string{"tshark", "buildah", "rpm"}) || len(installed) != 1 {
		t.Errorf("root: err %v, installed %q; want tshark, buildah, rpm installed once", err, installed)
	}

	fakePath(t)
	if err := ensure(true, recordInstall); err == nil || !strings.Contains(err.Error(), "no apt-get") {
		t.Errorf("root without apt-get: err %v", err)
	}
}
