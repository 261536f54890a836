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
// has no IPs or no protocol. The message is built on the stack: the one
// allocation is the result. libbeat's libbeat/common/flowhash is not used:
// it differs from the spec's reference for ICMP types 16 and ICMPv6 131, and
// costs twice as much (communityid_flowhash_test.go checks and measures
// both).
func communityID(fl *flow) string {
	if !fl.srcIP.IsValid() || !fl.dstIP.IsValid() || !fl.hasProto || fl.srcIP.Is4() != fl.dstIP.Is4() {
		return ""
	}
	sp, dp, oneWay, hasPorts := fl.srcPort, fl.dstPort, false, fl.hasPorts
	if fl.isICMP {
		sp, dp, oneWay, hasPorts = icmpPorts(fl)
	}
	src, dst := fl.srcIP.As16(), fl.dstIP.As16()
	size := 16
	if fl.srcIP.Is4() {
		size = 4
	}
	a, b := src[16-size:], dst[16-size:]
	if !oneWay && less(b, dp, a, sp) {
		a, b, sp, dp = b, a, dp, sp
	}
	var msg [2 + 16 + 16 + 2 + 4]byte // seed 0, addresses, protocol and padding, ports
	n := 2 + copy(msg[2:], a)
	n += copy(msg[n:], b)
	msg[n] = fl.proto
	n += 2
	if hasPorts {
		binary.BigEndian.PutUint16(msg[n:], sp)
		binary.BigEndian.PutUint16(msg[n+2:], dp)
		n += 4
	}
	sum := sha1.Sum(msg[:n])
	var out [2 + 28]byte
	copy(out[:], "1:")
	base64.StdEncoding.Encode(out[2:], sum[:])
	return string(out[:])
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
