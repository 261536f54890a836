package main

import (
	"archive/zip"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/elastic/package-spec/v3/code/go/pkg/validator"
	"gopkg.in/yaml.v3"
)

// runZip writes the package directory as NAME-VERSION.zip into -out, the
// archive Kibana's "Upload integration" (POST /api/fleet/epm/packages)
// takes, with every file under the folder NAME-VERSION/; it validates the
// directory before and the archive after.
func runZip(args []string) error {
	fl := flag.NewFlagSet("zip", flag.ContinueOnError)
	out := fl.String("out", ".", "directory to write the archive to")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if fl.NArg() != 1 {
		return fmt.Errorf("zip takes one package directory\n%s", usage)
	}
	dir := fl.Arg(0)
	if err := validator.ValidateFromPath(dir); err != nil {
		return fmt.Errorf("%s is not a valid package: %w", dir, err)
	}
	top, err := packageFolder(dir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	path := filepath.Join(*out, top+".zip")
	if err := writeZip(path, dir, top); err != nil {
		return err
	}
	if err := validator.ValidateFromZip(path); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	fmt.Println("wrote", path)
	return nil
}

// packageFolder returns NAME-VERSION from the package's manifest.
func packageFolder(dir string) (string, error) {
	data, err := os.ReadFile(filepath.Join(dir, "manifest.yml"))
	if err != nil {
		return "", err
	}
	var m struct{ Name, Version string }
	if err := yaml.Unmarshal(data, &m); err != nil {
		return "", fmt.Errorf("manifest.yml: %w", err)
	}
	if m.Name == "" || m.Version == "" {
		return "", errors.New("manifest.yml has no name or version")
	}
	return m.Name + "-" + m.Version, nil
}

// writeZip archives the files of dir under the folder top.
func writeZip(path, dir, top string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := zip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		w, err := zw.Create(filepath.ToSlash(filepath.Join(top, rel)))
		if err != nil {
			return err
		}
		src, err := os.Open(p)
		if err != nil {
			return err
		}
		defer src.Close()
		_, err = io.Copy(w, src)
		return err
	})
}
