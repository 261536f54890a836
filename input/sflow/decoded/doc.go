// Package decoded holds what the decode stage produces and the mapping
// stage reads: one sFlow datagram (sFlow v5 sample_datagram_v5, or RFC 3176
// sample_datagram_v2/v4) with its flow samples (flow_sample,
// flow_sample_expanded), counter samples (counters_sample,
// counters_sample_expanded) and dropped packet notifications
// (event_discarded_packet), their records, and the layers parsed out of
// each sampled_header (Packet).
//
// The package is a leaf: types, the sFlow constants they carry, and nothing
// that parses. Package decoder fills these types from the bytes of a
// datagram (package decoder/header parses the sampled headers);
// processor/ecs maps them to ECS events without parsing anything.
package decoded
