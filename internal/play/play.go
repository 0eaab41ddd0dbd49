// Package play runs attempts under the rules of SPEC §1: questions drawn
// and snapshotted at start, one attempt in progress, server-measured time,
// deadline plus grace, idempotent submission, and the standing updated in
// the submit transaction.
package play

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"entgo.io/ent/dialect"

	"prizequiz/ent"
	"prizequiz/ent/attempt"
	"prizequiz/ent/attemptitem"
	"prizequiz/ent/questionversion"
	"prizequiz/ent/schema/schematype"
	"prizequiz/internal/apperr"
	"prizequiz/internal/auth"
	"prizequiz/internal/clock"
	"prizequiz/internal/ranking"
	"prizequiz/internal/store"
)

// Service plays attempts.
type Service struct {
	Client *ent.Client
	Clock  clock.Clock
	// IntN returns a uniform int in [0, n); nil means math/rand/v2's
	// randomly seeded generator. Tests fix it to make draws repeatable.
	IntN func(n int) int
	// Ranks records standings and answers ranks.
	Ranks *ranking.Ranks
	// Counted, when set, is told of attempt events (EventStarted, …) as
	// they commit; it must not block.
	Counted func(event string, n int)
	// CacheFor is how long a campaign and its bank's questions are kept
	// in memory between reads (0: read them for every start and submit).
	// See Watch.
	CacheFor time.Duration

	rules    rules
	open     openAttempts
	submits  submitGroups
	starts   startGroup
	versions versions
}

// Attempt events, as Counted receives them.
const (
	EventStarted   = "started"
	EventSubmitted = "submitted"
	EventExpired   = "expired"
)

func (s *Service) count(event string, n int) {
	if s.Counted != nil && n > 0 {
		s.Counted(event, n)
	}
}

// Attempt is an attempt as its player sees it: never the answers.
type Attempt struct {
	ID        int
	Status    attempt.Status
	StartedAt time.Time
	Deadline  time.Time
	Questions []Question
}

// Question is one question of an attempt, in the order shown.
type Question struct {
	ID       int // the bank question's id, which answers refer to
	Position int
	Kind     schematype.QuestionKind
	Stem     string
	Options  []schematype.Option
}

// Answer is the option keys a player chose for one question.
type Answer struct {
	QuestionID int
	Choices    []string
}

// Result is a submitted attempt, with the answers revealed.
type Result struct {
	Attempt      *Attempt
	Score        int
	CorrectCount int
	DurationMs   int64
	Standing     *ranking.Standing
	Review       []ReviewItem
}

// ReviewItem shows one question's chosen and correct answers after submission.
type ReviewItem struct {
	QuestionID  int
	Chosen      []string
	Correct     []string
	IsCorrect   bool
	Explanation *string
}

func (s *Service) intN(n int) int {
	if s.IntN != nil {
		return s.IntN(n)
	}
	return rand.IntN(n)
}

// Start begins an attempt, or returns the one already in progress: same
// questions, same deadline, so reloading the page never buys time.
//
// On PostgreSQL it does not look for one first: the insert does nothing
// when one is in progress (the database allows one per participant and
// campaign), and only then is it read. A start is one statement.
func (s *Service) Start(ctx context.Context, participantID, campaignID int) (*Attempt, error) {
	c, err := s.campaign(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	if blocked, err := s.blocked(ctx, participantID); err != nil {
		return nil, err
	} else if blocked {
		return nil, blockedErr()
	}
	now := s.Clock.Now()
	lookFirst := !s.grouped()
	if lookFirst {
		if cur, err := s.resume(ctx, c, participantID, now); cur != nil || err != nil {
			return cur, err
		}
	}
	day, err := s.mayStart(ctx, c, participantID, now)
	if err != nil {
		if code := apperr.CodeOf(err); !lookFirst && (code == apperr.CampaignNotActive || code == apperr.AttemptLimitReached) {
			// The attempt in progress is resumed even when no new one may
			// start: the day's limit counts it, and it outlives endsAt by
			// the grace.
			if cur, rerr := s.resume(ctx, c, participantID, now); cur != nil || rerr != nil {
				return cur, rerr
			}
		}
		return nil, err
	}
	qs, err := s.draw(ctx, c)
	if err != nil {
		return nil, err
	}
	deadline := now.Add(time.Duration(c.TimeLimitSeconds) * time.Second)
	if deadline.After(c.EndsAt) {
		deadline = c.EndsAt // the contest closes for everyone at endsAt
	}
	for range 2 {
		a, err := s.create(ctx, c, participantID, now, deadline, day, qs)
		if errors.Is(err, errInProgress) || store.IsUniqueViolation(err) {
			// One is in progress: not looked for, or a concurrent start
			// won. Resume it; an overdue one is expired, then start anew.
			cur, err := s.resume(ctx, c, participantID, now)
			if cur != nil || err != nil {
				return cur, err
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		s.count(EventStarted, 1)
		s.open.keep(a)
		return view(a), nil
	}
	return nil, fmt.Errorf("play: participant %d keeps an attempt in progress in campaign %d", participantID, c.ID)
}

// errInProgress is create's answer when the participant has an attempt in
// progress in the campaign.
var errInProgress = errors.New("play: an attempt is in progress")

// grouped reports whether starts and submits are written in groups, each
// in one statement: on PostgreSQL. SQLite has one writer at a time.
func (s *Service) grouped() bool {
	return s.Ranks != nil && s.Ranks.Dialect() == dialect.Postgres
}

// resume returns the participant's attempt in progress, nil when there is
// none; an overdue one is expired and not returned.
func (s *Service) resume(ctx context.Context, c *ent.Campaign, participantID int, now time.Time) (*Attempt, error) {
	cur, err := s.inProgress(ctx, participantID, c.ID)
	if err != nil || cur == nil {
		return nil, err
	}
	if overdue(cur, c, now) {
		return nil, s.expire(ctx, cur.ID)
	}
	s.open.keep(cur)
	return view(cur), nil
}

// mayStart checks that a new attempt may start now and returns the
// campaign day it starts on.
func (s *Service) mayStart(ctx context.Context, c *ent.Campaign, participantID int, now time.Time) (string, error) {
	if now.Before(c.StartsAt) || !now.Before(c.EndsAt) {
		return "", apperr.New(apperr.CampaignNotActive, "the campaign runs from %s to %s (不在活动时间内)",
			c.StartsAt.Format(time.RFC3339), c.EndsAt.Format(time.RFC3339))
	}
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		return "", fmt.Errorf("play: campaign %d time zone: %w", c.ID, err)
	}
	day := now.In(loc).Format(time.DateOnly)
	if c.MaxAttemptsPerDay != nil {
		n, err := s.startedOn(ctx, participantID, c.ID, day)
		if err != nil {
			return "", err
		}
		if n >= *c.MaxAttemptsPerDay {
			return "", apperr.New(apperr.AttemptLimitReached,
				"at most %d attempts a day; play again tomorrow (今日答题次数已用完)", *c.MaxAttemptsPerDay)
		}
	}
	return day, nil
}

// blocked reports whether a participant is blocked from the contest. The
// request's authentication read it already when the participant is the
// caller, as in play; anyone else's is read now.
func (s *Service) blocked(ctx context.Context, participantID int) (bool, error) {
	if p := auth.PrincipalFrom(ctx); p.ParticipantID == participantID {
		return p.Blocked, nil
	}
	p, err := s.Client.Participant.Get(ctx, participantID)
	if err != nil {
		return false, fmt.Errorf("play: find participant: %w", err)
	}
	return p.Blocked, nil
}

func blockedErr() error {
	return apperr.New(apperr.Forbidden, "this account is blocked from the contest (账号已被禁止参赛)")
}

// startedOn counts a participant's attempts started on a campaign day,
// expired ones included.
func (s *Service) startedOn(ctx context.Context, participantID, campaignID int, day string) (int, error) {
	n, err := s.Client.Attempt.Query().
		Where(attempt.ParticipantID(participantID), attempt.CampaignID(campaignID), attempt.StartedDay(day)).
		Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("play: count today's attempts: %w", err)
	}
	return n, nil
}

// AttemptsLeftToday reports how many attempts a participant may still
// start today in the campaign's time zone; nil when there is no daily
// limit. It does not say whether the campaign is open now.
func (s *Service) AttemptsLeftToday(ctx context.Context, participantID int, c *ent.Campaign) (*int, error) {
	if c.MaxAttemptsPerDay == nil {
		return nil, nil
	}
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		return nil, fmt.Errorf("play: campaign %d time zone: %w", c.ID, err)
	}
	n, err := s.startedOn(ctx, participantID, c.ID, s.Clock.Now().In(loc).Format(time.DateOnly))
	if err != nil {
		return nil, err
	}
	left := max(0, *c.MaxAttemptsPerDay-n)
	return &left, nil
}

func (s *Service) create(ctx context.Context, c *ent.Campaign, participantID int, now, deadline time.Time, day string, qs []*ent.Question) (*ent.Attempt, error) {
	if s.grouped() {
		return s.createGrouped(ctx, startWrite{campaignID: c.ID, participantID: participantID, now: now, deadline: deadline, day: day, qs: qs})
	}
	tx, err := s.Client.Tx(ctx)
	if err != nil {
		return nil, fmt.Errorf("play: begin: %w", err)
	}
	defer tx.Rollback()
	a, err := tx.Attempt.Create().
		SetCampaignID(c.ID).
		SetParticipantID(participantID).
		SetStartedAt(now).
		SetDeadline(deadline).
		SetStartedDay(day).
		Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("play: create attempt: %w", err)
	}
	news := s.versions.unstored(qs)
	if len(news) > 0 {
		vs := make([]*ent.QuestionVersionCreate, len(news))
		for i, q := range news {
			vs[i] = tx.QuestionVersion.Create().SetQuestionID(q.ID).SetVersion(q.Version).SetKind(q.Kind).SetStem(q.Stem).
				SetOptions(q.Options).SetAnswer(q.Answer).SetExplanation(q.Explanation).SetCategory(q.Category)
		}
		err := tx.QuestionVersion.CreateBulk(vs...).
			OnConflictColumns(questionversion.FieldQuestionID, questionversion.FieldVersion).DoNothing().
			Exec(ctx)
		if err != nil {
			return nil, fmt.Errorf("play: store question versions: %w", err)
		}
	}
	items := make([]*ent.AttemptItemCreate, len(qs))
	for i, q := range qs {
		items[i] = tx.AttemptItem.Create().
			SetAttemptID(a.ID).
			SetPosition(i + 1).
			SetQuestionID(q.ID).
			SetQuestionVersion(q.Version)
	}
	saved, err := tx.AttemptItem.CreateBulk(items...).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("play: create attempt items: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("play: commit attempt: %w", err)
	}
	s.versions.written(news)
	for i, q := range qs {
		shown := versionOf(q)
		show(saved[i], &shown)
	}
	a.Edges.Items = saved
	return a, nil
}

// draw picks the campaign's questions uniformly without replacement from
// the enabled questions of its bank: first each category quota from its
// category, then the rest from all questions not yet picked, in random order.
func (s *Service) draw(ctx context.Context, c *ent.Campaign) ([]*ent.Question, error) {
	rows, err := s.bankQuestions(ctx, c.BankID)
	if err != nil {
		return nil, err
	}
	tooFew := apperr.New(apperr.CampaignNotActive,
		"the campaign's question bank has too few enabled questions (题库题目不足，请联系主办方)")
	k := c.QuestionsPerAttempt
	if len(rows) < k {
		return nil, tooFew
	}
	var picked []int
	taken := map[int]bool{}
	for _, quota := range c.CategoryQuotas {
		var ids []int
		for _, r := range rows {
			if r.Category == quota.Category {
				ids = append(ids, r.ID)
			}
		}
		if len(ids) < quota.Count {
			return nil, tooFew
		}
		for _, id := range Pick(ids, quota.Count, s.intN) {
			picked, taken[id] = append(picked, id), true
		}
	}
	var rest []int
	for _, r := range rows {
		if !taken[r.ID] {
			rest = append(rest, r.ID)
		}
	}
	picked = append(picked, Pick(rest, k-len(picked), s.intN)...)
	picked = Pick(picked, len(picked), s.intN) // quota questions need not come first
	byID := make(map[int]*ent.Question, len(rows))
	for _, q := range rows {
		byID[q.ID] = q
	}
	out := make([]*ent.Question, 0, k)
	for _, id := range picked {
		out = append(out, byID[id])
	}
	return out, nil
}

// Pick returns k of ids chosen uniformly without replacement, in random
// order (a partial Fisher–Yates shuffle of a copy).
func Pick(ids []int, k int, intN func(int) int) []int {
	a := slices.Clone(ids)
	for i := 0; i < k; i++ {
		j := i + intN(len(a)-i)
		a[i], a[j] = a[j], a[i]
	}
	return a[:k]
}

func (s *Service) inProgress(ctx context.Context, participantID, campaignID int) (*ent.Attempt, error) {
	a, err := s.Client.Attempt.Query().
		Where(attempt.ParticipantID(participantID), attempt.CampaignID(campaignID), store.OpenAttempts()).
		WithItems(func(q *ent.AttemptItemQuery) { q.Order(attemptitem.ByPosition()) }).
		Only(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("play: find attempt in progress: %w", err)
	}
	if err := s.fill(ctx, a.Edges.Items); err != nil {
		return nil, err
	}
	return a, nil
}

// overdue reports whether a submission at now comes after deadline + grace.
func overdue(a *ent.Attempt, c *ent.Campaign, now time.Time) bool {
	return now.After(a.Deadline.Add(time.Duration(c.GraceSeconds) * time.Second))
}

// expire marks an attempt in progress EXPIRED; it scores nothing. The lazy
// path (start, submit) and the sweeper both come here, so both give the same
// result.
func (s *Service) expire(ctx context.Context, attemptID int) error {
	s.open.forget(attemptID)
	n, err := s.Client.Attempt.Update().
		Where(attempt.ID(attemptID), attempt.StatusEQ(attempt.StatusIN_PROGRESS)).
		SetStatus(attempt.StatusEXPIRED).
		Save(ctx)
	if err != nil {
		return fmt.Errorf("play: expire attempt %d: %w", attemptID, err)
	}
	s.count(EventExpired, n)
	return nil
}

// ExpireOverdue expires attempts in progress past deadline + grace, up to
// limit of them, and says how many it expired.
func (s *Service) ExpireOverdue(ctx context.Context, limit int) (int, error) {
	now := s.Clock.Now()
	as, err := s.Client.Attempt.Query().
		Where(store.OpenAttempts(), attempt.DeadlineLT(now)).
		WithCampaign().
		Order(attempt.ByDeadline()).
		Limit(limit).
		All(ctx)
	if err != nil {
		return 0, fmt.Errorf("play: list overdue attempts: %w", err)
	}
	n := 0
	for _, a := range as {
		if overdue(a, a.Edges.Campaign, now) {
			if err := s.expire(ctx, a.ID); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

func view(a *ent.Attempt) *Attempt {
	v := &Attempt{ID: a.ID, Status: a.Status, StartedAt: a.StartedAt, Deadline: a.Deadline}
	for _, it := range a.Edges.Items {
		v.Questions = append(v.Questions, Question{
			ID:       it.QuestionID,
			Position: it.Position,
			Kind:     it.Kind,
			Stem:     it.Stem,
			Options:  it.Options,
		})
	}
	return v
}
