package ecs

import (
	"encoding/hex"

	"github.com/elastic/elastic-agent-libs/mapstr"

	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
)

// systemCounters maps the processor, host and virtual host records
// (0:1001, 0:2000-2010, 0:2100-2104) under sflow.counters.processor/host/virt.
func systemCounters(c mapstr.M, r *decoded.CounterRecords) {
	if r.Has&decoded.HasProcessor != 0 {
		p := &r.Processor
		c["processor"] = mapstr.M{"cpu_5s_pct": p.CPU5s, "cpu_1m_pct": p.CPU1m, "cpu_5m_pct": p.CPU5m,
			"total_memory": p.TotalMemory, "free_memory": p.FreeMemory}
	}
	h := mapstr.M{}
	hostDescr(h, r)
	hostResources(h, r)
	mib2(h, r)
	if len(h) > 0 {
		c["host"] = h
	}
	if v := virt(r); len(v) > 0 {
		c["virt"] = v
	}
}

// hostDescr maps host_descr, host_adapters and host_parent.
func hostDescr(h mapstr.M, r *decoded.CounterRecords) {
	if r.Has&decoded.HasHostDescr != 0 {
		d := &r.HostDescr
		h["descr"] = compact(mapstr.M{"hostname": str(d.Hostname), "uuid": uuidString(d.UUID),
			"machine_type": d.MachineType, "os_name": d.OSName, "os_release": str(d.OSRelease)})
	}
	if r.Has&decoded.HasHostAdapters != 0 {
		adapters := make([]mapstr.M, 0, len(r.HostAdapters))
		for _, a := range r.HostAdapters {
			macs := make([]string, 0, len(a.MACs))
			for _, m := range a.MACs {
				macs = append(macs, formatMAC(m))
			}
			adapters = append(adapters, mapstr.M{"if_index": a.IfIndex, "mac": macs})
		}
		h["adapters"] = adapters
	}
	if r.Has&decoded.HasHostParent != 0 {
		h["parent"] = mapstr.M{"container_type": r.HostParent.ContainerType, "container_index": r.HostParent.ContainerIndex}
	}
}

// uuidString formats a 16-byte UUID, or returns "" for the nil UUID.
func uuidString(u [16]byte) string {
	if u == [16]byte{} {
		return ""
	}
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return string(b[:])
}

// hostResources maps host_cpu, host_memory, host_disk_io and host_net_io.
func hostResources(h mapstr.M, r *decoded.CounterRecords) {
	if r.Has&decoded.HasHostCPU != 0 {
		h["cpu"] = hostCPU(&r.HostCPU)
	}
	if r.Has&decoded.HasHostMemory != 0 {
		m := &r.HostMemory
		h["memory"] = mapstr.M{"mem_total": m.MemTotal, "mem_free": m.MemFree, "mem_shared": m.MemShared,
			"mem_buffers": m.MemBuffers, "mem_cached": m.MemCached, "swap_total": m.SwapTotal, "swap_free": m.SwapFree,
			"page_in": m.PageIn, "page_out": m.PageOut, "swap_in": m.SwapIn, "swap_out": m.SwapOut}
	}
	if r.Has&decoded.HasHostDiskIO != 0 {
		d := &r.HostDiskIO
		h["disk_io"] = mapstr.M{"disk_total": d.DiskTotal, "disk_free": d.DiskFree, "part_max_used_pct": d.PartMaxUsed,
			"reads": d.Reads, "bytes_read": d.BytesRead, "read_time_ms": d.ReadTime,
			"writes": d.Writes, "bytes_written": d.BytesWritten, "write_time_ms": d.WriteTime}
	}
	if r.Has&decoded.HasHostNetIO != 0 {
		h["net_io"] = netIO(&r.HostNetIO)
	}
}

// hostCPU maps host_cpu (0:2003).
func hostCPU(c *decoded.HostCPU) mapstr.M {
	m := mapstr.M{"load_one": c.LoadOne, "load_five": c.LoadFive, "load_fifteen": c.LoadFifteen,
		"proc_run": c.ProcRun, "proc_total": c.ProcTotal, "cpu_num": c.CPUNum, "cpu_speed_mhz": c.CPUSpeed,
		"uptime_s": c.Uptime, "cpu_user_ms": c.CPUUser, "cpu_nice_ms": c.CPUNice, "cpu_system_ms": c.CPUSystem,
		"cpu_idle_ms": c.CPUIdle, "cpu_wio_ms": c.CPUWio, "cpu_intr_ms": c.CPUIntr, "cpu_sintr_ms": c.CPUSintr,
		"interrupts": c.Interrupts, "contexts": c.Contexts}
	if c.HasExtended {
		m["cpu_steal_ms"], m["cpu_guest_ms"], m["cpu_guest_nice_ms"] = c.CPUSteal, c.CPUGuest, c.CPUGuestNice
	}
	return m
}

// netIO maps host_net_io / virt_net_io.
func netIO(n *decoded.HostNetIO) mapstr.M {
	return mapstr.M{"bytes_in": n.BytesIn, "pkts_in": n.PktsIn, "errs_in": n.ErrsIn, "drops_in": n.DropsIn,
		"bytes_out": n.BytesOut, "pkts_out": n.PktsOut, "errs_out": n.ErrsOut, "drops_out": n.DropsOut}
}

// mib2 maps the MIB-2 ip/icmp/tcp/udp groups (0:2007-2010).
func mib2(h mapstr.M, r *decoded.CounterRecords) {
	if r.Has&decoded.HasMib2IP != 0 {
		i := &r.Mib2IP
		h["ip"] = mapstr.M{"ip_forwarding": i.Forwarding, "ip_default_ttl": i.DefaultTTL, "ip_in_receives": i.InReceives,
			"ip_in_hdr_errors": i.InHdrErrors, "ip_in_addr_errors": i.InAddrErrors, "ip_forw_datagrams": i.ForwDatagrams,
			"ip_in_unknown_protos": i.InUnknownProtos, "ip_in_discards": i.InDiscards, "ip_in_delivers": i.InDelivers,
			"ip_out_requests": i.OutRequests, "ip_out_discards": i.OutDiscards, "ip_out_no_routes": i.OutNoRoutes,
			"ip_reasm_timeout": i.ReasmTimeout, "ip_reasm_reqds": i.ReasmReqds, "ip_reasm_oks": i.ReasmOKs,
			"ip_reasm_fails": i.ReasmFails, "ip_frag_oks": i.FragOKs, "ip_frag_fails": i.FragFails, "ip_frag_creates": i.FragCreates}
	}
	if r.Has&decoded.HasMib2ICMP != 0 {
		i := &r.Mib2ICMP
		h["icmp"] = mapstr.M{"icmp_in_msgs": i.InMsgs, "icmp_in_errors": i.InErrors, "icmp_in_dest_unreachs": i.InDestUnreachs,
			"icmp_in_time_excds": i.InTimeExcds, "icmp_in_parm_probs": i.InParamProbs, "icmp_in_src_quenchs": i.InSrcQuenchs,
			"icmp_in_redirects": i.InRedirects, "icmp_in_echos": i.InEchos, "icmp_in_echo_reps": i.InEchoReps,
			"icmp_in_timestamps": i.InTimestamps, "icmp_in_addr_masks": i.InAddrMasks, "icmp_in_addr_mask_reps": i.InAddrMaskReps,
			"icmp_out_msgs": i.OutMsgs, "icmp_out_errors": i.OutErrors, "icmp_out_dest_unreachs": i.OutDestUnreachs,
			"icmp_out_time_excds": i.OutTimeExcds, "icmp_out_parm_probs": i.OutParamProbs, "icmp_out_src_quenchs": i.OutSrcQuenchs,
			"icmp_out_redirects": i.OutRedirects, "icmp_out_echos": i.OutEchos, "icmp_out_echo_reps": i.OutEchoReps,
			"icmp_out_timestamps": i.OutTimestamps, "icmp_out_timestamp_reps": i.OutTimestampReps,
			"icmp_out_addr_masks": i.OutAddrMasks, "icmp_out_addr_mask_reps": i.OutAddrMaskReps}
	}
	if r.Has&decoded.HasMib2TCP != 0 {
		t := &r.Mib2TCP
		h["tcp"] = mapstr.M{"tcp_rto_algorithm": t.RtoAlgorithm, "tcp_rto_min": t.RtoMin, "tcp_rto_max": t.RtoMax,
			"tcp_max_conn": t.MaxConn, "tcp_active_opens": t.ActiveOpens, "tcp_passive_opens": t.PassiveOpens,
			"tcp_attempt_fails": t.AttemptFails, "tcp_estab_resets": t.EstabResets, "tcp_curr_estab": t.CurrEstab,
			"tcp_in_segs": t.InSegs, "tcp_out_segs": t.OutSegs, "tcp_retrans_segs": t.RetransSegs, "tcp_in_errs": t.InErrs,
			"tcp_out_rsts": t.OutRsts, "tcp_in_csum_errors": t.InCsumErrors}
	}
	if r.Has&decoded.HasMib2UDP != 0 {
		u := &r.Mib2UDP
		h["udp"] = mapstr.M{"udp_in_datagrams": u.InDatagrams, "udp_no_ports": u.NoPorts, "udp_in_errors": u.InErrors,
			"udp_out_datagrams": u.OutDatagrams, "udp_rcvbuf_errors": u.RcvbufErrors, "udp_sndbuf_errors": u.SndbufErrors,
			"udp_in_csum_errors": u.InCsumErrors}
	}
}

// virt maps the virtual host records (0:2100-2104).
func virt(r *decoded.CounterRecords) mapstr.M {
	v := mapstr.M{}
	if r.Has&decoded.HasVirtNode != 0 {
		n := &r.VirtNode
		v["node"] = mapstr.M{"mhz": n.MHz, "cpus": n.CPUs, "memory": n.Memory, "memory_free": n.MemoryFree, "num_domains": n.NumDomains}
	}
	if r.Has&decoded.HasVirtCPU != 0 {
		v["cpu"] = mapstr.M{"state": r.VirtCPU.State, "cpu_time_ms": r.VirtCPU.CPUTime, "nr_virt_cpu": r.VirtCPU.NrVirtCPU}
	}
	if r.Has&decoded.HasVirtMemory != 0 {
		v["memory"] = mapstr.M{"memory": r.VirtMemory.Memory, "max_memory": r.VirtMemory.MaxMemory}
	}
	if r.Has&decoded.HasVirtDiskIO != 0 {
		d := &r.VirtDiskIO
		v["disk_io"] = mapstr.M{"capacity": d.Capacity, "allocation": d.Allocation, "available": d.Available,
			"rd_req": d.RdReq, "rd_bytes": d.RdBytes, "wr_req": d.WrReq, "wr_bytes": d.WrBytes, "errs": d.Errs}
	}
	if r.Has&decoded.HasVirtNetIO != 0 {
		v["net_io"] = netIO(&r.VirtNetIO)
	}
	return v
}

// appCounters maps the JVM, HTTP, application and OVS records
// (0:2105-2106, 0:2201, 0:2203, 0:2207).
func appCounters(c mapstr.M, r *decoded.CounterRecords) {
	if r.Has&decoded.HasJVMRuntime != 0 {
		j := &r.JVMRuntime
		c["jvm"] = compact(mapstr.M{"vm_name": str(j.VMName), "vm_vendor": str(j.VMVendor), "vm_version": str(j.VMVersion)})
	}
	if r.Has&decoded.HasJVMStats != 0 {
		j := &r.JVMStats
		stats := mapstr.M{"heap_initial": j.HeapInitial, "heap_used": j.HeapUsed, "heap_committed": j.HeapCommitted,
			"heap_max": j.HeapMax, "non_heap_initial": j.NonHeapInitial, "non_heap_used": j.NonHeapUsed,
			"non_heap_committed": j.NonHeapCommitted, "non_heap_max": j.NonHeapMax, "gc_count": j.GCCount,
			"gc_time_ms": j.GCTime, "classes_loaded": j.ClassesLoaded, "classes_total": j.ClassesTotal,
			"classes_unloaded": j.ClassesUnloaded, "compilation_time_ms": j.CompilationTime, "thread_num_live": j.ThreadNumLive,
			"thread_num_daemon": j.ThreadNumDaemon, "thread_num_started": j.ThreadNumStarted,
			"fd_open_count": j.FDOpenCount, "fd_max_count": j.FDMaxCount}
		jvm, _ := c["jvm"].(mapstr.M)
		if jvm == nil {
			jvm = mapstr.M{}
			c["jvm"] = jvm
		}
		jvm["stats"] = stats
	}
	if r.Has&decoded.HasHTTP != 0 {
		h := &r.HTTP
		c["http"] = mapstr.M{"method_option_count": h.MethodOptionCount, "method_get_count": h.MethodGetCount,
			"method_head_count": h.MethodHeadCount, "method_post_count": h.MethodPostCount, "method_put_count": h.MethodPutCount,
			"method_delete_count": h.MethodDeleteCount, "method_trace_count": h.MethodTraceCount,
			"method_connect_count": h.MethodConnectCount, "method_other_count": h.MethodOtherCount,
			"status_1xx_count": h.Status1xxCount, "status_2xx_count": h.Status2xxCount, "status_3xx_count": h.Status3xxCount,
			"status_4xx_count": h.Status4xxCount, "status_5xx_count": h.Status5xxCount, "status_other_count": h.StatusOtherCount}
	}
	if r.Has&decoded.HasAppResources != 0 {
		a := &r.AppResources
		c["app_resources"] = mapstr.M{"user_time_ms": a.UserTime, "system_time_ms": a.SystemTime, "mem_used": a.MemUsed,
			"mem_max": a.MemMax, "fd_open": a.FDOpen, "fd_max": a.FDMax, "conn_open": a.ConnOpen, "conn_max": a.ConnMax}
	}
	if r.Has&decoded.HasOVSDP != 0 {
		o := &r.OVSDP
		c["ovs_dp"] = mapstr.M{"hits": o.Hits, "misses": o.Misses, "lost": o.Lost, "mask_hits": o.MaskHits,
			"flows": o.Flows, "masks": o.Masks}
	}
}
