package decoder

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
)

// counterRecordCase is one counter record built by hand and what must come
// out.
type counterRecordCase struct {
	name   string
	format uint32
	bit    decoded.CounterHas
	body   []byte
	got    func(*decoded.CounterRecords) any
	want   any
}

// seqCase builds a case for a structure whose wire layout is its field
// order (see seqStruct).
func seqCase[T any](name string, format uint32, bit decoded.CounterHas, got func(*decoded.CounterRecords) any) counterRecordCase {
	want, body := seqStruct[T]()
	return counterRecordCase{name, format, bit, body, got, want}
}

func build(f func(*xb)) []byte {
	var b xb
	f(&b)
	return b.b
}

var counterRecordCases = []counterRecordCase{
	seqCase[decoded.GenericIfCounters]("if_counters", decoded.CounterGenericIf, decoded.HasGenericIf, func(r *decoded.CounterRecords) any { return r.GenericIf }),
	seqCase[decoded.EthernetCounters]("ethernet_counters", decoded.CounterEthernet, decoded.HasEthernet, func(r *decoded.CounterRecords) any { return r.Ethernet }),
	seqCase[decoded.TokenRingCounters]("tokenring_counters", decoded.CounterTokenRing, decoded.HasTokenRing, func(r *decoded.CounterRecords) any { return r.TokenRing }),
	seqCase[decoded.VGCounters]("vg_counters", decoded.CounterVG, decoded.HasVG, func(r *decoded.CounterRecords) any { return r.VG }),
	seqCase[decoded.VLANCounters]("vlan_counters", decoded.CounterVLAN, decoded.HasVLAN, func(r *decoded.CounterRecords) any { return r.VLAN }),
	seqCase[decoded.IEEE80211Counters]("ieee80211_counters", decoded.CounterIEEE80211, decoded.HasIEEE80211, func(r *decoded.CounterRecords) any { return r.IEEE80211 }),
	{"lag_port_stats", decoded.CounterLAG, decoded.HasLAG, build(func(b *xb) {
		b.mac(mac1).mac(mac2).u32(5).raw([]byte{0x3d, 0x3f, 0x0d, 0x3c}).u32(1, 2, 3, 4, 5, 6, 7, 8)
	}),
		func(r *decoded.CounterRecords) any { return r.LAG }, decoded.LAGCounters{ActorSystemID: mac1, PartnerSystemID: mac2, AttachedAggID: 5,
			ActorAdminState: 0x3d, ActorOperState: 0x3f, PartnerAdminState: 0x0d, PartnerOperState: 0x3c,
			LACPDUsRx: 1, MarkerPDUsRx: 2, MarkerResponsePDUsRx: 3, UnknownRx: 4, IllegalRx: 5,
			LACPDUsTx: 6, MarkerPDUsTx: 7, MarkerResponsePDUsTx: 8}},
	{"sfp", decoded.CounterSFP, decoded.HasSFP, build(func(b *xb) {
		b.u32(1, 4, 3300, uint32(0xFFFFFFFF-999)) // -1000 m°C
		b.u32(2).u32(1, 6000, 500, 100, 900, 1310, 400, 50, 800, 1310).u32(2, 6100, 510, 101, 901, 1311, 410, 51, 801, 1311)
	}),
		func(r *decoded.CounterRecords) any { return r.SFP }, decoded.SFPCounters{ModuleID: 1, ModuleTotalLanes: 4, ModuleSupplyVoltage: 3300, ModuleTemperature: -1000, Lanes: []decoded.SFPLane{
			{Index: 1, TxBiasCurrent: 6000, TxPower: 500, TxPowerMin: 100, TxPowerMax: 900, TxWavelength: 1310, RxPower: 400, RxPowerMin: 50, RxPowerMax: 800, RxWavelength: 1310},
			{Index: 2, TxBiasCurrent: 6100, TxPower: 510, TxPowerMin: 101, TxPowerMax: 901, TxWavelength: 1311, RxPower: 410, RxPowerMin: 51, RxPowerMax: 801, RxWavelength: 1311},
		}}},
	seqCase[decoded.ProcessorCounters]("processor", decoded.CounterProcessor, decoded.HasProcessor, func(r *decoded.CounterRecords) any { return r.Processor }),
	seqCase[decoded.RadioCounters]("radio_utilization", decoded.CounterRadio, decoded.HasRadio, func(r *decoded.CounterRecords) any { return r.Radio }),
	seqCase[decoded.OpenFlowPortCounters]("of_port", decoded.CounterOpenFlowPort, decoded.HasOpenFlowPort, func(r *decoded.CounterRecords) any { return r.OpenFlowPort }),
	{"port_name", decoded.CounterPortName, decoded.HasPortName, build(func(b *xb) { b.str("eth0") }),
		func(r *decoded.CounterRecords) any { return r.PortName }, []byte("eth0")},
	{"host_descr", decoded.CounterHostDescr, decoded.HasHostDescr, build(func(b *xb) {
		b.str("host-1").raw([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}).u32(3, 2).str("6.1.0-13-amd64")
	}),
		func(r *decoded.CounterRecords) any { return r.HostDescr }, decoded.HostDescr{Hostname: []byte("host-1"), UUID: [16]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
			MachineType: 3, OSName: 2, OSRelease: []byte("6.1.0-13-amd64")}},
	{"host_adapters", decoded.CounterHostAdapters, decoded.HasHostAdapters, build(func(b *xb) { b.u32(2).u32(1, 1).mac(mac1).u32(2, 2).mac(mac1).mac(mac2) }),
		func(r *decoded.CounterRecords) any { return r.HostAdapters },
		[]decoded.HostAdapter{{IfIndex: 1, MACs: [][6]byte{mac1}}, {IfIndex: 2, MACs: [][6]byte{mac1, mac2}}}},
	seqCase[decoded.HostParent]("host_parent", decoded.CounterHostParent, decoded.HasHostParent, func(r *decoded.CounterRecords) any { return r.HostParent }),
	{"host_cpu", decoded.CounterHostCPU, decoded.HasHostCPU, build(func(b *xb) {
		b.u32(0x3f000000, 0x3f800000, 0x40000000) // 0.5, 1, 2
		b.u32(1, 200, 4, 2400, 3600, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21)
	}),
		func(r *decoded.CounterRecords) any { return r.HostCPU }, decoded.HostCPU{LoadOne: 0.5, LoadFive: 1, LoadFifteen: 2, ProcRun: 1, ProcTotal: 200, CPUNum: 4, CPUSpeed: 2400, Uptime: 3600,
			CPUUser: 10, CPUNice: 11, CPUSystem: 12, CPUIdle: 13, CPUWio: 14, CPUIntr: 15, CPUSintr: 16, Interrupts: 17, Contexts: 18,
			CPUSteal: 19, CPUGuest: 20, CPUGuestNice: 21, HasExtended: true}},
	seqCase[decoded.HostMemory]("host_memory", decoded.CounterHostMemory, decoded.HasHostMemory, func(r *decoded.CounterRecords) any { return r.HostMemory }),
	seqCase[decoded.HostDiskIO]("host_disk_io", decoded.CounterHostDiskIO, decoded.HasHostDiskIO, func(r *decoded.CounterRecords) any { return r.HostDiskIO }),
	seqCase[decoded.HostNetIO]("host_net_io", decoded.CounterHostNetIO, decoded.HasHostNetIO, func(r *decoded.CounterRecords) any { return r.HostNetIO }),
	seqCase[decoded.Mib2IP]("mib2_ip_group", decoded.CounterMib2IP, decoded.HasMib2IP, func(r *decoded.CounterRecords) any { return r.Mib2IP }),
	seqCase[decoded.Mib2ICMP]("mib2_icmp_group", decoded.CounterMib2ICMP, decoded.HasMib2ICMP, func(r *decoded.CounterRecords) any { return r.Mib2ICMP }),
	seqCase[decoded.Mib2TCP]("mib2_tcp_group", decoded.CounterMib2TCP, decoded.HasMib2TCP, func(r *decoded.CounterRecords) any { return r.Mib2TCP }),
	seqCase[decoded.Mib2UDP]("mib2_udp_group", decoded.CounterMib2UDP, decoded.HasMib2UDP, func(r *decoded.CounterRecords) any { return r.Mib2UDP }),
	seqCase[decoded.VirtNode]("virt_node", decoded.CounterVirtNode, decoded.HasVirtNode, func(r *decoded.CounterRecords) any { return r.VirtNode }),
	seqCase[decoded.VirtCPU]("virt_cpu", decoded.CounterVirtCPU, decoded.HasVirtCPU, func(r *decoded.CounterRecords) any { return r.VirtCPU }),
	seqCase[decoded.VirtMemory]("virt_memory", decoded.CounterVirtMemory, decoded.HasVirtMemory, func(r *decoded.CounterRecords) any { return r.VirtMemory }),
	seqCase[decoded.VirtDiskIO]("virt_disk_io", decoded.CounterVirtDiskIO, decoded.HasVirtDiskIO, func(r *decoded.CounterRecords) any { return r.VirtDiskIO }),
	seqCase[decoded.HostNetIO]("virt_net_io", decoded.CounterVirtNetIO, decoded.HasVirtNetIO, func(r *decoded.CounterRecords) any { return r.VirtNetIO }),
	{"jvm_runtime", decoded.CounterJVMRuntime, decoded.HasJVMRuntime, build(func(b *xb) { b.str("OpenJDK 64-Bit Server VM").str("Eclipse Adoptium").str("21.0.1") }),
		func(r *decoded.CounterRecords) any { return r.JVMRuntime }, decoded.JVMRuntime{VMName: []byte("OpenJDK 64-Bit Server VM"), VMVendor: []byte("Eclipse Adoptium"), VMVersion: []byte("21.0.1")}},
	seqCase[decoded.JVMStatistics]("jvm_statistics", decoded.CounterJVMStatistics, decoded.HasJVMStats, func(r *decoded.CounterRecords) any { return r.JVMStats }),
	seqCase[decoded.HTTPCounters]("http_counters", decoded.CounterHTTP, decoded.HasHTTP, func(r *decoded.CounterRecords) any { return r.HTTP }),
	seqCase[decoded.AppResources]("app_resources", decoded.CounterAppResources, decoded.HasAppResources, func(r *decoded.CounterRecords) any { return r.AppResources }),
	seqCase[decoded.OVSDPStats]("ovs_dp_stats", decoded.CounterOVSDP, decoded.HasOVSDP, func(r *decoded.CounterRecords) any { return r.OVSDP }),
}

// TestCounterRecords decodes each counter record format from hand-built
// bytes, then cut 4 bytes short (RecordError, ErrTruncated, or ErrTooMany
// for an array whose elements no longer fit; the sample is kept with its
// other record) and with 8 trailing bytes (ignored).
func TestCounterRecords(t *testing.T) {
	for _, tc := range counterRecordCases {
		t.Run(tc.name, func(t *testing.T) {
			other := decoded.CounterGenericIf
			if tc.format == decoded.CounterGenericIf {
				other = decoded.CounterEthernet
			}
			data := datagram(1, func(b *xb) {
				b.counterSample(2, func(b *xb) {
					b.record(tc.format, func(b *xb) { b.raw(tc.body) }).record(other, func(b *xb) { b.raw(make([]byte, 88)) })
				})
			})
			dg := decodeOne(t, data)
			if len(dg.CounterSamples) != 1 {
				t.Fatalf("got %d counter samples, stats %+v, errors %v", len(dg.CounterSamples), dg.Stats, dg.Errors)
			}
			r := &dg.CounterSamples[0].Records
			if r.Has&tc.bit == 0 || r.Has&^tc.bit == 0 {
				t.Fatalf("Has %#x, want %#x and another; stats %+v errors %v", r.Has, tc.bit, dg.Stats, dg.Errors)
			}
			if diff := cmp.Diff(tc.want, tc.got(r), cmpOpts...); diff != "" {
				t.Errorf("record (-want +got):\n%s", diff)
			}

			short := datagram(1, func(b *xb) {
				b.counterSample(2, func(b *xb) {
					b.record(tc.format, func(b *xb) { b.raw(tc.body[:len(tc.body)-4]) }).record(other, func(b *xb) { b.raw(make([]byte, 88)) })
				})
			})
			dg = decodeOne(t, short)
			if tc.format == decoded.CounterHostCPU {
				// 76 bytes: the 68-byte first revision plus 8 bytes ignored.
				if c := dg.CounterSamples[0].Records; c.Has&tc.bit == 0 || c.HostCPU.HasExtended {
					t.Fatalf("short host_cpu: Has %#x, HasExtended %v", c.Has, c.HostCPU.HasExtended)
				}
				return
			}
			if len(dg.CounterSamples) != 1 || dg.CounterSamples[0].Records.Has&tc.bit != 0 || dg.Stats.RecordsMalformed != 1 {
				t.Fatalf("short record: stats %+v errors %v", dg.Stats, dg.Errors)
			}
			var re *RecordError
			if !errors.As(dg.Errors[0], &re) || re.Format != tc.format || !(errors.Is(re, ErrTruncated) || errors.Is(re, ErrTooMany)) {
				t.Errorf("short record error: %v", dg.Errors[0])
			}

			long := datagram(1, func(b *xb) {
				b.counterSample(1, func(b *xb) { b.record(tc.format, func(b *xb) { b.raw(tc.body).u32(0xEEEEEEEE, 0xEEEEEEEE) }) })
			})
			dg = decodeOne(t, long)
			if len(dg.CounterSamples) != 1 || dg.CounterSamples[0].Records.Has != tc.bit {
				t.Fatalf("long record: stats %+v errors %v", dg.Stats, dg.Errors)
			}
			if tc.format == decoded.CounterHostCPU {
				return // the trailing bytes would be taken for the extended fields
			}
			if diff := cmp.Diff(tc.want, tc.got(&dg.CounterSamples[0].Records), cmpOpts...); diff != "" {
				t.Errorf("record with trailing bytes (-want +got):\n%s", diff)
			}
		})
	}
}

// TestHostCPUShortRevision: the first revision of host_cpu has no
// cpu_steal, cpu_guest, cpu_guest_nice (68 bytes).
func TestHostCPUShortRevision(t *testing.T) {
	data := datagram(1, func(b *xb) {
		b.counterSample(1, func(b *xb) {
			b.record(decoded.CounterHostCPU, func(b *xb) { b.u32(0, 0, 0).u32(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14) })
		})
	})
	dg := decodeOne(t, data)
	got := dg.CounterSamples[0].Records.HostCPU
	want := decoded.HostCPU{ProcRun: 1, ProcTotal: 2, CPUNum: 3, CPUSpeed: 4, Uptime: 5, CPUUser: 6, CPUNice: 7, CPUSystem: 8,
		CPUIdle: 9, CPUWio: 10, CPUIntr: 11, CPUSintr: 12, Interrupts: 13, Contexts: 14}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("host_cpu (-want +got):\n%s", diff)
	}
}

// TestCounterRecordCoverage checks that every counter format has a case.
func TestCounterRecordCoverage(t *testing.T) {
	seen := map[uint32]bool{}
	for _, tc := range counterRecordCases {
		seen[tc.format] = true
		if bit, _ := counterRecordDecoder(tc.format); bit != tc.bit {
			t.Errorf("%s: decoder bit %#x, case bit %#x", tc.name, bit, tc.bit)
		}
	}
	for _, f := range allCounterFormats {
		if !seen[f] {
			t.Errorf("counter format %d has no unit test", f)
		}
	}
}
