// Package live turns ranking changes into subscription streams: a
// campaign's top N, a player's own standing, a campaign's statistics. Each
// stream recomputes its value after a change, at most once per interval
// (latest value wins), and sends only what changed.
//
// Notices come from ranking.Ranks once a change is in this process's rank
// index: its own writes at once, other processes' through the change feed.
package live

import (
	"context"
	"reflect"
	"sync"
	"time"

	"prizequiz/internal/store"
)

// Hub carries "this campaign's ranking changed" notices. A notice is a
// broadcast, not data: Changed closes the campaign's current signal
// channel, so it costs the same for one subscriber or ten thousand, and
// never blocks.
type Hub struct {
	mu     sync.Mutex
	topics map[int]*topic
}

type topic struct {
	signal chan struct{} // closed at the next change
	subs   int
}

// NewHub returns a hub with no subscribers.
func NewHub() *Hub { return &Hub{topics: map[int]*topic{}} }

// Changed notes that a campaign's ranking changed. It never blocks.
func (h *Hub) Changed(campaignID int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if t := h.topics[campaignID]; t != nil {
		close(t.signal)
		t.signal = make(chan struct{})
	}
}

// subscribe follows a campaign: next returns the channel that closes at
// the next change after the call.
func (h *Hub) subscribe(campaignID int) (next func() <-chan struct{}, cancel func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	t := h.topics[campaignID]
	if t == nil {
		t = &topic{signal: make(chan struct{})}
		h.topics[campaignID] = t
	}
	t.subs++
	next = func() <-chan struct{} {
		h.mu.Lock()
		defer h.mu.Unlock()
		return t.signal
	}
	var once sync.Once
	cancel = func() {
		once.Do(func() {
			h.mu.Lock()
			defer h.mu.Unlock()
			if t.subs--; t.subs == 0 {
				delete(h.topics, campaignID)
			}
		})
	}
	return next, cancel
}

// Subscribers reports how many streams follow a campaign.
func (h *Hub) Subscribers(campaignID int) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	if t := h.topics[campaignID]; t != nil {
		return t.subs
	}
	return 0
}

// Equal is reflect.DeepEqual, for values with no volatile fields.
func Equal[T any](a, b T) bool { return reflect.DeepEqual(a, b) }

// Stream sends compute's value at once and then after changes to the
// campaign (or every refresh, when refresh > 0), no more often than every
// interval, skipping values equal to the last sent. The channel closes when
// ctx ends; a compute error ends the stream, unless it is transient (the
// database briefly away): then the stream waits for the next change.
func Stream[T any](ctx context.Context, h *Hub, campaignID int, interval, refresh time.Duration,
	compute func(context.Context) (T, error), equal func(a, b T) bool) (<-chan T, error) {
	// Follow before the first computation, so no change falls between.
	next, cancel := h.subscribe(campaignID)
	changed := next()
	first, err := compute(ctx)
	if err != nil {
		cancel()
		return nil, err
	}
	out := make(chan T, 1)
	out <- first
	go func() {
		defer close(out)
		defer cancel()
		last, sent := first, time.Now()
		for {
			if wait(ctx, changed, refresh) == waitDone {
				return
			}
			// Take the next signal before computing: a change during the
			// computation then wakes the next round.
			changed = next()
			// Throttle: the first change after a quiet spell goes out at
			// once; changes within interval of the last value sent wait
			// for its end and are coalesced into one value.
			if d := time.Until(sent.Add(interval)); d > 0 {
				select {
				case <-ctx.Done():
					return
				case <-time.After(d):
				}
			}
			v, err := compute(ctx)
			if err != nil && store.IsTransient(err) && ctx.Err() == nil {
				// The database is briefly away: keep the subscriber and
				// try again at the next change or refresh, which the
				// feed's resync brings once the database is back.
				continue
			}
			if err != nil {
				return
			}
			if equal(v, last) {
				continue
			}
			select {
			case <-out: // the reader is behind: the latest value wins
			default:
			}
			out <- v
			last, sent = v, time.Now()
		}
	}()
	return out, nil
}

type waitResult int

const (
	waitChange waitResult = iota
	waitDone
)

// wait blocks until a change, a refresh tick or the end of ctx.
func wait(ctx context.Context, changes <-chan struct{}, refresh time.Duration) waitResult {
	var tick <-chan time.Time
	if refresh > 0 {
		t := time.NewTimer(refresh)
		defer t.Stop()
		tick = t.C
	}
	select {
	case <-ctx.Done():
		return waitDone
	case <-changes:
	case <-tick:
	}
	return waitChange
}
