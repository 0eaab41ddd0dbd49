package play

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"

	"prizequiz/ent"
	"prizequiz/ent/question"
	"prizequiz/internal/apperr"
)

// rules keeps what every start and submit reads and admins rarely change,
// a campaign and its bank's enabled questions, for Service.CacheFor.
//
// Changes made through this process's ent client forget them at once (see
// Service.Watch); another process's changes show within CacheFor.
type rules struct {
	once      sync.Once
	campaigns *expirable.LRU[int, *ent.Campaign]
	banks     *expirable.LRU[int, []*ent.Question]
}

func (s *Service) cached() *rules {
	s.rules.once.Do(func() {
		ttl := max(s.CacheFor, time.Second) // unused when CacheFor is 0
		s.rules.campaigns = expirable.NewLRU[int, *ent.Campaign](1024, nil, ttl)
		s.rules.banks = expirable.NewLRU[int, []*ent.Question](64, nil, ttl)
	})
	return &s.rules
}

// Watch makes s forget cached campaigns and questions when they change
// through client (every admin change in this process goes through it).
// Hooks run before the change commits, so a read racing a change may keep
// the old value: for CacheFor at most, as with other processes.
func (s *Service) Watch(client *ent.Client) {
	client.Campaign.Use(func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			s.cached().campaigns.Purge()
			return next.Mutate(ctx, m)
		})
	})
	forgetBanks := func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			s.cached().banks.Purge()
			return next.Mutate(ctx, m)
		})
	}
	client.Question.Use(forgetBanks)
	client.QuestionBank.Use(forgetBanks)
}

// Campaign returns a campaign as play keeps it (CacheFor), NOT_FOUND when
// there is none: for the players' hot reads (their standing, the
// leaderboard), which need only that it exists and its rules. The value
// is shared: read it, never change it.
func (s *Service) Campaign(ctx context.Context, id int) (*ent.Campaign, error) {
	return s.campaign(ctx, id)
}

// campaign returns a campaign, NOT_FOUND when there is none. The value is
// shared: read it, never change it.
func (s *Service) campaign(ctx context.Context, id int) (*ent.Campaign, error) {
	r := s.cached()
	if s.CacheFor > 0 {
		if c, ok := r.campaigns.Get(id); ok {
			return c, nil
		}
	}
	c, err := s.Client.Campaign.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, apperr.NotFoundf("campaign %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("play: find campaign: %w", err)
	}
	if s.CacheFor > 0 {
		r.campaigns.Add(id, c)
	}
	return c, nil
}

// bankQuestions returns a bank's enabled questions in id order. The slice
// and the questions are shared: read them, never change them.
func (s *Service) bankQuestions(ctx context.Context, bankID int) ([]*ent.Question, error) {
	r := s.cached()
	if s.CacheFor > 0 {
		if qs, ok := r.banks.Get(bankID); ok {
			return qs, nil
		}
	}
	qs, err := s.Client.Question.Query().
		Where(question.BankID(bankID), question.Enabled(true), question.DeletedAtIsNil()).
		Order(question.ByID()).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("play: list questions: %w", err)
	}
	if s.CacheFor > 0 {
		r.banks.Add(bankID, qs)
	}
	return qs, nil
}
