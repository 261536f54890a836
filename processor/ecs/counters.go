package ecs

import (
	"math"

	"github.com/elastic/elastic-agent-libs/mapstr"

	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
)

// Fields of counter samples.
var (
	fSamplingInterval = must("sflow.sample.sampling_interval")
	fCounters         = must("sflow.counters")
)

// counterEvent builds the event of a counters_sample /
// counters_sample_expanded. The counter records, many and varied, are one
// map of plain values under sflow.counters.
func counterEvent(dg *decoded.Datagram, s *decoded.CounterSample) *Doc {
	d := base(dg, &counterKind)
	typ := "counters_sample"
	if s.Expanded {
		typ = "counters_sample_expanded"
	}
	sampleFields(d, typ, s.SequenceNumber, s.SourceID)
	if s.Interval != 0 { // RFC 3176 sampling_interval (v2/v4)
		d.uint(fSamplingInterval, uint64(s.Interval))
	}
	c := make(mapstr.M, 32)
	r := &s.Records
	if r.Has&decoded.HasGenericIf != 0 {
		genericIf(c, &r.GenericIf)
		if r.GenericIf.IfIndex != 0 {
			d.decimal(ingress.id, uint64(r.GenericIf.IfIndex))
		}
	}
	if r.Has&decoded.HasPortName != 0 && len(r.PortName) > 0 {
		c["port_name"] = str(r.PortName)
		d.str(ingress.name, str(r.PortName))
	}
	interfaceCounters(c, r)
	systemCounters(c, r)
	appCounters(c, r)
	omitUnknown(c)
	d.object(fCounters, c)
	return d
}

// str converts an XDR string to a Go string (a copy: the bytes point into
// the datagram buffer).
func str(b []byte) string { return string(b) }

// compact removes empty strings from m and returns it.
func compact(m mapstr.M) mapstr.M {
	for k, v := range m {
		if s, ok := v.(string); ok && s == "" {
			delete(m, k)
		}
	}
	return m
}

// omitUnknown deletes the counters whose value is all ones, which sFlow
// agents send for a counter they do not maintain (0xFFFFFFFF, or
// 0xFFFFFFFFFFFFFFFF for 64-bit counters; the convention of sFlow v5 and the
// Host sFlow structures): an unknown counter is absent, not 4294967295.
func omitUnknown(m mapstr.M) {
	for k, v := range m {
		switch v := v.(type) {
		case uint32:
			if v == math.MaxUint32 {
				delete(m, k)
			}
		case uint64:
			if v == math.MaxUint64 {
				delete(m, k)
			}
		case mapstr.M:
			omitUnknown(v)
		case []mapstr.M:
			for _, e := range v {
				omitUnknown(e)
			}
		}
	}
}

// ifDirections names if_counters' ifDirection (derived from MAU MIB).
var ifDirections = [...]string{"unknown", "full-duplex", "half-duplex", "in", "out"}

// genericIf maps if_counters (0:1), named after RFC 2233's objects.
func genericIf(c mapstr.M, g *decoded.GenericIfCounters) {
	c["if_index"] = g.IfIndex
	c["if_type"] = g.IfType
	c["if_speed"] = g.IfSpeed
	if int(g.IfDirection) < len(ifDirections) {
		c["if_direction"] = ifDirections[g.IfDirection]
	}
	c["if_admin_status"] = upDown(g.IfStatus&1 != 0)
	c["if_oper_status"] = upDown(g.IfStatus&2 != 0)
	c["if_in_octets"] = g.IfInOctets
	c["if_in_ucast_pkts"] = g.IfInUcastPkts
	c["if_in_multicast_pkts"] = g.IfInMulticastPkts
	c["if_in_broadcast_pkts"] = g.IfInBroadcastPkts
	c["if_in_discards"] = g.IfInDiscards
	c["if_in_errors"] = g.IfInErrors
	c["if_in_unknown_protos"] = g.IfInUnknownProtos
	c["if_out_octets"] = g.IfOutOctets
	c["if_out_ucast_pkts"] = g.IfOutUcastPkts
	c["if_out_multicast_pkts"] = g.IfOutMulticastPkts
	c["if_out_broadcast_pkts"] = g.IfOutBroadcastPkts
	c["if_out_discards"] = g.IfOutDiscards
	c["if_out_errors"] = g.IfOutErrors
	c["if_promiscuous_mode"] = g.IfPromiscuousMode == 1
}

// upDown names an interface status bit.
func upDown(up bool) string {
	if up {
		return "up"
	}
	return "down"
}

// interfaceCounters maps the per-interface records other than if_counters.
func interfaceCounters(c mapstr.M, r *decoded.CounterRecords) {
	if r.Has&decoded.HasFDDI != 0 { // RFC 3176: generic counters of an FDDI interface
		c["if_kind"] = "fddi"
	}
	if r.Has&decoded.HasWAN != 0 { // RFC 3176: generic counters of a WAN interface
		c["if_kind"] = "wan"
	}
	if r.Has&decoded.HasEthernet != 0 {
		e := &r.Ethernet
		c["ethernet"] = mapstr.M{
			"dot3_stats_alignment_errors": e.AlignmentErrors, "dot3_stats_fcs_errors": e.FCSErrors,
			"dot3_stats_single_collision_frames": e.SingleCollisionFrames, "dot3_stats_multiple_collision_frames": e.MultipleCollisionFrames,
			"dot3_stats_sqe_test_errors": e.SQETestErrors, "dot3_stats_deferred_transmissions": e.DeferredTransmissions,
			"dot3_stats_late_collisions": e.LateCollisions, "dot3_stats_excessive_collisions": e.ExcessiveCollisions,
			"dot3_stats_internal_mac_transmit_errors": e.InternalMacTransmitErrors, "dot3_stats_carrier_sense_errors": e.CarrierSenseErrors,
			"dot3_stats_frame_too_longs": e.FrameTooLongs, "dot3_stats_internal_mac_receive_errors": e.InternalMacReceiveErrors,
			"dot3_stats_symbol_errors": e.SymbolErrors,
		}
	}
	if r.Has&decoded.HasTokenRing != 0 {
		t := &r.TokenRing
		c["token_ring"] = mapstr.M{
			"dot5_stats_line_errors": t.LineErrors, "dot5_stats_burst_errors": t.BurstErrors, "dot5_stats_ac_errors": t.ACErrors,
			"dot5_stats_abort_trans_errors": t.AbortTransErrors, "dot5_stats_internal_errors": t.InternalErrors,
			"dot5_stats_lost_frame_errors": t.LostFrameErrors, "dot5_stats_receive_congestions": t.ReceiveCongestions,
			"dot5_stats_frame_copied_errors": t.FrameCopiedErrors, "dot5_stats_token_errors": t.TokenErrors,
			"dot5_stats_soft_errors": t.SoftErrors, "dot5_stats_hard_errors": t.HardErrors, "dot5_stats_signal_loss": t.SignalLoss,
			"dot5_stats_transmit_beacons": t.TransmitBeacons, "dot5_stats_recoverys": t.Recoverys, "dot5_stats_lobe_wires": t.LobeWires,
			"dot5_stats_removes": t.Removes, "dot5_stats_singles": t.Singles, "dot5_stats_freq_errors": t.FreqErrors,
		}
	}
	if r.Has&decoded.HasVG != 0 {
		v := &r.VG
		c["vg"] = mapstr.M{
			"dot12_in_high_priority_frames": v.InHighPriorityFrames, "dot12_in_high_priority_octets": v.InHighPriorityOctets,
			"dot12_in_norm_priority_frames": v.InNormPriorityFrames, "dot12_in_norm_priority_octets": v.InNormPriorityOctets,
			"dot12_in_ipm_errors": v.InIPMErrors, "dot12_in_oversize_frame_errors": v.InOversizeFrameErrors,
			"dot12_in_data_errors": v.InDataErrors, "dot12_in_null_addressed_frames": v.InNullAddressedFrames,
			"dot12_out_high_priority_frames": v.OutHighPriorityFrames, "dot12_out_high_priority_octets": v.OutHighPriorityOctets,
			"dot12_transition_into_trainings": v.TransitionIntoTrainings, "dot12_hc_in_high_priority_octets": v.HCInHighPriorityOctets,
			"dot12_hc_in_norm_priority_octets": v.HCInNormPriorityOctets, "dot12_hc_out_high_priority_octets": v.HCOutHighPriorityOctets,
		}
	}
	if r.Has&decoded.HasVLAN != 0 {
		v := &r.VLAN
		c["vlan"] = mapstr.M{"vlan_id": v.VLANID, "octets": v.Octets, "ucast_pkts": v.UcastPkts,
			"multicast_pkts": v.MulticastPkts, "broadcast_pkts": v.BroadcastPkts, "discards": v.Discards}
	}
	if r.Has&decoded.HasIEEE80211 != 0 {
		c["ieee80211"] = ieee80211(&r.IEEE80211)
	}
	if r.Has&decoded.HasLAG != 0 {
		c["lag"] = lag(&r.LAG)
	}
	if r.Has&decoded.HasSFP != 0 {
		c["sfp"] = sfp(&r.SFP)
	}
	if r.Has&decoded.HasOpenFlowPort != 0 {
		c["openflow"] = mapstr.M{"datapath_id": r.OpenFlowPort.DatapathID, "port_no": r.OpenFlowPort.PortNo}
	}
	if r.Has&decoded.HasRadio != 0 {
		c["radio"] = mapstr.M{"elapsed_time_ms": r.Radio.ElapsedTime, "on_channel_time_ms": r.Radio.OnChannelTime,
			"on_channel_busy_time_ms": r.Radio.OnChannelBusyTime}
	}
}

// ieee80211 maps ieee80211_counters (0:6), dot11Counters names.
func ieee80211(w *decoded.IEEE80211Counters) mapstr.M {
	return mapstr.M{
		"dot11_transmitted_fragment_count": w.TransmittedFragmentCount, "dot11_multicast_transmitted_frame_count": w.MulticastTransmittedFrameCount,
		"dot11_failed_count": w.FailedCount, "dot11_retry_count": w.RetryCount, "dot11_multiple_retry_count": w.MultipleRetryCount,
		"dot11_frame_duplicate_count": w.FrameDuplicateCount, "dot11_rts_success_count": w.RTSSuccessCount,
		"dot11_rts_failure_count": w.RTSFailureCount, "dot11_ack_failure_count": w.ACKFailureCount,
		"dot11_received_fragment_count": w.ReceivedFragmentCount, "dot11_multicast_received_frame_count": w.MulticastReceivedFrameCount,
		"dot11_fcs_error_count": w.FCSErrorCount, "dot11_transmitted_frame_count": w.TransmittedFrameCount,
		"dot11_wep_undecryptable_count": w.WEPUndecryptableCount, "dot11_qos_discarded_fragment_count": w.QoSDiscardedFragmentCount,
		"dot11_associated_station_count": w.AssociatedStationCount, "dot11_qos_cf_polls_received_count": w.QoSCFPollsReceivedCount,
		"dot11_qos_cf_polls_unused_count": w.QoSCFPollsUnusedCount, "dot11_qos_cf_polls_unusable_count": w.QoSCFPollsUnusableCount,
		"dot11_qos_cf_polls_lost_count": w.QoSCFPollsLostCount,
	}
}

// lag maps lag_port_stats (0:7), IEEE 802.1AX dot3adAggPort names.
func lag(l *decoded.LAGCounters) mapstr.M {
	return mapstr.M{
		"dot3ad_agg_port_actor_system_id": formatMAC(l.ActorSystemID), "dot3ad_agg_port_partner_oper_system_id": formatMAC(l.PartnerSystemID),
		"dot3ad_agg_port_attached_agg_id":   l.AttachedAggID,
		"dot3ad_agg_port_actor_admin_state": l.ActorAdminState, "dot3ad_agg_port_actor_oper_state": l.ActorOperState,
		"dot3ad_agg_port_partner_admin_state": l.PartnerAdminState, "dot3ad_agg_port_partner_oper_state": l.PartnerOperState,
		"dot3ad_agg_port_stats_lacpdus_rx": l.LACPDUsRx, "dot3ad_agg_port_stats_marker_pdus_rx": l.MarkerPDUsRx,
		"dot3ad_agg_port_stats_marker_response_pdus_rx": l.MarkerResponsePDUsRx, "dot3ad_agg_port_stats_unknown_rx": l.UnknownRx,
		"dot3ad_agg_port_stats_illegal_rx": l.IllegalRx, "dot3ad_agg_port_stats_lacpdus_tx": l.LACPDUsTx,
		"dot3ad_agg_port_stats_marker_pdus_tx": l.MarkerPDUsTx, "dot3ad_agg_port_stats_marker_response_pdus_tx": l.MarkerResponsePDUsTx,
	}
}

// sfp maps sfp (0:10), the optical module and its lanes.
func sfp(s *decoded.SFPCounters) mapstr.M {
	lanes := make([]mapstr.M, 0, len(s.Lanes))
	for _, l := range s.Lanes {
		lanes = append(lanes, mapstr.M{"index": l.Index, "tx_bias_current_ua": l.TxBiasCurrent,
			"tx_power_uw": l.TxPower, "tx_power_min_uw": l.TxPowerMin, "tx_power_max_uw": l.TxPowerMax, "tx_wavelength_nm": l.TxWavelength,
			"rx_power_uw": l.RxPower, "rx_power_min_uw": l.RxPowerMin, "rx_power_max_uw": l.RxPowerMax, "rx_wavelength_nm": l.RxWavelength})
	}
	return mapstr.M{"module_id": s.ModuleID, "module_total_lanes": s.ModuleTotalLanes,
		"module_supply_voltage_mv": s.ModuleSupplyVoltage, "module_temperature_mc": s.ModuleTemperature, "lanes": lanes}
}
