// Package testdeps is the one list of the programs beyond Go that the full
// test run executes, with the Debian packages that have them. The
// magefile's Test target calls Ensure before building anything: as root it
// installs what is missing, otherwise it stops with the command to run. The
// end-to-end tests that run one of the programs fail with the same command
// when it is missing.
//
// It uses only the standard library, since the magefile imports it.
package testdeps

import (
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
)

// FullTestCommand runs every test: vet, the fast and the full tier, and a
// short fuzzing run. It is the README's test command and what CI runs.
const FullTestCommand = "go run github.com/magefile/mage@v1.17.2 test"

// Tool is a program the full test run executes.
type Tool struct {
	Command string // looked up on the PATH
	Package string // the Debian package that has it
	Use     string // what the tests do with it
}

// Tools are the programs beyond Go that the full test run executes.
var Tools = []Tool{
	{"tshark", "tshark", "the independent sFlow decoder TestTsharkAgrees compares the decoder with"},
	{"buildah", "buildah", "builds the container image (TestImage)"},
	{"rpm", "rpm", "reads and installs the rpm packages (TestPackages)"},
	{"dpkg-deb", "dpkg", "reads the deb packages (TestPackages); part of every Debian"},
	{"dpkg", "dpkg", "installs, upgrades and purges the deb (TestPackages); part of every Debian"},
}

// tsharkPreseed answers the question the tshark package asks on install,
// so that apt-get needs no terminal: dumpcap is not made setuid.
const tsharkPreseed = "wireshark-common wireshark-common/install-setuid boolean false"

// Missing returns the Debian packages of the given commands (every tool
// when none is given) that are not on the PATH, each once, in the order of
// Tools. A command that is not one of Tools is its own package.
func Missing(commands ...string) []string {
	if len(commands) == 0 {
		for _, t := range Tools {
			commands = append(commands, t.Command)
		}
	}
	var pkgs []string
	for _, c := range commands {
		if _, err := exec.LookPath(c); err == nil {
			continue
		}
		if p := packageOf(c); !slices.Contains(pkgs, p) {
			pkgs = append(pkgs, p)
		}
	}
	return pkgs
}

// packageOf returns the Debian package of command.
func packageOf(command string) string {
	for _, t := range Tools {
		if t.Command == command {
			return t.Package
		}
	}
	return command
}

// step is one command of the installation.
type step struct {
	stdin string   // written to the command's standard input
	env   []string // added to the environment
	args  []string
}

// String returns step as a shell command.
func (s step) String() string {
	cmd := strings.Join(append(slices.Clone(s.env), s.args...), " ")
	if s.stdin != "" {
		return "echo '" + s.stdin + "' | " + cmd
	}
	return cmd
}

// installSteps returns the commands that install pkgs on Debian, without a
// question: the tshark preseed when tshark is among them, apt-get update,
// apt-get install.
func installSteps(pkgs []string) []step {
	var steps []step
	if slices.Contains(pkgs, "tshark") {
		steps = append(steps, step{stdin: tsharkPreseed, args: []string{"debconf-set-selections"}})
	}
	install := append([]string{"apt-get", "install", "-y"}, pkgs...)
	return append(steps, step{args: []string{"apt-get", "update"}},
		step{env: []string{"DEBIAN_FRONTEND=noninteractive"}, args: install})
}

// InstallCommand returns the shell command that installs pkgs on Debian,
// for the user to run: through sudo unless the process is root.
func InstallCommand(pkgs []string) string {
	return installCommand(pkgs, os.Geteuid() == 0)
}

// installCommand is InstallCommand for a root or a non-root user.
func installCommand(pkgs []string, root bool) string {
	var cmds []string
	for _, s := range installSteps(pkgs) {
		cmds = append(cmds, s.String())
	}
	line := strings.Join(cmds, " && ")
	if root {
		return line
	}
	return `sudo sh -c "` + line + `"`
}

// Ensure makes sure every tool is on the PATH. When some are missing it
// installs their packages with apt-get if the process is root, and
// otherwise returns at once an error with the command to run.
func Ensure() error {
	return ensure(os.Geteuid() == 0, install)
}

// ensure is Ensure with the user's rights and the installer as arguments.
func ensure(root bool, install func([]string) error) error {
	missing := Missing()
	if len(missing) == 0 {
		return nil
	}
	if !root {
		return fmt.Errorf("the tests need the Debian packages %s; install them with\n\n    %s\n\nand run %s again",
			strings.Join(missing, ", "), installCommand(missing, false), FullTestCommand)
	}
	if _, err := exec.LookPath("apt-get"); err != nil {
		return fmt.Errorf("the tests need the Debian packages %s and there is no apt-get: install them with the system's package manager",
			strings.Join(missing, ", "))
	}
	if err := install(missing); err != nil {
		return fmt.Errorf("installing %s: %w", strings.Join(missing, ", "), err)
	}
	if still := Missing(); len(still) > 0 {
		return fmt.Errorf("apt-get installed %s, but the PATH still lacks the programs of %s",
			strings.Join(missing, ", "), strings.Join(still, ", "))
	}
	return nil
}

// install runs the installation steps of pkgs, printing each.
func install(pkgs []string) error {
	for _, s := range installSteps(pkgs) {
		fmt.Println(">", s)
		cmd := exec.Command(s.args[0], s.args[1:]...)
		cmd.Env = append(os.Environ(), s.env...)
		if s.stdin != "" {
			cmd.Stdin = strings.NewReader(s.stdin + "\n")
		}
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	return nil
}
