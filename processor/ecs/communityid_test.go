package ecs

import (
	"bufio"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestCommunityIDVectors checks communityID against the published vectors
// (testdata/communityid: TCP, UDP, SCTP, ICMP, ICMPv6, IPv6).
func TestCommunityIDVectors(t *testing.T) {
	files, _ := filepath.Glob("testdata/communityid/*.log")
	if len(files) != 6 {
		t.Fatalf("found %d vector files, want 6", len(files))
	}
	n := 0
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			parts := strings.Split(sc.Text(), " | ")
			fl := parseVector(t, parts[2])
			if got := communityID(&fl); got != parts[1] {
				t.Errorf("%s: %s: got %s, want %s", filepath.Base(f), parts[2], got, parts[1])
			}
			n++
		}
		fh.Close()
	}
	if n < 150 {
		t.Errorf("only %d vectors checked", n)
	}
}

// parseVector reads "src dst proto sport dport" into a flow.
func parseVector(t *testing.T, s string) flow {
	t.Helper()
	f := strings.Fields(s)
	num := func(i int) int {
		v, err := strconv.Atoi(f[i])
		if err != nil {
			t.Fatalf("bad vector %q", s)
		}
		return v
	}
	fl := flow{srcIP: netip.MustParseAddr(f[0]), dstIP: netip.MustParseAddr(f[1]), proto: uint8(num(2)), hasProto: true}
	if fl.proto == 1 || fl.proto == 58 {
		fl.icmpType, fl.icmpCode, fl.isICMP = uint8(num(3)), uint8(num(4)), true
	} else {
		fl.srcPort, fl.dstPort, fl.hasPorts = uint16(num(3)), uint16(num(4)), true
	}
	return fl
}
