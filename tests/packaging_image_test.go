package tests

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"

	"github.com/sflowbeat/sflowbeat/tests/esmock"
)

// imageConfig is the part of an image's Docker configuration that
// `docker run` relies on.
type imageConfig struct {
	User         string
	Entrypoint   []string
	Cmd          []string
	Env          []string
	WorkingDir   string
	ExposedPorts map[string]struct{}
	Volumes      map[string]struct{}
	Healthcheck  struct {
		Test                           []string
		Interval, Timeout, StartPeriod time.Duration
		Retries                        int
	}
	Labels map[string]string
}

// buildah runs buildah on a storage of the test's own, with the vfs driver.
type buildah struct {
	t          *testing.T
	root, run_ string
}

func (b buildah) do(args ...string) string {
	b.t.Helper()
	return pkgRun(b.t, nil, "buildah", append([]string{"--storage-driver", "vfs", "--root", b.root, "--runroot", b.run_}, args...)...)
}

// TestImage builds the container image from the Dockerfile with buildah, as
// `mage image` does (with the e2e binary), and checks its configuration and
// its files; then it runs the image's binary on its own configuration.
// Full tier: it needs buildah.
func TestImage(t *testing.T) {
	needTools(t, "buildah")
	dir := t.TempDir()
	bins := buildPkgBins(t, dir, runtime.GOARCH)
	ctx := filepath.Join(dir, "context")
	pkgRun(t, nil, bins.pkgtool, "image-context", "-root", "..", "-out", ctx, "-arch", runtime.GOARCH,
		"-binary", binary, "-healthcheck", bins.healthcheck, "-allow-dynamic")
	b := buildah{t: t, root: filepath.Join(dir, "storage"), run_: filepath.Join(dir, "run")}
	version := beatVersion(t)
	tag := "localhost/sflowbeat-test:" + version
	b.do("bud", "--format", "docker", "-f", "../Dockerfile", "--build-arg", "VERSION="+version,
		"--build-arg", "REVISION=0123abc", "-t", tag, ctx)
	t.Cleanup(func() {
		_, _, _ = pkgTry(nil, "buildah", "--storage-driver", "vfs", "--root", b.root, "--runroot", b.run_, "rm", "--all")
	})

	checkImageConfig(t, b, tag, version)
	mnt := mountImage(t, b, tag)
	checkImageFiles(t, mnt)

	home := filepath.Join(mnt, "usr/share/sflowbeat")
	tmp := t.TempDir()
	out := pkgRun(t, []string{"ELASTICSEARCH_HOSTS=http://es:9200"}, filepath.Join(home, "sflowbeat"),
		"--environment", "container", "--path.home", home, "--path.data", tmp, "--path.logs", tmp, "test", "config")
	if !strings.Contains(out, "Config OK") {
		t.Errorf("test config of the image's sflowbeat.yml: %q", out)
	}
	checkSetupDashboards(t, filepath.Join(home, "sflowbeat"), "--environment", "container", "--path.home", home,
		"--path.data", tmp, "--path.logs", tmp)
}

// checkImageConfig compares the image's configuration, as buildah inspect
// shows it, with what the Dockerfile promises.
func checkImageConfig(t *testing.T, b buildah, tag, version string) {
	t.Helper()
	var img struct {
		Docker struct {
			Architecture string
			Config       imageConfig `json:"config"`
		}
	}
	if err := json.Unmarshal([]byte(b.do("inspect", "--type", "image", tag)), &img); err != nil {
		t.Fatal(err)
	}
	got := img.Docker.Config
	labels := got.Labels
	got.Labels = nil
	want := imageConfig{
		User:         "1000:1000",
		Entrypoint:   []string{"/usr/share/sflowbeat/sflowbeat", "--environment", "container", "--path.home", "/usr/share/sflowbeat"},
		Cmd:          []string{"run"},
		Env:          []string{"PATH=/usr/share/sflowbeat"},
		WorkingDir:   "/usr/share/sflowbeat",
		ExposedPorts: map[string]struct{}{"6343/udp": {}},
		Volumes:      map[string]struct{}{"/usr/share/sflowbeat/data": {}, "/usr/share/sflowbeat/logs": {}},
	}
	want.Healthcheck.Test = []string{"CMD", "/usr/share/sflowbeat/healthcheck"}
	want.Healthcheck.Interval, want.Healthcheck.Timeout, want.Healthcheck.StartPeriod = 30*time.Second, 10*time.Second, 60*time.Second
	want.Healthcheck.Retries = 3
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("image configuration (-want +got):\n%s", diff)
	}
	if img.Docker.Architecture != runtime.GOARCH {
		t.Errorf("image architecture %q, want %q", img.Docker.Architecture, runtime.GOARCH)
	}
	wantLabels := map[string]string{
		"org.opencontainers.image.title":    "sflowbeat",
		"org.opencontainers.image.version":  version,
		"org.opencontainers.image.revision": "0123abc",
		"org.opencontainers.image.licenses": "Apache-2.0 AND Elastic-2.0",
		"org.opencontainers.image.source":   "https://github.com/sflowbeat/sflowbeat",
	}
	for k, v := range wantLabels {
		if labels[k] != v {
			t.Errorf("label %s = %q, want %q", k, labels[k], v)
		}
	}
}

// mountImage creates a working container of the image and returns the path
// of its root file system.
func mountImage(t *testing.T, b buildah, tag string) string {
	t.Helper()
	ctr := strings.TrimSpace(b.do("from", tag))
	return strings.TrimSpace(b.do("mount", ctr))
}

// checkImageFiles checks the owners and modes of the image's files: root
// owns the program, its Agent spec, the dashboards and the config (readable
// by the beat's group), the beat owns its volumes, and the accounts and CA
// bundle are there.
func checkImageFiles(t *testing.T, mnt string) {
	t.Helper()
	type file struct {
		path     string
		uid, gid uint32
		mode     os.FileMode
	}
	want := []file{
		{"etc/passwd", 0, 0, 0o644},
		{"etc/group", 0, 0, 0o644},
		{"etc/ssl/certs/ca-certificates.crt", 0, 0, 0o644},
		{"usr/share/sflowbeat/sflowbeat", 0, 0, 0o755},
		{"usr/share/sflowbeat/healthcheck", 0, 0, 0o755},
		{"usr/share/sflowbeat/sflowbeat.spec.yml", 0, 0, 0o644},
		{"usr/share/sflowbeat/kibana", 0, 0, 0o755 | os.ModeDir},
		{"usr/share/sflowbeat/kibana/7", 0, 0, 0o755 | os.ModeDir},
		{"usr/share/sflowbeat/kibana/7/dashboard", 0, 0, 0o755 | os.ModeDir},
		{"usr/share/sflowbeat/sflowbeat.yml", 0, 1000, 0o640},
		{"usr/share/sflowbeat/sflowbeat.reference.yml", 0, 0, 0o644},
		{"usr/share/sflowbeat/NOTICE.txt", 0, 0, 0o644},
		{"usr/share/sflowbeat/data", 1000, 1000, 0o755 | os.ModeDir},
		{"usr/share/sflowbeat/logs", 1000, 1000, 0o755 | os.ModeDir},
	}
	for _, f := range shippedDashboards(t) {
		want = append(want, file{"usr/share/sflowbeat/kibana/7/dashboard/" + filepath.Base(f), 0, 0, 0o644})
	}
	for _, w := range want {
		st, err := os.Stat(filepath.Join(mnt, w.path))
		if err != nil {
			t.Errorf("image has no /%s: %v", w.path, err)
			continue
		}
		sys := st.Sys().(*syscall.Stat_t)
		if sys.Uid != w.uid || sys.Gid != w.gid || st.Mode()&(os.ModeDir|os.ModePerm) != w.mode {
			t.Errorf("/%s is %d:%d %v, want %d:%d %v", w.path, sys.Uid, sys.Gid, st.Mode(), w.uid, w.gid, w.mode)
		}
	}
	passwd, _ := os.ReadFile(filepath.Join(mnt, "etc/passwd"))
	if !strings.Contains(string(passwd), "\nsflowbeat:x:1000:1000:") {
		t.Errorf("image /etc/passwd has no sflowbeat user 1000:\n%s", passwd)
	}
	if ca, _ := os.ReadFile(filepath.Join(mnt, "etc/ssl/certs/ca-certificates.crt")); strings.Count(string(ca), "BEGIN CERTIFICATE") < 10 {
		t.Errorf("image CA bundle has %d certificates", strings.Count(string(ca), "BEGIN CERTIFICATE"))
	}
	sameFile(t, binary, filepath.Join(mnt, "usr/share/sflowbeat/sflowbeat"))
	checkHomeExtras(t, filepath.Join(mnt, "usr/share/sflowbeat"), filepath.Join(mnt, "usr/share/sflowbeat"))
	if _, dynamic := elfInfo(t, filepath.Join(mnt, "usr/share/sflowbeat/healthcheck")); dynamic {
		t.Error("the image's healthcheck is dynamically linked: a scratch image has no libc")
	}
}

// TestDockerfilesAgree checks that Dockerfile.multistage's final stage is
// Dockerfile's, with its files taken from the build stage.
func TestDockerfilesAgree(t *testing.T) {
	single := finalStage(t, "../Dockerfile")
	multi := finalStage(t, "../Dockerfile.multistage")
	for i, line := range multi {
		line = strings.ReplaceAll(line, "--from=build ", "")
		multi[i] = strings.ReplaceAll(line, "/context/", "")
	}
	if diff := cmp.Diff(single, multi); diff != "" {
		t.Errorf("final stages differ (-Dockerfile +Dockerfile.multistage):\n%s", diff)
	}
	if len(single) < 15 {
		t.Errorf("Dockerfile's final stage has %d instructions: %q", len(single), single)
	}
}

// TestShippedProgramsVetted checks that every Go program the artifacts ship
// is a package that `go list ./...` lists, so that `go vet ./...` and
// `go test ./...` cover it: the go command skips folders whose names start
// with _ or . (the healthcheck, once in _meta/packaging, went unvetted).
// The programs are those the magefile, Dockerfile.multistage and these
// tests build.
func TestShippedProgramsVetted(t *testing.T) {
	listed := map[string]bool{}
	for _, dir := range strings.Split(pkgRun(t, nil, "go", "-C", "..", "list", "-f", "{{.Dir}}", "./..."), "\n") {
		listed[dir] = true
	}
	progs := []string{healthcheckPkg}
	for file, re := range map[string]*regexp.Regexp{
		"../magefile.go":           regexp.MustCompile(`goBuildStatic\(\w+, \w+, "([^"]+)"`),
		"../Dockerfile.multistage": regexp.MustCompile(`go build [^;]*-o \S+ (\S+);`),
	} {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		found := re.FindAllStringSubmatch(string(data), -1)
		if len(found) < 2 {
			t.Errorf("%s builds %d programs, want sflowbeat and the healthcheck: %v", file, len(found), found)
		}
		for _, m := range found {
			progs = append(progs, filepath.Join("..", m[1]))
		}
	}
	for _, p := range progs {
		abs, err := filepath.Abs(p)
		if err != nil {
			t.Fatal(err)
		}
		if !listed[abs] {
			t.Errorf("%s is shipped but not under ./...: go vet ./... and go test ./... skip it", p)
		}
	}
}

// finalStage returns the instructions of a Dockerfile's last stage, with
// continuation lines joined and comments dropped.
func finalStage(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasSuffix(line, "\\") {
			cur.WriteString(strings.TrimSuffix(line, "\\"))
			continue
		}
		cur.WriteString(line)
		ins := strings.Join(strings.Fields(cur.String()), " ")
		cur.Reset()
		if strings.HasPrefix(strings.ToUpper(ins), "FROM ") {
			out = nil
		}
		out = append(out, ins)
	}
	return out
}

// TestComposeFile checks the docker-compose example: valid YAML, the
// services, and what sflowbeat needs from them.
func TestComposeFile(t *testing.T) {
	data, err := os.ReadFile("../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var compose struct {
		Services map[string]struct {
			Image       string
			Build       struct{ Context, Dockerfile string }
			Ports       []string
			Volumes     []string
			Environment map[string]string
			DependsOn   map[string]struct{ Condition string } `yaml:"depends_on"`
			CapDrop     []string                              `yaml:"cap_drop"`
		}
		Volumes map[string]any
	}
	if err := yaml.Unmarshal(data, &compose); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	for _, s := range []string{"elasticsearch", "kibana", "setup", "sflowbeat"} {
		if _, ok := compose.Services[s]; !ok {
			t.Errorf("docker-compose.yml has no service %q", s)
		}
	}
	sb := compose.Services["sflowbeat"]
	if _, err := os.Stat(filepath.Join("..", sb.Build.Context, sb.Build.Dockerfile)); err != nil || sb.Build.Dockerfile == "" {
		t.Errorf("sflowbeat builds from %q: %v", sb.Build.Dockerfile, err)
	}
	checks := map[string]bool{
		"publishes 6343/udp":                contains(sb.Ports, "6343:6343/udp"),
		"data volume":                       contains(sb.Volumes, "sflowbeat-data:/usr/share/sflowbeat/data"),
		"ELASTICSEARCH_HOSTS":               sb.Environment["ELASTICSEARCH_HOSTS"] == "http://elasticsearch:9200",
		"waits for a healthy Elasticsearch": sb.DependsOn["elasticsearch"].Condition == "service_healthy",
		"drops capabilities":                contains(sb.CapDrop, "ALL"),
	}
	for what, ok := range checks {
		if !ok {
			t.Errorf("sflowbeat service: %s: no", what)
		}
	}
	if _, ok := compose.Volumes["sflowbeat-data"]; !ok {
		t.Error("volume sflowbeat-data is not declared")
	}
}

// contains reports whether list has s.
func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// TestHealthcheck runs the image's healthcheck against a beat that is not
// there (unhealthy) and against a running beat's HTTP endpoint (healthy).
func TestHealthcheck(t *testing.T) {
	healthcheck := buildHealthcheck(t, t.TempDir(), runtime.GOARCH)
	sock := filepath.Join(t.TempDir(), "http.sock")
	_, errOut, err := pkgTry(nil, healthcheck, "-endpoint", "unix://"+sock, "-timeout", "2s")
	if err == nil || !strings.Contains(errOut, "unhealthy") {
		t.Errorf("healthcheck without a beat: err %v, stderr %q; want exit 1, unhealthy", err, errOut)
	}

	es := esmock.Start()
	defer es.Close()
	b := startBeat(t, beatConfig(es.URL, "127.0.0.1:0")+"http.enabled: true\nhttp.host: unix://"+sock+"\n")
	b.listenAddrs(1)
	var out string
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if out, errOut, err = pkgTry(nil, healthcheck, "-endpoint", "unix://"+sock); err == nil {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err != nil || !strings.Contains(out, "healthy: 1 sflow input(s) running") {
		t.Errorf("healthcheck with a running beat: err %v, stdout %q, stderr %q", err, out, errOut)
	}
}
