package sflow

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"syscall"
	"time"

	"github.com/elastic/beats/v7/libbeat/beat"
	"github.com/elastic/beats/v7/libbeat/beat/events"
	"github.com/elastic/beats/v7/libbeat/cfgfile"
	"github.com/elastic/beats/v7/libbeat/monitoring/inputmon"
	"github.com/elastic/beats/v7/libbeat/processors"
	conf "github.com/elastic/elastic-agent-libs/config"
	"github.com/elastic/elastic-agent-libs/logp"
	"github.com/elastic/elastic-agent-libs/mapstr"
	"github.com/elastic/elastic-agent-libs/monitoring"

	"github.com/sflowbeat/sflowbeat/config"
)

// Factory creates sflow inputs from their configuration. It is the
// cfgfile.RunnerFactory of sflowbeat, used for the static inputs of
// sflowbeat.yml and for inputs that are reloaded.
type Factory struct {
	log      *logp.Logger
	registry *monitoring.Registry // parent of the per-input registries
}

// NewFactory returns a Factory whose inputs log to log and register their
// metrics under registry (the beat's inputs registry).
func NewFactory(log *logp.Logger, registry *monitoring.Registry) *Factory {
	return &Factory{log: log, registry: registry}
}

// CheckConfig validates an input configuration without starting it.
func (f *Factory) CheckConfig(cfg *conf.C) error {
	_, err := config.ParseInput(cfg)
	return err
}

// Create binds the input's socket and connects it to the pipeline; the input
// starts reading when Start is called.
func (f *Factory) Create(p beat.PipelineConnector, cfg *conf.C) (cfgfile.Runner, error) {
	c, err := config.ParseInput(cfg)
	if err != nil {
		return nil, err
	}
	return newInput(c, p, f.log, f.registry)
}

// Input is one running sflow input: a UDP socket, its reader and its worker.
type Input struct {
	cfg    config.Input
	log    *logp.Logger
	bad    *rateLog
	conn   *net.UDPConn
	client beat.Client
	m      *metrics
	parent *monitoring.Registry

	queue chan *datagram // datagrams waiting for the worker
	free  chan *datagram // buffers ready for the reader

	startOnce, stopOnce sync.Once
	wg                  sync.WaitGroup
}

// datagram is one buffer of the reader-to-worker queue.
type datagram struct {
	buf  []byte
	n    int
	from netip.AddrPort
	at   time.Time
}

// newInput binds the socket, creates the metrics and connects to the pipeline.
func newInput(c config.Input, p beat.PipelineConnector, log *logp.Logger, parent *monitoring.Registry) (*Input, error) {
	log = log.Named("sflow").With("input_id", c.ID, "host", c.Host)
	conn, err := listen(c, log)
	if err != nil {
		return nil, err
	}
	client, err := connect(c, p, log)
	if err != nil {
		conn.Close()
		return nil, err
	}
	reg := inputmon.NewMetricsRegistry(c.ID, config.InputType, parent, log)
	in := &Input{
		cfg: c, log: log, conn: conn, client: client, parent: parent,
		bad:   newRateLog(log, 10*time.Second),
		m:     newMetrics(reg, c.Host, uint64(c.ReadBuffer), log),
		queue: make(chan *datagram, c.QueueSize),
		free:  make(chan *datagram, c.QueueSize+1),
	}
	for range c.QueueSize + 1 {
		in.free <- &datagram{buf: make([]byte, c.MaxMessageSize+1)}
	}
	return in, nil
}

// listen binds the UDP socket and sets its receive buffer, warning when the
// kernel grants less than asked for (net.core.rmem_max).
func listen(c config.Input, log *logp.Logger) (*net.UDPConn, error) {
	addr, err := net.ResolveUDPAddr("udp", c.Host)
	if err != nil {
		return nil, fmt.Errorf("sflow input %s: cannot resolve host %q: %w", c.ID, c.Host, err)
	}
	conn, err := net.ListenUDP("udp", addr)
	if err != nil {
		return nil, fmt.Errorf("sflow input %s: cannot listen on %s: %w", c.ID, c.Host, err)
	}
	if c.ReadBuffer > 0 {
		if err := conn.SetReadBuffer(int(c.ReadBuffer)); err != nil {
			log.Warnw("cannot set the socket receive buffer", "read_buffer", int64(c.ReadBuffer), "error", err)
		} else if got := readBufferSize(conn); got > 0 && got < int(c.ReadBuffer) {
			log.Warnw("the kernel capped the socket receive buffer: raise net.core.rmem_max",
				"read_buffer", int64(c.ReadBuffer), "granted", got)
		}
	}
	log.Infow("listening for sFlow", "address", conn.LocalAddr().String())
	return conn, nil
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

// connect opens the input's pipeline client with its processors, tags,
// fields, index and pipeline.
func connect(c config.Input, p beat.PipelineConnector, log *logp.Logger) (beat.Client, error) {
	procs, err := processors.New(processors.PluginConfig(c.Processors), log)
	if err != nil {
		return nil, fmt.Errorf("sflow input %s: invalid processors: %w", c.ID, err)
	}
	meta := mapstr.M{}
	if c.Index != "" {
		meta[events.FieldMetaIndex] = c.Index
	}
	if c.Pipeline != "" {
		meta[events.FieldMetaPipeline] = c.Pipeline
	}
	return p.ConnectWith(beat.ClientConfig{
		Processing: beat.ProcessingConfig{
			EventMetadata: mapstr.EventMetadata{Fields: c.Fields, FieldsUnderRoot: c.FieldsUnderRoot, Tags: c.Tags},
			Meta:          meta,
			Processor:     procs,
		},
	})
}

// String names the input in libbeat's logs.
func (in *Input) String() string {
	return fmt.Sprintf("sflow input %s on %s", in.cfg.ID, in.conn.LocalAddr())
}

// Addr is the address the input listens on (useful with port 0).
func (in *Input) Addr() net.Addr { return in.conn.LocalAddr() }

// Start starts the reader and the worker.
func (in *Input) Start() {
	in.startOnce.Do(func() {
		in.wg.Add(2)
		go in.read()
		go in.work()
	})
}

// Stop closes the socket, lets the worker publish what was already read, and
// closes the pipeline client (which waits for the events to be handed on,
// within libbeat's shutdown timeout).
func (in *Input) Stop() {
	in.stopOnce.Do(func() {
		in.Start() // a created but never started input still has to release everything
		_ = in.conn.Close()
		in.wg.Wait()
		_ = in.client.Close()
		in.m.close()
		inputmon.CancelMetricsRegistry(in.cfg.ID, config.InputType, in.parent, in.log)
		in.log.Infow("stopped")
	})
}

// read is the socket reader: it only reads, stamps and queues datagrams, and
// drops (and counts) them when the queue is full.
func (in *Input) read() {
	defer in.wg.Done()
	defer close(in.queue)
	for {
		d := <-in.free
		n, from, err := in.conn.ReadFromUDPAddrPort(d.buf)
		if err != nil {
			in.free <- d
			if errors.Is(err, net.ErrClosed) {
				return
			}
			in.bad.Warnw(time.Now(), "error reading from the socket", "error", err)
			continue
		}
		d.n, d.from, d.at = n, from, time.Now()
		in.m.datagramsReceived.Inc()
		in.m.bytesReceived.Add(uint64(n))
		in.m.udp.EventReceived(n, d.at)
		in.enqueue(d)
	}
}

// enqueue hands d to the worker, or drops it when the queue is full.
func (in *Input) enqueue(d *datagram) {
	select {
	case in.queue <- d:
	default:
		in.m.datagramsDropped.Inc()
		in.free <- d
	}
}

// work decodes, maps and publishes the queued datagrams until the reader
// closes the queue.
func (in *Input) work() {
	defer in.wg.Done()
	p := newProcessor(in.cfg, in.m, in.bad)
	for d := range in.queue {
		in.m.queueLength.Set(uint64(len(in.queue)))
		evs := p.process(d)
		in.free <- d
		if len(evs) > 0 {
			in.client.PublishAll(evs)
			in.m.eventsPublished.Add(uint64(len(evs)))
		}
		in.m.udp.EventPublished(d.at)
	}
}
