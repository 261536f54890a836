package accounting

import (
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// rule returns a RateRule for the CIDRs.
func rule(mode RateMode, rate uint32, cidrs ...string) RateRule {
	r := RateRule{Rate: rate, Mode: mode}
	for _, c := range cidrs {
		r.Exporters = append(r.Exporters, netip.MustParsePrefix(c))
	}
	return r
}

func TestSamplingRates(t *testing.T) {
	def1000 := rule(ModeDefault, 1000, "192.0.2.0/24")
	tests := []struct {
		name     string
		rules    []RateRule
		agent    string
		reported uint32
		rate     uint32
		source   RateSource
		noRate   uint64
	}{
		{name: "reported", reported: 512, rate: 512, source: RateReported},
		{name: "0 and no rule: missing, counted", rate: 0, source: RateMissing, noRate: 1},
		{name: "0 and a rule for other exporters: missing", rules: []RateRule{rule(ModeDefault, 1000, "198.51.100.0/24")},
			source: RateMissing, noRate: 1},
		{name: "default rule, reported 0", rules: []RateRule{def1000}, rate: 1000, source: RateDefault},
		{name: "default rule, reported 512", rules: []RateRule{def1000}, reported: 512, rate: 512, source: RateReported},
		{name: "override rule, reported 512", rules: []RateRule{rule(ModeOverride, 2048, "192.0.2.1/32")}, reported: 512,
			rate: 2048, source: RateOverride},
		{name: "override rule, reported 0", rules: []RateRule{rule(ModeOverride, 2048, "192.0.2.1/32")},
			rate: 2048, source: RateOverride},
		{name: "first matching rule wins: default", reported: 512,
			rules: []RateRule{def1000, rule(ModeOverride, 10, "192.0.2.1/32")}, rate: 512, source: RateReported},
		{name: "first matching rule wins: override", reported: 512,
			rules: []RateRule{rule(ModeOverride, 10, "192.0.2.1/32"), def1000}, rate: 10, source: RateOverride},
		{name: "second prefix of a rule", rules: []RateRule{rule(ModeDefault, 300, "198.51.100.0/24", "192.0.2.0/28")},
			rate: 300, source: RateDefault},
		{name: "IPv6 exporter", agent: "2001:db8::1", rules: []RateRule{def1000, rule(ModeDefault, 4096, "2001:db8::/32")},
			rate: 4096, source: RateDefault},
		{name: "IPv4-mapped agent address", agent: "::ffff:192.0.2.1", rules: []RateRule{def1000},
			rate: 1000, source: RateDefault},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newTest(t, func(c *Config) { c.Rates = tt.rules })
			if tt.agent == "" {
				tt.agent = "192.0.2.1"
			}
			g := newAgent(tt.agent, 0)
			g.rate = tt.reported
			var res Result
			a.Account(g.next(flowOn(1), dropOn(1)), t0, &res)
			want := Result{
				Flows: []SampleResult{{Rate: tt.rate, RateSource: tt.source, Factor: 1}},
				Drops: []SampleResult{{Rate: 1, RateSource: RateUnsampled, Factor: 1}}}
			if diff := cmp.Diff(want, res, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("result (-want +got):\n%s", diff)
			}
			wantCounts(t, a, Counts{SamplesNoRate: tt.noRate})
		})
	}
}

func TestRateSourceNames(t *testing.T) {
	got := []string{RateReported.String(), RateDefault.String(), RateOverride.String(),
		RateMissing.String(), RateUnsampled.String(), RateSource(9).String()}
	want := []string{"reported", "default", "override", "missing", "unsampled", "unknown"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}
}
