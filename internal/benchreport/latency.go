package benchreport

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Percentiles summarises latency samples.
type Percentiles struct {
	Count         int
	P50, P99, Max time.Duration
}

func percentiles(d []time.Duration) Percentiles {
	if len(d) == 0 {
		return Percentiles{}
	}
	slices.Sort(d)
	at := func(q float64) time.Duration { return d[min(len(d)-1, int(q*float64(len(d))))] }
	return Percentiles{Count: len(d), P50: at(0.50), P99: at(0.99), Max: d[len(d)-1]}
}

// query is one GraphQL request a worker sends.
type query struct {
	body  []byte
	token string
}

// tally collects the latencies of answered requests and counts the failed
// ones, from any number of goroutines.
type tally struct {
	mu     sync.Mutex
	all    []time.Duration
	failed int
	first  error
}

func (t *tally) record(took time.Duration, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err != nil {
		t.failed++
		if t.first == nil {
			t.first = err
		}
		return
	}
	t.all = append(t.all, took)
}

// result is what drive and pace return: the latencies and failures, the
// first failure when nothing was answered, else ctx's error.
func (t *tally) result(ctx context.Context) ([]time.Duration, int, error) {
	if len(t.all) == 0 && t.first != nil {
		return nil, t.failed, t.first
	}
	return t.all, t.failed, ctx.Err()
}

// drive sends queries from workers in a closed loop for d and returns
// their latencies and the number of failed requests. next picks each
// request.
func drive(ctx context.Context, hc *http.Client, url string, workers int, d time.Duration, next func(*rand.Rand) query) ([]time.Duration, int, error) {
	var (
		t  tally
		wg sync.WaitGroup
	)
	end := time.Now().Add(d)
	for w := range workers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			for time.Now().Before(end) && ctx.Err() == nil {
				q := next(rng)
				t0 := time.Now()
				err := post(ctx, hc, url, q)
				t.record(time.Since(t0), err)
			}
		})
	}
	wg.Wait()
	return t.result(ctx)
}

// pace sends queries at a fixed rate for d, each on its own goroutine,
// whether or not earlier ones have been answered (an open loop, as
// independent players send them), and returns their latencies. A request
// never waits for the ones before it, so its latency runs from its own
// send; the sender's timer being late (a sleeping machine wakes slowly)
// is the load tool's, not the server's. It fails when the answers fall
// behind.
func pace(ctx context.Context, hc *http.Client, url string, perSecond int, d time.Duration, next func(*rand.Rand) query) ([]time.Duration, int, error) {
	const maxInFlight = 512 // far behind: the rate is not sustainable
	var (
		t        tally
		wg       sync.WaitGroup
		inFlight = make(chan struct{}, maxInFlight)
	)
	rng := rand.New(rand.NewPCG(1, 7))
	interval := time.Second / time.Duration(perSecond)
	start := time.Now()
	n := int(d / interval)
	for i := range n {
		due := start.Add(time.Duration(i) * interval)
		if wait := time.Until(due); wait > 0 {
			select {
			case <-ctx.Done():
			case <-time.After(wait):
			}
		}
		if ctx.Err() != nil {
			break
		}
		select {
		case inFlight <- struct{}{}:
		default:
			wg.Wait()
			return nil, t.failed, fmt.Errorf("more than %d requests unanswered at %d/s", maxInFlight, perSecond)
		}
		q := next(rng)
		wg.Go(func() {
			defer func() { <-inFlight }()
			sent := time.Now()
			err := post(ctx, hc, url, q)
			t.record(time.Since(sent), err)
		})
	}
	wg.Wait()
	return t.result(ctx)
}

// post sends one GraphQL request and fails on any error in the answer.
func post(ctx context.Context, hc *http.Client, url string, q query) error {
	req, err := http.NewRequestWithContext(ctx, "POST", url, bytes.NewReader(q.body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if q.token != "" {
		req.Header.Set("Authorization", "Bearer "+q.token)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK || bytes.Contains(b, []byte(`"errors"`)) {
		return fmt.Errorf("graphql: %s: %.200s", resp.Status, b)
	}
	return nil
}

func gqlBody(q string, vars map[string]any) []byte {
	b, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
	return b
}
