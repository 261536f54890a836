package ecs

import (
	"strings"
	"testing"
)

// TestProtocolName checks notable entries of the IANA table: the keywords
// network.transport takes, lowercased with their hyphens, and "" for the
// numbers without one.
func TestProtocolName(t *testing.T) {
	cases := []struct {
		proto uint8
		want  string
	}{
		{0, "hopopt"},
		{1, "icmp"},
		{4, "ipv4"},
		{6, "tcp"},
		{10, "bbn-rcc-mon"},
		{13, "argus"}, // "ARGUS (deprecated)": the note is not part of the keyword
		{17, "udp"},
		{41, "ipv6"},
		{47, "gre"},
		{50, "esp"},
		{55, "min-ipv4"}, // "MOBILE" in copies before the registry renamed it
		{58, "ipv6-icmp"},
		{61, ""},     // any host internal protocol
		{63, ""},     // any local network
		{84, "iptm"}, // also TTP until March 2023
		{89, "ospfigp"},
		{103, "pim"},
		{112, "vrrp"},
		{115, "l2tp"},
		{124, "isis-over-ipv4"}, // "ISIS over IPv4"
		{132, "sctp"},
		{135, "mobility-header"}, // "Mobility Header"
		{136, "udplite"},
		{137, "mpls-in-ip"},
		{143, "ethernet"},
		{144, "aggfrag"},
		{147, "bit-emu"},
		{148, ""}, // unassigned up to 252
		{252, ""},
		{253, ""}, // experimentation and testing: no keyword
		{254, ""},
		{255, ""}, // "Reserved" is not a keyword
	}
	for _, c := range cases {
		if got := protocolName(c.proto); got != c.want {
			t.Errorf("protocolName(%d) = %q, want %q", c.proto, got, c.want)
		}
	}
}

// registryKeywords is the number of protocol numbers that have a keyword in
// the registry copy of iana_protocols.go: the 148 numbers 0-147 but the five
// without one (61, 63, 68, 99, 114). 148-252 are unassigned, 253 and 254
// (experimentation) have no keyword, and 255's "Reserved" is not one.
const registryKeywords = 143

// TestIANAProtocolsTable checks the whole table: every name lowercase,
// without spaces, and as many names as the registry has keywords.
func TestIANAProtocolsTable(t *testing.T) {
	named := 0
	for p, name := range ianaProtocols {
		if name == "" {
			continue
		}
		named++
		if name != strings.ToLower(name) {
			t.Errorf("%d: %q is not lowercase", p, name)
		}
		if strings.ContainsFunc(name, func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' }) {
			t.Errorf("%d: %q has a space", p, name)
		}
		if strings.Contains(name, "deprecated") {
			t.Errorf("%d: %q kept the registry's (deprecated) note", p, name)
		}
	}
	if named != registryKeywords {
		t.Errorf("%d protocol numbers named, the registry has %d keywords", named, registryKeywords)
	}
}
