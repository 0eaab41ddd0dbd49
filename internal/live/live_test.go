package live_test

import (
	"context"
	"sync/atomic"
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
