// Package live turns ranking changes into subscription streams: a
// campaign's top N, a player's own standing, a campaign's statistics. Each
// stream recomputes its value after a change, at most once per interval
// (latest value wins), and sends only what changed.
//
// Changes travel through an in-process broker, so this serves one process
// (the embedded SQLite default). Several processes on one PostgreSQL need
// the change feed of SPEC §5, which is not built yet.
package live

import (
	"context"
	"reflect"
	"sync"
	"time"
)

// Hub carries "this campaign's ranking changed" notices. A notice is a
// flag, not data: a subscriber with one pending already knows, so sending
// never blocks and never drops the subscriber.
type Hub struct {
	mu   sync.Mutex
	subs map[int]map[chan struct{}]struct{}
}

// NewHub returns a hub with no subscribers.
func NewHub() *Hub { return &Hub{subs: map[int]map[chan struct{}]struct{}{}} }

// Changed notes that a campaign's ranking changed. It never blocks.
func (h *Hub) Changed(campaignID int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs[campaignID] {
		select {
		case ch <- struct{}{}:
		default: // a notice is already pending
		}
	}
}

func (h *Hub) subscribe(campaignID int) (chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subs[campaignID] == nil {
		h.subs[campaignID] = map[chan struct{}]struct{}{}
	}
	h.subs[campaignID][ch] = struct{}{}
	return ch, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		delete(h.subs[campaignID], ch)
		if len(h.subs[campaignID]) == 0 {
			delete(h.subs, campaignID)
		}
	}
}

// Subscribers reports how many streams follow a campaign.
func (h *Hub) Subscribers(campaignID int) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs[campaignID])
}

// Equal is reflect.DeepEqual, for values with no volatile fields.
func Equal[T any](a, b T) bool { return reflect.DeepEqual(a, b) }

// Stream sends compute's value at once and then after changes to the
// campaign (or every refresh, when refresh > 0), no more often than every
// interval, skipping values equal to the last sent. The channel closes when
// ctx ends; a compute error ends the stream.
func Stream[T any](ctx context.Context, h *Hub, campaignID int, interval, refresh time.Duration,
	compute func(context.Context) (T, error), equal func(a, b T) bool) (<-chan T, error) {
	first, err := compute(ctx)
	if err != nil {
		return nil, err
	}
	out := make(chan T, 1)
	out <- first
	changes, cancel := h.subscribe(campaignID)
	go func() {
		defer close(out)
		defer cancel()
		last, sent := first, time.Now()
		for {
			if wait(ctx, changes, refresh) == waitDone {
				return
			}
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
