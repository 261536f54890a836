package tests

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// packageFiles returns the files and folders of the deb and the rpm,
// sorted, without the parent folders outside path.home (/usr, /etc, ...):
// the package owns the folders of path.home, so that rpm -e removes them.
// Every dashboard of the repository is in path.home's kibana/7/dashboard.
func packageFiles(t *testing.T) []fileEntry {
	t.Helper()
	files := []fileEntry{
		{"/etc/sflowbeat/sflowbeat.reference.yml", "-rw-r--r--", "root/root"},
		{"/etc/sflowbeat/sflowbeat.yml", "-rw-r-----", "root/root"},
		{"/usr/bin/sflowbeat", "-rwxr-xr-x", "root/root"},
		{"/usr/lib/systemd/system/sflowbeat.service", "-rw-r--r--", "root/root"},
		{"/usr/share/sflowbeat", "drwxr-xr-x", "root/root"},
		{"/usr/share/sflowbeat/NOTICE.txt", "-rw-r--r--", "root/root"},
		{"/usr/share/sflowbeat/README.md", "-rw-r--r--", "root/root"},
		{"/usr/share/sflowbeat/bin", "drwxr-xr-x", "root/root"},
		{"/usr/share/sflowbeat/bin/sflowbeat", "-rwxr-xr-x", "root/root"},
		{"/usr/share/sflowbeat/bin/sflowbeat.spec.yml", "-rw-r--r--", "root/root"},
		{"/usr/share/sflowbeat/kibana", "drwxr-xr-x", "root/root"},
		{"/usr/share/sflowbeat/kibana/7", "drwxr-xr-x", "root/root"},
		{"/usr/share/sflowbeat/kibana/7/dashboard", "drwxr-xr-x", "root/root"},
		{"/var/lib/sflowbeat", "drwxr-x---", "root/root"},
		{"/var/log/sflowbeat", "drwxr-x---", "root/root"},
	}
	for _, f := range shippedDashboards(t) {
		files = append(files, fileEntry{"/usr/share/sflowbeat/kibana/7/dashboard/" + filepath.Base(f), "-rw-r--r--", "root/root"})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files
}

// The paths the systemd unit and the /usr/bin/sflowbeat wrapper give the beat.
var packagePaths = []string{
	"--path.home /usr/share/sflowbeat",
	"--path.config /etc/sflowbeat",
	"--path.data /var/lib/sflowbeat",
	"--path.logs /var/log/sflowbeat",
}

// builtPackages are the artifacts of one pkgtool package run.
type builtPackages struct {
	version string
	files   map[string]string // "deb-amd64", "rpm-arm64", "tar-amd64", ... -> path
}

// buildPackages runs pkgtool package on the e2e binary (amd64) and on a
// small static arm64 program standing in for the arm64 binary:
// cross-compiling sflowbeat takes minutes, and `mage package` does it.
func buildPackages(t *testing.T, bins pkgBins, arm64, version string) builtPackages {
	t.Helper()
	dist := filepath.Join(t.TempDir(), "dist")
	pkgRun(t, nil, bins.pkgtool, "package", "-root", "..", "-out", dist, "-version", version,
		"-allow-dynamic", "-binary", "amd64="+binary, "-binary", "arm64="+arm64)
	v := version
	p := builtPackages{version: v, files: map[string]string{
		"tar-amd64": "sflowbeat-" + v + "-linux-x86_64.tar.gz",
		"tar-arm64": "sflowbeat-" + v + "-linux-arm64.tar.gz",
		"deb-amd64": "sflowbeat_" + v + "-1_amd64.deb",
		"deb-arm64": "sflowbeat_" + v + "-1_arm64.deb",
		"rpm-amd64": "sflowbeat-" + v + "-1.x86_64.rpm",
		"rpm-arm64": "sflowbeat-" + v + "-1.aarch64.rpm",
	}}
	for k, name := range p.files {
		p.files[k] = filepath.Join(dist, name)
		for _, f := range []string{p.files[k], p.files[k] + ".sha512"} {
			if _, err := os.Stat(f); err != nil {
				t.Errorf("pkgtool package did not create %s: %v", filepath.Base(f), err)
			}
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	return p
}

// TestPackages builds the tarballs, debs and rpms and checks their contents,
// then installs the deb into a scratch root with dpkg (maintainer scripts
// included), upgrades and purges it, and installs the rpm with rpm. Full
// tier: it needs dpkg and rpm.
func TestPackages(t *testing.T) {
	needTools(t, "dpkg-deb", "dpkg", "rpm")
	if runtime.GOARCH != "amd64" {
		t.Fatalf("the packaging tests package the e2e binary as amd64; this machine is %s", runtime.GOARCH)
	}
	dir := t.TempDir()
	bins := buildPkgBins(t, dir, "amd64")
	arm64 := buildPkgBins(t, dir, "arm64").healthcheck
	pkgs := buildPackages(t, bins, arm64, beatVersion(t))

	t.Run("tarball", func(t *testing.T) { checkTarball(t, pkgs) })
	t.Run("deb contents", func(t *testing.T) { checkDebContents(t, pkgs) })
	t.Run("rpm contents", func(t *testing.T) { checkRPMContents(t, pkgs) })
	t.Run("arm64", func(t *testing.T) { checkArm64(t, pkgs, bins) })
	t.Run("deb install upgrade purge", func(t *testing.T) { checkDebLifecycle(t, pkgs, bins, arm64) })
	t.Run("rpm install", func(t *testing.T) { checkRPMInstall(t, pkgs) })
}

// checkTarball checks the amd64 tarball: one top folder laid out as a
// path.home, the e2e binary and the Agent spec in it, the dashboards in
// kibana/7/dashboard, a config that libbeat accepts.
func checkTarball(t *testing.T, pkgs builtPackages) {
	top := "sflowbeat-" + pkgs.version + "-linux-x86_64/"
	got := tarEntries(t, pkgs.files["tar-amd64"])
	want := []fileEntry{
		{top, "drwxr-xr-x", "0/0"},
		{top + "NOTICE.txt", "-rw-r--r--", "0/0"},
		{top + "README.md", "-rw-r--r--", "0/0"},
		{top + "data/", "drwxr-xr-x", "0/0"},
		{top + "kibana/", "drwxr-xr-x", "0/0"},
		{top + "kibana/7/", "drwxr-xr-x", "0/0"},
		{top + "kibana/7/dashboard/", "drwxr-xr-x", "0/0"},
		{top + "logs/", "drwxr-xr-x", "0/0"},
		{top + "sflowbeat", "-rwxr-xr-x", "0/0"},
		{top + "sflowbeat.reference.yml", "-rw-r--r--", "0/0"},
		{top + "sflowbeat.spec.yml", "-rw-r--r--", "0/0"},
		{top + "sflowbeat.yml", "-rw-------", "0/0"},
	}
	for _, f := range shippedDashboards(t) {
		want = append(want, fileEntry{top + "kibana/7/dashboard/" + filepath.Base(f), "-rw-r--r--", "0/0"})
	}
	sort.Slice(want, func(i, j int) bool { return want[i].Path < want[j].Path })
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tarball entries (-want +got):\n%s", diff)
	}
	dir := t.TempDir()
	pkgRun(t, nil, "tar", "-xzf", pkgs.files["tar-amd64"], "-C", dir)
	home := filepath.Join(dir, top)
	sameFile(t, binary, filepath.Join(home, "sflowbeat"))
	checkHomeExtras(t, home, home)
	out := pkgRun(t, nil, filepath.Join(home, "sflowbeat"), "test", "config", "--path.home", home)
	if !strings.Contains(out, "Config OK") {
		t.Errorf("test config of the tarball's sflowbeat.yml: %q", out)
	}
	checkSetupDashboards(t, filepath.Join(home, "sflowbeat"), "--path.home", home)
}

// tarEntries lists a gzipped tarball: name, mode, uid/gid.
func tarEntries(t *testing.T, path string) []fileEntry {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	var out []fileEntry
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, fileEntry{h.Name, h.FileInfo().Mode().String(), fmt.Sprintf("%d/%d", h.Uid, h.Gid)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// checkDebContents checks the deb's files, modes, owners, conffiles,
// control fields and maintainer scripts, and the unit it ships.
func checkDebContents(t *testing.T, pkgs builtPackages) {
	deb := pkgs.files["deb-amd64"]
	if diff := cmp.Diff(packageFiles(t), debEntries(t, deb)); diff != "" {
		t.Errorf("deb files (-want +got):\n%s", diff)
	}
	fields := pkgRun(t, nil, "dpkg-deb", "--showformat", "${Package} ${Version} ${Architecture}", "--show", deb)
	if want := "sflowbeat " + pkgs.version + "-1 amd64"; fields != want {
		t.Errorf("deb package, version, architecture = %q, want %q", fields, want)
	}
	ctrl := t.TempDir()
	pkgRun(t, nil, "dpkg-deb", "--control", deb, ctrl)
	conffiles, err := os.ReadFile(filepath.Join(ctrl, "conffiles"))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(string(conffiles)); got != "/etc/sflowbeat/sflowbeat.yml" {
		t.Errorf("deb conffiles = %q, want only /etc/sflowbeat/sflowbeat.yml", got)
	}
	for _, script := range []string{"postinst", "prerm", "postrm"} {
		st, err := os.Stat(filepath.Join(ctrl, script))
		if err != nil || st.Mode().Perm()&0o111 == 0 {
			t.Errorf("deb has no executable %s: %v", script, err)
		}
	}
	files := t.TempDir()
	pkgRun(t, nil, "dpkg-deb", "-x", deb, files)
	checkUnit(t, filepath.Join(files, "usr/lib/systemd/system/sflowbeat.service"))
	checkWrapper(t, filepath.Join(files, "usr/bin/sflowbeat"))
	sameFile(t, binary, filepath.Join(files, "usr/share/sflowbeat/bin/sflowbeat"))
	sameFile(t, "../sflowbeat.yml", filepath.Join(files, "etc/sflowbeat/sflowbeat.yml"))
	checkHomeExtras(t, filepath.Join(files, "usr/share/sflowbeat"), filepath.Join(files, "usr/share/sflowbeat/bin"))
}

// debEntries lists a deb with dpkg-deb -c, without the parent folders
// outside path.home.
func debEntries(t *testing.T, deb string) []fileEntry {
	t.Helper()
	var out []fileEntry
	sc := bufio.NewScanner(strings.NewReader(pkgRun(t, nil, "dpkg-deb", "-c", deb)))
	for sc.Scan() {
		f := strings.Fields(sc.Text()) // mode owner size date time path
		if len(f) < 6 {
			t.Fatalf("dpkg-deb -c line %q", sc.Text())
		}
		path := strings.TrimSuffix(strings.TrimPrefix(f[5], "."), "/")
		if f[0] == "drwxr-xr-x" && !strings.HasPrefix(path, "/usr/share/sflowbeat") {
			continue // /etc, /usr/share, ...: created by the package, not the point
		}
		out = append(out, fileEntry{path, f[0], f[1]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// checkUnit checks the systemd unit's settings that matter.
func checkUnit(t *testing.T, path string) {
	t.Helper()
	unit := readUnit(t, path)
	want := map[string]string{
		"User":                    "sflowbeat",
		"Group":                   "sflowbeat",
		"Restart":                 "on-failure",
		"CapabilityBoundingSet":   "",
		"AmbientCapabilities":     "",
		"NoNewPrivileges":         "yes",
		"LimitNOFILE":             "65536",
		"StateDirectory":          "sflowbeat",
		"LogsDirectory":           "sflowbeat",
		"ProtectSystem":           "strict",
		"RestrictAddressFamilies": "AF_UNIX AF_INET AF_INET6 AF_NETLINK",
		"WantedBy":                "multi-user.target",
	}
	for k, v := range want {
		got, ok := unit[k]
		if !ok || got != v {
			t.Errorf("unit %s = %q (set: %v), want %q", k, got, ok, v)
		}
	}
	exec := unit["ExecStart"]
	if !strings.HasPrefix(exec, "/usr/share/sflowbeat/bin/sflowbeat --environment systemd ") {
		t.Errorf("ExecStart = %q, want the packaged binary with --environment systemd", exec)
	}
	for _, p := range append(packagePaths, "-c /etc/sflowbeat/sflowbeat.yml") {
		if !strings.Contains(exec, p) {
			t.Errorf("ExecStart = %q, want %q in it", exec, p)
		}
	}
}

// readUnit reads the Key=value lines of a unit file (the last one wins).
func readUnit(t *testing.T, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	unit := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' || line[0] == '[' {
			continue
		}
		if k, v, ok := strings.Cut(line, "="); ok {
			unit[k] = v
		}
	}
	return unit
}

// checkWrapper checks that /usr/bin/sflowbeat runs the packaged binary with
// the same paths as the unit.
func checkWrapper(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Join(strings.Fields(strings.ReplaceAll(string(data), "\\\n", " ")), " ")
	want := "exec /usr/share/sflowbeat/bin/sflowbeat " + strings.Join(packagePaths, " ") + ` "$@"`
	if !strings.HasPrefix(s, "#!/bin/sh") || !strings.Contains(s, want) {
		t.Errorf("/usr/bin/sflowbeat:\n%s\nwant a /bin/sh script with %q", data, want)
	}
}

// checkRPMContents checks the rpm's files, modes, owners and config flags
// (read by rpm itself), its architecture and its scriptlets.
func checkRPMContents(t *testing.T, pkgs builtPackages) {
	rpm := pkgs.files["rpm-amd64"]
	out := pkgRun(t, nil, "rpm", "-qp", "--qf", `[%{FILEMODES:perms} %{FILEUSERNAME}/%{FILEGROUPNAME} %{FILENAMES} flags=%{FILEFLAGS:fflags}\n]`, rpm)
	var got []fileEntry
	flags := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.Fields(line)
		got = append(got, fileEntry{f[2], f[0], f[1]})
		flags[f[2]] = strings.TrimPrefix(f[3], "flags=")
	}
	sort.Slice(got, func(i, j int) bool { return got[i].Path < got[j].Path })
	if diff := cmp.Diff(packageFiles(t), got); diff != "" {
		t.Errorf("rpm files (-want +got):\n%s", diff)
	}
	for path, f := range flags {
		want := ""
		if path == "/etc/sflowbeat/sflowbeat.yml" {
			want = "cn" // %config(noreplace)
		}
		if f != want {
			t.Errorf("rpm flags of %s = %q, want %q", path, f, want)
		}
	}
	info := pkgRun(t, nil, "rpm", "-qp", "--qf", "%{NAME} %{VERSION} %{RELEASE} %{ARCH}", rpm)
	if want := "sflowbeat " + pkgs.version + " 1 x86_64"; info != want {
		t.Errorf("rpm name, version, release, arch = %q, want %q", info, want)
	}
	scripts := pkgRun(t, nil, "rpm", "-qp", "--scripts", rpm)
	for _, s := range []string{"postinstall scriptlet", "preuninstall scriptlet", "postuninstall scriptlet", "useradd"} {
		if !strings.Contains(scripts, s) {
			t.Errorf("rpm scripts have no %q:\n%s", s, scripts)
		}
	}
}

// checkArm64 checks that the arm64 artifacts carry the arm64 binary and
// say arm64, and that pkgtool refuses a binary of the wrong architecture.
func checkArm64(t *testing.T, pkgs builtPackages, bins pkgBins) {
	if got := pkgRun(t, nil, "dpkg-deb", "--showformat", "${Architecture}", "--show", pkgs.files["deb-arm64"]); got != "arm64" {
		t.Errorf("arm64 deb architecture = %q", got)
	}
	if got := pkgRun(t, nil, "rpm", "-qp", "--qf", "%{ARCH}", pkgs.files["rpm-arm64"]); got != "aarch64" {
		t.Errorf("arm64 rpm architecture = %q", got)
	}
	files := t.TempDir()
	pkgRun(t, nil, "dpkg-deb", "-x", pkgs.files["deb-arm64"], files)
	if m, _ := elfInfo(t, filepath.Join(files, "usr/share/sflowbeat/bin/sflowbeat")); m != elf.EM_AARCH64 {
		t.Errorf("the arm64 deb's binary is for %v", m)
	}
	_, errOut, err := pkgTry(nil, bins.pkgtool, "package", "-root", "..", "-out", t.TempDir(), "-version", "1.0.0",
		"-allow-dynamic", "-binary", "arm64="+binary)
	if err == nil || !strings.Contains(errOut, "not arm64") {
		t.Errorf("pkgtool packaged an amd64 binary as arm64: err %v, stderr %q", err, errOut)
	}
	_, errOut, err = pkgTry(nil, bins.pkgtool, "package", "-root", "..", "-out", t.TempDir(), "-version", "1.0.0",
		"-binary", "amd64="+binary)
	if _, dynamic := elfInfo(t, binary); dynamic &&
		(err == nil || !strings.Contains(errOut, "CGO_ENABLED=0")) {
		t.Errorf("pkgtool packaged a dynamically linked binary without -allow-dynamic: err %v, stderr %q", err, errOut)
	}
}

// sameFile fails unless the files at a and b have the same bytes (compared
// by size and a full read: the binary is large but a read is fast).
func sameFile(t *testing.T, a, b string) {
	t.Helper()
	da, err := os.ReadFile(a)
	if err != nil {
		t.Fatal(err)
	}
	db, err := os.ReadFile(b)
	if err != nil {
		t.Fatal(err)
	}
	if string(da) != string(db) {
		t.Errorf("%s differs from %s", b, a)
	}
}

// scratchRoot makes an empty root that dpkg --root and useradd --prefix
// accept: a dpkg database and root's entries in passwd, group, shadow.
func scratchRoot(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	files := map[string]string{
		"var/lib/dpkg/status": "",
		"etc/passwd":          "root:x:0:0:root:/root:/bin/sh\n",
		"etc/group":           "root:x:0:\n",
		"etc/shadow":          "root:*::0:99999:7:::\n",
		"etc/gshadow":         "root:*::\n",
	}
	for _, d := range []string{"var/lib/dpkg/info", "var/lib/dpkg/updates", "etc"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(root, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// dpkg runs dpkg on root, with the maintainer scripts run outside a chroot
// (they honor $DPKG_ROOT, which dpkg sets).
func dpkg(t *testing.T, root string, args ...string) string {
	t.Helper()
	return pkgRun(t, nil, "dpkg", append([]string{"--root=" + root, "--force-script-chrootless", "--log=/dev/null"}, args...)...)
}

// checkDebLifecycle installs the deb into a scratch root, runs the
// installed binary (setup --dashboards included), upgrades to a newer
// version over a changed config, removes and purges the package.
func checkDebLifecycle(t *testing.T, pkgs builtPackages, bins pkgBins, arm64 string) {
	root := scratchRoot(t)
	dpkg(t, root, "-i", pkgs.files["deb-amd64"])
	if st := dpkg(t, root, "-s", "sflowbeat"); !strings.Contains(st, "Status: install ok installed") ||
		!strings.Contains(st, "Version: "+pkgs.version+"-1") || !strings.Contains(st, "Conffiles:\n /etc/sflowbeat/sflowbeat.yml ") {
		t.Errorf("dpkg -s sflowbeat after install:\n%s", st)
	}
	uid, gid := checkServiceUser(t, root)
	checkOwner(t, root, "var/lib/sflowbeat", uid, gid, 0o750)
	checkOwner(t, root, "var/log/sflowbeat", uid, gid, 0o750)
	checkOwner(t, root, "etc/sflowbeat/sflowbeat.yml", 0, gid, 0o640)

	installed := filepath.Join(root, "usr/share/sflowbeat/bin/sflowbeat")
	if out := pkgRun(t, nil, installed, "version"); !strings.HasPrefix(out, "sflowbeat version "+pkgs.version) {
		t.Errorf("installed sflowbeat version: %q", out)
	}
	tmp := t.TempDir()
	out := pkgRun(t, nil, installed, "test", "config", "--path.home", filepath.Join(root, "usr/share/sflowbeat"),
		"--path.config", filepath.Join(root, "etc/sflowbeat"), "--path.data", tmp, "--path.logs", tmp)
	if !strings.Contains(out, "Config OK") {
		t.Errorf("test config of the installed /etc/sflowbeat/sflowbeat.yml: %q", out)
	}
	home := filepath.Join(root, "usr/share/sflowbeat")
	checkHomeExtras(t, home, filepath.Join(home, "bin"))
	checkSetupDashboards(t, installed, "--path.home", home, "--path.config", filepath.Join(root, "etc/sflowbeat"),
		"--path.data", tmp, "--path.logs", tmp)

	// Upgrade over a locally changed config: the change is kept, the user
	// is not created twice.
	conf := filepath.Join(root, "etc/sflowbeat/sflowbeat.yml")
	appendFile(t, conf, "# local change\n")
	newer := buildPackages(t, bins, arm64, pkgs.version+".1")
	dpkg(t, root, "-i", newer.files["deb-amd64"])
	if st := dpkg(t, root, "-s", "sflowbeat"); !strings.Contains(st, "Version: "+newer.version+"-1") {
		t.Errorf("dpkg -s sflowbeat after upgrade:\n%s", st)
	}
	if data, _ := os.ReadFile(conf); !strings.HasSuffix(string(data), "# local change\n") {
		t.Errorf("the upgrade replaced the changed %s", conf)
	}
	if passwd, _ := os.ReadFile(filepath.Join(root, "etc/passwd")); strings.Count(string(passwd), "\nsflowbeat:") != 1 {
		t.Errorf("passwd after upgrade:\n%s", passwd)
	}

	dpkg(t, root, "-r", "sflowbeat")
	if _, err := os.Stat(home); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("/usr/share/sflowbeat is still there after dpkg -r: %v", err)
	}
	if _, err := os.Stat(conf); err != nil {
		t.Errorf("dpkg -r removed the config: %v", err)
	}
	dpkg(t, root, "-P", "sflowbeat")
	for _, p := range []string{conf, "var/lib/sflowbeat", "var/log/sflowbeat"} {
		if !filepath.IsAbs(p) {
			p = filepath.Join(root, p)
		}
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s is still there after dpkg -P: %v", p, err)
		}
	}
}

// checkServiceUser checks the system user that postinst created in root and
// returns its uid and gid.
func checkServiceUser(t *testing.T, root string) (int, int) {
	t.Helper()
	passwd, err := os.ReadFile(filepath.Join(root, "etc/passwd"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(passwd), "\n") {
		f := strings.Split(line, ":")
		if len(f) != 7 || f[0] != "sflowbeat" {
			continue
		}
		uid, _ := strconv.Atoi(f[2])
		gid, _ := strconv.Atoi(f[3])
		if uid == 0 || uid >= 1000 || f[5] != "/var/lib/sflowbeat" || !strings.HasSuffix(f[6], "nologin") && f[6] != "/bin/false" {
			t.Errorf("postinst created %q, want a system user (uid < 1000) without a login shell", line)
		}
		return uid, gid
	}
	t.Fatalf("postinst created no sflowbeat user in %s/etc/passwd:\n%s", root, passwd)
	return 0, 0
}

// checkOwner checks the owner and mode of root/path.
func checkOwner(t *testing.T, root, path string, uid, gid int, mode os.FileMode) {
	t.Helper()
	st, err := os.Stat(filepath.Join(root, path))
	if err != nil {
		t.Fatal(err)
	}
	sys := st.Sys().(*syscall.Stat_t)
	if int(sys.Uid) != uid || int(sys.Gid) != gid || st.Mode().Perm() != mode {
		t.Errorf("/%s is %d:%d %v, want %d:%d %v", path, sys.Uid, sys.Gid, st.Mode().Perm(), uid, gid, mode)
	}
}

// appendFile appends s to the file at path.
func appendFile(t *testing.T, path, s string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
}

// checkRPMInstall installs the rpm into a scratch root with rpm (without
// scriptlets, which need a shell in the root; the deb runs the same
// scripts), verifies it, runs the installed binary and erases it.
func checkRPMInstall(t *testing.T, pkgs builtPackages) {
	root := t.TempDir()
	pkgRun(t, nil, "rpm", "--root", root, "--initdb")
	pkgRun(t, nil, "rpm", "--root", root, "-i", "--nodeps", "--noscripts", pkgs.files["rpm-amd64"])
	pkgRun(t, nil, "rpm", "--root", root, "-V", "sflowbeat") // digests, sizes, modes, owners
	if got := strings.TrimSpace(pkgRun(t, nil, "rpm", "--root", root, "-qc", "sflowbeat")); got != "/etc/sflowbeat/sflowbeat.yml" {
		t.Errorf("rpm -qc = %q", got)
	}
	home := filepath.Join(root, "usr/share/sflowbeat")
	out := pkgRun(t, nil, filepath.Join(home, "bin/sflowbeat"), "version")
	if !strings.HasPrefix(out, "sflowbeat version "+pkgs.version) {
		t.Errorf("installed sflowbeat version: %q", out)
	}
	checkHomeExtras(t, home, filepath.Join(home, "bin"))
	pkgRun(t, nil, "rpm", "--root", root, "-e", "--nodeps", "--noscripts", "sflowbeat")
	if _, err := os.Stat(home); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("/usr/share/sflowbeat is still there after rpm -e: %v", err)
	}
}
