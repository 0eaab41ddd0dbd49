package ratelimit_test

import (
	"testing"
	"time"

	"prizequiz/internal/ratelimit"
)

func TestBurstThenRate(t *testing.T) {
	now := time.Date(2026, 9, 21, 0, 0, 0, 0, time.UTC)
	l := ratelimit.New(ratelimit.Policy{PerMinute: 6, Burst: 3}, func() time.Time { return now })
	for i := range 3 {
		if ok, _ := l.Allow("a"); !ok {
			t.Fatalf("burst request %d refused", i+1)
		}
	}
	ok, wait := l.Allow("a")
	if ok || wait <= 0 || wait > 10*time.Second {
		t.Fatalf("fourth: %v, wait %v (want ~10 s)", ok, wait)
	}
	if ok, _ := l.Allow("b"); !ok {
		t.Fatal("another key shares the bucket")
	}
	now = now.Add(10 * time.Second)
	if ok, _ := l.Allow("a"); !ok {
		t.Fatal("no token after the refill time")
	}
	now = now.Add(time.Hour)
	l.Allow("c")
	if l.Len() != 1 {
		t.Fatalf("%d keys kept after an idle hour", l.Len())
	}
}
