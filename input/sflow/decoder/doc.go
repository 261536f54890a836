// Package decoder decodes sFlow version 5 datagrams (sflow.org
// sflow_version_5.txt) into the typed samples and records of package
// decoded:
// flow samples (0:1, 0:3), counter samples (0:2, 0:4) and dropped packet
// notifications (0:5, sflow_drops.txt), with the flow and counter records of
// the sFlow v5, host sFlow, tunnel, drop, optics, application and Open
// vSwitch structures.
//
// It also decodes sFlow versions 2 and 4 (RFC 3176 section 4) into the same
// types (rfc3176.go): flow samples with their packet data and extended
// switch, router, gateway, user and URL data, and counter samples with the
// generic, Ethernet, token ring, FDDI, 100BaseVG, WAN and VLAN counters.
// Those structures have no length words, so an undefined type or a broken
// sample ends the decoding of the datagram (what came before is kept).
//
// The decoder is written for hostile input: every length is checked before
// it is read, every count is capped (by a constant and by the bytes left)
// before anything is allocated, a malformed record drops only that record
// and a malformed sample only that sample, and unknown enterprise:format
// structures are skipped by their length and counted. Decoding a datagram
// into a reused Datagram does not allocate in steady state: byte slices
// point into the datagram buffer, and the sample slices and their nested
// slices are reused.
//
// Decoding is complete when Decode returns: the sampled_header of every
// flow sample and drop event is parsed with gopacket's DecodingLayers
// (package header) into SampledHeader.Packet, so that the mapping stage
// only reads typed values.
//
// The package knows nothing of Beats; it can be fuzzed and benchmarked on
// its own. A gopacket DecodingLayer (Layer, LayerTypeSFlow) wraps the same
// code; the input decodes through it.
package decoder
