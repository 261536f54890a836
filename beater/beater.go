// Package beater wires sflowbeat together: it reads the `sflowbeat` section
// of the configuration, creates one sflow input per entry of
// sflowbeat.inputs, connects them to the libbeat publisher and runs them
// until the beat is stopped.
package beater

import (
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/elastic/beats/v7/libbeat/beat"
	"github.com/elastic/beats/v7/libbeat/cfgfile"
	"github.com/elastic/beats/v7/libbeat/management"
	"github.com/elastic/beats/v7/libbeat/management/status"
	"github.com/elastic/beats/v7/libbeat/monitoring/inputmon"
	conf "github.com/elastic/elastic-agent-libs/config"
	"github.com/elastic/elastic-agent-libs/logp"

	"github.com/sflowbeat/sflowbeat/config"
	"github.com/sflowbeat/sflowbeat/input/sflow"
)

// Name is the beat's name: binary, configuration file and index prefix.
const Name = "sflowbeat"

// Beater runs the configured sflow inputs.
type Beater struct {
	log     *logp.Logger
	cfg     config.Config
	pub     *drainingPublisher // b.Publisher; stops the inputs before it closes
	done    chan struct{}
	stopped sync.Once
}

// New is the beat.Creator of sflowbeat: it validates the configuration
// (every input, unique ids) so that `sflowbeat test config` catches mistakes.
func New(b *beat.Beat, raw *conf.C) (beat.Beater, error) {
	c := config.DefaultConfig()
	if err := raw.Unpack(&c); err != nil {
		return nil, fmt.Errorf("invalid sflowbeat configuration: %w", err)
	}
	if err := checkInputs(c.Inputs); err != nil {
		return nil, err
	}
	if len(c.Inputs) == 0 && !b.Manager.Enabled() {
		return nil, config.ErrNoInputs
	}
	log := b.Info.Logger.Named(Name)
	b.OverwritePipelinesCallback = func(esConfig *conf.C) error { return loadPipelines(esConfig, log) }
	bt := &Beater{log: log, cfg: c, done: make(chan struct{}), pub: &drainingPublisher{}}
	if b.Publisher != nil {
		// Wrapped here, before libbeat's signal handler can read it.
		bt.pub.Pipeline = b.Publisher
		b.Publisher = bt.pub
	}
	return bt, nil
}

// checkInputs validates every input and rejects duplicate ids (the
// factory refuses overlapping listen addresses when it creates the inputs).
func checkInputs(inputs []*conf.C) error {
	ids := map[string]int{}
	for i, raw := range inputs {
		in, err := config.ParseInput(raw)
		if err != nil {
			return fmt.Errorf("sflowbeat.inputs[%d]: %w", i, err)
		}
		if j, dup := ids[in.ID]; dup {
			return fmt.Errorf("sflowbeat.inputs[%d]: id %q is already used by sflowbeat.inputs[%d]: ids must be unique", i, in.ID, j)
		}
		ids[in.ID] = i
	}
	return nil
}

// Run starts every input and blocks until Stop is called. It fails when an
// input cannot start (for example, its port is already in use).
func (bt *Beater) Run(b *beat.Beat) error {
	if b.API != nil {
		if err := inputmon.AttachHandler(b.API.Router(), b.Monitoring.InputsRegistry()); err != nil {
			return fmt.Errorf("cannot attach the inputs endpoint to the HTTP server: %w", err)
		}
	}
	factory := sflow.NewFactory(b.Info, BuiltinFields(b.Info), bt.log, b.Monitoring.InputsRegistry(), bt.cfg.ShutdownTimeout)
	if bt.cfg.AdaptiveProcs {
		startProcs(b.Monitoring.StatsRegistry(), bt.log, bt.done)
	}
	if b.Manager.Enabled() {
		return bt.runManaged(b, factory)
	}
	runners, err := createAll(factory, b.Publisher, bt.cfg.Inputs)
	if err != nil {
		return err
	}
	bt.pub.setStop(func() {
		stopAll(runners)
		factory.WaitAcked()
	})
	for _, r := range runners {
		r.Start()
	}
	bt.log.Infow("sflowbeat is running", "inputs", len(runners))
	<-bt.done
	bt.pub.stopInputs()
	return nil
}

// drainingPublisher is the beat's publisher with a Close that stops the
// inputs first. libbeat closes the publisher before it stops the beater
// (on SIGTERM, and when Elastic Agent stops the beat), waiting only 1s for
// its queue: without this, what the inputs still had to publish would go
// into a closed pipeline and be lost. The stop function, set by Run,
// publishes what the inputs read and waits, up to shutdown_timeout, for
// the output to acknowledge it.
type drainingPublisher struct {
	beat.Pipeline

	mu   sync.Mutex
	stop func() // nil until Run has created the inputs
	once sync.Once
}

// setStop sets the function that stops the inputs.
func (p *drainingPublisher) setStop(stop func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stop = stop
}

// stopInputs stops the inputs once, when Run has created them.
func (p *drainingPublisher) stopInputs() {
	p.mu.Lock()
	stop := p.stop
	p.mu.Unlock()
	if stop != nil {
		p.once.Do(stop)
	}
}

// Close stops the inputs, then closes the pipeline.
func (p *drainingPublisher) Close() error {
	p.stopInputs()
	if c, ok := p.Pipeline.(io.Closer); ok {
		return c.Close()
	}
	return nil
}

// runManaged runs the inputs that Elastic Agent sends: they are created,
// changed and stopped by libbeat's reload registry as the policy changes,
// and report their state to Agent. It blocks until Stop is called.
func (bt *Beater) runManaged(b *beat.Beat, factory *sflow.Factory) error {
	if len(bt.cfg.Inputs) > 0 {
		bt.log.Warnw("sflowbeat.inputs is ignored under Elastic Agent: the inputs come from the policy", "inputs", len(bt.cfg.Inputs))
	}
	inputs := cfgfile.NewRunnerList(management.DebugK, factory, b.Publisher, bt.log)
	bt.pub.setStop(func() {
		inputs.Stop()
		factory.WaitAcked()
	})
	b.Registry.MustRegisterInput(inputs)
	if err := b.Manager.Start(); err != nil {
		return fmt.Errorf("cannot connect to Elastic Agent: %w", err)
	}
	b.Manager.UpdateStatus(status.Running, "Running")
	bt.log.Info("sflowbeat is running under Elastic Agent")
	<-bt.done
	bt.pub.stopInputs()
	b.Manager.Stop()
	return nil
}

// createAll creates one runner per input configuration; on the first error it
// releases the runners already created.
func createAll(f cfgfile.RunnerFactory, p beat.PipelineConnector, inputs []*conf.C) ([]cfgfile.Runner, error) {
	var runners []cfgfile.Runner
	for i, raw := range inputs {
		r, err := f.Create(p, raw)
		if err != nil {
			stopAll(runners)
			return nil, errors.Join(fmt.Errorf("sflowbeat.inputs[%d] cannot start", i), err)
		}
		runners = append(runners, r)
	}
	return runners, nil
}

// stopAll stops the runners in parallel and waits for them.
func stopAll(runners []cfgfile.Runner) {
	var wg sync.WaitGroup
	for _, r := range runners {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.Stop()
		}()
	}
	wg.Wait()
}

// Stop makes Run return after the inputs have stopped.
func (bt *Beater) Stop() {
	bt.stopped.Do(func() { close(bt.done) })
}
