// Package ecs maps decoded sFlow samples to Elastic Common Schema events:
// the in-process replacement of the GoFlow2 chain's ingest pipeline. One
// event per flow sample (event.dataset sflow.flow), counter sample
// (sflow.counters) and drop event (sflow.drops). It knows nothing of
// sockets or libbeat: the input publishes Event.Fields as beat.Event
// fields.
//
// FieldDocs lists every field with its type and meaning; _meta/fields.yml
// is generated from it (`mage update`), and the tests check that every
// field of every golden event is listed.
//
// A Doc holds an event's fields typed, and writes itself to libbeat's
// encoders without maps or reflection: to go-structform's visitors token by
// token, and to the JSON encoder of the Elasticsearch output (and of the
// json codec) as JSON appended to its buffer (rawjson.go), which is what
// makes encoding cheap. Doc.Map gives the same fields as maps, for
// processors.
//
// Mapping rules:
//
//   - The fields of the GoFlow2 chain keep their names and meanings:
//     observer.ip, sflow.sequence_num (the datagram's), interfaces and VLANs
//     as strings, source/destination ip, port and address, network.type and
//     transport, sflow.bytes (frame length), sflow.sample_rate,
//     network.bytes (frame length x rate), network.packets (rate),
//     event.action ("SFLOW_5") and related.ip.
//   - The sampled header wins over sampled_ipv4/ipv6, which win over
//     sampled_ethernet, for the flow key and the frame length.
//   - Absent data is absent: no VLAN 0, no port 0 without a TCP, UDP or SCTP
//     header, no AS 0, no unspecified next hop or NAT address, no empty
//     strings, and no counter of all ones (sFlow's "unknown").
//   - Interfaces: ifIndex 0 is unknown (absent); 0x3FFFFFFF (sFlow v5) is the
//     agent itself (sflow.input/output.format "local"); a discarded or
//     multiple-interface output has no egress id but sflow.output.format and
//     discard_reason or interfaces.
//   - extended_gateway: source.as.number is src_as, destination.as.number the
//     last AS of the path, else the router's AS.
//   - Encapsulated packets (VXLAN, GRE, IP in IP): the outer packet is the
//     flow; the inner one is under sflow.inner.
//   - network.packets of a drop event is 1: drop notifications are not
//     sampled.
package ecs
