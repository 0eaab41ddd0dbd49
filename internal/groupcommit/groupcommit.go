// Package groupcommit writes concurrent requests together: while a write
// is in flight, the requests that arrive queue, and the next write takes
// them all in one statement and one commit. Nothing is acknowledged before
// the statement that holds it has committed.
//
// At a city's rate PostgreSQL's cost per attempt is largely per statement
// and per commit (a pgbench script of the attempt's statements ran 30–50 %
// faster with four attempts to a commit), and every round trip costs the
// server too. Under light load a request goes alone, at once: nothing waits
// for a batch to fill.
package groupcommit

import (
	"context"
	"errors"
	"sync"
)

// Writer batches requests of type Req whose results are Res.
type Writer[Req any, K comparable, Res any] struct {
	// Write writes reqs in one statement and returns one result per
	// request, in order. An error fails the whole batch.
	Write func(ctx context.Context, reqs []Req) ([]Res, error)
	// Key names what a request writes: two requests with the same key
	// never share a batch (a statement cannot upsert one row twice).
	Key func(Req) K
	// Max is the largest batch; Parallel how many batches may be in flight.
	Max, Parallel int
	// Shared, when set, reports whether a batch's error concerns every
	// request alike (the database out of reach), so that writing each
	// request alone would only send the failing statement again, once per
	// request, to a database that is down.
	Shared func(error) bool

	mu      sync.Mutex
	pending []*call[Req, Res]
	leaders int
}

type call[Req, Res any] struct {
	req  Req
	res  Res
	err  error
	done chan struct{}
}

// Do writes req, alone or with others, and returns its result once the
// statement holding it has committed, or the error that stopped it. When a
// batch fails, each of its requests is written again alone, so one bad
// request fails only itself; unless the error is Shared, which fails them
// all. The write outlives ctx's cancellation: a
// request once queued is written, as it would be without batching.
func (w *Writer[Req, K, Res]) Do(ctx context.Context, req Req) (Res, error) {
	c := &call[Req, Res]{req: req, done: make(chan struct{})}
	w.mu.Lock()
	w.pending = append(w.pending, c)
	lead := w.leaders < max(w.Parallel, 1)
	if lead {
		w.leaders++
	}
	w.mu.Unlock()
	if lead {
		w.lead(context.WithoutCancel(ctx), c)
	}
	<-c.done
	return c.res, c.err
}

// Queued reports how many requests wait for a write.
func (w *Writer[Req, K, Res]) Queued() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.pending)
}

// lead writes batches until mine is written, then hands the queue to a
// new leader if anything is left, so no caller waits for others' batches
// after its own. A leader handed the queue (mine nil) writes until it is
// empty.
func (w *Writer[Req, K, Res]) lead(ctx context.Context, mine *call[Req, Res]) {
	for {
		batch := w.take()
		if batch == nil {
			return // take gave up the lead
		}
		w.write(ctx, batch)
		if mine == nil {
			continue
		}
		select {
		case <-mine.done:
			w.mu.Lock()
			if len(w.pending) == 0 {
				w.leaders--
				w.mu.Unlock()
				return
			}
			w.mu.Unlock()
			go w.lead(ctx, nil) // the lead passes on, still counted
			return
		default:
		}
	}
}

// take removes the next batch from the queue: up to Max requests, no two
// with the same key. With nothing queued it gives up the lead.
func (w *Writer[Req, K, Res]) take() []*call[Req, Res] {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.pending) == 0 {
		w.leaders--
		return nil
	}
	limit := max(w.Max, 1)
	seen := make(map[K]bool, min(len(w.pending), limit))
	var batch, rest []*call[Req, Res]
	for _, c := range w.pending {
		k := w.Key(c.req)
		if len(batch) == limit || seen[k] {
			rest = append(rest, c)
			continue
		}
		seen[k] = true
		batch = append(batch, c)
	}
	w.pending = rest
	return batch
}

func (w *Writer[Req, K, Res]) write(ctx context.Context, batch []*call[Req, Res]) {
	reqs := make([]Req, len(batch))
	for i, c := range batch {
		reqs[i] = c.req
	}
	res, err := w.Write(ctx, reqs)
	if err == nil && len(res) != len(batch) {
		err = errCount
	}
	if err != nil && len(batch) > 1 && (w.Shared == nil || !w.Shared(err)) {
		// Alone, each request fails or succeeds on its own merits.
		for _, c := range batch {
			w.write(ctx, []*call[Req, Res]{c})
		}
		return
	}
	for i, c := range batch {
		if err != nil {
			c.err = err
		} else {
			c.res = res[i]
		}
		close(c.done)
	}
}

var errCount = errors.New("groupcommit: Write returned a result count unlike its requests")
