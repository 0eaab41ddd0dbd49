// Package ratelimit keeps a token bucket (golang.org/x/time/rate) per key,
// such as a client address or a participant, and forgets idle keys.
package ratelimit

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Policy is a sustained rate and a burst.
type Policy struct {
	PerMinute float64
	Burst     int
}

// Limiter applies one policy to many keys.
type Limiter struct {
	policy Policy
	now    func() time.Time
	mu     sync.Mutex
	keys   map[string]*entry
	swept  time.Time
}

type entry struct {
	lim  *rate.Limiter
	seen time.Time
}

// New returns a limiter for policy; now is the clock (time.Now when nil).
func New(p Policy, now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	return &Limiter{policy: p, now: now, keys: map[string]*entry{}}
}

// Allow takes a token for key. When none is left it says how long until one
// is.
func (l *Limiter) Allow(key string) (bool, time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > time.Minute {
		l.sweep(now)
	}
	e := l.keys[key]
	if e == nil {
		e = &entry{lim: rate.NewLimiter(rate.Limit(l.policy.PerMinute/60), l.policy.Burst)}
		l.keys[key] = e
	}
	e.seen = now
	r := e.lim.ReserveN(now, 1)
	if !r.OK() {
		return false, time.Minute
	}
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// sweep forgets keys idle long enough for their bucket to be full again.
func (l *Limiter) sweep(now time.Time) {
	idle := time.Duration(float64(l.policy.Burst)/l.policy.PerMinute*float64(time.Minute)) + time.Minute
	for k, e := range l.keys {
		if now.Sub(e.seen) > idle {
			delete(l.keys, k)
		}
	}
	l.swept = now
}

// Len reports how many keys are tracked.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.keys)
}
