// Package header parses the sampled packet headers of sFlow flow samples
// (sFlow v5 sampled_header, flow record 0:1) with gopacket's DecodingLayers:
// Ethernet, 802.1Q/802.1ad tags, MPLS, IPv4, IPv6 and its extension headers,
// TCP, UDP, SCTP, ICMP, ICMPv6, GRE and VXLAN, with the encapsulated frame of
// VXLAN and GRE in Packet.Inner. Headers are usually cut at 128 bytes: Parse
// returns every field that fits and never fails on truncation. It knows
// nothing of libbeat, so it can be fuzzed and benchmarked alone.
package header
