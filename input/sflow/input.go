package sflow

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/elastic/beats/v7/libbeat/beat"
	"github.com/elastic/beats/v7/libbeat/cfgfile"
	"github.com/elastic/beats/v7/libbeat/common/fmtstr"
	"github.com/elastic/beats/v7/libbeat/monitoring/inputmon"
	"github.com/elastic/beats/v7/libbeat/processors"
	conf "github.com/elastic/elastic-agent-libs/config"
	"github.com/elastic/elastic-agent-libs/logp"
	"github.com/elastic/elastic-agent-libs/mapstr"
	"github.com/elastic/elastic-agent-libs/monitoring"
	"golang.org/x/sys/unix"

	"github.com/sflowbeat/sflowbeat/config"
	"github.com/sflowbeat/sflowbeat/input/sflow/accounting"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoder"
	"github.com/sflowbeat/sflowbeat/input/sflow/worker"
	"github.com/sflowbeat/sflowbeat/processor/ecs"
)

// Factory creates sflow inputs from their configuration. It is the
// cfgfile.RunnerFactory of sflowbeat, used for the static inputs of
// sflowbeat.yml and for inputs that are reloaded.
type Factory struct {
	log      *logp.Logger
	registry *monitoring.Registry // parent of the per-input registries
	opts     options
	ports    *ports // listen addresses of the running inputs
}

// NewFactory returns a Factory whose inputs log to log, register their
// metrics under registry (the beat's inputs registry) and wait up to
// shutdownTimeout, when they stop, for their events to be acknowledged.
// The beat's name and version are the static fields of index format
// strings; builtin is the metadata libbeat adds to every event (agent.*,
// host.*), which the inputs set themselves (see builtinObjects).
func NewFactory(info beat.Info, builtin mapstr.M, log *logp.Logger, registry *monitoring.Registry, shutdownTimeout time.Duration) *Factory {
	opts := options{shutdownTimeout: shutdownTimeout, acks: &ackSet{},
		indexFields: fmtstr.FieldsForBeat(info.Beat, info.Version), builtin: builtin}
	return &Factory{log: log, registry: registry, opts: opts, ports: &ports{}}
}

// WaitAcked waits, up to the shutdown timeout, until the output has
// acknowledged the events of every input the Factory created, stopped ones
// included (a reload does not wait for them: the beat's queue keeps them).
// Call it when the beat exits, after stopping the inputs and before the
// pipeline closes.
func (f *Factory) WaitAcked() {
	if n := f.opts.acks.waitAll(f.opts.shutdownTimeout); n > 0 {
		f.log.Warnw("shutdown timeout reached before the output acknowledged every event",
			"unacknowledged", n, "shutdown_timeout", f.opts.shutdownTimeout)
	}
}

// CheckConfig validates an input configuration without starting it.
func (f *Factory) CheckConfig(cfg *conf.C) error {
	_, err := config.ParseInput(cfg)
	return err
}

// Create binds the input's socket and connects it to the pipeline; the input
// starts reading when Start is called. The stream of Fleet's counters data
// stream (data_stream.dataset sflow.counters) gets a runner that does not
// listen: see countersStream.
func (f *Factory) Create(p beat.PipelineConnector, cfg *conf.C) (cfgfile.Runner, error) {
	c, err := config.ParseInput(cfg)
	if err != nil {
		return nil, err
	}
	if isCountersStream(c) {
		return &countersStream{cfg: c}, nil
	}
	token, err := f.ports.claim(c.ID, c.Host)
	if err != nil {
		return nil, fmt.Errorf("sflow input %s: %w", c.ID, err)
	}
	in, err := newInput(c, p, f.log, f.registry, f.opts)
	if err != nil {
		f.ports.release(token)
		return nil, err
	}
	in.release = func() { f.ports.release(token) }
	return in, nil
}

// Input is one running sflow input: cfg.Workers UDP sockets bound to the
// same address with SO_REUSEPORT, a reader per socket, and cfg.Workers
// decoders that publish.
type Input struct {
	cfg    config.Input
	log    *logp.Logger
	warn   *rateLog // warnings about datagrams, at a limited rate
	conns  []*net.UDPConn
	client beat.Client
	acked  *acks // follows the client's events until they are acknowledged
	acct   *accounting.Accounting
	m      *metrics
	parent *monitoring.Registry

	opts    options
	release func()              // frees the listen address in the Factory
	health  *health             // set under Elastic Agent, before Start
	names   *ecs.InterfaceNames // shared by the decoders
	queue   chan *datagram      // datagrams waiting for a decoder
	free    chan *datagram      // buffers ready for the readers

	closing                  chan struct{} // closed when Stop begins: the readers stop waiting
	abandoned                atomic.Bool   // the shutdown timeout passed: drop what is still queued
	startOnce, stopOnce      sync.Once
	readers, workers, timers sync.WaitGroup
}

// datagram is one buffer of the reader-to-worker queue.
type datagram struct {
	buf  []byte
	n    int
	from netip.AddrPort
	at   time.Time
}

// newInput binds the sockets, creates the metrics and connects to the
// pipeline.
func newInput(c config.Input, p beat.PipelineConnector, log *logp.Logger, parent *monitoring.Registry, opts options) (*Input, error) {
	log = log.Named("sflow").With("input_id", c.ID, "host", c.Host)
	if err := checkIndex(c.Index, opts.indexFields); err != nil {
		return nil, fmt.Errorf("sflow input %s: %w", c.ID, err)
	}
	conns, err := listenAll(c, log)
	if err != nil {
		return nil, err
	}
	reg := inputmon.NewMetricsRegistry(c.ID, config.InputType, parent, log)
	m := newMetrics(reg, c.Host, uint64(c.ReadBuffer), log)
	m.watchKernel(conns)
	acct, err := newAccounting(c)
	if err != nil {
		closeAll(conns)
		m.close()
		inputmon.CancelMetricsRegistry(c.ID, config.InputType, parent, log)
		return nil, err
	}
	acked := &acks{acked: m.eventsAcked, dropped: m.eventsDropped}
	opts.acks.add(acked)
	client, err := connect(c, p, log, acked)
	if err != nil {
		closeAll(conns)
		m.close()
		inputmon.CancelMetricsRegistry(c.ID, config.InputType, parent, log)
		return nil, err
	}
	in := &Input{
		cfg: c, log: log, conns: conns, client: client, acked: acked, parent: parent, m: m, opts: opts, acct: acct,
		names:   interfaceNames(c),
		warn:    newRateLog(log, 10*time.Second),
		queue:   make(chan *datagram, c.QueueSize),
		closing: make(chan struct{}),
		free:    make(chan *datagram, c.QueueSize+c.Workers*2),
	}
	for range cap(in.free) {
		in.free <- &datagram{buf: make([]byte, c.MaxMessageSize+1)}
	}
	return in, nil
}

// options are the beat-wide settings an input needs.
type options struct {
	shutdownTimeout time.Duration
	acks            *ackSet  // of every input, for Factory.WaitAcked
	indexFields     mapstr.M // the static fields of index format strings
	builtin         mapstr.M // libbeat's metadata of every event: agent.*, host.*
}

// listenAll binds c.Workers sockets to c.Host with SO_REUSEPORT, so that the
// kernel spreads exporters over them. With port 0 the first socket picks
// the port and the others bind to it.
func listenAll(c config.Input, log *logp.Logger) ([]*net.UDPConn, error) {
	host := c.Host
	conns := make([]*net.UDPConn, 0, c.Workers)
	for i := range c.Workers {
		conn, err := listen(c, host, log)
		if err != nil {
			closeAll(conns)
			return nil, err
		}
		if i == 0 {
			host = conn.LocalAddr().String()
			log.Infow("listening for sFlow", "address", host, "sockets", c.Workers)
		}
		conns = append(conns, conn)
	}
	return conns, nil
}

// closeAll closes sockets.
func closeAll(conns []*net.UDPConn) {
	for _, c := range conns {
		_ = c.Close()
	}
}

// listen binds one UDP socket with SO_REUSEPORT and sets its receive
// buffer (setReadBuffer).
func listen(c config.Input, host string, log *logp.Logger) (*net.UDPConn, error) {
	lc := net.ListenConfig{Control: reusePort}
	pc, err := lc.ListenPacket(context.Background(), "udp", host)
	if err != nil {
		return nil, fmt.Errorf("sflow input %s: cannot listen on %s: %w", c.ID, host, err)
	}
	conn := pc.(*net.UDPConn)
	if c.ReadBuffer > 0 {
		setReadBuffer(conn, int(c.ReadBuffer), log)
	}
	return conn, nil
}

// setReadBuffer asks for a receive buffer of size bytes. When the kernel
// caps it at net.core.rmem_max, it forces the size if the process may
// (forceReadBuffer), and otherwise warns with what was granted.
func setReadBuffer(conn *net.UDPConn, size int, log *logp.Logger) {
	if err := conn.SetReadBuffer(size); err != nil {
		log.Warnw("cannot set the socket receive buffer", "read_buffer", size, "error", err)
		return
	}
	got := readBufferSize(conn)
	if got == 0 || got >= size {
		return
	}
	if err := forceReadBuffer(conn, size); err == nil {
		return
	}
	log.Warnw("the kernel capped the socket receive buffer: raise net.core.rmem_max, or run with CAP_NET_ADMIN",
		"read_buffer", size, "granted", got)
}

// reusePort sets SO_REUSEPORT on a socket before it is bound.
func reusePort(_, _ string, raw syscall.RawConn) error {
	return setSockopt(raw, unix.SO_REUSEPORT, 1)
}

// setSockopt sets a socket-level (SOL_SOCKET) option of a socket.
func setSockopt(raw syscall.RawConn, opt, value int) error {
	var serr error
	if err := raw.Control(func(fd uintptr) {
		serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, opt, value)
	}); err != nil {
		return err
	}
	return serr
}

// readBufferSize returns the socket's SO_RCVBUF as the kernel reports it
// (Linux reports twice the usable size), or 0 if it cannot be read.
func readBufferSize(conn *net.UDPConn) int {
	raw, err := conn.SyscallConn()
	if err != nil {
		return 0
	}
	size := 0
	_ = raw.Control(func(fd uintptr) {
		size, _ = syscall.GetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF)
	})
	return size / 2
}

// connect opens the input's pipeline client with its processors, tags and
// fields (the router sets the index and pipeline of each event in its
// @metadata). Acknowledged events are counted, and Close counts
// acknowledged events in acked.
func connect(c config.Input, p beat.PipelineConnector, log *logp.Logger, acked *acks) (beat.Client, error) {
	procs, err := processors.New(processors.PluginConfig(c.Processors), log)
	if err != nil {
		return nil, fmt.Errorf("sflow input %s: invalid processors: %w", c.ID, err)
	}
	return p.ConnectWith(beat.ClientConfig{
		// Retry until the output accepts the events (max_retries does not
		// drop them): losses happen only at the input's queue, where they
		// are counted.
		PublishMode:    beat.GuaranteedSend,
		EventListener:  acked,
		ClientListener: acked,
		Processing: beat.ProcessingConfig{
			EventMetadata: mapstr.EventMetadata{Fields: c.Fields, FieldsUnderRoot: c.FieldsUnderRoot, Tags: c.Tags},
			Processor:     procs,
		},
	})
}

// String names the input in libbeat's logs.
func (in *Input) String() string {
	return fmt.Sprintf("sflow input %s on %s", in.cfg.ID, in.Addr())
}

// Addr is the address the input listens on (useful with port 0).
func (in *Input) Addr() net.Addr { return in.conns[0].LocalAddr() }

// Start starts the readers and the decoders.
func (in *Input) Start() {
	in.startOnce.Do(func() {
		for _, conn := range in.conns {
			in.readers.Add(1)
			go in.read(conn)
		}
		for range in.cfg.Workers {
			in.workers.Add(1)
			go in.work()
		}
		in.timers.Add(1)
		go in.account()
		go func() { // the decoders end when every reader is done
			in.readers.Wait()
			close(in.queue)
		}()
		if in.health != nil {
			in.health.start()
		}
	})
}

// Stop closes the sockets, lets the decoders publish what was already read,
// and closes the pipeline client (see drain).
func (in *Input) Stop() {
	in.stopOnce.Do(func() {
		in.Start() // a created but never started input still has to release everything
		if in.health != nil {
			in.health.stopping()
		}
		close(in.closing)
		closeAll(in.conns)
		if in.release != nil {
			in.release()
		}
		in.drain()
		in.timers.Wait()             // the client is closed: a period being published has returned
		in.acked.stopped.Store(true) // nothing more to publish
		in.m.close()
		inputmon.CancelMetricsRegistry(in.cfg.ID, config.InputType, in.parent, in.log)
		in.log.Infow("stopped")
		if in.health != nil {
			in.health.stopped()
		}
	})
}

// drain lets the decoders publish what was read, for at most the shutdown
// timeout, and closes the client. When the pipeline is full (output down),
// a decoder may stay blocked in PublishAll after the client is closed,
// until the queue takes its event or closes: drain goes on without it (a
// reload frees the port; at exit the pipeline closes next). drain does not
// wait for acknowledgements: the beat's queue keeps the events, and an
// exiting beat waits for them (Factory.WaitAcked).
func (in *Input) drain() {
	done := make(chan struct{})
	go func() {
		in.workers.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(in.opts.shutdownTimeout):
		in.abandoned.Store(true)
		in.log.Warnw("shutdown timeout reached with datagrams still queued: the rest is dropped",
			"queued", len(in.queue), "shutdown_timeout", in.opts.shutdownTimeout)
	}
	_ = in.client.Close()
	select {
	case <-done:
	case <-time.After(time.Second):
		in.log.Warnw("a decoder is still blocked on the full pipeline: it ends when the output accepts events or the beat exits")
	}
}

// read is a socket reader: it only reads, stamps and queues datagrams; it
// drops (and counts) those from exporters that are not allowed and those
// that find the queue full.
func (in *Input) read(conn *net.UDPConn) {
	defer in.readers.Done()
	for {
		var d *datagram
		select {
		case d = <-in.free:
		case <-in.closing:
			return
		}
		n, from, err := conn.ReadFromUDPAddrPort(d.buf)
		if err != nil {
			in.free <- d
			if errors.Is(err, net.ErrClosed) {
				return
			}
			in.warn.Warnw(time.Now(), "error reading from the socket", "error", err)
			continue
		}
		d.n, d.from, d.at = n, from, time.Now()
		in.m.received(n, d.at)
		if !in.isAllowed(from.Addr()) {
			in.m.datagramsDenied.Inc()
			in.warn.Warnw(d.at, "datagram from an exporter not in allowed_exporters dropped", "exporter", from.String())
			in.free <- d
			continue
		}
		in.enqueue(d)
	}
}

// isAllowed reports whether datagrams from addr are accepted.
func (in *Input) isAllowed(addr netip.Addr) bool {
	return len(in.cfg.AllowedExporters) == 0 || in.cfg.AllowedExporters.Contains(addr)
}

// enqueue hands d to the decoders. When their queue is full the reader
// waits, and the socket's receive buffer (read_buffer) takes the burst;
// beyond it the kernel drops datagrams, counted in system_packet_drops.
// A datagram read while the input stops with a full queue is dropped and
// counted.
func (in *Input) enqueue(d *datagram) {
	select {
	case in.queue <- d:
	case <-in.closing:
		in.m.datagramsDropped.Inc()
		in.free <- d
	}
}

// work decodes, maps and publishes the queued datagrams until the readers
// are done and the queue is empty.
func (in *Input) work() {
	defer in.workers.Done()
	w := worker.New(mapperOptions(in.cfg, in.names), in.acct, in.m)
	route := newRouter(in.cfg, in.opts)
	var out []beat.Event
	for d := range in.queue {
		in.m.queueLength.Set(uint64(len(in.queue)))
		if in.abandoned.Load() { // shutdown timed out: count what is left
			in.m.datagramsDropped.Inc()
			in.free <- d
			continue
		}
		out = route.filter(in.process(w, d), in.m, out[:0])
		in.free <- d
		if len(out) > 0 {
			in.client.PublishAll(out)
			in.m.eventsPublished.Add(uint64(len(out)))
		}
		in.m.udp.EventPublished(d.at)
	}
}

// process runs the worker's loop on d and logs, at a limited rate, what
// was wrong with it; it returns the datagram's events.
func (in *Input) process(w *worker.Worker, d *datagram) []ecs.Event {
	if d.n == len(d.buf) {
		// The datagram filled the buffer, which is one byte larger than
		// max_message_size: it was larger and the kernel truncated it.
		in.m.Invalid(decoder.ErrTruncated)
		in.warn.Warnw(d.at, "datagram larger than max_message_size dropped", "exporter", d.from.String(), "max_message_size", len(d.buf)-1)
		return nil
	}
	res := w.Process(d.buf[:d.n], d.at)
	switch {
	case res.Err != nil:
		in.warn.Warnw(d.at, "invalid sFlow datagram dropped", "exporter", d.from.String(), "error", res.Err)
	case len(res.Datagram.Errors) > 0:
		st := &res.Datagram.Stats
		in.warn.Warnw(d.at, "sFlow datagram partly decoded", "exporter", d.from.String(), "first_error", res.Datagram.Errors[0],
			"samples_invalid", st.SamplesMalformed, "records_invalid", st.RecordsMalformed)
	}
	return res.Events
}
