// Package ecs maps decoded sFlow samples to Elastic Common Schema events:
// the in-process replacement of an ingest pipeline. One event per flow
// sample (event.dataset sflow.flow), counter sample (sflow.counters) and
// drop event (sflow.drops). It knows nothing of sockets or libbeat: the
// input publishes Event.Fields as beat.Event fields.
//
// Absent data is absent: no VLAN 0, no port 0 without a transport header,
// no AS 0, no empty strings.
package ecs
