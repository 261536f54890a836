package ecs

import (
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"

	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
)

// ICMP types that have a "reply" counterpart, for Community ID's
// one-way mapping (Community ID spec v1, ICMP section).
var (
	icmp4Pairs = map[uint8]uint8{8: 0, 0: 8, 13: 14, 14: 13, 15: 16, 16: 15, 17: 18, 18: 17, 10: 9, 9: 10}
	icmp6Pairs = map[uint8]uint8{128: 129, 129: 128, 133: 134, 134: 133, 135: 136, 136: 135, 130: 131, 131: 130, 139: 140, 140: 139, 144: 145, 145: 144}
)

// communityID returns the Community ID v1 (seed 0) of a flow: base64 SHA-1
// over seed, ordered addresses, protocol and ports (or ICMP type/code), as
// https://github.com/corelight/community-id-spec defines. "" when the flow
// has no IPs or no protocol.
func communityID(fl *flow) string {
	if !fl.srcIP.IsValid() || !fl.dstIP.IsValid() || !fl.hasProto || fl.srcIP.Is4() != fl.dstIP.Is4() {
		return ""
	}
	sp, dp, oneWay, hasPorts := fl.srcPort, fl.dstPort, false, fl.hasPorts
	if fl.isICMP {
		sp, dp, oneWay, hasPorts = icmpPorts(fl)
	}
	src, dst := fl.srcIP.AsSlice(), fl.dstIP.AsSlice()
	if !oneWay && less(dst, dp, src, sp) {
		src, dst, sp, dp = dst, src, dp, sp
	}
	h := sha1.New()
	var buf [4]byte
	h.Write(buf[:2]) // seed 0
	h.Write(src)
	h.Write(dst)
	buf[0], buf[1] = fl.proto, 0
	h.Write(buf[:2])
	if hasPorts {
		binary.BigEndian.PutUint16(buf[:2], sp)
		binary.BigEndian.PutUint16(buf[2:], dp)
		h.Write(buf[:4])
	}
	return "1:" + base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// icmpPorts maps ICMP type/code to the Community ID "ports": the type and
// its counterpart, or the type and the code for one-way messages.
func icmpPorts(fl *flow) (uint16, uint16, bool, bool) {
	pairs := icmp4Pairs
	if fl.proto == decoded.IPProtoICMPv6 {
		pairs = icmp6Pairs
	}
	if peer, ok := pairs[fl.icmpType]; ok {
		return uint16(fl.icmpType), uint16(peer), false, true
	}
	return uint16(fl.icmpType), uint16(fl.icmpCode), true, true
}

// less reports whether (a, ap) orders before (b, bp): address first, then port.
func less(a []byte, ap uint16, b []byte, bp uint16) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return ap < bp
}
