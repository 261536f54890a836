// Package config holds sflowbeat's typed configuration: the `sflowbeat`
// section of sflowbeat.yml and the options of each sflow input, with their
// defaults and validation.
package config

import (
	"errors"
	"fmt"
	"net"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/elastic/beats/v7/libbeat/common/cfgtype"
	"github.com/elastic/beats/v7/libbeat/common/fmtstr"
	conf "github.com/elastic/elastic-agent-libs/config"
	"github.com/elastic/elastic-agent-libs/mapstr"

	"github.com/sflowbeat/sflowbeat/processor/ecs/dataset"
)

// InputType is the only input type sflowbeat knows.
const InputType = "sflow"

// Default values of the input options.
const (
	DefaultHost           = "0.0.0.0:6343"
	DefaultMaxMessageSize = 9216     // jumbo-frame agents send datagrams up to 9k
	DefaultQueueSize      = 2048     // datagrams between the socket readers and the decoders
	DefaultReadBuffer     = 16 << 20 // SO_RCVBUF: absorbs bursts of ~10k datagrams
)

// DefaultShutdownTimeout is how long sflowbeat waits at shutdown for the
// events already read to be acknowledged by the output.
const DefaultShutdownTimeout = 5 * time.Second

// Config is the `sflowbeat` section of the configuration file.
type Config struct {
	// Inputs are the raw input configurations; each is unpacked into an
	// Input by the input factory, so that inputs can also come from Elastic
	// Agent or be reloaded.
	Inputs []*conf.C `config:"inputs"`
	// ShutdownTimeout bounds the wait, at shutdown, for the output to
	// acknowledge the events already read (0: do not wait).
	ShutdownTimeout time.Duration `config:"shutdown_timeout" validate:"min=0"`
	// AdaptiveProcs runs sflowbeat on one P (GOMAXPROCS 1) while its load
	// fits in one core, and on every P it may use (max_procs, or all cores)
	// when it does not: on one P, libbeat's memory queue hands events over
	// without waking idle threads (see beater/procs.go).
	AdaptiveProcs bool `config:"adaptive_procs"`
}

// DefaultConfig returns the defaults of the sflowbeat section.
func DefaultConfig() Config {
	return Config{ShutdownTimeout: DefaultShutdownTimeout, AdaptiveProcs: true}
}

// ErrNoInputs is returned for a standalone configuration without inputs
// (under Elastic Agent, inputs come from the policy).
var ErrNoInputs = errors.New("no inputs configured: add at least one entry to sflowbeat.inputs (type: sflow)")

// Input is the configuration of one sflow input: one UDP listen address.
type Input struct {
	Type string `config:"type"`
	// ID identifies the input in metrics and logs; it defaults to the host.
	ID string `config:"id"`
	// Host is the UDP address to listen on, host:port.
	Host string `config:"host"`
	// MaxMessageSize is the largest datagram accepted; longer ones are
	// truncated by the kernel and counted as invalid.
	MaxMessageSize cfgtype.ByteSize `config:"max_message_size"`
	// ReadBuffer is the receive buffer (SO_RCVBUF) of each socket; 0 keeps
	// the kernel default.
	ReadBuffer cfgtype.ByteSize `config:"read_buffer"`
	// Workers is the number of sockets bound to Host with SO_REUSEPORT, each
	// with its reader, and of decoders; 0 means one per CPU.
	Workers int `config:"workers" validate:"min=0"`
	// QueueSize is the number of datagrams that may wait between the socket
	// readers and the decoders; when it is full, datagrams are dropped and
	// counted instead of blocking the sockets.
	QueueSize int `config:"queue_size" validate:"min=1"`
	// AllowedExporters restricts the sources of datagrams to these networks
	// (CIDRs or addresses); others are dropped and counted. Empty allows all.
	AllowedExporters Prefixes `config:"allowed_exporters"`

	// InternalNetworks (CIDRs, addresses, or the names private, loopback,
	// link_local, multicast) set source.locality, destination.locality and
	// network.direction of flows. Empty: those fields are absent.
	InternalNetworks Networks `config:"internal_networks"`

	// InterfaceNames names interfaces (observer.*.interface.name/alias);
	// counter samples with port names add the names they carry.
	InterfaceNames []InterfaceName `config:"interface_names"`

	// PreserveOriginalEvent puts the sampled packet header, hex-encoded, in
	// event.original of flow and drop events.
	PreserveOriginalEvent bool `config:"preserve_original_event"`

	// Event metadata that Beats users know from other inputs.
	Tags            []string  `config:"tags"`
	Fields          mapstr.M  `config:"fields"`
	FieldsUnderRoot bool      `config:"fields_under_root"`
	Processors      []*conf.C `config:"processors"`
	// Index sends the input's events to this index or data stream instead
	// of libbeat's: a format string, as in Filebeat, with the beat's
	// static fields and the event time (sflow-%{[agent.version]}-%{+yyyy.MM.dd}).
	Index    *fmtstr.EventFormatString `config:"index"`
	Pipeline string                    `config:"pipeline"`

	// DataStream, when its namespace is set, routes events to data
	// streams as Elastic Agent does: flow and drop events to
	// <type>-<dataset>-<namespace> (logs-sflow.flow-<namespace>), counter
	// events to metrics-sflow.counters-<namespace>, with data_stream.* set.
	// An input whose dataset is sflow.counters does not listen: it is the
	// stream of the Fleet package's counters data stream, filled by the
	// flow stream's input.
	DataStream DataStream `config:"data_stream"`

	// Sampling corrects the sampling rates exporters report: the first
	// rule whose exporters contain the agent address applies.
	Sampling []SamplingRule `config:"sampling"`
	// LossCompensation scales network.packets and network.bytes of flow
	// samples by the loss their data source's sample_pool shows.
	LossCompensation bool `config:"loss_compensation"`
	// ExporterStatsPeriod is how often an event per exporter says what it
	// sent and lost (dataset sflow.exporters); 0: never.
	ExporterStatsPeriod time.Duration `config:"exporter_stats_period" validate:"min=0"`
	// ReconcilePeriod is how often an event per interface compares the
	// bytes estimated from flow samples with its counters (dataset
	// sflow.reconcile); 0: never.
	ReconcilePeriod time.Duration `config:"reconcile_period" validate:"min=0"`

	// Agent is what Elastic Agent adds to every event of a stream; set by
	// the beat's AgentConfig, not by users.
	Agent AgentMetadata `config:"_agent"`

	// StatusPeriod is how often the input re-evaluates the health it
	// reports to Elastic Agent: DEGRADED while datagrams were dropped,
	// denied or invalid during the last period.
	StatusPeriod time.Duration `config:"status_period" validate:"min=0"`
}

// AgentMetadata is what Elastic Agent adds to the events of a stream, as
// it does for every Beat input: @metadata.input_id and stream_id,
// elastic_agent.{id,version,snapshot} and agent.id. The input sets them
// itself (processors would make every event pass through maps).
type AgentMetadata struct {
	InputID  string `config:"input_id"`  // the unit's id
	StreamID string `config:"stream_id"` // the stream's id
	ID       string `config:"id"`        // the Agent's id
	Version  string `config:"version"`   // the Agent's version
	Snapshot bool   `config:"snapshot"`  // the Agent is a snapshot build
}

// DataStream is the data_stream section of an input, as Elastic Agent
// sends it for the stream of the sflow.flow data stream.
type DataStream struct {
	Type      string `config:"type"`      // of flow and drop events; default logs
	Dataset   string `config:"dataset"`   // of flow and drop events; default sflow.flow
	Namespace string `config:"namespace"` // empty: no data stream routing
	// Counters false drops counter events (and counts them) instead of
	// sending them to the counters data stream: Elastic Agent's policy has
	// no sflow.counters stream, so its API key may not write there.
	Counters *bool `config:"counters"`
}

// CountersEnabled reports whether counter events are published: always,
// unless events are routed to data streams and counters is false.
func (d DataStream) CountersEnabled() bool { return !d.Enabled() || d.Counters == nil || *d.Counters }

// Enabled reports whether events are routed to data streams.
func (d DataStream) Enabled() bool { return d.Namespace != "" }

// FlowIndex is the data stream of flow and drop events.
func (d DataStream) FlowIndex() string { return d.Type + "-" + d.Dataset + "-" + d.Namespace }

// CountersIndex is the data stream of counter events.
func (d DataStream) CountersIndex() string {
	return dataset.MetricsType + "-" + dataset.Counters + "-" + d.Namespace
}

// Validate applies Elasticsearch's data stream naming rules to the parts
// (lowercase, no '-' in dataset or namespace, no characters ES rejects).
func (d *DataStream) Validate() error {
	if !d.Enabled() {
		return nil
	}
	for _, part := range []struct{ name, v string }{{"type", d.Type}, {"dataset", d.Dataset}, {"namespace", d.Namespace}} {
		if err := validateDataStreamPart(part.v); err != nil {
			return fmt.Errorf("data_stream.%s %q: %w", part.name, part.v, err)
		}
	}
	if len(d.Namespace) > 100 {
		return fmt.Errorf("data_stream.namespace %q: longer than the 100 bytes Fleet allows", d.Namespace)
	}
	for _, index := range []string{d.FlowIndex(), d.CountersIndex()} {
		if len(index) > 255 {
			return fmt.Errorf("data_stream: %q is longer than the 255 bytes Elasticsearch allows", index)
		}
	}
	return nil
}

// validateDataStreamPart checks one part of a data stream name against
// Elasticsearch's index name rules (lowercase, none of \/*?"<>| ,#: and
// no leading -, _ or +) plus the data stream rule that parts hold no '-'.
func validateDataStreamPart(v string) error {
	switch {
	case v == "":
		return errors.New("must not be empty")
	case strings.ToLower(v) != v:
		return errors.New("must be lowercase")
	case strings.ContainsAny(v, "-\\/*?\"<>| ,#:"):
		return errors.New(`must not contain '-' or any of \/*?"<>| ,#:`)
	case strings.HasPrefix(v, "_") || strings.HasPrefix(v, "+"):
		return errors.New("must not start with '_' or '+'")
	}
	return nil
}

// InterfaceName is one entry of interface_names: the name and alias of an
// exporter's ifIndex.
type InterfaceName struct {
	Exporter IP     `config:"exporter"`
	IfIndex  uint32 `config:"if_index"`
	Name     string `config:"name"`
	Alias    string `config:"alias"`
}

// Validate checks the exporter address, the ifIndex and that there is a
// name or an alias.
func (n *InterfaceName) Validate() error {
	if !n.Exporter.IsValid() {
		return errors.New(`interface_names: exporter "" is not an IP address`)
	}
	if n.IfIndex == 0 {
		return fmt.Errorf("interface_names: exporter %s: if_index must be set (1 or more)", n.Exporter)
	}
	if n.Name == "" && n.Alias == "" {
		return fmt.Errorf("interface_names: exporter %s if_index %d: set name, alias or both", n.Exporter, n.IfIndex)
	}
	return nil
}

// DefaultInput returns the defaults of an sflow input.
func DefaultInput() Input {
	return Input{
		Type:           InputType,
		Host:           DefaultHost,
		MaxMessageSize: DefaultMaxMessageSize,
		ReadBuffer:     DefaultReadBuffer,
		QueueSize:      DefaultQueueSize,
		DataStream:     DataStream{Type: dataset.LogsType, Dataset: dataset.Flow},
		StatusPeriod:   DefaultStatusPeriod,

		ExporterStatsPeriod: DefaultExporterStatsPeriod,
		ReconcilePeriod:     DefaultReconcilePeriod,
	}
}

// Default periods of an input.
const (
	DefaultStatusPeriod        = 10 * time.Second // status_period
	DefaultExporterStatsPeriod = time.Minute      // exporter_stats_period
	DefaultReconcilePeriod     = 5 * time.Minute  // reconcile_period
)

// SamplingRule is one entry of sampling: the rate to apply to the flow
// samples of some exporters.
type SamplingRule struct {
	// Exporters are the agent addresses the rule applies to (CIDRs or
	// addresses).
	Exporters Prefixes `config:"exporters"`
	// Rate is the sampling rate to apply: 1 in Rate packets.
	Rate uint32 `config:"rate"`
	// Mode is default (the rate applies when the exporter reports 0) or
	// override (it always applies).
	Mode string `config:"mode"`
}

// Sampling rule modes.
const (
	SamplingDefault  = "default"
	SamplingOverride = "override"
)

// Validate checks the exporters, the rate and the mode.
func (r *SamplingRule) Validate() error {
	switch {
	case len(r.Exporters) == 0:
		return errors.New("sampling: a rule needs exporters (CIDRs or addresses)")
	case r.Rate == 0:
		return errors.New("sampling: a rule needs a rate of 1 or more")
	case r.Mode == "":
		r.Mode = SamplingDefault
	case r.Mode != SamplingDefault && r.Mode != SamplingOverride:
		return fmt.Errorf("sampling: mode %q: the valid modes are %s and %s", r.Mode, SamplingDefault, SamplingOverride)
	}
	return nil
}

// Validate checks the input type and the listen address.
func (c *Input) Validate() error {
	if c.Type != InputType {
		return fmt.Errorf("unknown input type %q: the only valid type is %q", c.Type, InputType)
	}
	if err := validateHost(c.Host); err != nil {
		return fmt.Errorf("invalid host %q: %w", c.Host, err)
	}
	if c.MaxMessageSize < 128 || c.MaxMessageSize > 65535 {
		return fmt.Errorf("max_message_size %d must be from 128 (smaller than any sFlow datagram with a sample) "+
			"to 65535 (larger than a UDP datagram can be)", c.MaxMessageSize)
	}
	if c.ReadBuffer < 0 {
		return fmt.Errorf("read_buffer %d must not be negative", c.ReadBuffer)
	}
	if c.Index != nil && !c.Index.IsEmpty() && c.DataStream.Enabled() {
		return errors.New("set either index or data_stream.namespace, not both: both name where events go")
	}
	return nil
}

// validateHost checks that host is host:port with a numeric port in 1-65535
// (0 is allowed: the kernel picks a free port, which tests use).
func validateHost(host string) error {
	h, p, err := net.SplitHostPort(host)
	if err != nil {
		return fmt.Errorf("expected host:port, e.g. 0.0.0.0:6343 or [::]:6343: %w", err)
	}
	if h != "" && net.ParseIP(h) == nil && !isHostname(h) {
		return fmt.Errorf("%q is neither an IP address nor a host name", h)
	}
	port, err := strconv.Atoi(p)
	if err != nil || port < 0 || port > 65535 {
		return fmt.Errorf("port %q is not a number from 0 to 65535", p)
	}
	return nil
}

// isHostname reports whether s looks like a DNS name (letters, digits, '-'
// and '.').
func isHostname(s string) bool {
	for _, r := range s {
		ok := r == '-' || r == '.' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
		if !ok {
			return false
		}
	}
	return s != ""
}

// ParseInput unpacks and validates one input configuration over the defaults.
func ParseInput(cfg *conf.C) (Input, error) {
	in := DefaultInput()
	if err := cfg.Unpack(&in); err != nil {
		return Input{}, err
	}
	if in.ID == "" {
		in.ID = InputType + "-" + in.Host
	}
	if in.Workers == 0 {
		in.Workers = runtime.NumCPU()
	}
	return in, nil
}
