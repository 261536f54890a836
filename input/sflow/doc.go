// Package sflow is the sflowbeat input: it listens for sFlow datagrams on a
// UDP socket, decodes them (package decoder), maps their samples to ECS
// events (package processor/ecs) and publishes the events through the
// libbeat pipeline.
//
// The data path of one input:
//
//	socket --reader--> bounded queue --worker: decode, map--> pipeline client
//
// The reader never waits on the pipeline: when the queue is full, the
// datagram is dropped and counted (datagrams_dropped_total). Every datagram,
// sample and record that is not turned into an event is counted in the
// input's monitoring registry, and per-datagram problems are logged at a
// limited rate.
package sflow
