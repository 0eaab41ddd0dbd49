package play

import (
	"context"
	"sync"

	lru "github.com/hashicorp/golang-lru/v2"

	"prizequiz/ent"
)

// openKept bounds the attempts kept for their submit: about 1.5 KB each
// (the questions' text is shared with the kept bank), so 150 MB at most,
// enough for a minute of starts at 1,500 a second.
const openKept = 100_000

// openAttempts keeps the attempts this process started, with their items,
// until they are submitted or expire: a submit then grades from memory
// instead of reading the attempt and its five items back.
//
// A kept attempt may have been settled since by another process (its
// submit or the sweeper). That is harmless: every write of a submit is
// conditional on the attempt being IN_PROGRESS, and a submit that writes
// nothing reports the attempt as the database has it (Service.settled).
// The items never change once written.
type openAttempts struct {
	once sync.Once
	kept *lru.Cache[int, *ent.Attempt]
}

func (o *openAttempts) cache() *lru.Cache[int, *ent.Attempt] {
	o.once.Do(func() {
		o.kept, _ = lru.New[int, *ent.Attempt](openKept) // errors only on a size ≤ 0
	})
	return o.kept
}

// keep holds a, an attempt in progress with its items; the caller must no
// longer change it.
func (o *openAttempts) keep(a *ent.Attempt) { o.cache().Add(a.ID, a) }

func (o *openAttempts) forget(attemptID int) { o.cache().Remove(attemptID) }

// get returns a copy of a participant's kept attempt, which the caller may
// change: the kept one is shared with concurrent requests.
func (o *openAttempts) get(participantID, attemptID int) (*ent.Attempt, bool) {
	a, ok := o.cache().Get(attemptID)
	if !ok || a.ParticipantID != participantID {
		return nil, false
	}
	c := *a
	c.Edges.Items = make([]*ent.AttemptItem, len(a.Edges.Items))
	for i, it := range a.Edges.Items {
		item := *it
		c.Edges.Items[i] = &item
	}
	return &c, true
}

// load finds a participant's own attempt, kept or stored.
func (s *Service) load(ctx context.Context, participantID, attemptID int) (*ent.Attempt, error) {
	if a, ok := s.open.get(participantID, attemptID); ok {
		return a, nil
	}
	return s.loadStored(ctx, participantID, attemptID)
}
