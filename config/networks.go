package config

import (
	"fmt"
	"net/netip"
)

// Prefixes is a list of networks given as CIDRs ("192.0.2.0/24",
// "2001:db8::/32") or single addresses (a /32 or /128). It is parsed once,
// when the configuration is unpacked.
type Prefixes []netip.Prefix

// Unpack parses a list of strings (go-ucfg's Unpacker).
func (p *Prefixes) Unpack(v any) error {
	list, err := stringList(v)
	if err != nil {
		return err
	}
	*p, err = ParsePrefixes(list)
	return err
}

// Contains reports whether addr is in one of the networks.
func (p Prefixes) Contains(addr netip.Addr) bool {
	addr = addr.Unmap()
	for _, n := range p {
		if n.Contains(addr) {
			return true
		}
	}
	return false
}

// Networks is a list of networks as Prefixes accepts them, plus the names
// of namedNetworks (private, loopback, link_local, multicast), as
// Filebeat's netflow input takes internal_networks. It is parsed once, when
// the configuration is unpacked.
type Networks []netip.Prefix

// Unpack parses a list of strings (go-ucfg's Unpacker).
func (n *Networks) Unpack(v any) error {
	list, err := stringList(v)
	if err != nil {
		return err
	}
	*n, err = ParseNetworks(list)
	return err
}

// IP is an IP address, parsed when the configuration is unpacked.
type IP struct{ netip.Addr }

// Unpack parses an address (go-ucfg's StringUnpacker).
func (ip *IP) Unpack(s string) error {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return fmt.Errorf("%q is not an IP address", s)
	}
	ip.Addr = a.Unmap()
	return nil
}

// namedNetworks are the names internal_networks accepts, as Filebeat's
// netflow input does.
var namedNetworks = map[string][]string{
	"private":    {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"},
	"loopback":   {"127.0.0.0/8", "::1/128"},
	"link_local": {"169.254.0.0/16", "fe80::/10"},
	"multicast":  {"224.0.0.0/4", "ff00::/8"},
}

// ParseNetworks parses internal_networks: what ParsePrefixes accepts, and
// the names of namedNetworks.
func ParseNetworks(list []string) ([]netip.Prefix, error) {
	var expanded []string
	for _, s := range list {
		if named, ok := namedNetworks[s]; ok {
			expanded = append(expanded, named...)
			continue
		}
		expanded = append(expanded, s)
	}
	out, err := ParsePrefixes(expanded)
	if err != nil {
		return nil, fmt.Errorf("%w, or one of private, loopback, link_local, multicast", err)
	}
	return out, nil
}

// ParsePrefixes parses CIDRs ("192.0.2.0/24", "2001:db8::/32") and single
// addresses (a /32 or /128).
func ParsePrefixes(list []string) ([]netip.Prefix, error) {
	out := make([]netip.Prefix, 0, len(list))
	for _, s := range list {
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil {
			return nil, fmt.Errorf("%q is neither a CIDR (192.0.2.0/24) nor an IP address", s)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

// stringList returns the strings of a YAML list (or of a single string).
func stringList(v any) ([]string, error) {
	switch v := v.(type) {
	case string:
		return []string{v}, nil
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			s, ok := e.(string)
			if !ok {
				return nil, fmt.Errorf("%v is not a string", e)
			}
			out = append(out, s)
		}
		return out, nil
	case nil:
		return nil, nil
	}
	return nil, fmt.Errorf("expected a list of strings, got %v", v)
}
