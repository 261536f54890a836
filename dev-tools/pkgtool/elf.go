package main

import (
	"debug/elf"
	"fmt"
)

// machines maps the Go architectures sflowbeat ships to ELF machines.
var machines = map[string]elf.Machine{
	"amd64": elf.EM_X86_64,
	"arm64": elf.EM_AARCH64,
}

// checkBinary checks that path is a linux ELF executable for arch and,
// unless allowDynamic, that it is statically linked (no program
// interpreter): the packages and the FROM scratch image carry no libc.
func checkBinary(path, arch string, allowDynamic bool) error {
	want, ok := machines[arch]
	if !ok {
		return fmt.Errorf("architecture %q: want amd64 or arm64", arch)
	}
	f, err := elf.Open(path)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	defer f.Close()
	if f.Machine != want {
		return fmt.Errorf("%s is built for %s, not %s", path, f.Machine, arch)
	}
	if allowDynamic {
		return nil
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return fmt.Errorf("%s is dynamically linked: build it with CGO_ENABLED=0", path)
		}
	}
	return nil
}
