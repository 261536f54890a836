package ecs

import (
	"net/netip"
	"sync"

	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
)

// MaxLearnedInterfaces bounds the names learned from port_name records:
// exporters can be spoofed, so the table cannot grow without limit.
const MaxLearnedInterfaces = 65536

// ifKey identifies an interface: the exporter's agent address and ifIndex.
type ifKey struct {
	exporter netip.Addr
	index    uint32
}

// ifName is what is known of an interface.
type ifName struct {
	name, alias string
}

// InterfaceNames maps (exporter, ifIndex) to interface names: the ones
// configured (interface_names), which always win, and the ones learned from
// the port_name records (0:1005) of counter samples. It is shared by the
// mappers of an input and safe for concurrent use.
type InterfaceNames struct {
	mu         sync.RWMutex
	configured map[ifKey]ifName
	learned    map[ifKey]string
}

// NewInterfaceNames returns an empty table.
func NewInterfaceNames() *InterfaceNames {
	return &InterfaceNames{configured: map[ifKey]ifName{}, learned: map[ifKey]string{}}
}

// Set configures the name and alias of an interface.
func (n *InterfaceNames) Set(exporter netip.Addr, index uint32, name, alias string) {
	n.mu.Lock()
	n.configured[ifKey{exporter.Unmap(), index}] = ifName{name, alias}
	n.mu.Unlock()
}

// learn records a name from a port_name record, unless the table is full.
func (n *InterfaceNames) learn(exporter netip.Addr, index uint32, name string) {
	k := ifKey{exporter.Unmap(), index}
	n.mu.RLock()
	known, ok := n.learned[k]
	n.mu.RUnlock()
	if ok && known == name {
		return
	}
	n.mu.Lock()
	if _, ok := n.learned[k]; ok || len(n.learned) < MaxLearnedInterfaces {
		n.learned[k] = name
	}
	n.mu.Unlock()
}

// lookup returns what is known of an interface.
func (n *InterfaceNames) lookup(exporter netip.Addr, index uint32) (ifName, bool) {
	k := ifKey{exporter.Unmap(), index}
	n.mu.RLock()
	defer n.mu.RUnlock()
	if c, ok := n.configured[k]; ok {
		if c.name == "" {
			c.name = n.learned[k]
		}
		return c, true
	}
	name, ok := n.learned[k]
	return ifName{name: name}, ok
}

// learnPortName teaches the table the port name of a counter sample's
// interface (if_counters ifIndex, else an ifIndex data source).
func (m *Mapper) learnPortName(agent netip.Addr, s *decoded.CounterSample) {
	r := &s.Records
	if m.names == nil || r.Has&decoded.HasPortName == 0 || len(r.PortName) == 0 {
		return
	}
	index := s.SourceID.Index
	if r.Has&decoded.HasGenericIf != 0 {
		index = r.GenericIf.IfIndex
	} else if s.SourceID.Type != 0 {
		return
	}
	if index != 0 {
		m.names.learn(agent, index, string(r.PortName))
	}
}

// nameInterface sets the name and alias of an interface of an event from
// the table.
func (m *Mapper) nameInterface(d *Doc, f *ifaceFields, agent netip.Addr, index uint32) {
	if m.names == nil {
		return
	}
	n, ok := m.names.lookup(agent, index)
	if !ok {
		return
	}
	d.strNonEmpty(f.name, n.name)
	d.strNonEmpty(f.alias, n.alias)
}
