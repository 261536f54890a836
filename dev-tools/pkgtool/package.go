package main

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/goreleaser/nfpm/v2"
	_ "github.com/goreleaser/nfpm/v2/deb" // registers the deb packager
	_ "github.com/goreleaser/nfpm/v2/rpm" // registers the rpm packager
)

// tarArch names the architectures in tarball names as Elastic's Beats do.
var tarArch = map[string]string{"amd64": "x86_64", "arm64": "arm64"}

// dashboardDir is where the Kibana dashboards are, under _meta in the
// repository and under path.home in every artifact: `sflowbeat setup
// --dashboards` reads ${path.home}/kibana/7, for Kibana 7 and later.
const dashboardDir = "kibana/7/dashboard"

// packageCmd builds the tarball, deb and rpm of every -binary.
func packageCmd(args []string) error {
	fs := flag.NewFlagSet("package", flag.ContinueOnError)
	root := fs.String("root", "../..", "repository root")
	out := fs.String("out", "build/distributions", "output directory")
	version := fs.String("version", "", "version of the packages (required)")
	allowDynamic := fs.Bool("allow-dynamic", false, "accept dynamically linked binaries (tests only)")
	bins := binaries{}
	fs.Var(bins, "binary", "arch=path of a linux binary; repeat for each architecture")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *version == "" || len(bins) == 0 {
		return errors.New("package needs -version and at least one -binary")
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	// nfpm.yaml's paths are relative to the repository root.
	if err := absPaths(out, bins); err != nil {
		return err
	}
	if err := os.Chdir(*root); err != nil {
		return err
	}
	for _, arch := range sortedKeys(bins) {
		if err := checkBinary(bins[arch], arch, *allowDynamic); err != nil {
			return err
		}
		p := packager{root: ".", out: *out, version: *version, arch: arch, binary: bins[arch]}
		if err := p.all(); err != nil {
			return fmt.Errorf("%s: %w", arch, err)
		}
	}
	return nil
}

// packager builds the artifacts of one architecture.
type packager struct {
	root, out, version, arch, binary string
}

// all builds the tarball, the deb and the rpm.
func (p packager) all() error {
	if err := p.tarball(); err != nil {
		return err
	}
	for _, format := range []string{"deb", "rpm"} {
		if err := p.nfpm(format); err != nil {
			return fmt.Errorf("%s: %w", format, err)
		}
	}
	return nil
}

// tarEntry is a file of the tarball (its source and mode), or a folder
// when src is empty and name ends with a slash.
type tarEntry struct {
	name, src string
	mode      int64
}

// tarball writes sflowbeat-VERSION-linux-ARCH.tar.gz: the binary and its
// Elastic Agent spec, the configuration files, the Kibana dashboards, the
// README and the license notices in one top folder, laid out as a
// path.home (run it with ./sflowbeat -e).
func (p packager) tarball() error {
	top := fmt.Sprintf("sflowbeat-%s-linux-%s", p.version, tarArch[p.arch])
	entries := []tarEntry{
		{"data/", "", 0o755},
		{"logs/", "", 0o755},
		{"sflowbeat", p.binary, 0o755},
		{"sflowbeat.spec.yml", filepath.Join(p.root, "sflowbeat.spec.yml"), 0o644},
		{"sflowbeat.yml", filepath.Join(p.root, "sflowbeat.yml"), 0o600},
		{"sflowbeat.reference.yml", filepath.Join(p.root, "sflowbeat.reference.yml"), 0o644},
		{"README.md", filepath.Join(p.root, "README.md"), 0o644},
	}
	dash, err := p.dashboardEntries()
	if err != nil {
		return err
	}
	entries = append(entries, dash...)
	entries = append(entries, p.notices()...)
	path := filepath.Join(p.out, top+".tar.gz")
	if err := writeTarGz(path, top, entries); err != nil {
		return err
	}
	return writeChecksum(path)
}

// dashboardEntries returns the folders of kibana/7/dashboard and the
// dashboards in it.
func (p packager) dashboardEntries() ([]tarEntry, error) {
	files, err := dashboards(p.root)
	if err != nil {
		return nil, err
	}
	var out []tarEntry
	for i := range len(dashboardDir) {
		if dashboardDir[i] == '/' { // kibana/, kibana/7/
			out = append(out, tarEntry{dashboardDir[:i+1], "", 0o755})
		}
	}
	out = append(out, tarEntry{dashboardDir + "/", "", 0o755})
	for _, f := range files {
		out = append(out, tarEntry{dashboardDir + "/" + filepath.Base(f), f, 0o644})
	}
	return out, nil
}

// dashboards returns the dashboards of the repository at root; none is an
// error, as an artifact without them would be incomplete.
func dashboards(root string) ([]string, error) {
	pattern := filepath.Join(root, "_meta", filepath.FromSlash(dashboardDir), "*.json")
	files, err := filepath.Glob(pattern)
	if err == nil && len(files) == 0 {
		err = fmt.Errorf("no Kibana dashboards match %s", pattern)
	}
	return files, err
}

// notices returns LICENSE* and NOTICE* of the repository root, or the
// packaging NOTICE.txt when the root has no NOTICE.
func (p packager) notices() []tarEntry {
	var out []tarEntry
	for _, pattern := range []string{"LICENSE*", "NOTICE*"} {
		matches, _ := filepath.Glob(filepath.Join(p.root, pattern))
		for _, m := range matches {
			out = append(out, tarEntry{filepath.Base(m), m, 0o644})
		}
	}
	if matches, _ := filepath.Glob(filepath.Join(p.root, "NOTICE*")); len(matches) == 0 {
		out = append(out, tarEntry{"NOTICE.txt", filepath.Join(p.root, "_meta", "packaging", "NOTICE.txt"), 0o644})
	}
	return out
}

// writeTarGz writes entries under the folder top into a gzipped tarball,
// owned by root, with the time of $SOURCE_DATE_EPOCH or now.
func writeTarGz(path, top string, entries []tarEntry) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	mtime := buildTime()
	if err := addDir(tw, top+"/", 0o755, mtime); err != nil {
		return err
	}
	for _, e := range entries {
		if err := addEntry(tw, top+"/", e, mtime); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return gz.Close()
}

// addEntry adds e under the folder prefix: a folder, or a copy of a file.
func addEntry(tw *tar.Writer, prefix string, e tarEntry, mtime time.Time) error {
	if e.src == "" {
		return addDir(tw, prefix+e.name, e.mode, mtime)
	}
	return addFile(tw, prefix+e.name, e.src, e.mode, mtime)
}

// addDir adds the folder name, which ends with a slash.
func addDir(tw *tar.Writer, name string, mode int64, mtime time.Time) error {
	return tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: name, Mode: mode, ModTime: mtime, Format: tar.FormatPAX})
}

// addFile copies the file src into the tarball as name.
func addFile(tw *tar.Writer, name, src string, mode int64, mtime time.Time) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return err
	}
	hdr := &tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: mode, Size: st.Size(), ModTime: mtime, Format: tar.FormatPAX}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err = io.Copy(tw, in)
	return err
}

// nfpm builds the deb or rpm from _meta/packaging/nfpm.yaml; the working
// directory is the repository root.
func (p packager) nfpm(format string) (err error) {
	vars := map[string]string{"ARCH": p.arch, "VERSION": p.version, "BINARY": p.binary}
	cfg, err := nfpm.ParseFileWithEnvMapping(filepath.Join("_meta", "packaging", "nfpm.yaml"),
		func(k string) string { return vars[k] })
	if err != nil {
		return err
	}
	info, err := cfg.Get(format)
	if err != nil {
		return err
	}
	info = nfpm.WithDefaults(info)
	info.MTime = buildTime()
	pkgr, err := nfpm.Get(format)
	if err != nil {
		return err
	}
	path := filepath.Join(p.out, pkgr.ConventionalFileName(info))
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	if err := pkgr.Package(info, f); err != nil {
		return err
	}
	return writeChecksum(path)
}

// writeChecksum writes path.sha512 in the format of sha512sum, as Elastic
// publishes beside its artifacts.
func writeChecksum(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha512.New()
	if _, err := io.Copy(h, f); err != nil {
		return err
	}
	line := hex.EncodeToString(h.Sum(nil)) + "  " + filepath.Base(path) + "\n"
	fmt.Println("created", path)
	return os.WriteFile(path+".sha512", []byte(line), 0o644)
}

// buildTime is $SOURCE_DATE_EPOCH (reproducible builds) or now.
func buildTime() time.Time {
	var sec int64
	if _, err := fmt.Sscan(os.Getenv("SOURCE_DATE_EPOCH"), &sec); err == nil {
		return time.Unix(sec, 0).UTC()
	}
	return time.Now().UTC().Truncate(time.Second)
}

// absPaths makes the output directory and the binaries absolute.
func absPaths(out *string, bins binaries) error {
	var err error
	if *out, err = filepath.Abs(*out); err != nil {
		return err
	}
	for arch, path := range bins {
		if bins[arch], err = filepath.Abs(path); err != nil {
			return err
		}
	}
	return nil
}

// sortedKeys returns the keys of m in order.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
