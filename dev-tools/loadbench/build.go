package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// The chain's programs, as the chain module's tools.go imports them.
const (
	goflow2Pkg  = "github.com/netsampler/goflow2/v2/cmd/goflow2"
	filebeatPkg = "github.com/elastic/beats/v7/filebeat"
)

// chainBinaries are the chain's programs, built from the chain module.
type chainBinaries struct {
	goflow2, filebeat string
	label             string // their versions, for the report
}

// buildChain builds GoFlow2 and Filebeat from module into
// buildDir/chain-KEY, where KEY digests the module's files and the Go
// toolchain: later runs with the same content reuse the binaries. Builds
// of other contents are removed.
func buildChain(module, buildDir string) (chainBinaries, error) {
	key, err := moduleKey(module)
	if err != nil {
		return chainBinaries{}, err
	}
	dir, err := filepath.Abs(filepath.Join(buildDir, "chain-"+key))
	if err != nil {
		return chainBinaries{}, err
	}
	b := chainBinaries{goflow2: filepath.Join(dir, "goflow2"), filebeat: filepath.Join(dir, "filebeat")}
	if err := goBuild(module, goflow2Pkg, b.goflow2); err != nil {
		return b, err
	}
	if err := goBuild(module, filebeatPkg, b.filebeat); err != nil {
		return b, err
	}
	b.label, err = chainLabel(module, b.filebeat)
	if err != nil {
		return b, err
	}
	return b, removeOthers(filepath.Join(filepath.Dir(dir), "chain-*"), dir)
}

// removeOthers removes the paths that match pattern, but keep.
func removeOthers(pattern, keep string) error {
	old, err := filepath.Glob(pattern)
	if err != nil {
		return err
	}
	for _, p := range old {
		if p != keep {
			if err := os.RemoveAll(p); err != nil {
				return err
			}
		}
	}
	return nil
}

// moduleKey digests the module's go.mod, go.sum and tools.go and the Go
// toolchain's version and target.
func moduleKey(module string) (string, error) {
	h := sha256.New()
	for _, f := range []string{"go.mod", "go.sum", "tools.go"} {
		b, err := os.ReadFile(filepath.Join(module, f))
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s %d\n%s", f, len(b), b)
	}
	env, err := exec.Command("go", "env", "GOVERSION", "GOOS", "GOARCH").Output()
	if err != nil {
		return "", fmt.Errorf("go env: %w", err)
	}
	h.Write(env)
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// goBuild builds pkg of module to out, unless out exists.
func goBuild(module, pkg, out string) error {
	if _, err := os.Stat(out); err == nil {
		return nil
	}
	fmt.Fprintf(os.Stderr, "loadbench: building %s into %s (a first build of Filebeat takes minutes)\n", pkg, filepath.Dir(out))
	tmp := out + ".tmp"
	cmd := exec.Command("go", "build", "-o", tmp, pkg)
	cmd.Dir = module
	cmd.Env = append(os.Environ(), "GONOSUMDB=github.com/elastic")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build %s in %s: %w", pkg, module, err)
	}
	return os.Rename(tmp, out)
}

// chainLabel names the chain's versions: GoFlow2's from the module's
// go.mod, Filebeat's as the binary reports it.
func chainLabel(module, filebeat string) (string, error) {
	mod, err := os.ReadFile(filepath.Join(module, "go.mod"))
	if err != nil {
		return "", err
	}
	out, err := exec.Command(filebeat, "version").Output()
	if err != nil {
		return "", fmt.Errorf("filebeat version: %w", err)
	}
	fb := strings.Fields(string(out)) // filebeat version 9.3.0 (amd64), ...
	if len(fb) < 3 {
		return "", fmt.Errorf("filebeat version: unexpected %q", out)
	}
	return fmt.Sprintf("GoFlow2 %s -> file -> Filebeat %s", requiredVersion(mod, "github.com/netsampler/goflow2/v2"), fb[2]), nil
}

// requiredVersion returns the version of path that a go.mod requires.
func requiredVersion(gomod []byte, path string) string {
	sc := bufio.NewScanner(bytes.NewReader(gomod))
	for sc.Scan() {
		f := strings.Fields(strings.TrimPrefix(strings.TrimSpace(sc.Text()), "require "))
		if len(f) >= 2 && f[0] == path {
			return f[1]
		}
	}
	return "unknown"
}
