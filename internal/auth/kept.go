package auth

import (
	"context"
	"sync"
	"time"

	"prizequiz/ent"
)

// keptMax bounds the players' tokens kept at once: a few MiB at most. A
// full map is emptied rather than evicted from, which costs one database
// read per active player, once.
const keptMax = 200_000

// kept holds players' resolved tokens for Service.CacheFor, keyed by the
// token's hash. Every request of every player authenticates, and at a
// city's rate that read is a fifth of the database's statements. Admins'
// tokens are never kept: their requests are few, and a disabled admin or a
// changed role must take effect at once.
type kept struct {
	mu    sync.Mutex
	byKey map[string]keptPrincipal
}

type keptPrincipal struct {
	p Principal
	// until is the earlier of the token's expiry and the end of CacheFor.
	until time.Time
}

func (k *kept) get(key string, now time.Time) (Principal, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	e, ok := k.byKey[key]
	if !ok || !now.Before(e.until) {
		return Principal{}, false
	}
	return e.p, true
}

func (k *kept) put(key string, p Principal, until time.Time) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.byKey == nil || len(k.byKey) >= keptMax {
		k.byKey = make(map[string]keptPrincipal)
	}
	k.byKey[key] = keptPrincipal{p: p, until: until}
}

func (k *kept) forget() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.byKey = nil
}

// Watch makes s forget kept tokens whenever a token or a participant
// changes through client: a sign-out or a block in this process takes
// effect at the next request. Another process's shows within CacheFor.
// Hooks run before the change commits, so a request racing it may keep
// the old value, for CacheFor at most, as with other processes.
func (s *Service) Watch(client *ent.Client) {
	forget := func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			s.kept.forget()
			return next.Mutate(ctx, m)
		})
	}
	client.AuthToken.Use(forget)
	client.Participant.Use(forget)
}
