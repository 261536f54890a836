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
	} {
		if got := overlaps(tc.a, tc.b); got != tc.want {
			t.Errorf("overlaps(%s, %s) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestPortsClaim(t *testing.T) {
	var p ports
	if err := p.claim("a", "0.0.0.0:6343"); err != nil {
		t.Fatal(err)
	}
	err := p.claim("b", "127.0.0.1:6343")
	if err == nil || !strings.Contains(err.Error(), `input "a" already listens`) {
		t.Errorf("an overlapping address: got %v, want an error naming input a", err)
	}
	p.release("a")
	if err := p.claim("b", "127.0.0.1:6343"); err != nil {
		t.Errorf("after the first input stopped: %v", err)
	}
}
