package decoder

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// counterRecordCase is one counter record built by hand and what must come
// out.
type counterRecordCase struct {
	name   string
	format uint32
	bit    CounterHas
	body   []byte
	got    func(*CounterRecords) any
	want   any
}

// seqCase builds a case for a structure whose wire layout is its field
// order (see seqStruct).
func seqCase[T any](name string, format uint32, bit CounterHas, got func(*CounterRecords) any) counterRecordCase {
	want, body := seqStruct[T]()
	return counterRecordCase{name, format, bit, body, got, want}
}

func build(f func(*xb)) []byte {
	var b xb
	f(&b)
	return b.b
}

var counterRecordCases = []counterRecordCase{
	seqCase[GenericIfCounters]("if_counters", CounterGenericIf, HasGenericIf, func(r *CounterRecords) any { return r.GenericIf }),
	seqCase[EthernetCounters]("ethernet_counters", CounterEthernet, HasEthernet, func(r *CounterRecords) any { return r.Ethernet }),
	seqCase[TokenRingCounters]("tokenring_counters", CounterTokenRing, HasTokenRing, func(r *CounterRecords) any { return r.TokenRing }),
	seqCase[VGCounters]("vg_counters", CounterVG, HasVG, func(r *CounterRecords) any { return r.VG }),
	seqCase[VLANCounters]("vlan_counters", CounterVLAN, HasVLAN, func(r *CounterRecords) any { return r.VLAN }),
	seqCase[IEEE80211Counters]("ieee80211_counters", CounterIEEE80211, HasIEEE80211, func(r *CounterRecords) any { return r.IEEE80211 }),
	{"lag_port_stats", CounterLAG, HasLAG,
		build(func(b *xb) {
			b.mac(mac1).mac(mac2).u32(5).raw([]byte{0x3d, 0x3f, 0x0d, 0x3c}).u32(1, 2, 3, 4, 5, 6, 7, 8)
		}),
		func(r *CounterRecords) any { return r.LAG },
		LAGCounters{ActorSystemID: mac1, PartnerSystemID: mac2, AttachedAggID: 5,
			ActorAdminState: 0x3d, ActorOperState: 0x3f, PartnerAdminState: 0x0d, PartnerOperState: 0x3c,
			LACPDUsRx: 1, MarkerPDUsRx: 2, MarkerResponsePDUsRx: 3, UnknownRx: 4, IllegalRx: 5,
			LACPDUsTx: 6, MarkerPDUsTx: 7, MarkerResponsePDUsTx: 8}},
	{"sfp", CounterSFP, HasSFP,
		build(func(b *xb) {
			b.u32(1, 4, 3300, uint32(0xFFFFFFFF-999)) // -1000 m°C
			b.u32(2).u32(1, 6000, 500, 100, 900, 1310, 400, 50, 800, 1310).u32(2, 6100, 510, 101, 901, 1311, 410, 51, 801, 1311)
		}),
		func(r *CounterRecords) any { return r.SFP },
		SFPCounters{ModuleID: 1, ModuleTotalLanes: 4, ModuleSupplyVoltage: 3300, ModuleTemperature: -1000, Lanes: []SFPLane{
			{Index: 1, TxBiasCurrent: 6000, TxPower: 500, TxPowerMin: 100, TxPowerMax: 900, TxWavelength: 1310, RxPower: 400, RxPowerMin: 50, RxPowerMax: 800, RxWavelength: 1310},
			{Index: 2, TxBiasCurrent: 6100, TxPower: 510, TxPowerMin: 101, TxPowerMax: 901, TxWavelength: 1311, RxPower: 410, RxPowerMin: 51, RxPowerMax: 801, RxWavelength: 1311},
		}}},
	seqCase[ProcessorCounters]("processor", CounterProcessor, HasProcessor, func(r *CounterRecords) any { return r.Processor }),
	seqCase[RadioCounters]("radio_utilization", CounterRadio, HasRadio, func(r *CounterRecords) any { return r.Radio }),
	seqCase[OpenFlowPortCounters]("of_port", CounterOpenFlowPort, HasOpenFlowPort, func(r *CounterRecords) any { return r.OpenFlowPort }),
	{"port_name", CounterPortName, HasPortName, build(func(b *xb) { b.str("eth0") }),
		func(r *CounterRecords) any { return r.PortName }, []byte("eth0")},
	{"host_descr", CounterHostDescr, HasHostDescr,
		build(func(b *xb) {
			b.str("host-1").raw([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}).u32(3, 2).str("6.1.0-13-amd64")
		}),
		func(r *CounterRecords) any { return r.HostDescr },
		HostDescr{Hostname: []byte("host-1"), UUID: [16]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
			MachineType: 3, OSName: 2, OSRelease: []byte("6.1.0-13-amd64")}},
	{"host_adapters", CounterHostAdapters, HasHostAdapters,
		build(func(b *xb) { b.u32(2).u32(1, 1).mac(mac1).u32(2, 2).mac(mac1).mac(mac2) }),
		func(r *CounterRecords) any { return r.HostAdapters },
		[]HostAdapter{{IfIndex: 1, MACs: [][6]byte{mac1}}, {IfIndex: 2, MACs: [][6]byte{mac1, mac2}}}},
	seqCase[HostParent]("host_parent", CounterHostParent, HasHostParent, func(r *CounterRecords) any { return r.HostParent }),
	{"host_cpu", CounterHostCPU, HasHostCPU,
		build(func(b *xb) {
			b.u32(0x3f000000, 0x3f800000, 0x40000000) // 0.5, 1, 2
			b.u32(1, 200, 4, 2400, 3600, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21)
		}),
		func(r *CounterRecords) any { return r.HostCPU },
		HostCPU{LoadOne: 0.5, LoadFive: 1, LoadFifteen: 2, ProcRun: 1, ProcTotal: 200, CPUNum: 4, CPUSpeed: 2400, Uptime: 3600,
			CPUUser: 10, CPUNice: 11, CPUSystem: 12, CPUIdle: 13, CPUWio: 14, CPUIntr: 15, CPUSintr: 16, Interrupts: 17, Contexts: 18,
			CPUSteal: 19, CPUGuest: 20, CPUGuestNice: 21, HasExtended: true}},
	seqCase[HostMemory]("host_memory", CounterHostMemory, HasHostMemory, func(r *CounterRecords) any { return r.HostMemory }),
	seqCase[HostDiskIO]("host_disk_io", CounterHostDiskIO, HasHostDiskIO, func(r *CounterRecords) any { return r.HostDiskIO }),
	seqCase[HostNetIO]("host_net_io", CounterHostNetIO, HasHostNetIO, func(r *CounterRecords) any { return r.HostNetIO }),
	seqCase[Mib2IP]("mib2_ip_group", CounterMib2IP, HasMib2IP, func(r *CounterRecords) any { return r.Mib2IP }),
	seqCase[Mib2ICMP]("mib2_icmp_group", CounterMib2ICMP, HasMib2ICMP, func(r *CounterRecords) any { return r.Mib2ICMP }),
	seqCase[Mib2TCP]("mib2_tcp_group", CounterMib2TCP, HasMib2TCP, func(r *CounterRecords) any { return r.Mib2TCP }),
	seqCase[Mib2UDP]("mib2_udp_group", CounterMib2UDP, HasMib2UDP, func(r *CounterRecords) any { return r.Mib2UDP }),
	seqCase[VirtNode]("virt_node", CounterVirtNode, HasVirtNode, func(r *CounterRecords) any { return r.VirtNode }),
	seqCase[VirtCPU]("virt_cpu", CounterVirtCPU, HasVirtCPU, func(r *CounterRecords) any { return r.VirtCPU }),
	seqCase[VirtMemory]("virt_memory", CounterVirtMemory, HasVirtMemory, func(r *CounterRecords) any { return r.VirtMemory }),
	seqCase[VirtDiskIO]("virt_disk_io", CounterVirtDiskIO, HasVirtDiskIO, func(r *CounterRecords) any { return r.VirtDiskIO }),
	seqCase[HostNetIO]("virt_net_io", CounterVirtNetIO, HasVirtNetIO, func(r *CounterRecords) any { return r.VirtNetIO }),
	{"jvm_runtime", CounterJVMRuntime, HasJVMRuntime,
		build(func(b *xb) { b.str("OpenJDK 64-Bit Server VM").str("Eclipse Adoptium").str("21.0.1") }),
		func(r *CounterRecords) any { return r.JVMRuntime },
		JVMRuntime{VMName: []byte("OpenJDK 64-Bit Server VM"), VMVendor: []byte("Eclipse Adoptium"), VMVersion: []byte("21.0.1")}},
	seqCase[JVMStatistics]("jvm_statistics", CounterJVMStatistics, HasJVMStats, func(r *CounterRecords) any { return r.JVMStats }),
	seqCase[HTTPCounters]("http_counters", CounterHTTP, HasHTTP, func(r *CounterRecords) any { return r.HTTP }),
	seqCase[AppResources]("app_resources", CounterAppResources, HasAppResources, func(r *CounterRecords) any { return r.AppResources }),
	seqCase[OVSDPStats]("ovs_dp_stats", CounterOVSDP, HasOVSDP, func(r *CounterRecords) any { return r.OVSDP }),
}

// TestCounterRecords decodes each counter record format from hand-built
// bytes, then cut 4 bytes short (RecordError, ErrTruncated, or ErrTooMany
// for an array whose elements no longer fit; the sample is kept with its
// other record) and with 8 trailing bytes (ignored).
func TestCounterRecords(t *testing.T) {
	for _, tc := range counterRecordCases {
		t.Run(tc.name, func(t *testing.T) {
			other := CounterGenericIf
			if tc.format == CounterGenericIf {
				other = CounterEthernet
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
			if tc.format == CounterHostCPU {
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
			if tc.format == CounterHostCPU {
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
			b.record(CounterHostCPU, func(b *xb) { b.u32(0, 0, 0).u32(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14) })
		})
	})
	dg := decodeOne(t, data)
	got := dg.CounterSamples[0].Records.HostCPU
	want := HostCPU{ProcRun: 1, ProcTotal: 2, CPUNum: 3, CPUSpeed: 4, Uptime: 5, CPUUser: 6, CPUNice: 7, CPUSystem: 8,
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
