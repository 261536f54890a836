package accounting

import (
	"errors"
	"fmt"
	"math/bits"
	"net/netip"
	"time"
)

// Config configures an Accounting. Start from Defaults; Validate before New.
type Config struct {
	// ReorderWindow is how far, in sequence numbers, the highest number
	// seen may move past a gap before the gap is counted missing: a power
	// of two from 64 to 4096. It also bounds duplicate detection, and a
	// number that far behind is a restart.
	ReorderWindow uint32
	// ReorderTimeout is how long a gap may stay open before it is counted
	// missing, judged by the receive times given to Account and Flush.
	ReorderTimeout time.Duration
	// UptimeTolerance is how far a datagram's uptime may be out of line
	// with its neighbours' before the agent counts as restarted.
	UptimeTolerance time.Duration
	// IdleTimeout is how long an exporter or data source is kept without
	// datagrams or samples.
	IdleTimeout time.Duration
	// MaxExporters and MaxSources bound the state: beyond them the least
	// recently seen are evicted (and counted).
	MaxExporters int
	MaxSources   int
	// Rates corrects sampling rates; the first rule that matches the agent
	// address applies.
	Rates []RateRule
	// LossCompensation scales flow samples by the loss the sample_pool of
	// their data source shows (see the package doc).
	LossCompensation bool
	// CompensationWindow is how many received samples of a data source the
	// effective rate is measured over: a multiple of 8 from 8 to 65536.
	CompensationWindow int
	// MaxFactor caps the compensation factor (at least 1).
	MaxFactor float64
}

// Defaults returns the default configuration.
func Defaults() Config {
	return Config{
		ReorderWindow:      256,
		ReorderTimeout:     2 * time.Second,
		UptimeTolerance:    time.Second,
		IdleTimeout:        10 * time.Minute,
		MaxExporters:       4096,
		MaxSources:         65536,
		CompensationWindow: 1024,
		MaxFactor:          100,
	}
}

// Limits of the configuration, named in Validate's messages.
const (
	minWindow, maxWindow       = 64, 4096
	maxTolerance               = time.Minute
	maxTracked                 = 1 << 24
	maxCompWindow, compBuckets = 65536, 8
	maxFactorLimit             = 1e6
)

// Validate checks every field and names the valid values of those that are
// wrong.
func (c *Config) Validate() error {
	var errs []error
	check := func(ok bool, format string, args ...any) {
		if !ok {
			errs = append(errs, fmt.Errorf(format, args...))
		}
	}
	w := c.ReorderWindow
	check(w >= minWindow && w <= maxWindow && bits.OnesCount32(w) == 1,
		"reorder_window must be a power of two from %d to %d, got %d", minWindow, maxWindow, w)
	check(c.ReorderTimeout > 0, "reorder_timeout must be positive, got %v", c.ReorderTimeout)
	check(c.UptimeTolerance >= 0 && c.UptimeTolerance <= maxTolerance,
		"uptime_tolerance must be from 0 to %v, got %v", maxTolerance, c.UptimeTolerance)
	check(c.IdleTimeout > c.ReorderTimeout,
		"idle_timeout must be longer than reorder_timeout (%v), got %v", c.ReorderTimeout, c.IdleTimeout)
	check(c.MaxExporters >= 1 && c.MaxExporters <= maxTracked,
		"max_exporters must be from 1 to %d, got %d", maxTracked, c.MaxExporters)
	check(c.MaxSources >= 1 && c.MaxSources <= maxTracked,
		"max_sources must be from 1 to %d, got %d", maxTracked, c.MaxSources)
	cw := c.CompensationWindow
	check(cw >= compBuckets && cw <= maxCompWindow && cw%compBuckets == 0,
		"compensation_window must be a multiple of %d from %d to %d, got %d", compBuckets, compBuckets, maxCompWindow, cw)
	check(c.MaxFactor >= 1 && c.MaxFactor <= maxFactorLimit,
		"max_compensation_factor must be from 1 to %g, got %v", maxFactorLimit, c.MaxFactor)
	errs = append(errs, validateRules(c.Rates))
	return errors.Join(errs...)
}

// RateMode says when a RateRule applies.
type RateMode uint8

// The modes of a RateRule.
const (
	ModeDefault  RateMode = iota + 1 // "default": when the exporter reports sampling_rate 0
	ModeOverride                     // "override": always
)

// modeNames are the configuration names of the modes.
var modeNames = [...]string{ModeDefault: "default", ModeOverride: "override"}

// String returns the configuration name of m.
func (m RateMode) String() string {
	if m == ModeDefault || m == ModeOverride {
		return modeNames[m]
	}
	return fmt.Sprintf("RateMode(%d)", uint8(m))
}

// ParseRateMode returns the mode named s: "default" or "override".
func ParseRateMode(s string) (RateMode, error) {
	for m, name := range modeNames {
		if name != "" && name == s {
			return RateMode(m), nil
		}
	}
	return 0, fmt.Errorf(`sampling mode must be "default" or "override", got %q`, s)
}

// RateRule sets the sampling rate of the flow samples of the exporters
// whose agent address is in one of Exporters.
type RateRule struct {
	Exporters []netip.Prefix
	Rate      uint32
	Mode      RateMode
}

// Validate checks the rule.
func (r *RateRule) Validate() error {
	return errors.Join(r.problems()...)
}

// problems lists what is wrong with the rule.
func (r *RateRule) problems() []error {
	var errs []error
	if len(r.Exporters) == 0 {
		errs = append(errs, errors.New("exporters must list at least one CIDR (0.0.0.0/0 and ::/0 match all)"))
	}
	for _, p := range r.Exporters {
		if !p.IsValid() {
			errs = append(errs, fmt.Errorf("exporters: %q is not a CIDR such as 192.0.2.0/24", p))
		}
	}
	if r.Rate == 0 {
		errs = append(errs, errors.New("rate must be at least 1 (1 in N packets), got 0"))
	}
	if r.Mode != ModeDefault && r.Mode != ModeOverride {
		errs = append(errs, fmt.Errorf(`mode must be "default" or "override", got %v`, r.Mode))
	}
	return errs
}

// validateRules validates each rule, naming it by its place in the list.
func validateRules(rules []RateRule) error {
	var errs []error
	for i := range rules {
		for _, err := range rules[i].problems() {
			errs = append(errs, fmt.Errorf("sampling[%d]: %w", i, err))
		}
	}
	return errors.Join(errs...)
}
