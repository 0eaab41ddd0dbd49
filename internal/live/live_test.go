package live_test

import (
	"context"
	"errors"
	"net"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"prizequiz/internal/live"
)

func TestStreamSendsChangesOnlyAndStops(t *testing.T) {
	h := live.NewHub()
	var value atomic.Int64
	var computed atomic.Int64
	ctx, cancel := context.WithCancel(context.Background())
	ch, err := live.Stream(ctx, h, 7, 10*time.Millisecond, 0, func(context.Context) (int64, error) {
		computed.Add(1)
		return value.Load(), nil
	}, func(a, b int64) bool { return a == b })
	if err != nil {
		t.Fatal(err)
	}
	if v := <-ch; v != 0 {
		t.Fatalf("first value %d", v)
	}
	// A change notice with the same value sends nothing.
	h.Changed(7)
	select {
	case v := <-ch:
		t.Fatalf("sent an unchanged value %d", v)
	case <-time.After(100 * time.Millisecond):
	}
	// Many notices in a burst are coalesced into one recomputation.
	value.Store(5)
	before := computed.Load()
	for range 100 {
		h.Changed(7)
	}
	h.Changed(8) // another campaign: not ours
	select {
	case v := <-ch:
		if v != 5 {
			t.Fatalf("got %d, want 5", v)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("no value after a change")
	}
	if n := computed.Load() - before; n > 3 {
		t.Fatalf("100 notices caused %d recomputations", n)
	}
	cancel()
	select {
	case _, ok := <-ch:
		if ok {
			for range ch { // drain a value already queued
			}
		}
	case <-time.After(2 * time.Second):
		t.Fatal("stream did not close when its context ended")
	}
	deadline := time.Now().Add(time.Second)
	for h.Subscribers(7) != 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if h.Subscribers(7) != 0 {
		t.Fatal("the stream stayed subscribed")
	}
}

// TestStreamThrottle: a change after a quiet spell goes out at once; the
// next one waits until interval has passed since the last value sent.
func TestStreamThrottle(t *testing.T) {
	h := live.NewHub()
	var value atomic.Int64
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const interval = 300 * time.Millisecond
	ch, err := live.Stream(ctx, h, 1, interval, 0, func(context.Context) (int64, error) { return value.Load(), nil },
		func(a, b int64) bool { return a == b })
	if err != nil {
		t.Fatal(err)
	}
	<-ch
	time.Sleep(interval) // quiet
	next := func(want int64) time.Duration {
		t.Helper()
		start := time.Now()
		value.Store(want)
		h.Changed(1)
		select {
		case v := <-ch:
			if v != want {
				t.Fatalf("got %d, want %d", v, want)
			}
		case <-time.After(2 * time.Second):
			t.Fatal("no value")
		}
		return time.Since(start)
	}
	if d := next(1); d > interval/2 {
		t.Fatalf("first change after quiet took %v", d)
	}
	if d := next(2); d < interval*8/10 {
		t.Fatalf("second change within the interval sent after only %v", d)
	}
}

// TestStreamOutlivesDatabaseOutage: a compute that fails because the
// database is briefly away keeps the stream, which sends the next value
// once computing works again; any other error ends it.
func TestStreamOutlivesDatabaseOutage(t *testing.T) {
	h := live.NewHub()
	var value atomic.Int64
	var fail atomic.Pointer[error]
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch, err := live.Stream(ctx, h, 3, time.Millisecond, 0, func(context.Context) (int64, error) {
		if e := fail.Load(); e != nil {
			return 0, *e
		}
		return value.Load(), nil
	}, func(a, b int64) bool { return a == b })
	if err != nil {
		t.Fatal(err)
	}
	<-ch
	down := error(&net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED})
	fail.Store(&down)
	value.Store(1)
	h.Changed(3)
	time.Sleep(50 * time.Millisecond)
	fail.Store(nil)
	value.Store(2)
	h.Changed(3)
	select {
	case v, ok := <-ch:
		if !ok || v != 2 {
			t.Fatalf("after the outage got %d (open %v), want 2", v, ok)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("no value after the outage")
	}
	broken := errors.New("a bug")
	fail.Store(&broken)
	h.Changed(3)
	select {
	case _, ok := <-ch:
		if ok {
			t.Fatal("a value after a non-transient error")
		}
	case <-time.After(2 * time.Second):
		t.Fatal("a non-transient error did not end the stream")
	}
}
