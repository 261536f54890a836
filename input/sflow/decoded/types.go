package decoded

import "net/netip"

// Sample and record type words, (enterprise << 12) | format, sFlow v5 section 4
// ("data_format"). Only enterprise 0 (sFlow.org) structures are decoded; other
// enterprises are skipped by their length and counted.
const (
	SampleFlow             uint32 = 1 // flow_sample
	SampleCounters         uint32 = 2 // counters_sample
	SampleFlowExpanded     uint32 = 3 // flow_sample_expanded
	SampleCountersExpanded uint32 = 4 // counters_sample_expanded
	SampleDiscarded        uint32 = 5 // event_discarded_packet (sFlow drop notification)
)

// Interface formats of the output (and, for drops, input) interface word,
// sFlow v5 section 5 "interface": the two top bits of the 32-bit word, or the
// explicit format of the expanded samples.
const (
	IfFormatSingle    uint32 = 0 // value is an ifIndex (0x3FFFFFFF: internal/local)
	IfFormatDiscarded uint32 = 1 // value is a discard reason code
	IfFormatMultiple  uint32 = 2 // value is the number of interfaces (0 or 0x7FFFFFFF: unknown)
)

// IfIndexLocal is the ifIndex value that sFlow uses for "the packet was
// sent to or received from the agent itself" (internal interface).
const IfIndexLocal uint32 = 0x3FFFFFFF

// Datagram is one decoded sFlow datagram: sample_datagram_v5 (sFlow v5
// section 4) or sample_datagram_v4 / v2 (RFC 3176 section 4, which has no
// sub_agent_id: SubAgentID is 0).
// Slices are reused between calls of Decoder.Decode: copy what must outlive
// the next call.
type Datagram struct {
	Version        uint32     // 5, or 2 and 4 (RFC 3176)
	AgentAddress   netip.Addr // agent_address: IPv4 or IPv6
	SubAgentID     uint32     // sub_agent_id
	SequenceNumber uint32     // datagram sequence_number
	Uptime         uint32     // uptime in milliseconds

	FlowSamples    []FlowSample    // flow_sample and flow_sample_expanded, in datagram order
	CounterSamples []CounterSample // counters_sample and counters_sample_expanded
	DropSamples    []DropSample    // event_discarded_packet

	// Stats counts what was skipped while decoding this datagram.
	Stats DecodeStats
	// Errors holds the first few sample and record errors (at most
	// MaxErrorsKept), for logging; all of them are counted in Stats.
	Errors []error
}

// Samples returns the number of samples decoded, all kinds.
func (dg *Datagram) Samples() int {
	return len(dg.FlowSamples) + len(dg.CounterSamples) + len(dg.DropSamples)
}

// MaxErrorsKept bounds Datagram.Errors.
const MaxErrorsKept = 4

// DecodeStats counts the samples and records of one datagram that were not
// decoded, by cause. A datagram-level error is returned by Decode instead.
type DecodeStats struct {
	SamplesDeclared  uint32 // num_samples from the datagram header
	SamplesDecoded   uint32 // samples turned into FlowSamples/CounterSamples/DropSamples
	SamplesUnknown   uint32 // samples of an unknown enterprise:format, skipped by length
	SamplesMalformed uint32 // samples whose length or content was inconsistent, dropped
	RecordsUnknown   uint32 // records of an unknown enterprise:format, skipped by length
	RecordsMalformed uint32 // records that failed to decode, dropped (the sample is kept)
	RecordsDuplicate uint32 // second and later records of the same format in one sample, ignored
	TrailingBytes    uint32 // bytes after the last declared sample
}

// SourceID is the data source of a sample (sflow_data_source), sFlow v5
// section 5: type 0 ifIndex, 1 smonVlanDataSource, 2 entPhysicalEntry.
type SourceID struct {
	Type  uint32
	Index uint32
}

// Interface is an input or output interface of a flow or drop sample in the
// expanded form (interface_expanded): Format is one of the IfFormat*
// constants. Compact forms are converted to this form.
type Interface struct {
	Format uint32
	Value  uint32
}

// FlowSample is a flow_sample (0:1) or flow_sample_expanded (0:3), sFlow v5
// section 5.2 / 5.3, or an RFC 3176 flow_sample (v2/v4): its input and
// output are plain 32-bit ifIndexes (IfFormatSingle), except an output with
// the high bit set, IfFormatMultiple with the interface count (0: unknown).
type FlowSample struct {
	Expanded       bool // true for flow_sample_expanded
	SequenceNumber uint32
	SourceID       SourceID
	SamplingRate   uint32 // sampling_rate: 1 in N packets
	SamplePool     uint32 // sample_pool: packets that could have been sampled
	Drops          uint32 // drops: samples lost for lack of resources
	Input          Interface
	Output         Interface
	Records        FlowRecords
	Accounted      Accounted // set by the accounting stage
}

// DropSample is an event_discarded_packet (0:5), the sFlow drop
// notification extension ("sFlow Dropped Packet Notification Structures").
type DropSample struct {
	SequenceNumber uint32
	SourceID       SourceID
	Drops          uint32 // drops: events lost for lack of resources
	Input          Interface
	Output         Interface
	Reason         uint32 // drop_reason code (RFC 7854 / sFlow drop reasons)
	Records        FlowRecords
	Accounted      Accounted // set by the accounting stage
}

// Accounted is what the accounting stage (package accounting) decided for
// a sample, between decoding and mapping; the zero value is "not
// accounted" (RateNotAccounted): the mapper then takes the sample as it
// came.
type Accounted struct {
	// Duplicate is set for a sample received already: it is not mapped.
	Duplicate bool
	// Rate is the sampling rate to apply to a flow sample (0: none known),
	// from RateSource: the reported one, or a rule's.
	Rate       uint32
	RateSource RateSource
	// Factor is the loss compensation factor of a flow sample: how many
	// samples its data source took per sample received (1: none; 0 when
	// not accounted).
	Factor float64
}

// RateSource says where the sampling rate applied to a sample comes from.
type RateSource uint8

// The sources of an applied rate.
const (
	RateNotAccounted RateSource = iota // no accounting: the flow_sample's sampling_rate
	RateReported                       // the flow_sample's sampling_rate
	RateDefault                        // a default rule: the exporter reported 0
	RateOverride                       // an override rule
	RateMissing                        // sampling_rate 0 and no rule: no estimate
	RateUnsampled                      // a drop sample: every drop is reported, rate 1
)

// rateSourceNames are the names of the rate sources, for events.
var rateSourceNames = [...]string{
	RateNotAccounted: "reported", RateReported: "reported", RateDefault: "default", RateOverride: "override",
	RateMissing: "missing", RateUnsampled: "unsampled",
}

// String returns the name of s: reported, default, override, missing or
// unsampled.
func (s RateSource) String() string {
	if int(s) < len(rateSourceNames) {
		return rateSourceNames[s]
	}
	return "unknown"
}

// CounterSample is a counters_sample (0:2) or counters_sample_expanded (0:4),
// sFlow v5 section 5.4 / 5.5, or an RFC 3176 counters_sample (v2/v4), whose
// counters_type union arm is turned into the same records (see HasFDDI).
type CounterSample struct {
	Duplicate      bool // set by the accounting stage: received already, not mapped
	Expanded       bool
	SequenceNumber uint32
	SourceID       SourceID
	Interval       uint32 // RFC 3176 sampling_interval in seconds (v2/v4 only; 0 in v5)
	Records        CounterRecords
}

// Flow record formats (enterprise 0), sFlow v5 section 5.2 and the sFlow.org
// extensions.
const (
	FlowSampledHeader       uint32 = 1    // sampled_header
	FlowSampledEthernet     uint32 = 2    // sampled_ethernet
	FlowSampledIPv4         uint32 = 3    // sampled_ipv4
	FlowSampledIPv6         uint32 = 4    // sampled_ipv6
	FlowExtSwitch           uint32 = 1001 // extended_switch
	FlowExtRouter           uint32 = 1002 // extended_router
	FlowExtGateway          uint32 = 1003 // extended_gateway
	FlowExtUser             uint32 = 1004 // extended_user
	FlowExtURL              uint32 = 1005 // extended_url
	FlowExtMPLS             uint32 = 1006 // extended_mpls
	FlowExtNAT              uint32 = 1007 // extended_nat
	FlowExtMPLSTunnel       uint32 = 1008 // extended_mpls_tunnel
	FlowExtMPLSVC           uint32 = 1009 // extended_mpls_vc
	FlowExtMPLSFEC          uint32 = 1010 // extended_mpls_FTN
	FlowExtMPLSLVPFEC       uint32 = 1011 // extended_mpls_LDP_FEC
	FlowExtVLANTunnel       uint32 = 1012 // extended_vlantunnel
	FlowExtIPv4TunnelEgress uint32 = 1023 // extended_ipv4_tunnel_egress
	FlowExtIPv4TunnelIngr   uint32 = 1024 // extended_ipv4_tunnel_ingress
	FlowExtIPv6TunnelEgress uint32 = 1025 // extended_ipv6_tunnel_egress
	FlowExtIPv6TunnelIngr   uint32 = 1026 // extended_ipv6_tunnel_ingress
	FlowExtDecapEgress      uint32 = 1027 // extended_decapsulate_egress
	FlowExtDecapIngress     uint32 = 1028 // extended_decapsulate_ingress
	FlowExtVNIEgress        uint32 = 1029 // extended_vni_egress
	FlowExtVNIIngress       uint32 = 1030 // extended_vni_ingress
	FlowExtEgressQueue      uint32 = 1036 // extended_egress_queue
	FlowExtACL              uint32 = 1037 // extended_acl
	FlowExtFunction         uint32 = 1038 // extended_function
	FlowExtLinuxDropReason  uint32 = 1042 // extended_linux_drop_reason
)

// FlowHas is a bit set of the flow records present in a FlowRecords.
type FlowHas uint32

// Bits of FlowHas, one per record structure.
const (
	HasSampledHeader FlowHas = 1 << iota
	HasSampledEthernet
	HasSampledIPv4
	HasSampledIPv6
	HasExtSwitch
	HasExtRouter
	HasExtGateway
	HasExtUser
	HasExtURL
	HasExtMPLS
	HasExtNAT
	HasExtMPLSTunnel
	HasExtMPLSVC
	HasExtMPLSFEC
	HasExtMPLSLVPFEC
	HasExtVLANTunnel
	HasExtIPv4TunnelEgress
	HasExtIPv4TunnelIngress
	HasExtIPv6TunnelEgress
	HasExtIPv6TunnelIngress
	HasExtDecapEgress
	HasExtDecapIngress
	HasExtVNIEgress
	HasExtVNIIngress
	HasExtEgressQueue
	HasExtACL
	HasExtFunction
	HasExtLinuxDropReason
)

// FlowRecords holds the flow records of one flow or drop sample. Has tells
// which are present; a field whose bit is clear holds stale data and must not
// be read. Byte slices point into the datagram buffer.
type FlowRecords struct {
	Has FlowHas

	SampledHeader   SampledHeader   // 0:1
	SampledEthernet SampledEthernet // 0:2
	SampledIPv4     SampledIP       // 0:3
	SampledIPv6     SampledIP       // 0:4

	ExtSwitch  ExtSwitch  // 0:1001
	ExtRouter  ExtRouter  // 0:1002
	ExtGateway ExtGateway // 0:1003
	ExtUser    ExtUser    // 0:1004
	ExtURL     ExtURL     // 0:1005
	ExtMPLS    ExtMPLS    // 0:1006
	ExtNAT     ExtNAT     // 0:1007

	ExtMPLSTunnel ExtMPLSTunnel // 0:1008
	ExtMPLSVC     ExtMPLSVC     // 0:1009
	ExtMPLSFEC    ExtMPLSFEC    // 0:1010
	ExtMPLSLVPFEC uint32        // 0:1011 mplsFecAddrPrefixLength
	ExtVLANTunnel []uint32      // 0:1012 stack of VLAN tags (TPID/TCI words)

	ExtIPv4TunnelEgress  SampledIP // 0:1023
	ExtIPv4TunnelIngress SampledIP // 0:1024
	ExtIPv6TunnelEgress  SampledIP // 0:1025
	ExtIPv6TunnelIngress SampledIP // 0:1026

	ExtDecapEgress  uint32 // 0:1027 inner_header_offset
	ExtDecapIngress uint32 // 0:1028 inner_header_offset
	ExtVNIEgress    uint32 // 0:1029 vni
	ExtVNIIngress   uint32 // 0:1030 vni

	ExtEgressQueue     uint32 // 0:1036 queue
	ExtACL             ExtACL // 0:1037
	ExtFunction        []byte // 0:1038 symbol (string)
	ExtLinuxDropReason []byte // 0:1042 reason (string)
}

// IP protocol numbers (IANA "Assigned Internet Protocol Numbers") that the
// header parser follows and the mapper acts on: the protocol of a sampled
// IP header (L3.Protocol) or of sampled_ipv4/ipv6 (SampledIP.Protocol).
const (
	IPProtoICMP   uint8 = 1   // ICMP
	IPProtoIPv4   uint8 = 4   // IPv4 in IP (RFC 2003)
	IPProtoTCP    uint8 = 6   // TCP
	IPProtoUDP    uint8 = 17  // UDP
	IPProtoIPv6   uint8 = 41  // IPv6 in IP (RFC 4213)
	IPProtoGRE    uint8 = 47  // GRE
	IPProtoICMPv6 uint8 = 58  // ICMP for IPv6
	IPProtoSCTP   uint8 = 132 // SCTP
)

// IfMultipleUnknown is the value of an IfFormatMultiple interface whose
// number of interfaces is unknown (0x7FFFFFFF; 0 means unknown too).
const IfMultipleUnknown uint32 = 0x7FFFFFFF

// Header protocols of sampled_header (header_protocol, the
// header_protocol enum of sFlow v5 section 5.2). The decoder parses
// Ethernet, IPv4 and IPv6 headers.
const (
	HeaderProtoEthernet   uint32 = 1  // ETHERNET-ISO88023
	HeaderProtoTokenBus   uint32 = 2  // ISO88024-TOKENBUS
	HeaderProtoTokenRing  uint32 = 3  // ISO88025-TOKENRING
	HeaderProtoFDDI       uint32 = 4  // FDDI
	HeaderProtoFrameRelay uint32 = 5  // FRAME-RELAY
	HeaderProtoX25        uint32 = 6  // X25
	HeaderProtoPPP        uint32 = 7  // PPP
	HeaderProtoSMDS       uint32 = 8  // SMDS
	HeaderProtoAAL5       uint32 = 9  // AAL5
	HeaderProtoAAL5IP     uint32 = 10 // AAL5-IP
	HeaderProtoIPv4       uint32 = 11 // IPv4
	HeaderProtoIPv6       uint32 = 12 // IPv6
	HeaderProtoMPLS       uint32 = 13 // MPLS
	HeaderProtoPOS        uint32 = 14 // POS (RFC 1662, 2615)
	HeaderProto80211MAC   uint32 = 15 // 802.11 MAC (sFlow 802.11 structures)
	HeaderProto80211AMPDU uint32 = 16 // 802.11 A-MPDU
	HeaderProto80211AMSDU uint32 = 17 // 802.11 A-MSDU subframe
)

// SampledHeader is sampled_header (0:1): the first bytes of the sampled
// packet, and what the decoder parsed out of them.
type SampledHeader struct {
	Protocol    uint32 // header_protocol
	FrameLength uint32 // frame_length: original length of the packet
	Stripped    uint32 // stripped: bytes removed before sampling (FCS, ...); 0 in v2/v4
	Header      []byte // header bytes (up to the agent's header size, often 128)
	// Parsed is true when Protocol is one the decoder parses (Ethernet,
	// IPv4, IPv6); Packet then holds the layers found in Header.
	Parsed bool
	Packet Packet
}

// SampledEthernet is sampled_ethernet (0:2).
type SampledEthernet struct {
	Length    uint32 // length of the MAC packet in bytes
	SrcMAC    [6]byte
	DstMAC    [6]byte
	EtherType uint32
}

// SampledIP is sampled_ipv4 (0:3) or sampled_ipv6 (0:4); the tunnel records
// 1023-1026 reuse the same structures.
type SampledIP struct {
	Length   uint32 // length of the IP packet excluding lower layer encapsulations
	Protocol uint32 // IP protocol number
	SrcIP    netip.Addr
	DstIP    netip.Addr
	SrcPort  uint32
	DstPort  uint32
	TCPFlags uint32
	TOS      uint32 // IPv4 type of service, or IPv6 priority (traffic class)
}

// ExtSwitch is extended_switch (0:1001).
type ExtSwitch struct {
	SrcVLAN     uint32
	SrcPriority uint32
	DstVLAN     uint32
	DstPriority uint32
}

// ExtRouter is extended_router (0:1002).
type ExtRouter struct {
	NextHop    netip.Addr
	SrcMaskLen uint32
	DstMaskLen uint32
}

// AS path segment types of extended_gateway (as_path_segment), sFlow v5.
const (
	ASPathSet      uint32 = 1 // AS_SET: unordered
	ASPathSequence uint32 = 2 // AS_SEQUENCE: ordered
)

// ASPathSegment is one as_path_segment of extended_gateway.
type ASPathSegment struct {
	Type uint32   // ASPathSet or ASPathSequence
	ASNs []uint32 // the AS numbers of the segment
}

// ExtGateway is extended_gateway (0:1003). RFC 3176 (v2/v4) has no next hop
// (NextHop is the zero Addr), and version 2 neither communities nor local
// preference; its flat dst_as_path is one ASPathSequence segment.
type ExtGateway struct {
	NextHop     netip.Addr
	AS          uint32 // AS of this router
	SrcAS       uint32 // AS of the source
	SrcPeerAS   uint32 // AS of the source peer
	ASPath      []ASPathSegment
	Communities []uint32
	LocalPref   uint32
}

// ExtUser is extended_user (0:1004). RFC 3176 (v2/v4) has no charsets (0).
type ExtUser struct {
	SrcCharset uint32
	SrcUser    []byte
	DstCharset uint32
	DstUser    []byte
}

// ExtURL is extended_url (0:1005). RFC 3176 (v2/v4) has no host (nil).
type ExtURL struct {
	Direction uint32 // 1 src, 2 dst
	URL       []byte
	Host      []byte
}

// ExtMPLS is extended_mpls (0:1006).
type ExtMPLS struct {
	NextHop  netip.Addr
	InStack  []uint32
	OutStack []uint32
}

// ExtNAT is extended_nat (0:1007).
type ExtNAT struct {
	SrcIP netip.Addr
	DstIP netip.Addr
}

// ExtMPLSTunnel is extended_mpls_tunnel (0:1008).
type ExtMPLSTunnel struct {
	Name     []byte
	ID       uint32
	COSValue uint32
}

// ExtMPLSVC is extended_mpls_vc (0:1009).
type ExtMPLSVC struct {
	InstanceName []byte
	ID           uint32
	COSValue     uint32
}

// ExtMPLSFEC is extended_mpls_FTN (0:1010).
type ExtMPLSFEC struct {
	Description []byte
	Mask        uint32
}

// ExtACL is extended_acl (0:1037).
type ExtACL struct {
	Number    uint32
	Name      []byte
	Direction uint32 // 0 unknown, 1 ingress, 2 egress
}

// Counter record formats (enterprise 0), sFlow v5 section 5.4 and the
// sFlow.org structures (host, virtual host, application, OVS).
const (
	CounterGenericIf     uint32 = 1    // if_counters
	CounterEthernet      uint32 = 2    // ethernet_counters
	CounterTokenRing     uint32 = 3    // tokenring_counters
	CounterVG            uint32 = 4    // vg_counters
	CounterVLAN          uint32 = 5    // vlan_counters
	CounterIEEE80211     uint32 = 6    // ieee80211_counters
	CounterLAG           uint32 = 7    // lag_port_stats
	CounterSFP           uint32 = 10   // sfp (optical)
	CounterProcessor     uint32 = 1001 // processor
	CounterRadio         uint32 = 1002 // radio_utilization
	CounterOpenFlowPort  uint32 = 1004 // of_port
	CounterPortName      uint32 = 1005 // port_name
	CounterHostDescr     uint32 = 2000 // host_descr
	CounterHostAdapters  uint32 = 2001 // host_adapters
	CounterHostParent    uint32 = 2002 // host_parent
	CounterHostCPU       uint32 = 2003 // host_cpu
	CounterHostMemory    uint32 = 2004 // host_memory
	CounterHostDiskIO    uint32 = 2005 // host_disk_io
	CounterHostNetIO     uint32 = 2006 // host_net_io
	CounterMib2IP        uint32 = 2007 // mib2_ip_group
	CounterMib2ICMP      uint32 = 2008 // mib2_icmp_group
	CounterMib2TCP       uint32 = 2009 // mib2_tcp_group
	CounterMib2UDP       uint32 = 2010 // mib2_udp_group
	CounterVirtNode      uint32 = 2100 // virt_node
	CounterVirtCPU       uint32 = 2101 // virt_cpu
	CounterVirtMemory    uint32 = 2102 // virt_memory
	CounterVirtDiskIO    uint32 = 2103 // virt_disk_io
	CounterVirtNetIO     uint32 = 2104 // virt_net_io
	CounterJVMRuntime    uint32 = 2105 // jvm_runtime
	CounterJVMStatistics uint32 = 2106 // jvm_statistics
	CounterHTTP          uint32 = 2201 // http_counters
	CounterAppResources  uint32 = 2203 // app_resources
	CounterOVSDP         uint32 = 2207 // ovs_dp_stats
)

// CounterRecords holds the counter records of one counter sample, one typed
// slot per structure so that decoding does not allocate. Has tells which are
// present; a field whose bit is clear holds stale data and must not be read.
type CounterRecords struct {
	Has CounterHas

	GenericIf    GenericIfCounters    // 0:1
	Ethernet     EthernetCounters     // 0:2
	TokenRing    TokenRingCounters    // 0:3
	VG           VGCounters           // 0:4
	VLAN         VLANCounters         // 0:5
	IEEE80211    IEEE80211Counters    // 0:6
	LAG          LAGCounters          // 0:7
	SFP          SFPCounters          // 0:10
	Processor    ProcessorCounters    // 0:1001
	Radio        RadioCounters        // 0:1002
	OpenFlowPort OpenFlowPortCounters // 0:1004
	PortName     []byte               // 0:1005 port_name.name
	HostDescr    HostDescr            // 0:2000
	HostAdapters []HostAdapter        // 0:2001
	HostParent   HostParent           // 0:2002
	HostCPU      HostCPU              // 0:2003
	HostMemory   HostMemory           // 0:2004
	HostDiskIO   HostDiskIO           // 0:2005
	HostNetIO    HostNetIO            // 0:2006
	Mib2IP       Mib2IP               // 0:2007
	Mib2ICMP     Mib2ICMP             // 0:2008
	Mib2TCP      Mib2TCP              // 0:2009
	Mib2UDP      Mib2UDP              // 0:2010
	VirtNode     VirtNode             // 0:2100
	VirtCPU      VirtCPU              // 0:2101
	VirtMemory   VirtMemory           // 0:2102
	VirtDiskIO   VirtDiskIO           // 0:2103
	VirtNetIO    HostNetIO            // 0:2104 (same layout as host_net_io)
	JVMRuntime   JVMRuntime           // 0:2105
	JVMStats     JVMStatistics        // 0:2106
	HTTP         HTTPCounters         // 0:2201
	AppResources AppResources         // 0:2203
	OVSDP        OVSDPStats           // 0:2207
}

// CounterHas is a bit set of the counter records present in a CounterRecords.
type CounterHas uint64

// Bits of CounterHas, one per record structure.
const (
	HasGenericIf CounterHas = 1 << iota
	HasEthernet
	HasTokenRing
	HasVG
	HasVLAN
	HasIEEE80211
	HasLAG
	HasSFP
	HasProcessor
	HasRadio
	HasOpenFlowPort
	HasPortName
	HasHostDescr
	HasHostAdapters
	HasHostParent
	HasHostCPU
	HasHostMemory
	HasHostDiskIO
	HasHostNetIO
	HasMib2IP
	HasMib2ICMP
	HasMib2TCP
	HasMib2UDP
	HasVirtNode
	HasVirtCPU
	HasVirtMemory
	HasVirtDiskIO
	HasVirtNetIO
	HasJVMRuntime
	HasJVMStats
	HasHTTP
	HasAppResources
	HasOVSDP

	// HasFDDI and HasWAN mark the RFC 3176 (v2/v4) counters_type arms FDDI
	// (4) and WAN (6). RFC 3176 defines fddi_counters and wan_counters as
	// if_counters only, so there is no record of their own: the counters
	// are in GenericIf (HasGenericIf is set too) and these bits tell the
	// interface kind. sFlow v5 has no such records.
	HasFDDI
	HasWAN
)

// GenericIfCounters is if_counters (0:1), RFC 2233 ifTable/ifXTable.
type GenericIfCounters struct {
	IfIndex            uint32
	IfType             uint32
	IfSpeed            uint64
	IfDirection        uint32 // 0 unknown, 1 full-duplex, 2 half-duplex, 3 in, 4 out
	IfStatus           uint32 // bit 0 ifAdminStatus up, bit 1 ifOperStatus up
	IfInOctets         uint64
	IfInUcastPkts      uint32
	IfInMulticastPkts  uint32
	IfInBroadcastPkts  uint32
	IfInDiscards       uint32
	IfInErrors         uint32
	IfInUnknownProtos  uint32
	IfOutOctets        uint64
	IfOutUcastPkts     uint32
	IfOutMulticastPkts uint32
	IfOutBroadcastPkts uint32
	IfOutDiscards      uint32
	IfOutErrors        uint32
	IfPromiscuousMode  uint32
}

// EthernetCounters is ethernet_counters (0:2), RFC 2358 dot3StatsTable.
type EthernetCounters struct {
	AlignmentErrors           uint32
	FCSErrors                 uint32
	SingleCollisionFrames     uint32
	MultipleCollisionFrames   uint32
	SQETestErrors             uint32
	DeferredTransmissions     uint32
	LateCollisions            uint32
	ExcessiveCollisions       uint32
	InternalMacTransmitErrors uint32
	CarrierSenseErrors        uint32
	FrameTooLongs             uint32
	InternalMacReceiveErrors  uint32
	SymbolErrors              uint32
}

// TokenRingCounters is tokenring_counters (0:3), RFC 1748.
type TokenRingCounters struct {
	LineErrors         uint32
	BurstErrors        uint32
	ACErrors           uint32
	AbortTransErrors   uint32
	InternalErrors     uint32
	LostFrameErrors    uint32
	ReceiveCongestions uint32
	FrameCopiedErrors  uint32
	TokenErrors        uint32
	SoftErrors         uint32
	HardErrors         uint32
	SignalLoss         uint32
	TransmitBeacons    uint32
	Recoverys          uint32
	LobeWires          uint32
	Removes            uint32
	Singles            uint32
	FreqErrors         uint32
}

// VGCounters is vg_counters (0:4), RFC 2020 100BaseVG.
type VGCounters struct {
	InHighPriorityFrames    uint32
	InHighPriorityOctets    uint64
	InNormPriorityFrames    uint32
	InNormPriorityOctets    uint64
	InIPMErrors             uint32
	InOversizeFrameErrors   uint32
	InDataErrors            uint32
	InNullAddressedFrames   uint32
	OutHighPriorityFrames   uint32
	OutHighPriorityOctets   uint64
	TransitionIntoTrainings uint32
	HCInHighPriorityOctets  uint64
	HCInNormPriorityOctets  uint64
	HCOutHighPriorityOctets uint64
}

// VLANCounters is vlan_counters (0:5).
type VLANCounters struct {
	VLANID        uint32
	Octets        uint64
	UcastPkts     uint32
	MulticastPkts uint32
	BroadcastPkts uint32
	Discards      uint32
}

// IEEE80211Counters is ieee80211_counters (0:6), IEEE 802.11 MIB dot11Counters.
type IEEE80211Counters struct {
	TransmittedFragmentCount       uint32
	MulticastTransmittedFrameCount uint32
	FailedCount                    uint32
	RetryCount                     uint32
	MultipleRetryCount             uint32
	FrameDuplicateCount            uint32
	RTSSuccessCount                uint32
	RTSFailureCount                uint32
	ACKFailureCount                uint32
	ReceivedFragmentCount          uint32
	MulticastReceivedFrameCount    uint32
	FCSErrorCount                  uint32
	TransmittedFrameCount          uint32
	WEPUndecryptableCount          uint32
	QoSDiscardedFragmentCount      uint32
	AssociatedStationCount         uint32
	QoSCFPollsReceivedCount        uint32
	QoSCFPollsUnusedCount          uint32
	QoSCFPollsUnusableCount        uint32
	QoSCFPollsLostCount            uint32
}

// LAGCounters is lag_port_stats (0:7), IEEE 802.1AX dot3adAggPort.
type LAGCounters struct {
	ActorSystemID        [6]byte
	PartnerSystemID      [6]byte
	AttachedAggID        uint32
	ActorAdminState      uint8
	ActorOperState       uint8
	PartnerAdminState    uint8
	PartnerOperState     uint8
	LACPDUsRx            uint32
	MarkerPDUsRx         uint32
	MarkerResponsePDUsRx uint32
	UnknownRx            uint32
	IllegalRx            uint32
	LACPDUsTx            uint32
	MarkerPDUsTx         uint32
	MarkerResponsePDUsTx uint32
}

// SFPLane is one lane of an optical module (lane, sflow_optics.txt: ten
// unsigned ints, 40 bytes on the wire).
type SFPLane struct {
	Index         uint32 // 1-based index of the lane in the module, 0 unknown
	TxBiasCurrent uint32 // microamps
	TxPower       uint32 // microwatts
	TxPowerMin    uint32
	TxPowerMax    uint32
	RxPower       uint32 // microwatts
	RxPowerMin    uint32
	RxPowerMax    uint32
	TxWavelength  uint32 // nanometers (tx_wavelength, on the wire after tx_power_max)
	RxWavelength  uint32 // nanometers (rx_wavelength, on the wire after rx_power_max)
}

// SFPCounters is sfp (0:10), optical interface module counters.
type SFPCounters struct {
	ModuleID            uint32
	ModuleTotalLanes    uint32
	ModuleSupplyVoltage uint32 // millivolts
	ModuleTemperature   int32  // thousandths of a degree Celsius
	Lanes               []SFPLane
}

// ProcessorCounters is processor (0:1001).
type ProcessorCounters struct {
	CPU5s       uint32 // percent * 100
	CPU1m       uint32
	CPU5m       uint32
	TotalMemory uint64
	FreeMemory  uint64
}

// RadioCounters is radio_utilization (0:1002).
type RadioCounters struct {
	ElapsedTime       uint32 // ms
	OnChannelTime     uint32
	OnChannelBusyTime uint32
}

// OpenFlowPortCounters is of_port (0:1004).
type OpenFlowPortCounters struct {
	DatapathID uint64
	PortNo     uint32
}

// HostDescr is host_descr (0:2000).
type HostDescr struct {
	Hostname    []byte
	UUID        [16]byte
	MachineType uint32
	OSName      uint32
	OSRelease   []byte
}

// HostAdapter is one host_adapter of host_adapters (0:2001).
type HostAdapter struct {
	IfIndex uint32
	MACs    [][6]byte
}

// HostParent is host_parent (0:2002).
type HostParent struct {
	ContainerType  uint32
	ContainerIndex uint32
}

// HostCPU is host_cpu (0:2003).
type HostCPU struct {
	LoadOne      float32
	LoadFive     float32
	LoadFifteen  float32
	ProcRun      uint32
	ProcTotal    uint32
	CPUNum       uint32
	CPUSpeed     uint32
	Uptime       uint32
	CPUUser      uint32
	CPUNice      uint32
	CPUSystem    uint32
	CPUIdle      uint32
	CPUWio       uint32
	CPUIntr      uint32
	CPUSintr     uint32
	Interrupts   uint32
	Contexts     uint32
	CPUSteal     uint32
	CPUGuest     uint32
	CPUGuestNice uint32
	HasExtended  bool // the last three fields are present (later revision)
}

// HostMemory is host_memory (0:2004).
type HostMemory struct {
	MemTotal   uint64
	MemFree    uint64
	MemShared  uint64
	MemBuffers uint64
	MemCached  uint64
	SwapTotal  uint64
	SwapFree   uint64
	PageIn     uint32
	PageOut    uint32
	SwapIn     uint32
	SwapOut    uint32
}

// HostDiskIO is host_disk_io (0:2005).
type HostDiskIO struct {
	DiskTotal    uint64
	DiskFree     uint64
	PartMaxUsed  uint32 // percent * 100
	Reads        uint32
	BytesRead    uint64
	ReadTime     uint32
	Writes       uint32
	BytesWritten uint64
	WriteTime    uint32
}

// HostNetIO is host_net_io (0:2006) and virt_net_io (0:2104).
type HostNetIO struct {
	BytesIn  uint64
	PktsIn   uint32
	ErrsIn   uint32
	DropsIn  uint32
	BytesOut uint64
	PktsOut  uint32
	ErrsOut  uint32
	DropsOut uint32
}

// Mib2IP is mib2_ip_group (0:2007), RFC 4293 ip group.
type Mib2IP struct {
	Forwarding      uint32
	DefaultTTL      uint32
	InReceives      uint32
	InHdrErrors     uint32
	InAddrErrors    uint32
	ForwDatagrams   uint32
	InUnknownProtos uint32
	InDiscards      uint32
	InDelivers      uint32
	OutRequests     uint32
	OutDiscards     uint32
	OutNoRoutes     uint32
	ReasmTimeout    uint32
	ReasmReqds      uint32
	ReasmOKs        uint32
	ReasmFails      uint32
	FragOKs         uint32
	FragFails       uint32
	FragCreates     uint32
}

// Mib2ICMP is mib2_icmp_group (0:2008), RFC 4293 icmp group.
type Mib2ICMP struct {
	InMsgs           uint32
	InErrors         uint32
	InDestUnreachs   uint32
	InTimeExcds      uint32
	InParamProbs     uint32
	InSrcQuenchs     uint32
	InRedirects      uint32
	InEchos          uint32
	InEchoReps       uint32
	InTimestamps     uint32
	InAddrMasks      uint32
	InAddrMaskReps   uint32
	OutMsgs          uint32
	OutErrors        uint32
	OutDestUnreachs  uint32
	OutTimeExcds     uint32
	OutParamProbs    uint32
	OutSrcQuenchs    uint32
	OutRedirects     uint32
	OutEchos         uint32
	OutEchoReps      uint32
	OutTimestamps    uint32
	OutTimestampReps uint32
	OutAddrMasks     uint32
	OutAddrMaskReps  uint32
}

// Mib2TCP is mib2_tcp_group (0:2009), RFC 4022.
type Mib2TCP struct {
	RtoAlgorithm uint32
	RtoMin       uint32
	RtoMax       uint32
	MaxConn      uint32
	ActiveOpens  uint32
	PassiveOpens uint32
	AttemptFails uint32
	EstabResets  uint32
	CurrEstab    uint32
	InSegs       uint32
	OutSegs      uint32
	RetransSegs  uint32
	InErrs       uint32
	OutRsts      uint32
	InCsumErrors uint32
}

// Mib2UDP is mib2_udp_group (0:2010), RFC 4113.
type Mib2UDP struct {
	InDatagrams  uint32
	NoPorts      uint32
	InErrors     uint32
	OutDatagrams uint32
	RcvbufErrors uint32
	SndbufErrors uint32
	InCsumErrors uint32
}

// VirtNode is virt_node (0:2100).
type VirtNode struct {
	MHz        uint32
	CPUs       uint32
	Memory     uint64
	MemoryFree uint64
	NumDomains uint32
}

// VirtCPU is virt_cpu (0:2101).
type VirtCPU struct {
	State     uint32
	CPUTime   uint32 // ms
	NrVirtCPU uint32
}

// VirtMemory is virt_memory (0:2102).
type VirtMemory struct {
	Memory    uint64
	MaxMemory uint64
}

// VirtDiskIO is virt_disk_io (0:2103).
type VirtDiskIO struct {
	Capacity   uint64
	Allocation uint64
	Available  uint64
	RdReq      uint32
	RdBytes    uint64
	WrReq      uint32
	WrBytes    uint64
	Errs       uint32
}

// JVMRuntime is jvm_runtime (0:2105).
type JVMRuntime struct {
	VMName    []byte
	VMVendor  []byte
	VMVersion []byte
}

// JVMStatistics is jvm_statistics (0:2106).
type JVMStatistics struct {
	HeapInitial      uint64
	HeapUsed         uint64
	HeapCommitted    uint64
	HeapMax          uint64
	NonHeapInitial   uint64
	NonHeapUsed      uint64
	NonHeapCommitted uint64
	NonHeapMax       uint64
	GCCount          uint32
	GCTime           uint32
	ClassesLoaded    uint32
	ClassesTotal     uint32
	ClassesUnloaded  uint32
	CompilationTime  uint32
	ThreadNumLive    uint32
	ThreadNumDaemon  uint32
	ThreadNumStarted uint32
	FDOpenCount      uint32
	FDMaxCount       uint32
}

// HTTPCounters is http_counters (0:2201).
type HTTPCounters struct {
	MethodOptionCount  uint32
	MethodGetCount     uint32
	MethodHeadCount    uint32
	MethodPostCount    uint32
	MethodPutCount     uint32
	MethodDeleteCount  uint32
	MethodTraceCount   uint32
	MethodConnectCount uint32
	MethodOtherCount   uint32
	Status1xxCount     uint32
	Status2xxCount     uint32
	Status3xxCount     uint32
	Status4xxCount     uint32
	Status5xxCount     uint32
	StatusOtherCount   uint32
}

// AppResources is app_resources (0:2203).
type AppResources struct {
	UserTime   uint32 // ms
	SystemTime uint32 // ms
	MemUsed    uint64
	MemMax     uint64
	FDOpen     uint32
	FDMax      uint32
	ConnOpen   uint32
	ConnMax    uint32
}

// OVSDPStats is ovs_dp_stats (0:2207).
type OVSDPStats struct {
	Hits     uint32
	Misses   uint32
	Lost     uint32
	MaskHits uint32
	Flows    uint32
	Masks    uint32
}

// Reset empties dg, keeping the capacity of its slices, so that decoding
// into a reused Datagram does not allocate.
func (dg *Datagram) Reset() {
	*dg = Datagram{
		FlowSamples:    dg.FlowSamples[:0],
		CounterSamples: dg.CounterSamples[:0],
		DropSamples:    dg.DropSamples[:0],
		Errors:         dg.Errors[:0],
	}
}
