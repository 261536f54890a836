package sflow

import (
	"strings"
	"testing"
)

func TestOverlaps(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"127.0.0.1:6343", "127.0.0.1:6343", true},
		{"0.0.0.0:6343", "192.0.2.1:6343", true},
		{"[::]:6343", "127.0.0.1:6343", true},
		{":6343", "127.0.0.1:6343", true},
		{"127.0.0.1:6343", "192.0.2.1:6343", false},
		{"0.0.0.0:6343", "0.0.0.0:6344", false},
		{"127.0.0.1:0", "127.0.0.1:0", false},
		{"[::ffff:127.0.0.1]:6343", "127.0.0.1:6343", true},
		{"[::1]:6343", "[0:0::1]:6343", true},
		{"0.0.0.0:6343", "[::1]:6343", false}, // separate families
		{"collector.example:6343", "collector.example:6343", true},
	} {
		if got := overlaps(tc.a, tc.b); got != tc.want {
			t.Errorf("overlaps(%s, %s) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestPortsClaim(t *testing.T) {
	var p ports
	a, err := p.claim("a", "0.0.0.0:6343")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.claim("b", "127.0.0.1:6343"); err == nil || !strings.Contains(err.Error(), `input "a" already listens`) {
		t.Errorf("an overlapping address: got %v, want an error naming input a", err)
	}
	// Two inputs with one id (possible under Agent): releasing one must
	// not free the other's port.
	same, err := p.claim("a", "127.0.0.1:7000")
	if err != nil {
		t.Fatal(err)
	}
	p.release(a)
	if _, err := p.claim("c", "127.0.0.1:7000"); err == nil {
		t.Error("releasing one input freed the port of another with the same id")
	}
	p.release(same)
	if _, err := p.claim("b", "127.0.0.1:6343"); err != nil {
		t.Errorf("after the first input stopped: %v", err)
	}
}
