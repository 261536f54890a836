package beater

import (
	"regexp"
	"strings"

	"github.com/elastic/beats/v7/libbeat/beat"
	"github.com/elastic/beats/v7/libbeat/publisher/processing"
	conf "github.com/elastic/elastic-agent-libs/config"
	"github.com/elastic/elastic-agent-libs/logp"
	"github.com/elastic/elastic-agent-libs/mapstr"

	"github.com/sflowbeat/sflowbeat/processor/ecs"
)

// ProcessingSupport is sflowbeat's event processing: libbeat's default
// without normalization (the mapper builds events from plain Go types) and
// without its metadata modifiers, whose fields the inputs set themselves
// (BuiltinFields; libbeat would replace them with maps folded by
// reflection), plus the step that lets processors see the events as maps. The mapper's events hold their fields typed, folded straight
// into the output's encoder (ecs.Doc); a client with processors, or a beat
// with global processors or output settings that read event fields (index
// or pipeline format strings, conditions), gets ecs.Materialize as its
// first processor, so that every processor and format string sees and
// changes every field.
func ProcessingSupport() processing.SupportFactory {
	inner := processing.MakeDefaultSupport(false, nil)
	return func(info beat.Info, log *logp.Logger, cfg *conf.C) (processing.Supporter, error) {
		s, err := inner(info, log, cfg)
		if err != nil {
			return nil, err
		}
		return &support{Supporter: s, always: readsFields(cfg)}, nil
	}
}

// BuiltinFields returns the metadata libbeat's default processing adds to
// every event (host.name, agent.*), for the inputs, which set it
// themselves as objects folded without reflection.
func BuiltinFields(info beat.Info) mapstr.M {
	out := mapstr.M{}
	out.DeepUpdate(processing.WithHost.BuiltinFields(info))
	out.DeepUpdate(processing.WithAgentMeta().BuiltinFields(info))
	return out
}

// support is a processing.Supporter that puts materialize first when
// processors or format strings will read the events.
type support struct {
	processing.Supporter
	always bool // global processors, or an output that reads fields
}

// Create creates a client's processing, with materialize first when it
// has processors, or when the beat has global ones.
func (s *support) Create(pc beat.ProcessingConfig, drop bool) (beat.Processor, error) {
	var own []beat.Processor
	if pc.Processor != nil {
		own = pc.Processor.All()
	}
	if s.always || len(own) > 0 {
		pc.Processor = &processorList{list: append([]beat.Processor{materialize{}}, own...), inner: pc.Processor}
	}
	return s.Supporter.Create(pc, drop)
}

// materialize is the processor that turns the typed fields of an event
// into maps (ecs.Materialize), and copies its @metadata, which the input
// shares between events.
type materialize struct{}

// Run materializes the event.
func (materialize) Run(e *beat.Event) (*beat.Event, error) {
	ecs.Materialize(e.Fields)
	e.Meta = e.Meta.Clone()
	return e, nil
}

// String names the processor in libbeat's logs.
func (materialize) String() string { return "sflowbeat_materialize" }

// processorList is a beat.ProcessorList of materialize and a client's own
// processors (libbeat runs the processors of All in order).
type processorList struct {
	list  []beat.Processor
	inner beat.ProcessorList // the client's own, closed with the list; may be nil
}

// Run runs the processors in order; a nil event was dropped.
func (l *processorList) Run(e *beat.Event) (*beat.Event, error) {
	for _, p := range l.list {
		var err error
		if e, err = p.Run(e); err != nil || e == nil {
			return e, err
		}
	}
	return e, nil
}

// All returns the processors.
func (l *processorList) All() []beat.Processor { return l.list }

// Close closes the client's own processors.
func (l *processorList) Close() error {
	if l.inner == nil {
		return nil
	}
	return l.inner.Close()
}

// String names the list in libbeat's logs.
func (l *processorList) String() string {
	names := make([]string, len(l.list))
	for i, p := range l.list {
		names[i] = p.String()
	}
	return strings.Join(names, ", ")
}

// formatField finds the fields that format strings read (%{[field]}).
var formatField = regexp.MustCompile(`%\{\[([^\]]+)\]`)

// readsFields reports whether the beat configuration has global
// processors, or an output setting that reads the fields of events: a
// format string on one of the mapper's fields, or a condition (when).
func readsFields(cfg *conf.C) bool {
	var root map[string]any
	if cfg == nil || cfg.Unpack(&root) != nil {
		return false
	}
	if procs, ok := root["processors"].([]any); ok && len(procs) > 0 {
		return true
	}
	return readsMapperFields(root["output"])
}

// readsMapperFields walks an output configuration.
func readsMapperFields(v any) bool {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if k == "when" || readsMapperFields(e) {
				return true
			}
		}
	case []any:
		for _, e := range v {
			if readsMapperFields(e) {
				return true
			}
		}
	case string:
		for _, m := range formatField.FindAllStringSubmatch(v, -1) {
			if ecs.IsMapperField(m[1]) {
				return true
			}
		}
	}
	return false
}
