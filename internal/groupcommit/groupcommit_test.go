package groupcommit_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"prizequiz/internal/groupcommit"
)

// store is a fake database: Write records each batch, can be held, and
// fails a batch holding a poisoned request.
type store struct {
	mu      sync.Mutex
	batches [][]int
	hold    chan struct{} // while open, writes wait
	entered atomic.Int32
}

func (s *store) write(_ context.Context, reqs []int) ([]string, error) {
	s.entered.Add(1)
	if s.hold != nil {
		<-s.hold
	}
	s.mu.Lock()
	s.batches = append(s.batches, slices.Clone(reqs))
	s.mu.Unlock()
	if slices.Contains(reqs, -1) {
		return nil, errors.New("poisoned")
	}
	if slices.Contains(reqs, -2) {
		return nil, errOutage
	}
	out := make([]string, len(reqs))
	for i, r := range reqs {
		out[i] = fmt.Sprint("wrote ", r)
	}
	return out, nil
}

// errOutage is the fake database out of reach: every batch holding -2
// fails with it.
var errOutage = errors.New("database out of reach")

func newWriter(s *store, max, parallel int) *groupcommit.Writer[int, int, string] {
	return &groupcommit.Writer[int, int, string]{
		Write: s.write, Key: func(r int) int { return r % 100 }, Max: max, Parallel: parallel,
	}
}

// doAll sends reqs at once and returns each one's result or error.
func doAll(w *groupcommit.Writer[int, int, string], reqs []int) []string {
	out := make([]string, len(reqs))
	var wg sync.WaitGroup
	for i, r := range reqs {
		wg.Go(func() {
			res, err := w.Do(context.Background(), r)
			if err != nil {
				res = "error: " + err.Error()
			}
			out[i] = res
		})
	}
	wg.Wait()
	return out
}

func TestEveryRequestGetsItsOwnResult(t *testing.T) {
	cases := []struct {
		name          string
		max, parallel int
		reqs          []int
		want          []string
	}{
		{"alone", 8, 2, []int{1}, []string{"wrote 1"}},
		{"many", 4, 2, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10},
			[]string{"wrote 1", "wrote 2", "wrote 3", "wrote 4", "wrote 5", "wrote 6", "wrote 7", "wrote 8", "wrote 9", "wrote 10"}},
		{"a poisoned request fails alone", 8, 1, []int{1, -1, 2, 3},
			[]string{"wrote 1", "error: poisoned", "wrote 2", "wrote 3"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := &store{}
			if got := doAll(newWriter(s, tc.max, tc.parallel), tc.reqs); !slices.Equal(got, tc.want) {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestRequestsQueuedBehindAWriteGoTogether: while one write is in flight
// the next requests queue, and the next write takes them together, at most
// Max at a time and never two with one key.
func TestRequestsQueuedBehindAWriteGoTogether(t *testing.T) {
	s := &store{hold: make(chan struct{})}
	w := newWriter(s, 3, 1)
	var wg sync.WaitGroup
	wg.Go(func() { _, _ = w.Do(context.Background(), 1) }) // the first leads and is held
	waitFor(t, func() bool { return s.entered.Load() == 1 })
	// Queued behind it: 102 shares key 2 with 2, so it waits for a later batch.
	for _, r := range []int{2, 102, 3, 4, 5} {
		wg.Go(func() { _, _ = w.Do(context.Background(), r) })
	}
	waitFor(t, func() bool { return w.Queued() == 5 })
	close(s.hold)
	wg.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.batches) < 2 || !slices.Equal(s.batches[0], []int{1}) {
		t.Fatalf("batches %v", s.batches)
	}
	total := 0
	for _, b := range s.batches[1:] {
		total += len(b)
		if len(b) > 3 {
			t.Fatalf("a batch larger than Max: %v", s.batches)
		}
		if slices.Contains(b, 2) && slices.Contains(b, 102) {
			t.Fatalf("two requests with one key in a batch: %v", s.batches)
		}
	}
	if total != 5 || len(s.batches[1]) != 3 {
		t.Fatalf("queued requests were not written together: %v", s.batches)
	}
}

// TestAnOutageFailsTheBatchOnce: a batch that fails with a Shared error
// (the database out of reach) fails every request in it at once, instead
// of sending the failing statement again for each request; other errors
// are still retried alone.
func TestAnOutageFailsTheBatchOnce(t *testing.T) {
	for _, shared := range []bool{true, false} {
		t.Run(fmt.Sprint("shared ", shared), func(t *testing.T) {
			s := &store{hold: make(chan struct{})}
			w := newWriter(s, 8, 1)
			if shared {
				w.Shared = func(err error) bool { return errors.Is(err, errOutage) }
			}
			var wg sync.WaitGroup
			wg.Go(func() { _, _ = w.Do(context.Background(), 1) }) // leads and is held
			waitFor(t, func() bool { return s.entered.Load() == 1 })
			reqs := []int{2, -2, 3, 4}
			errs := make([]error, len(reqs))
			for i, r := range reqs {
				wg.Go(func() { _, errs[i] = w.Do(context.Background(), r) })
			}
			waitFor(t, func() bool { return w.Queued() == len(reqs) })
			close(s.hold)
			wg.Wait()
			s.mu.Lock()
			defer s.mu.Unlock()
			if shared {
				if len(s.batches) != 2 || len(s.batches[1]) != len(reqs) {
					t.Fatalf("batches %v, want [1] and one batch of the four", s.batches)
				}
				for i, err := range errs {
					if !errors.Is(err, errOutage) {
						t.Fatalf("request %d: %v, want the outage", reqs[i], err)
					}
				}
				return
			}
			if len(s.batches) != 2+len(reqs) {
				t.Fatalf("batches %v, want the batch of four, then each alone", s.batches)
			}
			for i, err := range errs {
				if (reqs[i] == -2) != (err != nil) {
					t.Fatalf("request %d: %v", reqs[i], err)
				}
			}
		})
	}
}

// TestACanceledCallerIsStillWritten: a request once queued is written even
// if its caller gives up, as a lone write would be.
func TestACanceledCallerIsStillWritten(t *testing.T) {
	s := &store{}
	w := newWriter(s, 8, 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if res, err := w.Do(ctx, 7); err != nil || res != "wrote 7" {
		t.Fatalf("%q %v", res, err)
	}
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	for range 5000 {
		if ok() {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatal("timed out")
}
