package decoder

import "github.com/sflowbeat/sflowbeat/input/sflow/decoded"

// counterDecodeFunc decodes one counter record from x into its slot of r.
type counterDecodeFunc = func(x *xdr, r *decoded.CounterRecords)

// counterRecordDecoder returns the Has bit and the decoder of an interface
// counter record data_format (sFlow v5 section 5.4 and extensions), or a
// nil decoder for an unknown enterprise:format.
func counterRecordDecoder(format uint32) (decoded.CounterHas, counterDecodeFunc) {
	switch format {
	case decoded.CounterGenericIf:
		return decoded.HasGenericIf, decodeGenericIf
	case decoded.CounterEthernet:
		return decoded.HasEthernet, decodeEthernet
	case decoded.CounterTokenRing:
		return decoded.HasTokenRing, decodeTokenRing
	case decoded.CounterVG:
		return decoded.HasVG, decodeVG
	case decoded.CounterVLAN:
		return decoded.HasVLAN, decodeVLAN
	case decoded.CounterIEEE80211:
		return decoded.HasIEEE80211, decodeIEEE80211
	case decoded.CounterLAG:
		return decoded.HasLAG, decodeLAG
	case decoded.CounterSFP:
		return decoded.HasSFP, decodeSFP
	case decoded.CounterProcessor:
		return decoded.HasProcessor, decodeProcessor
	case decoded.CounterRadio:
		return decoded.HasRadio, decodeRadio
	case decoded.CounterOpenFlowPort:
		return decoded.HasOpenFlowPort, decodeOpenFlowPort
	case decoded.CounterPortName:
		return decoded.HasPortName, decodePortName
	}
	return hostCounterDecoder(format)
}

// hostCounterDecoder is counterRecordDecoder for the host, virtual host,
// JVM, application and Open vSwitch structures (sflow_host.txt,
// sflow_jvm.txt, sflow_application.txt, OVS).
func hostCounterDecoder(format uint32) (decoded.CounterHas, counterDecodeFunc) {
	switch format {
	case decoded.CounterHostDescr:
		return decoded.HasHostDescr, decodeHostDescr
	case decoded.CounterHostAdapters:
		return decoded.HasHostAdapters, decodeHostAdapters
	case decoded.CounterHostParent:
		return decoded.HasHostParent, decodeHostParent
	case decoded.CounterHostCPU:
		return decoded.HasHostCPU, decodeHostCPU
	case decoded.CounterHostMemory:
		return decoded.HasHostMemory, decodeHostMemory
	case decoded.CounterHostDiskIO:
		return decoded.HasHostDiskIO, decodeHostDiskIO
	case decoded.CounterHostNetIO:
		return decoded.HasHostNetIO, func(x *xdr, r *decoded.CounterRecords) { netIO(x, &r.HostNetIO) }
	case decoded.CounterMib2IP:
		return decoded.HasMib2IP, decodeMib2IP
	case decoded.CounterMib2ICMP:
		return decoded.HasMib2ICMP, decodeMib2ICMP
	case decoded.CounterMib2TCP:
		return decoded.HasMib2TCP, decodeMib2TCP
	case decoded.CounterMib2UDP:
		return decoded.HasMib2UDP, decodeMib2UDP
	}
	return virtCounterDecoder(format)
}

// virtCounterDecoder is counterRecordDecoder for the virtual node, JVM,
// application and OVS structures.
func virtCounterDecoder(format uint32) (decoded.CounterHas, counterDecodeFunc) {
	switch format {
	case decoded.CounterVirtNode:
		return decoded.HasVirtNode, decodeVirtNode
	case decoded.CounterVirtCPU:
		return decoded.HasVirtCPU, decodeVirtCPU
	case decoded.CounterVirtMemory:
		return decoded.HasVirtMemory, decodeVirtMemory
	case decoded.CounterVirtDiskIO:
		return decoded.HasVirtDiskIO, decodeVirtDiskIO
	case decoded.CounterVirtNetIO:
		return decoded.HasVirtNetIO, func(x *xdr, r *decoded.CounterRecords) { netIO(x, &r.VirtNetIO) }
	case decoded.CounterJVMRuntime:
		return decoded.HasJVMRuntime, decodeJVMRuntime
	case decoded.CounterJVMStatistics:
		return decoded.HasJVMStats, decodeJVMStatistics
	case decoded.CounterHTTP:
		return decoded.HasHTTP, decodeHTTP
	case decoded.CounterAppResources:
		return decoded.HasAppResources, decodeAppResources
	case decoded.CounterOVSDP:
		return decoded.HasOVSDP, decodeOVSDP
	}
	return 0, nil
}

// decodeGenericIf decodes if_counters (enterprise 0, format 1), sFlow v5
// section 5.4.
func decodeGenericIf(x *xdr, r *decoded.CounterRecords) {
	c := &r.GenericIf
	c.IfIndex, c.IfType, c.IfSpeed = x.u32(), x.u32(), x.u64()
	c.IfDirection, c.IfStatus = x.u32(), x.u32()
	c.IfInOctets = x.u64()
	c.IfInUcastPkts, c.IfInMulticastPkts, c.IfInBroadcastPkts = x.u32(), x.u32(), x.u32()
	c.IfInDiscards, c.IfInErrors, c.IfInUnknownProtos = x.u32(), x.u32(), x.u32()
	c.IfOutOctets = x.u64()
	c.IfOutUcastPkts, c.IfOutMulticastPkts, c.IfOutBroadcastPkts = x.u32(), x.u32(), x.u32()
	c.IfOutDiscards, c.IfOutErrors, c.IfPromiscuousMode = x.u32(), x.u32(), x.u32()
}

// decodeEthernet decodes ethernet_counters (enterprise 0, format 2).
func decodeEthernet(x *xdr, r *decoded.CounterRecords) {
	c := &r.Ethernet
	c.AlignmentErrors, c.FCSErrors, c.SingleCollisionFrames = x.u32(), x.u32(), x.u32()
	c.MultipleCollisionFrames, c.SQETestErrors, c.DeferredTransmissions = x.u32(), x.u32(), x.u32()
	c.LateCollisions, c.ExcessiveCollisions, c.InternalMacTransmitErrors = x.u32(), x.u32(), x.u32()
	c.CarrierSenseErrors, c.FrameTooLongs, c.InternalMacReceiveErrors = x.u32(), x.u32(), x.u32()
	c.SymbolErrors = x.u32()
}

// decodeTokenRing decodes tokenring_counters (enterprise 0, format 3).
func decodeTokenRing(x *xdr, r *decoded.CounterRecords) {
	c := &r.TokenRing
	c.LineErrors, c.BurstErrors, c.ACErrors = x.u32(), x.u32(), x.u32()
	c.AbortTransErrors, c.InternalErrors, c.LostFrameErrors = x.u32(), x.u32(), x.u32()
	c.ReceiveCongestions, c.FrameCopiedErrors, c.TokenErrors = x.u32(), x.u32(), x.u32()
	c.SoftErrors, c.HardErrors, c.SignalLoss = x.u32(), x.u32(), x.u32()
	c.TransmitBeacons, c.Recoverys, c.LobeWires = x.u32(), x.u32(), x.u32()
	c.Removes, c.Singles, c.FreqErrors = x.u32(), x.u32(), x.u32()
}

// decodeVG decodes vg_counters (enterprise 0, format 4).
func decodeVG(x *xdr, r *decoded.CounterRecords) {
	c := &r.VG
	c.InHighPriorityFrames, c.InHighPriorityOctets = x.u32(), x.u64()
	c.InNormPriorityFrames, c.InNormPriorityOctets = x.u32(), x.u64()
	c.InIPMErrors, c.InOversizeFrameErrors = x.u32(), x.u32()
	c.InDataErrors, c.InNullAddressedFrames = x.u32(), x.u32()
	c.OutHighPriorityFrames, c.OutHighPriorityOctets = x.u32(), x.u64()
	c.TransitionIntoTrainings = x.u32()
	c.HCInHighPriorityOctets, c.HCInNormPriorityOctets, c.HCOutHighPriorityOctets = x.u64(), x.u64(), x.u64()
}

// decodeVLAN decodes vlan_counters (enterprise 0, format 5).
func decodeVLAN(x *xdr, r *decoded.CounterRecords) {
	c := &r.VLAN
	c.VLANID, c.Octets = x.u32(), x.u64()
	c.UcastPkts, c.MulticastPkts, c.BroadcastPkts, c.Discards = x.u32(), x.u32(), x.u32(), x.u32()
}

// decodeIEEE80211 decodes ieee80211_counters (enterprise 0, format 6,
// sflow_80211.txt).
func decodeIEEE80211(x *xdr, r *decoded.CounterRecords) {
	c := &r.IEEE80211
	c.TransmittedFragmentCount, c.MulticastTransmittedFrameCount = x.u32(), x.u32()
	c.FailedCount, c.RetryCount, c.MultipleRetryCount = x.u32(), x.u32(), x.u32()
	c.FrameDuplicateCount, c.RTSSuccessCount, c.RTSFailureCount = x.u32(), x.u32(), x.u32()
	c.ACKFailureCount, c.ReceivedFragmentCount = x.u32(), x.u32()
	c.MulticastReceivedFrameCount, c.FCSErrorCount = x.u32(), x.u32()
	c.TransmittedFrameCount, c.WEPUndecryptableCount = x.u32(), x.u32()
	c.QoSDiscardedFragmentCount, c.AssociatedStationCount = x.u32(), x.u32()
	c.QoSCFPollsReceivedCount, c.QoSCFPollsUnusedCount = x.u32(), x.u32()
	c.QoSCFPollsUnusableCount, c.QoSCFPollsLostCount = x.u32(), x.u32()
}

// decodeLAG decodes lag_port_stats (enterprise 0, format 7,
// sflow_lag.txt): actor and partner system IDs (mac), attached aggregator
// ID, the four port state bytes, and eight LACP PDU counters.
func decodeLAG(x *xdr, r *decoded.CounterRecords) {
	c := &r.LAG
	c.ActorSystemID, c.PartnerSystemID = x.mac(), x.mac()
	c.AttachedAggID = x.u32()
	if st := x.take(4); st != nil {
		c.ActorAdminState, c.ActorOperState = st[0], st[1]
		c.PartnerAdminState, c.PartnerOperState = st[2], st[3]
	}
	c.LACPDUsRx, c.MarkerPDUsRx, c.MarkerResponsePDUsRx = x.u32(), x.u32(), x.u32()
	c.UnknownRx, c.IllegalRx = x.u32(), x.u32()
	c.LACPDUsTx, c.MarkerPDUsTx, c.MarkerResponsePDUsTx = x.u32(), x.u32(), x.u32()
}

// decodeSFP decodes sfp (enterprise 0, format 10, sflow_optics.txt):
// module_id, module_num_lanes, module_supply_voltage, module_temperature,
// lanes<> (lane: 10 unsigned ints).
func decodeSFP(x *xdr, r *decoded.CounterRecords) {
	c := &r.SFP
	c.ModuleID, c.ModuleTotalLanes, c.ModuleSupplyVoltage = x.u32(), x.u32(), x.u32()
	c.ModuleTemperature = x.i32()
	n := x.count(40, maxLanes)
	c.Lanes = c.Lanes[:0]
	for i := range n {
		c.Lanes = extend(c.Lanes)
		l := &c.Lanes[i]
		l.Index, l.TxBiasCurrent = x.u32(), x.u32()
		l.TxPower, l.TxPowerMin, l.TxPowerMax, l.TxWavelength = x.u32(), x.u32(), x.u32(), x.u32()
		l.RxPower, l.RxPowerMin, l.RxPowerMax, l.RxWavelength = x.u32(), x.u32(), x.u32(), x.u32()
	}
}

// decodeProcessor decodes processor (enterprise 0, format 1001):
// 5s_cpu, 1m_cpu, 5m_cpu, total_memory, free_memory.
func decodeProcessor(x *xdr, r *decoded.CounterRecords) {
	c := &r.Processor
	c.CPU5s, c.CPU1m, c.CPU5m = x.u32(), x.u32(), x.u32()
	c.TotalMemory, c.FreeMemory = x.u64(), x.u64()
}

// decodeRadio decodes radio_utilization (enterprise 0, format 1002,
// sflow_80211.txt).
func decodeRadio(x *xdr, r *decoded.CounterRecords) {
	r.Radio = decoded.RadioCounters{ElapsedTime: x.u32(), OnChannelTime: x.u32(), OnChannelBusyTime: x.u32()}
}

// decodeOpenFlowPort decodes of_port (enterprise 0, format 1004,
// sflow_openflow.txt): datapath_id, port_no.
func decodeOpenFlowPort(x *xdr, r *decoded.CounterRecords) {
	r.OpenFlowPort = decoded.OpenFlowPortCounters{DatapathID: x.u64(), PortNo: x.u32()}
}

// decodePortName decodes port_name (enterprise 0, format 1005): name<>.
func decodePortName(x *xdr, r *decoded.CounterRecords) { r.PortName = x.opaque() }

// decodeHostDescr decodes host_descr (enterprise 0, format 2000,
// sflow_host.txt): hostname<64>, uuid (opaque[16]), machine_type, os_name,
// os_release<32>.
func decodeHostDescr(x *xdr, r *decoded.CounterRecords) {
	h := &r.HostDescr
	h.Hostname = x.opaque()
	copy(h.UUID[:], x.fixed(16))
	h.MachineType, h.OSName = x.u32(), x.u32()
	h.OSRelease = x.opaque()
}

// decodeHostAdapters decodes host_adapters (enterprise 0, format 2001):
// host_adapter<>, each ifIndex and mac_address<>.
func decodeHostAdapters(x *xdr, r *decoded.CounterRecords) {
	n := x.count(8, maxAdapters)
	r.HostAdapters = r.HostAdapters[:0]
	for i := range n {
		r.HostAdapters = extend(r.HostAdapters)
		a := &r.HostAdapters[i]
		a.IfIndex = x.u32()
		m := x.count(8, maxMACs)
		a.MACs = a.MACs[:0]
		for range m {
			a.MACs = append(a.MACs, x.mac())
		}
	}
}

// decodeHostParent decodes host_parent (enterprise 0, format 2002):
// container_type, container_index.
func decodeHostParent(x *xdr, r *decoded.CounterRecords) {
	r.HostParent = decoded.HostParent{ContainerType: x.u32(), ContainerIndex: x.u32()}
}

// decodeHostCPU decodes host_cpu (enterprise 0, format 2003): three load
// averages (float), then 14 unsigned ints, then, in the later revision,
// cpu_steal, cpu_guest, cpu_guest_nice (HasExtended).
func decodeHostCPU(x *xdr, r *decoded.CounterRecords) {
	c := &r.HostCPU
	c.LoadOne, c.LoadFive, c.LoadFifteen = x.f32(), x.f32(), x.f32()
	c.ProcRun, c.ProcTotal, c.CPUNum, c.CPUSpeed, c.Uptime = x.u32(), x.u32(), x.u32(), x.u32(), x.u32()
	c.CPUUser, c.CPUNice, c.CPUSystem, c.CPUIdle = x.u32(), x.u32(), x.u32(), x.u32()
	c.CPUWio, c.CPUIntr, c.CPUSintr = x.u32(), x.u32(), x.u32()
	c.Interrupts, c.Contexts = x.u32(), x.u32()
	c.HasExtended = x.err == nil && x.left() >= 12
	c.CPUSteal, c.CPUGuest, c.CPUGuestNice = 0, 0, 0
	if c.HasExtended {
		c.CPUSteal, c.CPUGuest, c.CPUGuestNice = x.u32(), x.u32(), x.u32()
	}
}

// decodeHostMemory decodes host_memory (enterprise 0, format 2004).
func decodeHostMemory(x *xdr, r *decoded.CounterRecords) {
	m := &r.HostMemory
	m.MemTotal, m.MemFree, m.MemShared, m.MemBuffers = x.u64(), x.u64(), x.u64(), x.u64()
	m.MemCached, m.SwapTotal, m.SwapFree = x.u64(), x.u64(), x.u64()
	m.PageIn, m.PageOut, m.SwapIn, m.SwapOut = x.u32(), x.u32(), x.u32(), x.u32()
}

// decodeHostDiskIO decodes host_disk_io (enterprise 0, format 2005).
func decodeHostDiskIO(x *xdr, r *decoded.CounterRecords) {
	c := &r.HostDiskIO
	c.DiskTotal, c.DiskFree, c.PartMaxUsed = x.u64(), x.u64(), x.u32()
	c.Reads, c.BytesRead, c.ReadTime = x.u32(), x.u64(), x.u32()
	c.Writes, c.BytesWritten, c.WriteTime = x.u32(), x.u64(), x.u32()
}

// netIO decodes the host_net_io structure (0:2006, also virt_net_io
// 0:2104): bytes_in, pkts_in, errs_in, drops_in, then the same out.
func netIO(x *xdr, c *decoded.HostNetIO) {
	c.BytesIn, c.PktsIn, c.ErrsIn, c.DropsIn = x.u64(), x.u32(), x.u32(), x.u32()
	c.BytesOut, c.PktsOut, c.ErrsOut, c.DropsOut = x.u64(), x.u32(), x.u32(), x.u32()
}

// decodeMib2IP decodes mib2_ip_group (enterprise 0, format 2007).
func decodeMib2IP(x *xdr, r *decoded.CounterRecords) {
	c := &r.Mib2IP
	c.Forwarding, c.DefaultTTL, c.InReceives, c.InHdrErrors = x.u32(), x.u32(), x.u32(), x.u32()
	c.InAddrErrors, c.ForwDatagrams, c.InUnknownProtos = x.u32(), x.u32(), x.u32()
	c.InDiscards, c.InDelivers, c.OutRequests, c.OutDiscards = x.u32(), x.u32(), x.u32(), x.u32()
	c.OutNoRoutes, c.ReasmTimeout, c.ReasmReqds, c.ReasmOKs = x.u32(), x.u32(), x.u32(), x.u32()
	c.ReasmFails, c.FragOKs, c.FragFails, c.FragCreates = x.u32(), x.u32(), x.u32(), x.u32()
}

// decodeMib2ICMP decodes mib2_icmp_group (enterprise 0, format 2008).
func decodeMib2ICMP(x *xdr, r *decoded.CounterRecords) {
	c := &r.Mib2ICMP
	c.InMsgs, c.InErrors, c.InDestUnreachs, c.InTimeExcds = x.u32(), x.u32(), x.u32(), x.u32()
	c.InParamProbs, c.InSrcQuenchs, c.InRedirects, c.InEchos = x.u32(), x.u32(), x.u32(), x.u32()
	c.InEchoReps, c.InTimestamps, c.InAddrMasks, c.InAddrMaskReps = x.u32(), x.u32(), x.u32(), x.u32()
	c.OutMsgs, c.OutErrors, c.OutDestUnreachs, c.OutTimeExcds = x.u32(), x.u32(), x.u32(), x.u32()
	c.OutParamProbs, c.OutSrcQuenchs, c.OutRedirects, c.OutEchos = x.u32(), x.u32(), x.u32(), x.u32()
	c.OutEchoReps, c.OutTimestamps, c.OutTimestampReps = x.u32(), x.u32(), x.u32()
	c.OutAddrMasks, c.OutAddrMaskReps = x.u32(), x.u32()
}

// decodeMib2TCP decodes mib2_tcp_group (enterprise 0, format 2009).
func decodeMib2TCP(x *xdr, r *decoded.CounterRecords) {
	c := &r.Mib2TCP
	c.RtoAlgorithm, c.RtoMin, c.RtoMax, c.MaxConn = x.u32(), x.u32(), x.u32(), x.u32()
	c.ActiveOpens, c.PassiveOpens, c.AttemptFails, c.EstabResets = x.u32(), x.u32(), x.u32(), x.u32()
	c.CurrEstab, c.InSegs, c.OutSegs, c.RetransSegs = x.u32(), x.u32(), x.u32(), x.u32()
	c.InErrs, c.OutRsts, c.InCsumErrors = x.u32(), x.u32(), x.u32()
}

// decodeMib2UDP decodes mib2_udp_group (enterprise 0, format 2010).
func decodeMib2UDP(x *xdr, r *decoded.CounterRecords) {
	c := &r.Mib2UDP
	c.InDatagrams, c.NoPorts, c.InErrors, c.OutDatagrams = x.u32(), x.u32(), x.u32(), x.u32()
	c.RcvbufErrors, c.SndbufErrors, c.InCsumErrors = x.u32(), x.u32(), x.u32()
}

// decodeVirtNode decodes virt_node (enterprise 0, format 2100).
func decodeVirtNode(x *xdr, r *decoded.CounterRecords) {
	r.VirtNode = decoded.VirtNode{MHz: x.u32(), CPUs: x.u32(), Memory: x.u64(), MemoryFree: x.u64(), NumDomains: x.u32()}
}

// decodeVirtCPU decodes virt_cpu (enterprise 0, format 2101).
func decodeVirtCPU(x *xdr, r *decoded.CounterRecords) {
	r.VirtCPU = decoded.VirtCPU{State: x.u32(), CPUTime: x.u32(), NrVirtCPU: x.u32()}
}

// decodeVirtMemory decodes virt_memory (enterprise 0, format 2102).
func decodeVirtMemory(x *xdr, r *decoded.CounterRecords) {
	r.VirtMemory = decoded.VirtMemory{Memory: x.u64(), MaxMemory: x.u64()}
}

// decodeVirtDiskIO decodes virt_disk_io (enterprise 0, format 2103).
func decodeVirtDiskIO(x *xdr, r *decoded.CounterRecords) {
	c := &r.VirtDiskIO
	c.Capacity, c.Allocation, c.Available = x.u64(), x.u64(), x.u64()
	c.RdReq, c.RdBytes, c.WrReq, c.WrBytes, c.Errs = x.u32(), x.u64(), x.u32(), x.u64(), x.u32()
}

// decodeJVMRuntime decodes jvm_runtime (enterprise 0, format 2105,
// sflow_jvm.txt): vm_name<64>, vm_vendor<32>, vm_version<32>.
func decodeJVMRuntime(x *xdr, r *decoded.CounterRecords) {
	r.JVMRuntime = decoded.JVMRuntime{VMName: x.opaque(), VMVendor: x.opaque(), VMVersion: x.opaque()}
}

// decodeJVMStatistics decodes jvm_statistics (enterprise 0, format 2106):
// eight heap/non-heap hypers, then eleven unsigned ints.
func decodeJVMStatistics(x *xdr, r *decoded.CounterRecords) {
	c := &r.JVMStats
	c.HeapInitial, c.HeapUsed, c.HeapCommitted, c.HeapMax = x.u64(), x.u64(), x.u64(), x.u64()
	c.NonHeapInitial, c.NonHeapUsed, c.NonHeapCommitted, c.NonHeapMax = x.u64(), x.u64(), x.u64(), x.u64()
	c.GCCount, c.GCTime, c.ClassesLoaded, c.ClassesTotal = x.u32(), x.u32(), x.u32(), x.u32()
	c.ClassesUnloaded, c.CompilationTime, c.ThreadNumLive = x.u32(), x.u32(), x.u32()
	c.ThreadNumDaemon, c.ThreadNumStarted, c.FDOpenCount, c.FDMaxCount = x.u32(), x.u32(), x.u32(), x.u32()
}

// decodeHTTP decodes http_counters (enterprise 0, format 2201,
// sflow_http.txt): nine method counts, six status counts.
func decodeHTTP(x *xdr, r *decoded.CounterRecords) {
	c := &r.HTTP
	c.MethodOptionCount, c.MethodGetCount, c.MethodHeadCount = x.u32(), x.u32(), x.u32()
	c.MethodPostCount, c.MethodPutCount, c.MethodDeleteCount = x.u32(), x.u32(), x.u32()
	c.MethodTraceCount, c.MethodConnectCount, c.MethodOtherCount = x.u32(), x.u32(), x.u32()
	c.Status1xxCount, c.Status2xxCount, c.Status3xxCount = x.u32(), x.u32(), x.u32()
	c.Status4xxCount, c.Status5xxCount, c.StatusOtherCount = x.u32(), x.u32(), x.u32()
}

// decodeAppResources decodes app_resources (enterprise 0, format 2203,
// sflow_application.txt).
func decodeAppResources(x *xdr, r *decoded.CounterRecords) {
	c := &r.AppResources
	c.UserTime, c.SystemTime, c.MemUsed, c.MemMax = x.u32(), x.u32(), x.u64(), x.u64()
	c.FDOpen, c.FDMax, c.ConnOpen, c.ConnMax = x.u32(), x.u32(), x.u32(), x.u32()
}

// decodeOVSDP decodes ovs_dp_stats (enterprise 0, format 2207, Open
// vSwitch): hits, misses, lost, mask_hits, flows, masks.
func decodeOVSDP(x *xdr, r *decoded.CounterRecords) {
	r.OVSDP = decoded.OVSDPStats{Hits: x.u32(), Misses: x.u32(), Lost: x.u32(), MaskHits: x.u32(), Flows: x.u32(), Masks: x.u32()}
}
