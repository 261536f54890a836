package ecs

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"net/netip"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sflowbeat/sflowbeat/beater/pcapfile"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoder"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoder/header"
)

// received is the receive time of the hand-built datagrams.
var received = time.Date(2026, 1, 2, 3, 4, 5, 600, time.UTC)

// absent marks a field that must not be in the event.
const absent = "<absent>"

// datagram returns a v5 datagram from 192.0.2.1 holding the given samples.
func datagram(flows []decoded.FlowSample, counters []decoded.CounterSample, drops []decoded.DropSample) *decoded.Datagram {
	return &decoded.Datagram{Version: 5, AgentAddress: netip.MustParseAddr("192.0.2.1"), SubAgentID: 7,
		SequenceNumber: 1000, Uptime: 123456, FlowSamples: flows, CounterSamples: counters, DropSamples: drops}
}

// headerSample returns a flow_sample (1 in 100, ifIndex 3 to 4) whose only
// record is a sampled_header of the given protocol.
func headerSample(proto uint32, hdr []byte) decoded.FlowSample {
	s := decoded.FlowSample{SequenceNumber: 42, SourceID: decoded.SourceID{Index: 3}, SamplingRate: 100,
		SamplePool: 4200, Input: decoded.Interface{Value: 3}, Output: decoded.Interface{Value: 4}}
	s.Records.Has = decoded.HasSampledHeader
	s.Records.SampledHeader = decoded.SampledHeader{Protocol: proto, FrameLength: 1000, Stripped: 4, Header: hdr}
	return s
}

// parseHeaders parses the sampled headers of a hand-built datagram, as the
// decoder does for the datagrams it decodes.
func parseHeaders(dg *decoded.Datagram) *decoded.Datagram {
	p := header.NewParser()
	parse := func(r *decoded.FlowRecords) {
		if h := &r.SampledHeader; r.Has&decoded.HasSampledHeader != 0 {
			h.Parsed = p.Parse(h.Protocol, h.Header, &h.Packet)
		}
	}
	for i := range dg.FlowSamples {
		parse(&dg.FlowSamples[i].Records)
	}
	for i := range dg.DropSamples {
		parse(&dg.DropSamples[i].Records)
	}
	return dg
}

// events maps dg (its sampled headers parsed first, as the decoder does)
// and returns its events as decoded JSON objects, through EncodeJSON as the
// decode command and the golden files see them.
func events(t *testing.T, dg *decoded.Datagram) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, e := range NewMapper(Options{}).Map(parseHeaders(dg), received, nil) {
		var buf bytes.Buffer
		if err := EncodeJSON(&buf, e); err != nil {
			t.Fatal(err)
		}
		d := json.NewDecoder(&buf)
		d.UseNumber()
		var m map[string]any
		if err := d.Decode(&m); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

// flatEvent maps dg, which must give exactly one event, and returns its
// fields by dotted path.
func flatEvent(t *testing.T, dg *decoded.Datagram) map[string]string {
	t.Helper()
	evs := events(t, dg)
	if len(evs) != 1 {
		t.Fatalf("got %d events, want 1", len(evs))
	}
	flat := map[string]string{}
	flatten("", evs[0], flat)
	return flat
}

// checkFields compares the fields named in want with got (absent: the
// field must not be there).
func checkFields(t *testing.T, got, want map[string]string) {
	t.Helper()
	picked := map[string]string{}
	for k := range want {
		v, ok := got[k]
		if !ok {
			v = absent
		}
		picked[k] = v
	}
	if diff := cmp.Diff(want, picked); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
}

// TestMapFlowEvent checks a whole flow event: Ethernet, 802.1Q, IPv4, TCP,
// extended_switch.
func TestMapFlowEvent(t *testing.T) {
	hdr := ethernet(macB, macA, 0x0800, [][2]uint16{{0x8100, 10}},
		ipv4("198.51.100.1", "203.0.113.2", 6, tcp(40000, 443, 0x12)))
	s := headerSample(1, hdr)
	s.Records.Has |= decoded.HasExtSwitch
	s.Records.ExtSwitch = decoded.ExtSwitch{SrcVLAN: 10, DstVLAN: 20, DstPriority: 5}
	got := events(t, datagram([]decoded.FlowSample{s}, nil, nil))
	var want []map[string]any
	d := json.NewDecoder(bytes.NewReader([]byte(`[{
		"@timestamp": "2026-01-02T03:04:05.0000006Z",
		"destination": {"address": "203.0.113.2", "ip": "203.0.113.2", "mac": "00-53-00-00-00-0B", "port": 443},
		"ecs": {"version": "8.17.0"},
		"event": {"action": "SFLOW_5", "category": ["network"], "dataset": "sflow.flow", "kind": "event",
			"module": "sflow", "type": ["connection"]},
		"network": {"bytes": 100000, "packets": 100, "community_id": "1:IXgu4KKC+oBWdK3qarBKyUDltZU=",
			"iana_number": "6", "transport": "tcp", "type": "ipv4", "vlan": {"id": "10"}},
		"observer": {"ip": "192.0.2.1",
			"ingress": {"interface": {"id": "3"}, "vlan": {"id": "10"}},
			"egress": {"interface": {"id": "4"}, "vlan": {"id": "20"}}},
		"related": {"ip": ["198.51.100.1", "203.0.113.2"]},
		"sflow": {"version": 5, "sub_agent_id": 7, "sequence_num": 1000, "uptime_ms": 123456,
			"sample": {"type": "flow_sample", "sequence_number": 42, "source_id": {"type": 0, "index": 3}},
			"sample_rate": 100, "sample_pool": 4200, "bytes": 1000,
			"header": {"protocol": "ethernet", "size": 58, "stripped": 4},
			"ip": {"ttl": 64, "dscp": 46, "length": 40},
			"tcp": {"flags": ["syn", "ack"]},
			"switch": {"dst_priority": 5}},
		"source": {"address": "198.51.100.1", "ip": "198.51.100.1", "mac": "00-53-00-00-00-0A", "port": 40000},
		"tags": ["sflow", "forwarded"]
	}]`)))
	d.UseNumber()
	if err := d.Decode(&want); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("event (-want +got):\n%s", diff)
	}
}

// TestMapSampledHeader checks the sampled_header cases that mappers get
// wrong: stacked VLANs, tunnels, headers without Ethernet, non-IP frames.
func TestMapSampledHeader(t *testing.T) {
	inner := ethernet(macA, macB, 0x86DD, nil, ipv6("2001:db8::1", "2001:db8::2", 58, icmp(128, 0)))
	cases := []struct {
		name  string
		proto uint32
		hdr   []byte
		want  map[string]string
	}{
		{"QinQ: 802.1ad outer tag, 802.1Q inner tag", 1,
			ethernet(macB, macA, 0x0800, [][2]uint16{{0x88A8, 100}, {0x8100, 200}},
				ipv4("198.51.100.1", "203.0.113.2", 17, udp(5353, 53, nil))),
			map[string]string{"network.vlan.id": "100", "network.inner.vlan.id": "200", "source.port": "5353",
				"destination.port": "53", "network.transport": "udp", "network.iana_number": "17"}},
		{"priority tag only: no VLAN 0", 1,
			ethernet(macB, macA, 0x0800, [][2]uint16{{0x8100, 0x6000}}, ipv4("198.51.100.1", "203.0.113.2", 6, tcp(1, 2, 0))),
			map[string]string{"network.vlan.id": absent, "network.inner.vlan.id": absent, "sflow.tcp.flags": absent}},
		{"VXLAN: outer flow mapped, inner packet under sflow.inner", 1,
			ethernet(macB, macA, 0x0800, nil, ipv4("192.0.2.10", "192.0.2.20", 17, udp(49152, 4789, vxlan(5000, inner)))),
			map[string]string{"source.ip": "192.0.2.10", "destination.port": "4789", "sflow.vxlan.vni": "5000",
				"sflow.inner.source.ip": "2001:db8::1", "sflow.inner.destination.ip": "2001:db8::2",
				"sflow.inner.source.mac": "00-53-00-00-00-0B", "sflow.inner.network.type": "ipv6",
				"sflow.inner.network.transport": "ipv6-icmp", "sflow.inner.icmp.type": "128",
				"sflow.inner.source.port": absent, "sflow.icmp.type": absent}},
		{"header protocol 11: IPv4 without Ethernet", 11,
			ipv4("198.51.100.1", "203.0.113.2", 17, udp(123, 123, nil)),
			map[string]string{"sflow.header.protocol": "ipv4", "network.type": "ipv4", "source.port": "123",
				"source.mac": absent, "destination.mac": absent, "network.community_id": "1:gfOij8l7BgqSn58qJnQb49pBc/E="}},
		{"header protocol 12: IPv6 without Ethernet, ICMPv6 echo", 12,
			ipv6("2001:db8::1", "2001:db8::2", 58, icmp(128, 0)),
			map[string]string{"sflow.header.protocol": "ipv6", "network.type": "ipv6", "network.iana_number": "58",
				"network.transport": "ipv6-icmp", "sflow.icmp.type": "128", "sflow.icmp.code": "0",
				"sflow.ip.flow_label": "74565", "sflow.ip.ttl": "255", "source.port": absent, "source.mac": absent,
				"related.ip": "[2001:db8::1 2001:db8::2]"}},
		{"ARP: network.type arp, no IP fields", 1,
			ethernet([6]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, macA, 0x0806, nil, arp()),
			map[string]string{"network.type": "arp", "source.mac": "00-53-00-00-00-0A", "source.ip": absent,
				"related.ip": absent, "network.community_id": absent, "network.bytes": "100000"}},
		{"unknown IP protocol: number without keyword", 11,
			ipv4("198.51.100.1", "203.0.113.2", 253, nil),
			map[string]string{"network.iana_number": "253", "network.transport": absent, "source.port": absent}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := flatEvent(t, datagram([]decoded.FlowSample{headerSample(c.proto, c.hdr)}, nil, nil))
			checkFields(t, got, c.want)
		})
	}
}

// TestMapInterfaces checks the input/output interface formats of flow
// samples (sFlow v5 "interface").
func TestMapInterfaces(t *testing.T) {
	cases := []struct {
		name    string
		in, out decoded.Interface
		want    map[string]string
	}{
		{"ifIndexes", decoded.Interface{Value: 3}, decoded.Interface{Value: 4}, map[string]string{
			"observer.ingress.interface.id": "3", "observer.egress.interface.id": "4", "sflow.output.format": absent}},
		{"unknown (0): absent", decoded.Interface{}, decoded.Interface{}, map[string]string{
			"observer.ingress.interface.id": absent, "observer.egress.interface.id": absent,
			"sflow.input.format": absent, "sflow.output.format": absent}},
		{"discarded", decoded.Interface{Value: 3}, decoded.Interface{Format: decoded.IfFormatDiscarded, Value: 258},
			map[string]string{"observer.egress.interface.id": absent, "sflow.output.format": "discarded",
				"sflow.output.discard_reason": "258", "observer.ingress.interface.id": "3"}},
		{"multiple, count known", decoded.Interface{Value: 3}, decoded.Interface{Format: decoded.IfFormatMultiple, Value: 5},
			map[string]string{"observer.egress.interface.id": absent, "sflow.output.format": "multiple",
				"sflow.output.interfaces": "5"}},
		{"multiple, count unknown", decoded.Interface{Value: 3}, decoded.Interface{Format: decoded.IfFormatMultiple, Value: 0x7FFFFFFF},
			map[string]string{"sflow.output.format": "multiple", "sflow.output.interfaces": absent}},
		{"local input and output", decoded.Interface{Value: decoded.IfIndexLocal}, decoded.Interface{Value: decoded.IfIndexLocal},
			map[string]string{"sflow.input.format": "local", "sflow.output.format": "local",
				"observer.ingress.interface.id": absent, "observer.egress.interface.id": absent}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := decoded.FlowSample{SamplingRate: 1, Input: c.in, Output: c.out}
			checkFields(t, flatEvent(t, datagram([]decoded.FlowSample{s}, nil, nil)), c.want)
		})
	}
}

// TestMapSampledIP checks flows described by sampled_ipv4 / sampled_ipv6 /
// sampled_ethernet instead of a header, and the estimates of sampling rate 0.
func TestMapSampledIP(t *testing.T) {
	ip := func(proto uint32) decoded.FlowSample {
		s := decoded.FlowSample{SamplingRate: 0, Input: decoded.Interface{Value: 1}}
		s.Records.Has = decoded.HasSampledIPv4 | decoded.HasSampledEthernet
		s.Records.SampledIPv4 = decoded.SampledIP{Length: 60, Protocol: proto, SrcIP: netip.MustParseAddr("198.51.100.1"),
			DstIP: netip.MustParseAddr("198.51.100.1"), SrcPort: 8, DstPort: 9}
		s.Records.SampledEthernet = decoded.SampledEthernet{Length: 78, SrcMAC: macA, DstMAC: macB, EtherType: 0x0800}
		return s
	}
	udpFlow := flatEvent(t, datagram([]decoded.FlowSample{ip(17)}, nil, nil))
	// sampling_rate 0: no estimate, and the event says why (never a silent 0 or 1).
	checkFields(t, udpFlow, map[string]string{"source.port": "8", "destination.port": "9", "network.transport": "udp",
		"source.mac": "00-53-00-00-00-0A", "sflow.bytes": "78", "network.bytes": absent, "network.packets": absent,
		"sflow.sampling.rate_source": "missing", "sflow.sampling.applied_rate": absent,
		"related.ip": "[198.51.100.1]", "sflow.header.protocol": absent})
	icmpFlow := flatEvent(t, datagram([]decoded.FlowSample{ip(1)}, nil, nil))
	checkFields(t, icmpFlow, map[string]string{"source.port": absent, "destination.port": absent, "network.transport": "icmp"})

	v6 := decoded.FlowSample{SamplingRate: 10}
	v6.Records.Has = decoded.HasSampledIPv6
	v6.Records.SampledIPv6 = decoded.SampledIP{Length: 100, Protocol: 132, SrcIP: netip.MustParseAddr("2001:db8::1"),
		DstIP: netip.MustParseAddr("2001:db8::2"), SrcPort: 2905, DstPort: 2905}
	checkFields(t, flatEvent(t, datagram([]decoded.FlowSample{v6}, nil, nil)), map[string]string{
		"network.type": "ipv6", "network.transport": "sctp", "source.port": "2905", "sflow.bytes": "100",
		"network.bytes": "1000", "network.packets": "10", "source.mac": absent, "sflow.sampling.rate_source": absent})
}

// TestMapEstimate: the accounting stage's rate, its source and the loss
// compensation factor scale network.bytes and network.packets, and the
// event says where they come from; sflow.sample_rate stays as reported.
func TestMapEstimate(t *testing.T) {
	sample := func(a decoded.Accounted) decoded.FlowSample {
		s := decoded.FlowSample{SamplingRate: 0, Input: decoded.Interface{Value: 1}, Accounted: a}
		s.Records.Has = decoded.HasSampledIPv4
		s.Records.SampledIPv4 = decoded.SampledIP{Length: 100, Protocol: 6, SrcIP: netip.MustParseAddr("192.0.2.1"),
			DstIP: netip.MustParseAddr("192.0.2.2")}
		return s
	}
	for _, tc := range []struct {
		name string
		acc  decoded.Accounted
		want map[string]string
	}{
		{"a default rule", decoded.Accounted{Rate: 512, RateSource: decoded.RateDefault, Factor: 1}, map[string]string{
			"sflow.sample_rate": "0", "sflow.sampling.applied_rate": "512", "sflow.sampling.rate_source": "default",
			"network.packets": "512", "network.bytes": "51200", "sflow.sampling.compensation_factor": absent}},
		{"an override with compensation", decoded.Accounted{Rate: 100, RateSource: decoded.RateOverride, Factor: 1.25}, map[string]string{
			"sflow.sampling.applied_rate": "100", "sflow.sampling.rate_source": "override",
			"sflow.sampling.compensation_factor": "1.25", "network.packets": "125", "network.bytes": "12500"}},
		{"missing", decoded.Accounted{RateSource: decoded.RateMissing, Factor: 1}, map[string]string{
			"sflow.sampling.rate_source": "missing", "network.packets": absent, "network.bytes": absent}},
		{"a duplicate", decoded.Accounted{Duplicate: true, Rate: 1, RateSource: decoded.RateReported}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			evs := events(t, datagram([]decoded.FlowSample{sample(tc.acc)}, nil, nil))
			if tc.want == nil {
				if len(evs) != 0 {
					t.Fatalf("a duplicate sample was mapped: %v", evs)
				}
				return
			}
			flat := map[string]string{}
			flatten("", evs[0], flat)
			checkFields(t, flat, tc.want)
		})
	}
}

// TestMapExtended checks the extended flow records: gateway AS path, NAT,
// router, and a sample with extended records only.
func TestMapExtended(t *testing.T) {
	s := decoded.FlowSample{SamplingRate: 1}
	r := &s.Records
	r.Has = decoded.HasExtGateway | decoded.HasExtNAT | decoded.HasExtRouter | decoded.HasExtSwitch
	r.ExtGateway = decoded.ExtGateway{NextHop: netip.MustParseAddr("192.0.2.254"), AS: 64500, SrcAS: 64496, SrcPeerAS: 64497,
		ASPath: []decoded.ASPathSegment{{Type: decoded.ASPathSequence, ASNs: []uint32{64510, 64511}},
			{Type: decoded.ASPathSet, ASNs: []uint32{64512, 64513}}},
		Communities: []uint32{0xFC000001}, LocalPref: 100}
	r.ExtNAT = decoded.ExtNAT{SrcIP: netip.MustParseAddr("203.0.113.9"), DstIP: netip.IPv4Unspecified()}
	r.ExtRouter = decoded.ExtRouter{NextHop: netip.MustParseAddr("2001:db8::fe"), SrcMaskLen: 24, DstMaskLen: 48}
	r.ExtSwitch = decoded.ExtSwitch{SrcVLAN: 0, DstVLAN: 4095, SrcPriority: 0xFFFFFFFF, DstPriority: 0}
	checkFields(t, flatEvent(t, datagram([]decoded.FlowSample{s}, nil, nil)), map[string]string{
		"event.dataset": "sflow.flow", "source.as.number": "64496", "destination.as.number": "64513",
		"sflow.gateway.as_path": "[64510 64511 64512 64513]", "sflow.gateway.dst_peer_as": "64510",
		"sflow.gateway.src_peer_as": "64497", "sflow.gateway.as": "64500", "sflow.gateway.next_hop": "192.0.2.254",
		"sflow.gateway.communities": "[4227858433]", "sflow.gateway.local_pref": "100",
		"source.nat.ip": "203.0.113.9", "destination.nat.ip": absent,
		"sflow.router.next_hop": "2001:db8::fe", "sflow.router.src_mask_len": "24",
		"observer.ingress.vlan.id": absent, "observer.egress.vlan.id": absent,
		"sflow.switch.src_priority": absent, "sflow.switch.dst_priority": absent,
		"network.bytes": absent, "source.ip": absent, "related.ip": absent})

	noPath := decoded.FlowSample{}
	noPath.Records.Has = decoded.HasExtGateway
	noPath.Records.ExtGateway = decoded.ExtGateway{AS: 64500}
	checkFields(t, flatEvent(t, datagram([]decoded.FlowSample{noPath}, nil, nil)), map[string]string{
		"destination.as.number": "64500", "source.as.number": absent, "sflow.gateway.src_as": absent,
		"sflow.gateway.as_path": absent, "sflow.gateway.next_hop": absent, "sflow.gateway.local_pref": absent})
}

// TestMapDropEvent checks an event_discarded_packet (sFlow drops).
func TestMapDropEvent(t *testing.T) {
	d := decoded.DropSample{SequenceNumber: 9, SourceID: decoded.SourceID{Index: 5}, Drops: 2,
		Input: decoded.Interface{Value: 5}, Output: decoded.Interface{}, Reason: 258}
	d.Records.Has = decoded.HasSampledHeader | decoded.HasExtACL | decoded.HasExtLinuxDropReason
	d.Records.SampledHeader = decoded.SampledHeader{Protocol: 11, FrameLength: 84,
		Header: ipv4("198.51.100.1", "203.0.113.2", 6, tcp(1234, 22, 0x02))}
	d.Records.ExtACL = decoded.ExtACL{Number: 7, Name: []byte("deny-ssh"), Direction: 1}
	d.Records.ExtLinuxDropReason = []byte("NETFILTER_DROP")
	checkFields(t, flatEvent(t, datagram(nil, nil, []decoded.DropSample{d})), map[string]string{
		"event.dataset": "sflow.drops", "event.kind": "event", "event.type": "[denied]", "event.reason": "acl",
		"sflow.drop.reason": "258", "sflow.drops": "2", "sflow.sample.type": "event_discarded_packet",
		"observer.ingress.interface.id": "5", "observer.egress.interface.id": absent,
		"sflow.acl.name": "deny-ssh", "sflow.acl.direction": "ingress", "sflow.acl.number": "7",
		"sflow.linux_drop_reason": "NETFILTER_DROP", "destination.port": "22", "sflow.tcp.flags": "[syn]",
		"network.packets": "1", "network.bytes": "84", "sflow.sample_rate": absent})

	d.Reason = 9999
	checkFields(t, flatEvent(t, datagram(nil, nil, []decoded.DropSample{d})), map[string]string{
		"sflow.drop.reason": "9999", "event.reason": absent})
}

// TestMapCounters checks a counter event with if_counters and port_name,
// from an IPv6 agent; unknown counters (all ones) are absent.
func TestMapCounters(t *testing.T) {
	c := decoded.CounterSample{Expanded: true, SequenceNumber: 3, SourceID: decoded.SourceID{Index: 12}}
	c.Records.Has = decoded.HasGenericIf | decoded.HasPortName | decoded.HasEthernet
	c.Records.GenericIf = decoded.GenericIfCounters{IfIndex: 12, IfType: 6, IfSpeed: 10_000_000_000, IfDirection: 1,
		IfStatus: 3, IfInOctets: 1 << 40, IfOutDiscards: 7, IfPromiscuousMode: 1,
		IfInErrors: 0xFFFFFFFF, IfOutOctets: 0xFFFFFFFFFFFFFFFF}
	c.Records.PortName = []byte("Ethernet12")
	c.Records.Ethernet = decoded.EthernetCounters{FCSErrors: 4}
	dg := datagram(nil, []decoded.CounterSample{c}, nil)
	dg.AgentAddress = netip.MustParseAddr("2001:db8::1")
	checkFields(t, flatEvent(t, dg), map[string]string{
		"observer.ip": "2001:db8::1", "event.kind": "metric", "event.type": "[info]", "event.dataset": "sflow.counters",
		"sflow.sample.type": "counters_sample_expanded", "observer.ingress.interface.id": "12",
		"observer.ingress.interface.name": "Ethernet12", "sflow.counters.if_index": "12",
		"sflow.counters.if_speed": "10000000000", "sflow.counters.if_direction": "full-duplex",
		"sflow.counters.if_admin_status": "up", "sflow.counters.if_oper_status": "up",
		"sflow.counters.if_in_octets": "1099511627776", "sflow.counters.if_out_discards": "7",
		"sflow.counters.if_in_errors": absent, "sflow.counters.if_out_octets": absent,
		"sflow.counters.if_promiscuous_mode": "true", "sflow.counters.ethernet.dot3_stats_fcs_errors": "4",
		"sflow.counters.if_kind": absent, "sflow.sample.sampling_interval": absent, "network.bytes": absent})
}

// TestMapRFC3176 checks what is particular to sFlow v2/v4 datagrams.
func TestMapRFC3176(t *testing.T) {
	c := decoded.CounterSample{SequenceNumber: 1, Interval: 20}
	c.Records.Has = decoded.HasGenericIf | decoded.HasFDDI
	c.Records.GenericIf = decoded.GenericIfCounters{IfIndex: 2, IfStatus: 1}
	dg := datagram(nil, []decoded.CounterSample{c}, nil)
	dg.Version, dg.SubAgentID = 4, 0
	checkFields(t, flatEvent(t, dg), map[string]string{
		"sflow.version": "4", "event.action": "SFLOW_4", "sflow.sample.sampling_interval": "20",
		"sflow.counters.if_kind": "fddi", "sflow.counters.if_admin_status": "up",
		"sflow.counters.if_oper_status": "down", "sflow.sample.type": "counters_sample"})
}

// TestMapAppendsEvents checks that Map appends one event per sample, flows
// first, all stamped with the receive time.
func TestMapAppendsEvents(t *testing.T) {
	dg := datagram(make([]decoded.FlowSample, 2), make([]decoded.CounterSample, 1), make([]decoded.DropSample, 1))
	prev := []Event{{}}
	evs := NewMapper(Options{}).Map(dg, received, prev)
	var got []string
	for _, e := range evs[1:] {
		ds, _ := e.Map().GetValue("event.dataset")
		got = append(got, ds.(string))
		if !e.Timestamp.Equal(received) {
			t.Errorf("timestamp %v, want %v", e.Timestamp, received)
		}
	}
	want := []string{"sflow.flow", "sflow.flow", "sflow.counters", "sflow.drops"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("datasets (-want +got):\n%s", diff)
	}
}

// TestPreserveOriginal checks event.original: the sampled header, hex, only
// when asked for.
func TestPreserveOriginal(t *testing.T) {
	dgs, err := pcapfile.ReadAll(filepath.Join(capturesDir, "akvorado-data-icmpv4.pcap"), 6343)
	if err != nil {
		t.Fatal(err)
	}
	var dg decoded.Datagram
	if err := decoder.NewDecoder().Decode(dgs[0].Payload, &dg); err != nil {
		t.Fatal(err)
	}
	hdr := hex.EncodeToString(dg.FlowSamples[0].Records.SampledHeader.Header)
	for _, preserve := range []bool{false, true} {
		evs := NewMapper(Options{PreserveOriginal: preserve}).Map(&dg, time.Unix(0, 0), nil)
		got, _ := evs[0].Map().GetValue("event.original")
		if preserve && got != hdr || !preserve && got != nil {
			t.Errorf("PreserveOriginal=%v: event.original = %v, want %q", preserve, got, map[bool]string{true: hdr}[preserve])
		}
	}
}

// TestRFC3176HasNoSubAgent checks that v2/v4 events have no sub_agent_id.
func TestRFC3176HasNoSubAgent(t *testing.T) {
	dg := &decoded.Datagram{Version: 4, AgentAddress: netip.MustParseAddr("192.0.2.1"),
		CounterSamples: []decoded.CounterSample{{SequenceNumber: 1}}}
	evs := NewMapper(Options{}).Map(dg, time.Unix(0, 0), nil)
	if v, err := evs[0].Map().GetValue("sflow.sub_agent_id"); err == nil {
		t.Errorf("sflow.sub_agent_id = %v in an sFlow v4 event", v)
	}
}

// TestLocality checks source/destination.locality and network.direction
// for each combination, and their absence without internal networks.
func TestLocality(t *testing.T) {
	nets := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("2001:db8::/32")}
	cases := []struct{ src, dst, srcLoc, dstLoc, dir string }{
		{"10.1.1.1", "10.2.2.2", "internal", "internal", "internal"},
		{"10.1.1.1", "198.51.100.1", "internal", "external", "outbound"},
		{"198.51.100.1", "10.1.1.1", "external", "internal", "inbound"},
		{"198.51.100.1", "203.0.113.1", "external", "external", "external"},
		{"2001:db8::1", "2001:db9::1", "internal", "external", "outbound"},
	}
	for _, c := range cases {
		s := decoded.FlowSample{SamplingRate: 1}
		s.Records.Has = decoded.HasSampledIPv4
		s.Records.SampledIPv4 = decoded.SampledIP{Length: 100, Protocol: 17, SrcIP: netip.MustParseAddr(c.src), DstIP: netip.MustParseAddr(c.dst)}
		dg := &decoded.Datagram{Version: 5, AgentAddress: netip.MustParseAddr("192.0.2.1"), FlowSamples: []decoded.FlowSample{s}}
		f := NewMapper(Options{InternalNetworks: nets}).Map(dg, time.Unix(0, 0), nil)[0].Map()
		sl, _ := f.GetValue("source.locality")
		dl, _ := f.GetValue("destination.locality")
		dir, _ := f.GetValue("network.direction")
		if sl != c.srcLoc || dl != c.dstLoc || dir != c.dir {
			t.Errorf("%s -> %s: %v %v %v, want %s %s %s", c.src, c.dst, sl, dl, dir, c.srcLoc, c.dstLoc, c.dir)
		}
		f = NewMapper(Options{}).Map(dg, time.Unix(0, 0), nil)[0].Map()
		if v, err := f.GetValue("network.direction"); err == nil {
			t.Errorf("network.direction = %v without internal networks", v)
		}
	}
}

// TestEncodeJSONEmptyFields: an event without fields, nil or empty, is
// still one valid JSON object with its timestamp.
func TestEncodeJSONEmptyFields(t *testing.T) {
	for _, d := range []*Doc{nil, newDoc()} {
		var buf bytes.Buffer
		if err := EncodeJSON(&buf, Event{Timestamp: time.Unix(0, 0), Doc: d}); err != nil {
			t.Fatal(err)
		}
		if got, want := buf.String(), `{"@timestamp":"1970-01-01T00:00:00Z"}`+"\n"; got != want {
			t.Errorf("doc %v: %q, want %q", d, got, want)
		}
	}
}
