package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// The user the image runs as, with the uid and gid of the users of
// Elastic's Beats images, so volumes are shared the same way.
const (
	imageUser = "sflowbeat"
	imageUID  = 1000
)

// imageContextCmd writes the build context of the FROM scratch Dockerfile.
func imageContextCmd(args []string) error {
	fs := flag.NewFlagSet("image-context", flag.ContinueOnError)
	root := fs.String("root", "../..", "repository root")
	out := fs.String("out", "build/image", "context directory to create")
	binary := fs.String("binary", "", "static linux binary of sflowbeat (required)")
	healthcheck := fs.String("healthcheck", "", "static linux binary of cmd/healthcheck (required)")
	arch := fs.String("arch", "amd64", "architecture of the binaries")
	ca := fs.String("ca", "/etc/ssl/certs/ca-certificates.crt", "CA bundle to install")
	allowDynamic := fs.Bool("allow-dynamic", false, "accept a dynamically linked sflowbeat (tests only)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *binary == "" || *healthcheck == "" {
		return errors.New("image-context needs -binary and -healthcheck")
	}
	if err := checkBinary(*binary, *arch, *allowDynamic); err != nil {
		return err
	}
	if err := checkBinary(*healthcheck, *arch, false); err != nil {
		return err
	}
	c := imageContext{root: *root, dir: *out}
	return c.write(*binary, *healthcheck, *ca)
}

// imageContext assembles a build context in dir.
type imageContext struct {
	root, dir string
}

// write fills the context: binaries, the Elastic Agent spec,
// configuration, Kibana dashboards, CA bundle, passwd and group, and the
// empty data and logs folders of the volumes.
func (c imageContext) write(binary, healthcheck, ca string) error {
	if err := os.RemoveAll(c.dir); err != nil {
		return err
	}
	for _, d := range []string{"data", "logs"} {
		if err := os.MkdirAll(filepath.Join(c.dir, d), 0o750); err != nil {
			return err
		}
	}
	meta := filepath.Join(c.root, "_meta", "packaging")
	files := []struct {
		src, name string
		mode      os.FileMode
	}{
		{binary, "sflowbeat", 0o755},
		{healthcheck, "healthcheck", 0o755},
		{filepath.Join(c.root, "sflowbeat.spec.yml"), "sflowbeat.spec.yml", 0o644},
		{filepath.Join(meta, "docker", "sflowbeat.docker.yml"), "sflowbeat.yml", 0o640},
		{filepath.Join(c.root, "sflowbeat.reference.yml"), "sflowbeat.reference.yml", 0o644},
		{filepath.Join(c.root, "README.md"), "README.md", 0o644},
		{filepath.Join(meta, "NOTICE.txt"), "NOTICE.txt", 0o644},
		{ca, "ca-certificates.crt", 0o644},
	}
	for _, f := range files {
		if err := copyFile(f.src, filepath.Join(c.dir, f.name), f.mode); err != nil {
			return err
		}
	}
	if err := c.dashboards(); err != nil {
		return err
	}
	if err := c.accounts(); err != nil {
		return err
	}
	fmt.Println("created image context", c.dir)
	return nil
}

// dashboards copies the Kibana dashboards to kibana/7/dashboard, which the
// Dockerfile copies to the image's path.home.
func (c imageContext) dashboards() error {
	files, err := dashboards(c.root)
	if err != nil {
		return err
	}
	dir := c.dir
	for _, name := range strings.Split(dashboardDir, "/") { // kibana, 7, dashboard
		dir = filepath.Join(dir, name)
		if err := os.Mkdir(dir, 0o755); err != nil {
			return err
		}
		if err := os.Chmod(dir, 0o755); err != nil { // whatever the umask
			return err
		}
	}
	for _, f := range files {
		if err := copyFile(f, filepath.Join(dir, filepath.Base(f)), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// accounts writes /etc/passwd and /etc/group with root and the beat's user,
// so that USER, file ownership and os/user lookups resolve by name.
func (c imageContext) accounts() error {
	passwd := fmt.Sprintf("root:x:0:0:root:/root:/sbin/nologin\n%s:x:%d:%d:sflowbeat:/usr/share/sflowbeat:/sbin/nologin\n",
		imageUser, imageUID, imageUID)
	group := fmt.Sprintf("root:x:0:\n%s:x:%d:\n", imageUser, imageUID)
	if err := os.WriteFile(filepath.Join(c.dir, "passwd"), []byte(passwd), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(c.dir, "group"), []byte(group), 0o644)
}

// copyFile copies src to dst and sets mode exactly, whatever the umask.
func copyFile(src, dst string, mode os.FileMode) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	if _, err := io.Copy(out, in); err != nil {
		return err
	}
	return out.Chmod(mode) // not subject to the umask
}
