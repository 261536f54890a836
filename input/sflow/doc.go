// Package sflow is the sflowbeat input: it listens for sFlow datagrams on a
// UDP socket, decodes them (package decoder), maps their samples to ECS
// events (package processor/ecs) and publishes the events through the
// libbeat pipeline.
//
// The data path of one input:
//
//	socket --reader--> bounded queue --worker: decode, count, account, map
//	(package worker)--> router --> pipeline client
//
// When the pipeline cannot keep up, the worker waits on it, the queue fills
// and the reader waits on the queue: datagrams then wait in the socket's
// receive buffer (read_buffer), which absorbs bursts, and what the kernel
// drops when that buffer is full is counted in system_packet_drops (read
// from /proc every 2 s, see kernel.go). Dropping in the reader instead
// would lose datagrams during every short stall of the output, which the
// buffer rides out. Only at shutdown are datagrams still queued dropped and
// counted (datagrams_dropped_total). Every datagram, sample and record that
// is not turned into an event is counted in the input's monitoring
// registry, and per-datagram problems are logged at a limited rate.
package sflow
