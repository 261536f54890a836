package accounting

import (
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Config)
		want   []string // parts of the error; none: valid
	}{
		{name: "defaults", change: func(*Config) {}},
		{name: "rules and compensation", change: func(c *Config) {
			c.Rates = []RateRule{rule(ModeDefault, 1000, "192.0.2.0/24"), rule(ModeOverride, 1, "::/0")}
			c.LossCompensation, c.CompensationWindow, c.MaxFactor = true, 8, 1
		}},
		{name: "reorder_window not a power of two", change: func(c *Config) { c.ReorderWindow = 100 },
			want: []string{"reorder_window must be a power of two from 64 to 4096, got 100"}},
		{name: "reorder_window too large", change: func(c *Config) { c.ReorderWindow = 8192 },
			want: []string{"reorder_window must be a power of two from 64 to 4096, got 8192"}},
		{name: "reorder_timeout 0", change: func(c *Config) { c.ReorderTimeout = 0 },
			want: []string{"reorder_timeout must be positive, got 0s"}},
		{name: "uptime_tolerance negative", change: func(c *Config) { c.UptimeTolerance = -time.Second },
			want: []string{"uptime_tolerance must be from 0 to 1m0s, got -1s"}},
		{name: "idle_timeout too short", change: func(c *Config) { c.IdleTimeout = time.Second },
			want: []string{"idle_timeout must be longer than reorder_timeout (2s), got 1s"}},
		{name: "max_exporters 0", change: func(c *Config) { c.MaxExporters = 0 },
			want: []string{"max_exporters must be from 1 to 16777216, got 0"}},
		{name: "max_sources too many", change: func(c *Config) { c.MaxSources = 1 << 30 },
			want: []string{"max_sources must be from 1 to 16777216, got 1073741824"}},
		{name: "compensation_window not a multiple of 8", change: func(c *Config) { c.CompensationWindow = 100 },
			want: []string{"compensation_window must be a multiple of 8 from 8 to 65536, got 100"}},
		{name: "max_compensation_factor below 1", change: func(c *Config) { c.MaxFactor = 0.5 },
			want: []string{"max_compensation_factor must be from 1 to 1e+06, got 0.5"}},
		{name: "a rule without exporters", change: func(c *Config) { c.Rates = []RateRule{{Rate: 10, Mode: ModeDefault}} },
			want: []string{"sampling[0]: exporters must list at least one CIDR (0.0.0.0/0 and ::/0 match all)"}},
		{name: "a rule with an invalid prefix", change: func(c *Config) {
			c.Rates = []RateRule{{Exporters: []netip.Prefix{{}}, Rate: 10, Mode: ModeDefault}}
		}, want: []string{`sampling[0]: exporters: "invalid Prefix" is not a CIDR such as 192.0.2.0/24`}},
		{name: "the second rule with rate 0 and no mode", change: func(c *Config) {
			c.Rates = []RateRule{rule(ModeDefault, 10, "192.0.2.0/24"), rule(0, 0, "192.0.2.0/24")}
		}, want: []string{"sampling[1]: rate must be at least 1 (1 in N packets), got 0",
			`sampling[1]: mode must be "default" or "override", got RateMode(0)`}},
		{name: "every error at once", change: func(c *Config) { c.ReorderWindow, c.MaxExporters = 0, 0 },
			want: []string{"reorder_window must", "max_exporters must"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := testConfig(tt.change)
			err := c.Validate()
			if len(tt.want) == 0 {
				if err != nil {
					t.Errorf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil, want %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate() = %q, want it to say %q", err, w)
				}
			}
		})
	}
}

func TestParseRateMode(t *testing.T) {
	tests := []struct {
		in      string
		want    RateMode
		wantErr string
	}{
		{in: "default", want: ModeDefault},
		{in: "override", want: ModeOverride},
		{in: "Override", wantErr: `sampling mode must be "default" or "override", got "Override"`},
		{in: "", wantErr: `sampling mode must be "default" or "override", got ""`},
	}
	for _, tt := range tests {
		got, err := ParseRateMode(tt.in)
		if errStr(err) != tt.wantErr || got != tt.want {
			t.Errorf("ParseRateMode(%q) = %v, %v; want %v, %q", tt.in, got, err, tt.want, tt.wantErr)
		}
		if err == nil && got.String() != tt.in {
			t.Errorf("%v.String() = %q, want %q", got, got.String(), tt.in)
		}
	}
}

// errStr is the message of err, "" for nil.
func errStr(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
