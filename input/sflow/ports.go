package sflow

import (
	"fmt"
	"net"
	"sync"
)

// ports records the UDP addresses of the running inputs of a Factory.
// Inputs bind with SO_REUSEPORT (one socket per worker), so the kernel would
// let a second input bind the same port and silently split the exporters
// between the two: Create refuses that instead.
type ports struct {
	mu   sync.Mutex
	used map[string]string // input id -> host
}

// claim records host for the input id, or fails when a running input
// listens on an overlapping address (same port, same or wildcard IP). Port
// 0 (a kernel-chosen port) never overlaps.
func (p *ports) claim(id, host string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	for other, h := range p.used {
		if overlaps(host, h) {
			return fmt.Errorf("%s overlaps %s, where input %q already listens: "+
				"with SO_REUSEPORT both would bind and split the datagrams between them", host, h, other)
		}
	}
	if p.used == nil {
		p.used = map[string]string{}
	}
	p.used[id] = host
	return nil
}

// release forgets the address of input id.
func (p *ports) release(id string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.used, id)
}

// overlaps reports whether two host:port listen addresses share a port on
// the same or a wildcard IP.
func overlaps(a, b string) bool {
	ha, pa, errA := net.SplitHostPort(a)
	hb, pb, errB := net.SplitHostPort(b)
	if errA != nil || errB != nil || pa != pb || pa == "0" {
		return false
	}
	return ha == hb || isWildcard(ha) || isWildcard(hb)
}

// isWildcard reports whether host is empty or an unspecified address.
func isWildcard(host string) bool {
	if host == "" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsUnspecified()
}
