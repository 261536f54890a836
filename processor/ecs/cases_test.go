package ecs

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sflowbeat/sflowbeat/beater/pcapfile"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoder"
)

// flatten returns the leaves of a decoded JSON event by dotted path, values
// printed with %v (lists as [a b]).
func flatten(prefix string, v any, out map[string]string) {
	if m, ok := v.(map[string]any); ok {
		for k, x := range m {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			flatten(p, x, out)
		}
		return
	}
	if l, ok := v.([]any); ok && len(l) > 0 {
		if _, objects := l[0].(map[string]any); objects {
			for _, x := range l { // arrays of objects: their fields
				flatten(prefix, x, out)
			}
			return
		}
	}
	out[prefix] = fmt.Sprint(v)
}

// captureEvents maps a capture and returns its events, flattened.
func captureEvents(t *testing.T, name string, opts Options) []map[string]string {
	t.Helper()
	var evs []map[string]string
	for _, line := range strings.Split(strings.TrimSpace(string(decodeCapture(t, filepath.Join(capturesDir, name), opts))), "\n") {
		if line == "" {
			continue // a capture without events
		}
		var m map[string]any
		d := json.NewDecoder(strings.NewReader(line))
		d.UseNumber() // print large counters as integers
		if err := d.Decode(&m); err != nil {
			t.Fatal(err)
		}
		flat := map[string]string{}
		flatten("", m, flat)
		evs = append(evs, flat)
	}
	return evs
}

// TestTrickyCases checks hand-written expectations, read from tshark's
// dissection of the captures (testdata/pcaps/summaries), for the cases that
// mappers get wrong. "<absent>" means the field must not be there.
func TestTrickyCases(t *testing.T) {
	cases := []struct {
		name, capture string
		event         int
		want          map[string]string
	}{
		{"QinQ: outer 802.1ad tag and inner 802.1Q tag", "akvorado-data-qinq.pcap", 0, map[string]string{
			"network.vlan.id": "1062", "network.inner.vlan.id": "1493", "source.ip": "49.49.49.2",
			"destination.ip": "49.49.49.109", "destination.port": "443", "sflow.sample.type": "flow_sample_expanded",
			"observer.ingress.interface.id": "369098852", "observer.egress.interface.id": "369098851"}},
		{"VXLAN: outer UDP mapped, inner packet under sflow.inner", "akvorado-data-encap-vxlan.pcap", 0, map[string]string{
			"source.ip": "192.168.108.40", "destination.ip": "192.168.15.14", "destination.port": "4789",
			"network.transport": "udp", "sflow.vxlan.vni": "100", "sflow.inner.source.ip": "2001:db8:4::1",
			"sflow.inner.destination.ip": "2001:db8:4::3", "sflow.inner.network.transport": "ipv6-icmp",
			"sflow.inner.icmp.type": "128", "sflow.output.format": "local", "observer.egress.interface.id": "<absent>"}},
		{"IPv6 agent address", "tcpdump-sflow-print-v6.pcap", 0, map[string]string{
			"observer.ip": "30::1:1:1", "event.dataset": "sflow.counters", "event.kind": "metric",
			"sflow.counters.if_index": "23001", "observer.ingress.interface.id": "23001"}},
		{"header protocol IPv4 (11), no Ethernet", "akvorado-data-sflow-raw-ipv4.pcap", 0, map[string]string{
			"sflow.header.protocol": "ipv4", "source.ip": "69.58.92.107", "destination.ip": "92.222.186.1",
			"network.transport": "icmp", "sflow.icmp.type": "0", "source.mac": "<absent>", "source.port": "<absent>"}},
		{"ICMPv6 header", "akvorado-data-icmpv6.pcap", 0, map[string]string{
			"network.type": "ipv6", "network.iana_number": "58", "sflow.icmp.type": "135", "destination.ip": "2001:db8::"}},
		{"discarded output interface", "akvorado-data-discard-interface.pcap", 0, map[string]string{
			"sflow.output.format": "discarded", "sflow.output.discard_reason": "1",
			"observer.egress.interface.id": "<absent>", "observer.ingress.interface.id": "27"}},
		{"multiple output interfaces", "akvorado-data-multiple-interfaces.pcap", 0, map[string]string{
			"sflow.output.format": "multiple", "sflow.output.interfaces": "7", "observer.egress.interface.id": "<absent>"}},
		{"drop event with Linux reason and function", "cistern-sflow-dumps.pcap", 9, map[string]string{
			"event.dataset": "sflow.drops", "event.kind": "event", "event.type": "[denied]", "sflow.drop.reason": "289",
			"event.reason": "unknown_l4", "sflow.linux_drop_reason": "NOT_SPECIFIED",
			"sflow.function": "__udp4_lib_rcv+0xbed/0xd90", "source.ip": "192.168.1.31", "destination.port": "3289"}},
		{"extended gateway with AS path and communities", "akvorado-data-sflow-expanded-sample.pcap", 0, map[string]string{
			"source.as.number": "203476", "destination.as.number": "203361", "sflow.gateway.as_path": "[8218 29605 203361]",
			"sflow.gateway.dst_peer_as": "8218", "sflow.gateway.local_pref": "100", "sflow.gateway.next_hop": "54.54.54.54",
			"sflow.gateway.communities": "[538574949 1911619684 1911669584 1911671290]"}},
		{"flow estimates: frame length x sampling rate", "akvorado-data-1140.pcap", 0, map[string]string{
			"sflow.bytes": "1518", "sflow.sample_rate": "1024", "network.bytes": "1554432", "network.packets": "1024",
			"source.mac": "24-6E-96-90-7A-50", "observer.ingress.vlan.id": "100", "network.vlan.id": "<absent>"}},
		{"unknown enterprise record skipped, the rest kept", "pmacct-sfprobe-rate4-gw-tag.pcap", 0, map[string]string{
			"event.dataset": "sflow.flow", "sflow.router.next_hop": "<absent>"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			evs := captureEvents(t, c.capture, Options{})
			if c.event >= len(evs) {
				t.Fatalf("%s has %d events, want event %d", c.capture, len(evs), c.event)
			}
			got := map[string]string{}
			for k := range c.want {
				v, ok := evs[c.event][k]
				if !ok {
					v = "<absent>"
				}
				got[k] = v
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestMalformedCaptures checks that deliberately broken captures decode
// without panic, keep what is valid and count the rest.
func TestMalformedCaptures(t *testing.T) {
	for _, name := range []string{"tcpdump-sflow_print-segv.pcap", "pmacct-sfprobe-agent6-MALFORMED.pcap", "gopacket-sflow_test.pcap"} {
		dgs, err := pcapfile.ReadAll(filepath.Join(capturesDir, name), 6343)
		if err != nil {
			t.Fatal(err)
		}
		dec, m := decoder.NewDecoder(), NewMapper(Options{})
		var dg decoded.Datagram
		var bad, events, valid int
		for _, d := range dgs {
			if err := dec.Decode(d.Payload, &dg); err != nil {
				bad++
				continue
			}
			bad += int(dg.Stats.SamplesMalformed)
			valid += dg.Samples()
			events += len(m.Map(&dg, d.Timestamp, nil))
		}
		if bad == 0 {
			t.Errorf("%s: nothing counted as malformed", name)
		}
		if events != valid {
			t.Errorf("%s: %d events for %d valid samples", name, events, valid)
		}
		if name == "gopacket-sflow_test.pcap" && valid < 20 {
			t.Errorf("%s: only %d valid samples kept", name, valid)
		}
	}
}
