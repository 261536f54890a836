package sflow

import (
	"fmt"
	"net"
	"net/netip"
	"sync"
)

// ports records the UDP addresses of the running inputs of a Factory.
// Inputs bind with SO_REUSEPORT (one socket per worker), so the kernel would
// let a second input bind the same port and silently split the exporters
// between the two: Create refuses that instead.
type ports struct {
	mu   sync.Mutex
	next int
	used map[int]claim // by claim token
}

// claim is the listen address of one running input.
type claim struct {
	id, host string
}

// claim records host for the input id and returns the token that releases
// it, or fails when a running input listens on an overlapping address.
func (p *ports) claim(id, host string) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.used {
		if overlaps(host, c.host) {
			return 0, fmt.Errorf("%s overlaps %s, where input %q already listens: "+
				"with SO_REUSEPORT both would bind and split the datagrams between them", host, c.host, c.id)
		}
	}
	if p.used == nil {
		p.used = map[int]claim{}
	}
	p.next++
	p.used[p.next] = claim{id: id, host: host}
	return p.next, nil
}

// release forgets the address of a claim.
func (p *ports) release(token int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.used, token)
}

// overlaps reports whether two host:port listen addresses share a port on
// addresses that overlap: the same IP, or a wildcard that covers the other
// (0.0.0.0 covers IPv4, [::] and an empty host cover both families). Host
// names are compared as written; port 0 (kernel-chosen) never overlaps.
func overlaps(a, b string) bool {
	ha, pa, errA := net.SplitHostPort(a)
	hb, pb, errB := net.SplitHostPort(b)
	if errA != nil || errB != nil || pa != pb || pa == "0" {
		return false
	}
	return covers(ha, hb) || covers(hb, ha)
}

// covers reports whether listening on host w receives what listening on
// host h would.
func covers(w, h string) bool {
	if w == "" || w == h {
		return true
	}
	wa, errW := netip.ParseAddr(w)
	ha, errH := netip.ParseAddr(h)
	if errW != nil || errH != nil {
		return false
	}
	wa, ha = wa.Unmap(), ha.Unmap()
	switch {
	case wa == ha:
		return true
	case wa == netip.IPv6Unspecified():
		return true
	case wa == netip.IPv4Unspecified():
		return ha.Is4()
	}
	return false
}
