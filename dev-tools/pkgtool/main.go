// Command pkgtool builds sflowbeat's release artifacts from prebuilt linux
// binaries: tarballs, deb and rpm packages (with nfpm, configured by
// _meta/packaging/nfpm.yaml) and the build context of the container image
// (the Dockerfile at the repository root builds it FROM scratch).
//
//	pkgtool package -root DIR -out DIR -version V [-allow-dynamic] -binary amd64=PATH [-binary arm64=PATH]
//	pkgtool image-context -root DIR -out DIR -binary PATH -healthcheck PATH [-allow-dynamic]
//
// It is its own Go module so that nfpm's dependencies stay out of the beat's
// go.mod. The magefile's Package and Image targets run it with
// `go -C dev-tools/pkgtool run .`; tests/packaging_test.go and
// tests/packaging_image_test.go build it and check what it makes.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: pkgtool package|image-context [flags]")
		os.Exit(2)
	}
	var err error
	switch cmd, args := os.Args[1], os.Args[2:]; cmd {
	case "package":
		err = packageCmd(args)
	case "image-context":
		err = imageContextCmd(args)
	default:
		err = fmt.Errorf("unknown command %q: want package or image-context", cmd)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "pkgtool:", err)
		os.Exit(1)
	}
}

// binaries collects repeated -binary arch=path flags.
type binaries map[string]string

func (b binaries) String() string { return fmt.Sprint(map[string]string(b)) }

func (b binaries) Set(v string) error {
	for i := range len(v) {
		if v[i] == '=' {
			b[v[:i]] = v[i+1:]
			return nil
		}
	}
	return fmt.Errorf("-binary %q: want arch=path", v)
}

var _ flag.Value = binaries{}
