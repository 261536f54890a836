package ecs

import (
	"net/netip"
	"testing"
	"time"

	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
)

// namedFlow maps one flow sample from agent, in on ifIndex 3 and out on 4.
func namedFlow(t *testing.T, m *Mapper, agent string) (in, out, alias any) {
	t.Helper()
	dg := &decoded.Datagram{Version: 5, AgentAddress: netip.MustParseAddr(agent), FlowSamples: []decoded.FlowSample{{
		Input: decoded.Interface{Value: 3}, Output: decoded.Interface{Value: 4}}}}
	f := m.Map(dg, time.Unix(0, 0), nil)[0].Map()
	in, _ = f.GetValue("observer.ingress.interface.name")
	out, _ = f.GetValue("observer.egress.interface.name")
	alias, _ = f.GetValue("observer.egress.interface.alias")
	return in, out, alias
}

// TestInterfaceNames checks learning from port_name records, configured
// names winning, and that names belong to one exporter.
func TestInterfaceNames(t *testing.T) {
	names := NewInterfaceNames()
	names.Set(netip.MustParseAddr("192.0.2.1"), 4, "", "uplink to core")
	m := NewMapper(Options{InterfaceNames: names})
	if in, out, _ := namedFlow(t, m, "192.0.2.1"); in != nil || out != nil {
		t.Errorf("names before any port_name record: %v %v", in, out)
	}
	counters := &decoded.Datagram{Version: 5, AgentAddress: netip.MustParseAddr("192.0.2.1"), CounterSamples: []decoded.CounterSample{
		{Records: decoded.CounterRecords{Has: decoded.HasGenericIf | decoded.HasPortName, GenericIf: decoded.GenericIfCounters{IfIndex: 3}, PortName: []byte("Ethernet3")}},
		{SourceID: decoded.SourceID{Index: 4}, Records: decoded.CounterRecords{Has: decoded.HasPortName, PortName: []byte("Ethernet4")}},
	}}
	m.Map(counters, time.Unix(0, 0), nil)
	in, out, alias := namedFlow(t, m, "192.0.2.1")
	if in != "Ethernet3" || out != "Ethernet4" || alias != "uplink to core" {
		t.Errorf("names %v %v alias %v, want Ethernet3 Ethernet4 alias 'uplink to core'", in, out, alias)
	}
	if in, out, _ := namedFlow(t, m, "192.0.2.2"); in != nil || out != nil {
		t.Errorf("another exporter got the names %v %v", in, out)
	}
	names.Set(netip.MustParseAddr("192.0.2.1"), 3, "core-1", "")
	if in, _, _ := namedFlow(t, m, "192.0.2.1"); in != "core-1" {
		t.Errorf("configured name %v, want core-1 (configuration wins)", in)
	}
}

// TestInterfaceNamesBounded checks that learning stops at
// MaxLearnedInterfaces entries.
func TestInterfaceNamesBounded(t *testing.T) {
	names := NewInterfaceNames()
	agent := netip.MustParseAddr("192.0.2.1")
	for i := range uint32(MaxLearnedInterfaces + 10) {
		names.learn(agent, i+1, "x")
	}
	if len(names.learned) != MaxLearnedInterfaces {
		t.Errorf("%d names learned, want at most %d", len(names.learned), MaxLearnedInterfaces)
	}
}
