package loadgen

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	mrand "math/rand/v2"
	"slices"
	"sync"
	"time"
)

// The documents a player's phone page sends: it shows the questions with
// their options and, after the submit, the score, the standing and the
// review, so it asks for all of them.
const (
	campaignFields = `id name questionsPerAttempt pointsPerQuestion timeLimitSeconds maxAttemptsPerDay rankingMode`
	activeQ        = `{activeCampaigns{` + campaignFields + `}}`
	campaignQ      = `query($id:ID!){campaign(id:$id){` + campaignFields + `}}`
	adminSignInQ   = `mutation($u:String!,$p:String!){adminSignIn(username:$u,password:$p){token}}`
	bankQ          = `query($id:ID!){campaign(id:$id){bank{id}}}`
	questionsQ     = `query($b:ID!,$after:Cursor){questions(first:100,after:$after,where:{bankID:$b}){edges{node{id answer}} pageInfo{hasNextPage endCursor}}}`
	signInQ        = `mutation($n:String!){signInGuest(nickname:$n){token expiresAt participant{publicID nickname}}}`
	startQ         = `mutation($c:ID!){startAttempt(campaignID:$c){id status startedAt deadline questions{id position kind stem options{key text}}}}`
	submitQ        = `mutation($a:ID!,$ans:[AnswerInput!]!){submitAttempt(attemptID:$a,answers:$ans){score correctCount durationMs attempt{id status} standing{rank score durationMs attempts participant{publicID nickname}} review{questionID chosen correct isCorrect explanation}}}`
	boardQ         = `subscription($c:ID!){leaderboardUpdated(campaignID:$c,first:10){total updatedAt entries{rank score durationMs achievedAt participant{publicID nickname}}}}`
	standingQ      = `subscription($c:ID!){myStandingUpdated(campaignID:$c){rank score durationMs attempts participant{publicID nickname}}}`
)

// setupParallel bounds the sign-ins and websocket dials made at once
// while setting up.
const setupParallel = 64

// findCampaign resolves Config.CampaignID, or the first active campaign.
func (e *engine) findCampaign(ctx context.Context) error {
	if e.cfg.CampaignID == "" {
		var out struct{ ActiveCampaigns []CampaignInfo }
		if err := e.gql.do(ctx, "", activeQ, nil, &out); err != nil {
			return fmt.Errorf("activeCampaigns at %s: %w", e.cfg.URL, err)
		}
		if len(out.ActiveCampaigns) == 0 {
			return errors.New("no active campaign: create one, or name one with --campaign")
		}
		e.camp = out.ActiveCampaigns[0]
	} else {
		var out struct{ Campaign *CampaignInfo }
		if err := e.gql.do(ctx, "", campaignQ, map[string]any{"id": e.cfg.CampaignID}, &out); err != nil {
			return fmt.Errorf("campaign %s at %s: %w", e.cfg.CampaignID, e.cfg.URL, err)
		}
		if out.Campaign == nil {
			return fmt.Errorf("campaign %s: not found", e.cfg.CampaignID)
		}
		e.camp = *out.Campaign
	}
	return nil
}

// loadAnswerKey reads the answers of every question of the campaign's bank
// through the admin API.
func (e *engine) loadAnswerKey(ctx context.Context) error {
	var s struct{ AdminSignIn struct{ Token string } }
	if err := e.gql.do(ctx, "", adminSignInQ, map[string]any{"u": e.cfg.AdminUser, "p": e.cfg.AdminPassword}, &s); err != nil {
		return fmt.Errorf("adminSignIn as %s: %w", e.cfg.AdminUser, err)
	}
	admin := s.AdminSignIn.Token
	var b struct {
		Campaign struct{ Bank struct{ ID string } }
	}
	if err := e.gql.do(ctx, admin, bankQ, map[string]any{"id": e.camp.ID}, &b); err != nil {
		return fmt.Errorf("the campaign's bank: %w", err)
	}
	key := map[string][]string{}
	var after *string
	for {
		var q struct {
			Questions struct {
				Edges []struct {
					Node struct {
						ID     string
						Answer []string
					}
				}
				PageInfo struct {
					HasNextPage bool
					EndCursor   *string
				}
			}
		}
		if err := e.gql.do(ctx, admin, questionsQ, map[string]any{"b": b.Campaign.Bank.ID, "after": after}, &q); err != nil {
			return fmt.Errorf("questions of bank %s: %w", b.Campaign.Bank.ID, err)
		}
		for _, ed := range q.Questions.Edges {
			key[ed.Node.ID] = ed.Node.Answer
		}
		if !q.Questions.PageInfo.HasNextPage || q.Questions.PageInfo.EndCursor == nil {
			break
		}
		after = q.Questions.PageInfo.EndCursor
	}
	if len(key) == 0 {
		return fmt.Errorf("bank %s has no questions", b.Campaign.Bank.ID)
	}
	e.key = key
	e.progress("answer key: %d questions", len(key))
	return nil
}

// player is one virtual player: one guest session at a time, used by one
// goroutine at a time.
type player struct {
	n         int64 // 1, 2, … in creation order: decides standing sampling
	token     string
	submitted bool // this session has submitted once
	completed int  // attempts this session completed
	rng       *mrand.Rand
	standing  *standingTracker // this session's, when sampled
}

// newPlayers signs n players in, setupParallel at a time; failures are
// left out (and counted).
func (e *engine) newPlayers(ctx context.Context, n int) []*player {
	out := make([]*player, n)
	sem := make(chan struct{}, setupParallel)
	var wg sync.WaitGroup
	for i := range out {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			out[i] = e.newPlayer(ctx)
		})
	}
	wg.Wait()
	return slices.DeleteFunc(out, func(p *player) bool { return p == nil })
}

// newPlayer signs a new player in; nil when that fails.
func (e *engine) newPlayer(ctx context.Context) *player {
	n := e.players.Add(1)
	p := &player{n: n, rng: mrand.New(mrand.NewPCG(e.cfg.Seed, uint64(n)))}
	if err := e.signIn(ctx, p); err != nil {
		return nil
	}
	return p
}

// isSampled spreads StandingSample evenly over players: player n follows its
// standing when ⌊n·s⌋ > ⌊(n−1)·s⌋.
func (e *engine) isSampled(n int64) bool {
	s := e.cfg.StandingSample
	return s > 0 && math.Floor(float64(n)*s) > math.Floor(float64(n-1)*s)
}

// signIn gives p a new guest session (a unique nickname), and opens its
// standing subscription when p is sampled.
func (e *engine) signIn(ctx context.Context, p *player) error {
	nick := fmt.Sprintf("load-%s-%d", e.runID, e.guests())
	t := time.Now()
	var out struct{ SignInGuest struct{ Token string } }
	if err := e.gql.do(ctx, "", signInQ, map[string]any{"n": nick}, &out); err != nil {
		e.opFail(OpSignIn, codeOf(err))
		return err
	}
	e.ops[OpSignIn].ok(time.Since(t))
	e.signIns.Add(1)
	p.token, p.submitted, p.completed = out.SignInGuest.Token, false, 0
	if p.standing != nil {
		e.retire(p.standing)
	}
	p.standing = nil
	if e.isSampled(p.n) {
		p.standing = e.followStanding(ctx, p.token)
	}
	return nil
}

// guests numbers the run's guest nicknames.
func (e *engine) guests() int64 { return e.nicks.Add(1) }

// retire closes the standing subscription of a session the player left,
// once it has shown the session's last submit (or after Drain).
func (e *engine) retire(t *standingTracker) {
	e.retiring.Go(func() {
		deadline := time.Now().Add(e.cfg.Drain)
		for !t.sub.ended() && !t.caughtUp() && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		t.sub.close()
	})
}

// followStanding subscribes to the session's own standing; nil when that
// fails (counted).
func (e *engine) followStanding(ctx context.Context, token string) *standingTracker {
	e.sampled.Add(1)
	t := &standingTracker{}
	sub, first, err := e.subscribe(ctx, token, standingQ, map[string]any{"c": e.camp.ID}, wsHandlers{
		next: func(data json.RawMessage, at time.Time) {
			var v struct{ MyStandingUpdated struct{ Attempts int } }
			if json.Unmarshal(data, &v) == nil {
				t.saw(v.MyStandingUpdated.Attempts, at)
			}
		},
		fail: func(code string) { e.subFail(OpStanding, code) },
	})
	if err != nil {
		e.subFail(OpStanding, codeOf(err))
		return nil
	}
	var v struct{ MyStandingUpdated struct{ Attempts int } }
	if err := json.Unmarshal(first, &v); err == nil {
		t.mu.Lock()
		if len(t.seen) == 0 {
			t.seen = append(t.seen, countAt{v.MyStandingUpdated.Attempts, time.Now()})
		}
		t.mu.Unlock()
	}
	t.sub = sub
	e.mu.Lock()
	e.standings = append(e.standings, t)
	e.standingOpen++
	e.mu.Unlock()
	return t
}

// openBoards opens n leaderboardUpdated subscribers, setupParallel at a
// time, each waiting for its first value.
func (e *engine) openBoards(ctx context.Context, n int) {
	sem := make(chan struct{}, setupParallel)
	var wg sync.WaitGroup
	for range n {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			t := &boardTracker{}
			sub, first, err := e.subscribe(ctx, "", boardQ, map[string]any{"c": e.camp.ID}, wsHandlers{
				next: func(data json.RawMessage, at time.Time) {
					var v struct{ LeaderboardUpdated struct{ Total int } }
					if json.Unmarshal(data, &v) == nil {
						t.saw(v.LeaderboardUpdated.Total, at)
					}
				},
				fail: func(code string) { e.subFail(OpBoard, code) },
			})
			if err != nil {
				e.subFail(OpBoard, codeOf(err))
				return
			}
			var v struct{ LeaderboardUpdated struct{ Total int } }
			_ = json.Unmarshal(first, &v)
			t.mu.Lock()
			t.base = v.LeaderboardUpdated.Total
			t.mu.Unlock()
			t.sub = sub
			e.mu.Lock()
			e.boards = append(e.boards, t)
			e.boardOpen++
			e.mu.Unlock()
		})
	}
	wg.Wait()
}

type attemptView struct {
	ID        string
	Questions []questionView
}

type questionView struct {
	ID      string
	Kind    string
	Options []struct{ Key string }
}

type answerInput struct {
	QuestionID string   `json:"questionID"`
	Choices    []string `json:"choices"`
}

// attempt plays one attempt intended to begin at intended and reports
// whether it completed. On ATTEMPT_LIMIT_REACHED the player signs in as a
// new guest; retry then starts again at once (the open loop, whose arrival
// must still be served) instead of leaving it to the next round.
func (e *engine) attempt(ctx context.Context, p *player, intended time.Time, retry bool) bool {
	inWin := e.inWindow(intended)
	if inWin {
		e.started.Add(1)
	}
	vars := map[string]any{"c": e.camp.ID}
	var st struct{ StartAttempt attemptView }
	err := e.gql.do(ctx, p.token, startQ, vars, &st)
	if codeOf(err) == "ATTEMPT_LIMIT_REACHED" {
		e.opFail(OpStart, "ATTEMPT_LIMIT_REACHED")
		e.renewals.Add(1)
		if e.signIn(ctx, p) != nil || !retry {
			return false
		}
		err = e.gql.do(ctx, p.token, startQ, vars, &st)
	}
	started := time.Now()
	if err != nil {
		e.opFail(OpStart, codeOf(err))
		return false
	}
	if inWin {
		e.ops[OpStart].ok(started.Sub(intended))
	}
	if e.cfg.Think > 0 && !sleep(ctx, e.cfg.Think) {
		return false
	}
	ans := e.answers(p.rng, st.StartAttempt.Questions)
	sent := time.Now()
	var res struct {
		SubmitAttempt struct {
			Score    int
			Standing struct{ Attempts int }
		}
	}
	err = e.gql.do(ctx, p.token, submitQ, map[string]any{"a": st.StartAttempt.ID, "ans": ans}, &res)
	acked := time.Now()
	if err != nil {
		e.opFail(OpSubmit, codeOf(err))
		return false
	}
	score := res.SubmitAttempt.Score
	e.mu.Lock()
	if inWin {
		e.scoreSum += int64(score)
		e.scoreMin, e.scoreMax = min(e.scoreMin, score), max(e.scoreMax, score)
	}
	if !p.submitted {
		e.firstSubmits = append(e.firstSubmits, acked)
	}
	e.mu.Unlock()
	p.submitted = true
	if p.standing != nil {
		p.standing.ack(res.SubmitAttempt.Standing.Attempts, acked)
	}
	if inWin {
		e.ops[OpSubmit].ok(acked.Sub(sent))
		e.ops[OpAttempt].ok(acked.Sub(intended))
		e.completed.Add(1)
	}
	if e.inWindow(acked) {
		e.completedInWindow.Add(1)
	}
	p.completed++
	if n := e.cfg.AttemptsPerPlayer; n > 0 && p.completed >= n && ctx.Err() == nil && time.Now().Before(e.winEnd) {
		// After the attempt's measurements: a new participant's sign-in
		// is not part of this attempt. A failure leaves the old session.
		if e.signIn(ctx, p) == nil {
			e.rotations.Add(1)
		}
	}
	return true
}

// answers answers each question: with the key, correctly with probability
// Correct and otherwise with a wrong choice; without it, at random.
func (e *engine) answers(rng *mrand.Rand, qs []questionView) []answerInput {
	out := make([]answerInput, len(qs))
	for i, q := range qs {
		keys := make([]string, len(q.Options))
		for j, o := range q.Options {
			keys[j] = o.Key
		}
		if len(keys) == 0 {
			keys = []string{"A", "B"} // true/false shown without options
		}
		var choices []string
		if right, ok := e.key[q.ID]; ok {
			if rng.Float64() < e.cfg.Correct {
				choices = right
			} else {
				choices = wrongChoice(rng, q.Kind, keys, right)
			}
		} else {
			choices = randomChoice(rng, q.Kind, keys)
		}
		out[i] = answerInput{QuestionID: q.ID, Choices: choices}
	}
	return out
}

// randomChoice is one key, or for MULTIPLE a non-empty random subset.
func randomChoice(rng *mrand.Rand, kind string, keys []string) []string {
	if kind != "MULTIPLE" {
		return []string{keys[rng.IntN(len(keys))]}
	}
	for {
		var out []string
		for _, k := range keys {
			if rng.IntN(2) == 0 {
				out = append(out, k)
			}
		}
		if len(out) > 0 {
			return out
		}
	}
}

// wrongChoice is a random choice that is not the right set, when there is
// one.
func wrongChoice(rng *mrand.Rand, kind string, keys, right []string) []string {
	for range 16 {
		c := randomChoice(rng, kind, keys)
		if !sameSet(c, right) {
			return c
		}
	}
	return randomChoice(rng, kind, keys)
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}
