package tests

import (
	be "encoding/binary"
	"encoding/json"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"

	"github.com/sflowbeat/sflowbeat/beater/pcapfile"
)

// TestTsharkAgrees writes RFC 3176 (sFlow v2 and v4) datagrams built from
// the RFC's structures, and the datagrams of two v5 captures, into a pcap;
// dissects it with tshark and with `sflowbeat decode`; and checks that every
// field both report has the same value in both. Full tier: it needs
// tshark.
func TestTsharkAgrees(t *testing.T) {
	needTools(t, "tshark")
	var payloads [][]byte
	payloads = append(payloads, rfc3176Datagrams(tcpFrame(t))...)
	for _, name := range []string{"akvorado-data-1140.pcap", "tcpdump-sflow-print-v6.pcap"} {
		dgs, err := pcapfile.ReadAll(capture(name), 6343)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range dgs {
			payloads = append(payloads, d.Payload)
		}
	}
	path := filepath.Join(t.TempDir(), "sflow.pcap")
	writeSFlowPcap(t, path, payloads)

	out, err := exec.Command("tshark", "-r", path, "-d", "udp.port==6343,sflow", "-T", "json", "--no-duplicate-keys").Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	ts := tsharkSamples(t, out)
	beat := beatSamples(decodeEvents(t, path))

	compared := map[string]int{}
	for key, tf := range ts {
		bf, ok := beat[key]
		if !ok {
			t.Errorf("%s: tshark dissects this sample, sflowbeat has no event for it", key)
			continue
		}
		for tk, bk := range tsharkToBeat {
			tv, ok := tf[tk]
			if !ok || (tf["fixed_only"] != nil && !fixedFields[tk]) {
				continue
			}
			tv = normalizeTshark(tk, tv)
			var bv []string
			for _, k := range strings.Split(bk, "|") {
				bv = append(bv, bf[k]...)
			}
			if tk == "sflow_245.nexthop" { // router and gateway next hops, in record order
				sort.Strings(tv)
				sort.Strings(bv)
			}
			if strings.Join(tv, ",") != strings.Join(bv, ",") {
				t.Errorf("%s: tshark %s = %v, sflowbeat %s = %v", key, tk, tv, bk, bv)
			}
			compared[tk]++
		}
	}
	t.Logf("%d samples, %d distinct tshark fields compared", len(ts), len(compared))
	if len(ts) < 20 || len(compared) < 40 {
		t.Errorf("only %d samples and %d distinct fields compared: %v", len(ts), len(compared), compared)
	}
	for _, must := range []string{"sflow_245.version", "sflow.flow_sample.multiple_outputs", "sflow_245.vlan.in", "sflow_245.dstAS",
		"communities", "sflow_245.localpref", "ip.src", "tcp.srcport", "sflow_245.ifinoct", "sflow_245.vlan_id",
		"sflow_245.dot5StatsLineErrors", "sflow_245.dot12HCInNormPriorityOctets", "sflow_245.agent.v6"} {
		if compared[must] == 0 {
			t.Errorf("field %s was never compared", must)
		}
	}
}

// tsharkToBeat maps tshark's sFlow field names to the `sflowbeat decode`
// event fields holding the same value. "communities" is tshark's
// sflow_245.dstAS under sflow_245.communityEntries_tree (tshark reuses the
// AS field for communities).
var tsharkToBeat = map[string]string{
	"sflow_245.version":                        "sflow.version",
	"sflow_245.agent":                          "observer.ip",
	"sflow_245.agent.v6":                       "observer.ip",
	"sflow_245.sequence_number":                "sflow.sequence_num",
	"sflow_245.sysuptime":                      "sflow.uptime_ms",
	"sflow.flow_sample.sequence_number":        "sflow.sample.sequence_number",
	"sflow.flow_sample.source_id_class":        "sflow.sample.source_id.type",
	"sflow.flow_sample.index":                  "sflow.sample.source_id.index",
	"sflow.flow_sample.sampling_rate":          "sflow.sample_rate",
	"sflow.flow_sample.sample_pool":            "sflow.sample_pool",
	"sflow.flow_sample.dropped_packets":        "sflow.drops",
	"sflow.flow_sample.input_interface":        "observer.ingress.interface.id",
	"sflow.flow_sample.output_interface_value": "observer.egress.interface.id", // v5
	"sflow.flow_sample.multiple_outputs":       "sflow.output.interfaces",      // v2/v4
	"sflow.counters_sample.sequence_number":    "sflow.sample.sequence_number",
	"sflow.counters_sample.source_id_class":    "sflow.sample.source_id.type",
	"sflow.counters_sample.index":              "sflow.sample.source_id.index",
	"sflow_245.header.frame_length":            "sflow.bytes",
	"sflow_245.header.sampled_header_length":   "sflow.header.size",
	"ip.src":                                   "source.ip",
	"ip.dst":                                   "destination.ip",
	"ipv6.src":                                 "source.ip",
	"ipv6.dst":                                 "destination.ip",
	"tcp.srcport":                              "source.port",
	"tcp.dstport":                              "destination.port",
	"udp.srcport":                              "source.port",
	"udp.dstport":                              "destination.port",
	"sflow_245.vlan.in":                        "observer.ingress.vlan.id",
	"sflow_245.vlan.out":                       "observer.egress.vlan.id",
	"sflow_245.pri.in":                         "sflow.switch.src_priority",
	"sflow_245.pri.out":                        "sflow.switch.dst_priority",
	"sflow_245.nexthop":                        "sflow.router.next_hop|sflow.gateway.next_hop",
	"sflow_245.nexthop.src_mask":               "sflow.router.src_mask_len",
	"sflow_245.nexthop.dst_mask":               "sflow.router.dst_mask_len",
	"sflow_245.as":                             "sflow.gateway.as",
	"sflow_245.srcAS":                          "sflow.gateway.src_as",
	"sflow_245.peerAS":                         "sflow.gateway.src_peer_as",
	"sflow_245.dstAS":                          "sflow.gateway.as_path",
	"communities":                              "sflow.gateway.communities",
	"sflow_245.localpref":                      "sflow.gateway.local_pref",
	"sflow_245.ifindex":                        "sflow.counters.if_index",
	"sflow_245.iftype":                         "sflow.counters.if_type",
	"sflow_245.ifspeed":                        "sflow.counters.if_speed",
	"sflow_245.ifinoct":                        "sflow.counters.if_in_octets",
	"sflow_245.ifinpkt":                        "sflow.counters.if_in_ucast_pkts",
	"sflow_245.ifinmcast":                      "sflow.counters.if_in_multicast_pkts",
	"sflow_245.ifinbcast":                      "sflow.counters.if_in_broadcast_pkts",
	"sflow_245.ifindisc":                       "sflow.counters.if_in_discards",
	"sflow_245.ifinerr":                        "sflow.counters.if_in_errors",
	"sflow_245.ifinunk":                        "sflow.counters.if_in_unknown_protos",
	"sflow_245.ifoutoct":                       "sflow.counters.if_out_octets",
	"sflow_245.ifoutpkt":                       "sflow.counters.if_out_ucast_pkts",
	"sflow_245.ifoutmcast":                     "sflow.counters.if_out_multicast_pkts",
	"sflow_245.ifoutbcast":                     "sflow.counters.if_out_broadcast_pkts",
	"sflow_245.ifoutdisc":                      "sflow.counters.if_out_discards",
	"sflow_245.ifouterr":                       "sflow.counters.if_out_errors",
	"sflow_245.vlan_id":                        "sflow.counters.vlan.vlan_id",
	"sflow_245.octets":                         "sflow.counters.vlan.octets",
	"sflow_245.ucastPkts":                      "sflow.counters.vlan.ucast_pkts",
	"sflow_245.multicastPkts":                  "sflow.counters.vlan.multicast_pkts",
	"sflow_245.broadcastPkts":                  "sflow.counters.vlan.broadcast_pkts",
	"sflow_245.discards":                       "sflow.counters.vlan.discards",
	"sflow_245.dot5StatsLineErrors":            "sflow.counters.token_ring.dot5_stats_line_errors",
	"sflow_245.dot5StatsRecoveries":            "sflow.counters.token_ring.dot5_stats_recoverys",
	"sflow_245.dot5StatsFreqErrors":            "sflow.counters.token_ring.dot5_stats_freq_errors",
	"sflow_245.dot12InHighPriorityFrames":      "sflow.counters.vg.dot12_in_high_priority_frames",
	"sflow_245.dot12InNormPriorityOctets":      "sflow.counters.vg.dot12_in_norm_priority_octets",
	"sflow_245.dot12TransitionIntoTrainings":   "sflow.counters.vg.dot12_transition_into_trainings",
	"sflow_245.dot12HCInNormPriorityOctets":    "sflow.counters.vg.dot12_hc_in_norm_priority_octets",
	"sflow_245.dot12HCOutHighPriorityOctets":   "sflow.counters.vg.dot12_hc_out_high_priority_octets",
}

// normalizeTshark turns tshark's values into what the ECS mapping writes
// for the same wire value: the mapping leaves out unknown values (ifIndex,
// AS, local preference 0; next hop 0.0.0.0; VLANs outside 1-4094) and
// writes a multiple-output count without the 0x80000000 flag, 0 meaning
// unknown. tshark 4.0 does not mask the source_id type out of the index of
// RFC 3176 counter samples (it does for flow samples): the index is masked
// here.
func normalizeTshark(key string, vals []string) []string {
	var out []string
	for _, v := range vals {
		n, err := strconv.ParseUint(v, 10, 64)
		isNum := err == nil
		switch {
		case key == "sflow.flow_sample.multiple_outputs" && isNum:
			n &^= 0x80000000
			v = strconv.FormatUint(n, 10)
		case key == "sflow.counters_sample.index" && isNum:
			v = strconv.FormatUint(n&0xFFFFFF, 10)
		}
		switch {
		case v == "0.0.0.0" && key == "sflow_245.nexthop":
			continue
		case (key == "sflow_245.vlan.in" || key == "sflow_245.vlan.out") && (n < 1 || n > 4094):
			continue
		case v == "0" && omittedWhenZero[key]:
			continue
		}
		out = append(out, v)
	}
	return out
}

// omittedWhenZero are the fields the ECS mapping leaves out when 0: unknown,
// or carrying no information (no drops, the default 802.1p priority).
var omittedWhenZero = map[string]bool{
	"sflow.flow_sample.input_interface": true, "sflow.flow_sample.output_interface_value": true,
	"sflow.flow_sample.multiple_outputs": true, "sflow_245.as": true, "sflow_245.srcAS": true,
	"sflow_245.peerAS": true, "sflow_245.localpref": true,
	"sflow.flow_sample.dropped_packets": true, "sflow_245.pri.in": true, "sflow_245.pri.out": true,
}

// fixedFields are the fields tshark reads before a flow sample's packet
// data: the only ones compared for the samples whose packet data tshark
// 4.0 cannot follow (RFC 3176 sampled_ipv4/ipv6, extended_user/url).
var fixedFields = map[string]bool{
	"sflow_245.version": true, "sflow_245.agent": true, "sflow_245.agent.v6": true, "sflow_245.sequence_number": true,
	"sflow_245.sysuptime": true, "sflow.flow_sample.sequence_number": true, "sflow.flow_sample.source_id_class": true,
	"sflow.flow_sample.index": true, "sflow.flow_sample.sampling_rate": true, "sflow.flow_sample.sample_pool": true,
	"sflow.flow_sample.dropped_packets": true, "sflow.flow_sample.input_interface": true, "sflow.flow_sample.multiple_outputs": true,
}

// tsharkSamples flattens tshark's JSON into one field map per sample, keyed
// like beatSamples: "agent/datagram seq/flow|counters/sample seq".
func tsharkSamples(t *testing.T, out []byte) map[string]map[string][]string {
	var pkts []struct {
		Source struct {
			Layers map[string]any `json:"layers"`
		} `json:"_source"`
	}
	if err := json.Unmarshal(out, &pkts); err != nil {
		t.Fatalf("tshark JSON: %v", err)
	}
	samples := map[string]map[string][]string{}
	for _, p := range pkts {
		sf, _ := p.Source.Layers["sflow"].(map[string]any)
		head := map[string][]string{}
		flatten(sf, "", head, true)
		agent := first(head["sflow_245.agent"], head["sflow_245.agent.v6"])
		for k, v := range sf {
			m, ok := v.(map[string]any)
			kind := map[bool]string{true: "flow", false: "counters"}[strings.HasPrefix(k, "Flow sample")]
			if !ok || !(strings.HasPrefix(k, "Flow sample") || strings.HasPrefix(k, "Counters sample")) {
				continue
			}
			fields := map[string][]string{}
			for hk, hv := range head {
				fields[hk] = hv
			}
			flatten(m, "", fields, false)
			seq := first(fields["sflow.flow_sample.sequence_number"], fields["sflow.counters_sample.sequence_number"])
			if fields["sflow.flow_sample.sequence_number"] != nil && fields["sflow_245.packet_information_type"] != nil &&
				fields["sflow_245.packet_information_type"][0] != "1" {
				fields["fixed_only"] = []string{"1"}
			}
			samples[agent+"/"+first(head["sflow_245.sequence_number"])+"/"+kind+"/"+seq] = fields
		}
	}
	return samples
}

// flatten collects the leaf values of a tshark JSON tree under their field
// names; top keeps only the datagram header (not the samples).
func flatten(m map[string]any, parent string, dst map[string][]string, top bool) {
	for k, v := range m {
		name := k
		if parent == "sflow_245.communityEntries_tree" {
			name = "communities"
		}
		switch v := v.(type) {
		case string:
			dst[name] = append(dst[name], v)
		case []any: // repeated keys (--no-duplicate-keys): values or subtrees
			for _, e := range v {
				switch e := e.(type) {
				case string:
					dst[name] = append(dst[name], e)
				case map[string]any:
					if !top {
						flatten(e, k, dst, false)
					}
				}
			}
		case map[string]any:
			if !top {
				flatten(v, k, dst, false)
			}
		}
	}
}

// beatSamples flattens the events of `sflowbeat decode` the same way.
func beatSamples(events []map[string]any) map[string]map[string][]string {
	out := map[string]map[string][]string{}
	for _, ev := range events {
		f := map[string][]string{}
		flattenEvent(ev, "", f)
		kind := map[string]string{"sflow.flow": "flow", "sflow.counters": "counters"}[first(f["event.dataset"])]
		out[first(f["observer.ip"])+"/"+first(f["sflow.sequence_num"])+"/"+kind+"/"+first(f["sflow.sample.sequence_number"])] = f
	}
	return out
}

// flattenEvent turns an event into dotted keys and string values.
func flattenEvent(v any, prefix string, dst map[string][]string) {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			flattenEvent(e, strings.TrimPrefix(prefix+"."+k, "."), dst)
		}
	case []any:
		for _, e := range v {
			flattenEvent(e, prefix, dst)
		}
	case float64:
		dst[prefix] = append(dst[prefix], strconv.FormatFloat(v, 'f', -1, 64))
	default:
		dst[prefix] = append(dst[prefix], fmt.Sprint(v))
	}
}

// first returns the first value of the first non-empty list.
func first(lists ...[]string) string {
	for _, l := range lists {
		if len(l) > 0 {
			return l[0]
		}
	}
	return ""
}

// writeSFlowPcap writes each payload as an Ethernet/IPv4/UDP frame to port
// 6343.
func writeSFlowPcap(t *testing.T, path string, payloads [][]byte) {
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := pcapgo.NewWriter(f)
	if err := w.WriteFileHeader(65535, layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	for i, p := range payloads {
		frame := udpFrame(t, net.IPv4(10, 0, 0, 1), net.IPv4(10, 0, 0, 2), 40000, 6343, p)
		ci := gopacket.CaptureInfo{Timestamp: time.Unix(1700000000+int64(i), 0), CaptureLength: len(frame), Length: len(frame)}
		if err := w.WritePacket(ci, frame); err != nil {
			t.Fatal(err)
		}
	}
}

// udpFrame builds an Ethernet/IPv4/UDP frame around payload.
func udpFrame(t *testing.T, src, dst net.IP, sport, dport uint16, payload []byte) []byte {
	eth := &layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1}, DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, 2}, EthernetType: layers.EthernetTypeIPv4}
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: src.To4(), DstIP: dst.To4()}
	udp := &layers.UDP{SrcPort: layers.UDPPort(sport), DstPort: layers.UDPPort(dport)}
	if err := udp.SetNetworkLayerForChecksum(ip); err != nil {
		t.Fatal(err)
	}
	buf := gopacket.NewSerializeBuffer()
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	if err := gopacket.SerializeLayers(buf, opts, eth, ip, udp, gopacket.Payload(payload)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// tcpFrame is the sampled packet of the flow samples: Ethernet, IPv4, TCP.
func tcpFrame(t *testing.T) []byte {
	eth := &layers.Ethernet{SrcMAC: net.HardwareAddr{0, 0x11, 0x22, 0x33, 0x44, 0x55}, DstMAC: net.HardwareAddr{0, 0x66, 0x77, 0x88, 0x99, 0xaa}, EthernetType: layers.EthernetTypeIPv4}
	ip := &layers.IPv4{Version: 4, TTL: 60, Protocol: layers.IPProtocolTCP, SrcIP: net.IPv4(198, 51, 100, 1).To4(), DstIP: net.IPv4(203, 0, 113, 2).To4()}
	tcp := &layers.TCP{SrcPort: 44321, DstPort: 443, ACK: true, PSH: true, Window: 1000}
	if err := tcp.SetNetworkLayerForChecksum(ip); err != nil {
		t.Fatal(err)
	}
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, eth, ip, tcp); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// xdrBuf appends XDR words for the RFC 3176 datagrams.
type xdrBuf []byte

func (b xdrBuf) u32(vs ...uint32) xdrBuf {
	for _, v := range vs {
		b = be.BigEndian.AppendUint32(b, v)
	}
	return b
}

func (b xdrBuf) u64(v uint64) xdrBuf { return be.BigEndian.AppendUint64(b, v) }

// opaque appends a variable-length opaque with its XDR padding.
func (b xdrBuf) opaque(p []byte) xdrBuf {
	b = append(b.u32(uint32(len(p))), p...)
	return append(b, make([]byte, (4-len(p)%4)%4)...)
}

// addr appends an address union (1 IPv4, 2 IPv6).
func (b xdrBuf) addr(s string) xdrBuf {
	a := netip.MustParseAddr(s)
	if a.Is4() {
		return append(b.u32(1), a.AsSlice()...)
	}
	return append(b.u32(2), a.AsSlice()...)
}

// rfc3176Header is sample_datagram_v4 (and v2) up to the samples count.
func rfc3176Header(version uint32, agent string, seq, n uint32) xdrBuf {
	return xdrBuf{}.u32(version).addr(agent).u32(seq, 3600_000, n)
}

// ifCounters is an RFC 3176 if_counters with values derived from base.
func ifCounters(base uint32) xdrBuf {
	return xdrBuf{}.u32(base, 6).u64(1_000_000_000).u32(1, 3).u64(uint64(base)<<20+1).
		u32(base+1, base+2, base+3, base+4, base+5, base+6).u64(uint64(base)<<24+2).
		u32(base+7, base+8, base+9, base+10, base+11, 0)
}

// seqWords returns n words counting up from start.
func seqWords(start, n uint32) []uint32 {
	w := make([]uint32, n)
	for i := range w {
		w[i] = start + uint32(i)
	}
	return w
}

// rfc3176Datagrams returns sFlow v2 and v4 datagrams built from RFC 3176
// section 4: flow samples with a sampled_header of frame, extended switch,
// router and gateway (v2 flat AS list, v4 AS segments, communities and
// local preference), single and multiple outputs; counter samples of
// every counters_version; and, last in their datagram (tshark 4.0 cannot
// go past them), sampled_ipv4 / sampled_ipv6 with extended_user and
// extended_url.
func rfc3176Datagrams(frame []byte) [][]byte {
	flowHead := func(b xdrBuf, seq, rate, in, out uint32) xdrBuf {
		return b.u32(1, seq, 0<<24|in, rate, rate*1000+seq, seq%3, in, out)
	}
	header := func(b xdrBuf) xdrBuf { return b.u32(1, 1, 1514).opaque(frame) }

	v4 := rfc3176Header(4, "192.0.2.4", 4001, 4)
	v4 = header(flowHead(v4, 11, 512, 3, 0x80000003)).u32(3).
		u32(1, 10, 1, 20, 2).                                                          // extended_switch
		u32(2).addr("10.0.0.254").u32(24, 16).                                         // extended_router
		u32(3, 65000, 64500, 64501, 2, 2, 2, 64502, 64503, 1, 3, 64504, 64505, 64506). // extended_gateway v4: AS path
		u32(2, 65000<<16|100, 65000<<16|200, 150)                                      // communities, localpref
	v4 = header(flowHead(v4, 12, 512, 4, 7)).u32(1).u32(1, 30, 0, 40, 5)
	v4 = v4.u32(2, 21, 1<<24|5, 30, 2).append(ifCounters(5)...).u32(seqWords(101, 13)...) // ethernet
	v4 = v4.u32(2, 22, 1<<24|6, 30, 7, 100).u64(5555).u32(1, 2, 3, 4)                     // vlan

	v4b := rfc3176Header(4, "2001:db8::4", 4002, 5)
	v4b = v4b.u32(2, 23, 7, 20, 3).append(ifCounters(7)...).u32(seqWords(201, 18)...) // token ring
	v4b = v4b.u32(2, 24, 8, 20, 4).append(ifCounters(8)...)                           // fddi
	v4b = v4b.u32(2, 25, 9, 20, 5).append(ifCounters(9)...).                          // 100BaseVG
												u32(1).u64(2).u32(3).u64(4).u32(5, 6, 7, 8, 9).u64(10).u32(11).u64(12).u64(13).u64(14)
	v4b = v4b.u32(2, 26, 10, 20, 6).append(ifCounters(10)...) // wan
	v4b = flowHead(v4b, 13, 64, 11, 12).u32(2, 1500, 6).addr4("198.51.100.7", "203.0.113.9").u32(1234, 80, 0x18, 0).
		u32(2).u32(4).opaque([]byte("alice")).opaque([]byte("bob")).u32(5, 1).opaque([]byte("http://example.com/"))

	v2 := rfc3176Header(2, "192.0.2.2", 2001, 3)
	v2 = header(flowHead(v2, 31, 100, 7, 8)).u32(2).
		u32(1, 100, 3, 200, 4).
		u32(3, 65100, 64600, 64601, 3, 64601, 64602, 64603) // extended_gateway v2: flat AS list
	v2 = v2.u32(2, 32, 7, 60, 1).append(ifCounters(7)...) // generic
	v2 = flowHead(v2, 33, 100, 7, 0x80000000).u32(3, 80, 17).append(netip.MustParseAddr("2001:db8::10").AsSlice()...).
		append(netip.MustParseAddr("2001:db8::20").AsSlice()...).u32(5353, 53, 0, 0).u32(0)
	return [][]byte{v4, v4b, v2}
}

func (b xdrBuf) append(p ...byte) xdrBuf { return append(b, p...) }

// addr4 appends two ip_v4 (sampled_ipv4 src_ip, dst_ip).
func (b xdrBuf) addr4(src, dst string) xdrBuf {
	return append(append(b, netip.MustParseAddr(src).AsSlice()...), netip.MustParseAddr(dst).AsSlice()...)
}
