// Package header parses the sampled packet headers of sFlow flow samples
// (sFlow v5 sampled_header, flow record 0:1) with gopacket's DecodingLayers:
// Ethernet, 802.1Q/802.1ad tags, MPLS, IPv4, IPv6 and its extension headers,
// TCP, UDP, SCTP, ICMP, ICMPv6, GRE and VXLAN, with the encapsulated packet
// of VXLAN, GRE and IP in IP in Packet.Inner, into a decoded.Packet. The
// datagram decoder calls it for every sampled_header, so that decoding ends
// before mapping starts. It knows nothing of libbeat, so it can be fuzzed
// and benchmarked alone.
//
// Headers are usually cut at 128 bytes: Parse returns every field that fits
// and never fails on truncation. gopacket's decoders reject a layer that
// does not fit whole (and build an error, which allocates), so a layer is
// handed to gopacket only once its length checks pass; a cut layer is read
// by hand (ports from the first 4 bytes of TCP, UDP or SCTP, ICMP type and
// code from 2, IPv4 addresses from 20 bytes when the options are cut).
// gopacket 1.1.19 has no DecodingLayer for MPLS or the IPv6 fragment
// header, and its IPv6 layer allocates on a hop-by-hop header: those are
// read by hand too. Parse does not allocate.
package header
