package accounting

import (
	"net/netip"
	"slices"

	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
)

// RateSource says where the rate applied to a sample comes from.
type RateSource = decoded.RateSource

// The sources of an applied rate (decoded.RateSource).
const (
	RateReported  = decoded.RateReported  // the flow_sample's sampling_rate
	RateDefault   = decoded.RateDefault   // a ModeDefault rule: the exporter reported 0
	RateOverride  = decoded.RateOverride  // a ModeOverride rule
	RateMissing   = decoded.RateMissing   // sampling_rate 0 and no rule: rate 0, counted in SamplesNoRate
	RateUnsampled = decoded.RateUnsampled // a drop sample: every drop is reported, rate 1
)

// ruleFor returns the first rule whose prefixes contain agent, or nil.
func ruleFor(rules []RateRule, agent netip.Addr) *RateRule {
	agent = agent.Unmap()
	for i := range rules {
		for _, p := range rules[i].Exporters {
			if p.Contains(agent) {
				return &rules[i]
			}
		}
	}
	return nil
}

// applyRate returns the rate to apply to a flow sample that reports
// sampling_rate reported, under rule (nil: none), and where it comes from.
func applyRate(rule *RateRule, reported uint32) (uint32, RateSource) {
	switch {
	case rule != nil && rule.Mode == ModeOverride:
		return rule.Rate, RateOverride
	case reported != 0:
		return reported, RateReported
	case rule != nil:
		return rule.Rate, RateDefault
	}
	return 0, RateMissing
}

// MaxRates bounds the distinct sampling rates an ExporterHealth lists.
const MaxRates = 16

// rateSet collects the distinct sampling rates of a period, at most MaxRates.
type rateSet struct {
	rates [MaxRates]uint32
	n     int
	other uint64 // samples whose rate did not fit
}

// add notes a sample of the given rate.
func (s *rateSet) add(rate uint32) {
	if slices.Contains(s.rates[:s.n], rate) {
		return
	}
	if s.n == MaxRates {
		s.other++
		return
	}
	s.rates[s.n] = rate
	s.n++
}

// sorted returns the rates, ascending, in a new slice.
func (s *rateSet) sorted() []uint32 {
	r := slices.Clone(s.rates[:s.n])
	slices.Sort(r)
	return r
}
