package sflow

import (
	"net"
	"sync"
	"time"

	"github.com/elastic/beats/v7/filebeat/input/netmetrics"
	"github.com/elastic/elastic-agent-libs/logp"
	"github.com/elastic/elastic-agent-libs/monitoring"

	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoder"
)

// metrics are the counters of one input, in its monitoring registry
// (visible at the HTTP endpoint under /inputs/).
type metrics struct {
	datagramsReceived *monitoring.Uint // datagrams read from the socket
	bytesReceived     *monitoring.Uint // their bytes
	datagramsDropped  *monitoring.Uint // dropped because the decode queue was full
	datagramsDenied   *monitoring.Uint // dropped because the exporter is not allowed
	datagramsInvalid  *monitoring.Uint // rejected by the decoder as a whole
	invalidByCause    map[string]*monitoring.Uint

	samplesTotal    *monitoring.Uint // samples decoded, all kinds
	samplesFlow     *monitoring.Uint // flow samples decoded (0:1, 0:3)
	samplesCounters *monitoring.Uint // counter samples decoded (0:2, 0:4)
	samplesDrops    *monitoring.Uint // drop events decoded (0:5)
	samplesInvalid  *monitoring.Uint // samples dropped as malformed
	samplesUnknown  *monitoring.Uint // samples of unknown format, skipped
	recordsUnknown  *monitoring.Uint // records of unknown format, skipped
	recordsInvalid  *monitoring.Uint // records dropped as malformed
	countersDropped *monitoring.Uint // counter events dropped: no counters data stream (data_stream.counters false)
	eventsPublished *monitoring.Uint // events handed to the pipeline
	eventsAcked     *monitoring.Uint // events acknowledged by the output
	eventsDropped   *monitoring.Uint // events the pipeline refused because it was closing
	queueLength     *monitoring.Uint // datagrams waiting for a worker (gauge)

	udpMu       sync.Mutex       // netmetrics.UDP.EventReceived is not safe for concurrent readers
	udp         *netmetrics.UDP  // Filebeat's UDP input metrics: arrival histograms, receive counts
	kernelDrops *monitoring.Uint // system_packet_drops, set by kernelStats
	kernelQueue *monitoring.Uint // receive_queue_length, set by kernelStats
	kernel      *kernelStats     // reads the kernel's view of the sockets

	accounting accountingMetrics // loss on the way in, sampling rates (accounting.Stats)
}

// received counts a datagram read from a socket.
func (m *metrics) received(n int, at time.Time) {
	m.datagramsReceived.Inc()
	m.bytesReceived.Add(uint64(n))
	m.udpMu.Lock()
	m.udp.EventReceived(n, at)
	m.udpMu.Unlock()
}

// newMetrics creates every counter of an input in reg.
func newMetrics(reg *monitoring.Registry, host string, readBuffer uint64, log *logp.Logger) *metrics {
	m := &metrics{
		datagramsReceived: monitoring.NewUint(reg, "datagrams_received_total"),
		bytesReceived:     monitoring.NewUint(reg, "bytes_received_total"),
		datagramsDropped:  monitoring.NewUint(reg, "datagrams_dropped_total"),
		datagramsDenied:   monitoring.NewUint(reg, "datagrams_denied_total"),
		datagramsInvalid:  monitoring.NewUint(reg, "datagrams_invalid_total"),
		invalidByCause:    map[string]*monitoring.Uint{},
		samplesTotal:      monitoring.NewUint(reg, "samples_total"),
		samplesFlow:       monitoring.NewUint(reg, "samples_flow_total"),
		samplesCounters:   monitoring.NewUint(reg, "samples_counters_total"),
		samplesDrops:      monitoring.NewUint(reg, "samples_drops_total"),
		samplesInvalid:    monitoring.NewUint(reg, "samples_invalid_total"),
		samplesUnknown:    monitoring.NewUint(reg, "samples_unknown_total"),
		recordsUnknown:    monitoring.NewUint(reg, "records_unknown_total"),
		recordsInvalid:    monitoring.NewUint(reg, "records_invalid_total"),
		countersDropped:   monitoring.NewUint(reg, "counters_dropped_total"),
		eventsPublished:   monitoring.NewUint(reg, "events_published_total"),
		eventsAcked:       monitoring.NewUint(reg, "events_acked_total"),
		eventsDropped:     monitoring.NewUint(reg, "events_dropped_total"),
		queueLength:       monitoring.NewUint(reg, "queue_length_gauge"),
	}
	m.accounting = newAccountingMetrics(reg)
	// A counter per cause, created up front so that dashboards see zeros,
	// not missing series.
	byCause := reg.GetOrCreateRegistry("datagrams_invalid_by_cause")
	for _, c := range decoder.DatagramCauses() {
		m.invalidByCause[c] = monitoring.NewUint(byCause, c+"_total")
	}
	// No netmetrics poller: kernelStats reads the drops of every socket.
	m.udp = netmetrics.NewUDP(reg, host, readBuffer, 0, log)
	m.kernelDrops, _ = reg.Get("system_packet_drops").(*monitoring.Uint)
	m.kernelQueue, _ = reg.Get("receive_queue_length").(*monitoring.Uint)
	return m
}

// Invalid counts a datagram that the decoder rejected (worker.Counter).
func (m *metrics) Invalid(err error) {
	m.datagramsInvalid.Inc()
	m.invalidByCause[decoder.Cause(err)].Inc() // every datagram error's cause has a counter
}

// Decoded counts the samples and records of a decoded datagram
// (worker.Counter).
func (m *metrics) Decoded(dg *decoded.Datagram) {
	m.samplesTotal.Add(uint64(dg.Samples()))
	m.samplesFlow.Add(uint64(len(dg.FlowSamples)))
	m.samplesCounters.Add(uint64(len(dg.CounterSamples)))
	m.samplesDrops.Add(uint64(len(dg.DropSamples)))
	s := &dg.Stats
	m.samplesInvalid.Add(uint64(s.SamplesMalformed))
	m.samplesUnknown.Add(uint64(s.SamplesUnknown))
	m.recordsUnknown.Add(uint64(s.RecordsUnknown))
	m.recordsInvalid.Add(uint64(s.RecordsMalformed))
}

// watchKernel starts reading the kernel's drops and receive queue of the
// input's sockets.
func (m *metrics) watchKernel(conns []*net.UDPConn) {
	m.kernel = startKernelStats(conns, m.kernelDrops, m.kernelQueue)
}

// close stops the kernel metrics poller.
func (m *metrics) close() {
	if m.kernel != nil {
		m.kernel.close()
	}
	m.udp.Close()
}
