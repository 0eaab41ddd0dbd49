// Package clock lets the rules that depend on time run on a clock a test controls.
package clock

import (
	"sync"
	"time"
)

// Clock tells the time. Every time it returns is UTC with microsecond
// precision, the finest both PostgreSQL and SQLite store, so a time read back
// from the database equals the one written.
type Clock interface {
	Now() time.Time
}

// Normalize returns t as the clocks return times: UTC, microsecond precision.
func Normalize(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// Real is the system clock.
type Real struct{}

// Now returns the current time.
func (Real) Now() time.Time { return Normalize(time.Now()) }

// Fake is a clock that moves only when told to.
type Fake struct {
	mu sync.Mutex
	t  time.Time
}

// NewFake returns a fake clock set to t.
func NewFake(t time.Time) *Fake { return &Fake{t: Normalize(t)} }

// Now returns the fake time.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

// Advance moves the fake time forward by d.
func (f *Fake) Advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = Normalize(f.t.Add(d))
}

// Set moves the fake time to t.
func (f *Fake) Set(t time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = Normalize(t)
}
