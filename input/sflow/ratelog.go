package sflow

import (
	"sync"
	"time"

	"github.com/elastic/elastic-agent-libs/logp"
)

// rateLog logs per-datagram problems at most once per interval and says how
// many were suppressed in between, so a flood of bad datagrams cannot flood
// the log. Safe for concurrent use.
type rateLog struct {
	log      *logp.Logger
	interval time.Duration

	mu         sync.Mutex
	last       time.Time
	suppressed int
}

// newRateLog returns a rateLog writing to log at most once per interval.
func newRateLog(log *logp.Logger, interval time.Duration) *rateLog {
	return &rateLog{log: log, interval: interval}
}

// Warnw logs msg with its key/value pairs unless a line was logged less than
// interval ago, in which case it only counts it.
func (r *rateLog) Warnw(now time.Time, msg string, kv ...any) {
	r.mu.Lock()
	if !r.last.IsZero() && now.Sub(r.last) < r.interval {
		r.suppressed++
		r.mu.Unlock()
		return
	}
	n := r.suppressed
	r.last, r.suppressed = now, 0
	r.mu.Unlock()
	r.log.Warnw(msg, append(kv, "suppressed_since_last_log", n)...)
}
