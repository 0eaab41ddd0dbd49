// Package loadgen drives virtual quiz players against a running prizequiz
// server over real HTTP and websockets, and measures it: completed
// attempts per second, latency percentiles (HDR histograms, microsecond
// resolution), errors by GraphQL code, and how late the live rankings
// arrive. It is the engine of `prizequiz load`.
//
// Two loops:
//   - closed: Concurrency players, each signing in once and then playing
//     start → think → submit back to back. Throughput is what the server
//     lets them do.
//   - open: attempts arrive at Rate per second, Poisson (exponential gaps)
//     or at a fixed interval, whatever the server's speed; each arrival
//     takes an idle player (signing a new one in when none is idle).
//     Latencies are measured from the arrival's intended time, so a
//     stalled server cannot hide its stall (no coordinated omission).
package loadgen

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"math"
	mrand "math/rand/v2"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// Modes of Config.Mode.
const (
	ModeClosed = "closed"
	ModeOpen   = "open"
)

// Arrival processes of Config.Arrival (open loop).
const (
	ArrivalPoisson = "poisson"
	ArrivalFixed   = "fixed"
)

// Config is one run. Zero values take the defaults noted.
type Config struct {
	// URL is the server's base address (http://host:port) or its GraphQL
	// endpoint (…/graphql).
	URL string
	// CampaignID is the campaign to play; "" plays the first of
	// activeCampaigns.
	CampaignID string
	// Mode is ModeClosed (default) or ModeOpen.
	Mode string

	// Rate is the open loop's attempts started per second.
	Rate float64
	// Arrival is ArrivalPoisson (default) or ArrivalFixed.
	Arrival string
	// MaxInFlight bounds the open loop's concurrent attempts (default
	// 10,000). An arrival over the bound waits, and its wait counts in its
	// latency.
	MaxInFlight int

	// Concurrency is the closed loop's number of players (default 1).
	Concurrency int

	// Duration is the measured window (default 10 s); Warmup runs before
	// it, unmeasured.
	Duration, Warmup time.Duration
	// Think is the time between a player's start and its submit.
	Think time.Duration

	// Correct is the share (0..1) of questions answered correctly. It
	// needs the answer key, read through the admin API with AdminUser
	// (default "admin") and AdminPassword; without a password the answers
	// are random.
	Correct                  float64
	AdminUser, AdminPassword string

	// AttemptsPerPlayer, when > 0, makes a player sign in as a new guest
	// after that many completed attempts, as real traffic is mostly new
	// participants; 0 keeps each player's first session for the whole run
	// (then leaderboard totals, and so leaderboardUpdated lag samples,
	// only grow while players submit their first attempt).
	AttemptsPerPlayer int

	// Subscribers is the number of leaderboardUpdated(first: 10)
	// websockets opened before the run.
	Subscribers int
	// StandingSample is the share (0..1) of player sessions that also
	// follow their own myStandingUpdated.
	StandingSample float64

	// Timeout bounds each request and websocket setup (default 30 s).
	Timeout time.Duration
	// Drain is how long in-flight attempts, and then subscriptions
	// catching up, may take after the window (default 10 s).
	Drain time.Duration
	// Seed makes the answers reproducible; 0 picks one at random.
	Seed uint64
	// HTTPClient overrides the shared client (default NewHTTPClient).
	HTTPClient *http.Client
	// Progress, when set, is told what the run is doing.
	Progress func(msg string)
}

func (c *Config) normalize() error {
	if c.URL == "" {
		c.URL = "http://127.0.0.1:8080"
	}
	u, err := url.Parse(c.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("url %q: want http://host:port", c.URL)
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = "/graphql"
	}
	c.URL = u.String()
	switch c.Mode {
	case "":
		c.Mode = ModeClosed
	case ModeClosed, ModeOpen:
	default:
		return fmt.Errorf("mode %q: open or closed", c.Mode)
	}
	switch c.Arrival {
	case "":
		c.Arrival = ArrivalPoisson
	case ArrivalPoisson, ArrivalFixed:
	default:
		return fmt.Errorf("arrival %q: poisson or fixed", c.Arrival)
	}
	if c.Mode == ModeOpen && !(c.Rate > 0) {
		return errors.New("open loop needs a rate > 0")
	}
	if c.Concurrency <= 0 {
		c.Concurrency = 1
	}
	if c.MaxInFlight <= 0 {
		c.MaxInFlight = 10_000
	}
	if c.Duration <= 0 {
		c.Duration = 10 * time.Second
	}
	if c.Warmup < 0 || c.Think < 0 {
		return errors.New("warmup and think must not be negative")
	}
	if c.Correct < 0 || c.Correct > 1 || c.StandingSample < 0 || c.StandingSample > 1 {
		return errors.New("correct and standing-sample are shares between 0 and 1")
	}
	if c.Subscribers < 0 || c.AttemptsPerPlayer < 0 {
		return errors.New("subscribers and attempts-per-player must not be negative")
	}
	if c.AdminUser == "" {
		c.AdminUser = "admin"
	}
	if c.Timeout <= 0 {
		c.Timeout = 30 * time.Second
	}
	if c.Drain <= 0 {
		c.Drain = 10 * time.Second
	}
	if c.Seed == 0 {
		c.Seed = mrand.Uint64()
	}
	return nil
}

// engine is one run in progress.
type engine struct {
	cfg   Config
	hc    *http.Client
	gql   *gqlClient
	wsURL string
	camp  CampaignInfo
	key   map[string][]string // question id → answer keys; nil: random answers
	runID string

	winStart, winEnd time.Time

	ops map[string]*opRec // fixed keys, each locked on its own

	arrivals, started, completed, completedInWindow atomic.Int64
	signIns, renewals, rotations, sampled           atomic.Int64
	players, nicks                                  atomic.Int64 // numbering players and guest nicknames
	rateLimited                                     atomic.Bool

	mu           sync.Mutex
	scoreSum     int64
	scoreMin     int
	scoreMax     int
	firstSubmits []time.Time // ack of each session's first submit
	standings    []*standingTracker
	boards       []*boardTracker
	subErrs      map[string]map[string]int64 // subscription kind → code → count
	boardOpen    int64
	standingOpen int64
	warnings     []string

	initial  []*player      // signed in before the run
	retiring sync.WaitGroup // closing the standing subscriptions of sessions players left
}

// Run plays cfg against the server and returns the report. It fails only
// when the run cannot start (bad config, server unreachable, no campaign);
// errors during the run are counted in the report. Cancelling ctx ends the
// run early with a report of what was measured.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if err := cfg.normalize(); err != nil {
		return nil, err
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = NewHTTPClient(cfg.Concurrency + cfg.Subscribers + min(cfg.MaxInFlight, int(cfg.Rate*2)+16))
	}
	var id [3]byte
	_, _ = rand.Read(id[:])
	e := &engine{
		cfg: cfg, hc: hc,
		gql:   newGQLClient(cfg.URL, cfg.Concurrency+cfg.Subscribers+min(cfg.MaxInFlight, int(cfg.Rate*2)+16), cfg.Timeout),
		wsURL: wsURL(cfg.URL),
		runID: hex.EncodeToString(id[:]),
		ops: map[string]*opRec{
			OpSignIn: newOpRec(), OpStart: newOpRec(), OpSubmit: newOpRec(), OpAttempt: newOpRec(),
		},
		subErrs:  map[string]map[string]int64{OpBoard: {}, OpStanding: {}},
		scoreMin: math.MaxInt,
	}
	defer func() { // also when setting up fails half way
		e.closeSubscriptions()
		e.retiring.Wait()
	}()
	if err := e.setUp(ctx); err != nil {
		return nil, err
	}

	interrupted := e.run(ctx)
	e.catchUp(ctx)
	e.closeSubscriptions()
	e.retiring.Wait()
	return e.report(interrupted), nil
}

func (e *engine) progress(format string, args ...any) {
	if e.cfg.Progress != nil {
		e.cfg.Progress(fmt.Sprintf(format, args...))
	}
}

func (e *engine) warn(format string, args ...any) {
	e.mu.Lock()
	e.warnings = append(e.warnings, fmt.Sprintf(format, args...))
	e.mu.Unlock()
}

// setUp finds the campaign and answer key, opens the leaderboard
// subscribers and signs the first players in (the closed loop's all of
// them, the open loop's initial idle pool).
func (e *engine) setUp(ctx context.Context) error {
	if err := e.findCampaign(ctx); err != nil {
		return err
	}
	if e.cfg.AdminPassword != "" {
		if err := e.loadAnswerKey(ctx); err != nil {
			return err
		}
	} else if e.cfg.Correct > 0 {
		e.warn("--correct %.2f ignored: without --admin-password there is no answer key, answers are random", e.cfg.Correct)
	}
	if n := e.cfg.Subscribers; n > 0 {
		e.progress("opening %d leaderboardUpdated subscribers", n)
		e.openBoards(ctx, n)
		if e.boardOpen == 0 {
			return fmt.Errorf("no leaderboardUpdated subscriber could open: %v", e.subErrs[OpBoard])
		}
	}
	n := e.cfg.Concurrency
	if e.cfg.Mode == ModeOpen {
		// Enough idle players for about a quarter second's arrivals (plus
		// think time); the pool grows when the server is slower.
		n = min(e.cfg.MaxInFlight, int(math.Ceil(e.cfg.Rate*(0.25+e.cfg.Think.Seconds())))+4)
	}
	e.progress("signing in %d players", n)
	e.initial = e.newPlayers(ctx, n)
	if len(e.initial) == 0 {
		return fmt.Errorf("no player could sign in: %v", e.ops[OpSignIn].report().Errors)
	}
	if len(e.initial) < n {
		e.warn("%d of %d players could not sign in before the run", n-len(e.initial), n)
	}
	return nil
}

// run plays the loop and reports whether ctx cut it short.
func (e *engine) run(ctx context.Context) (interrupted bool) {
	// Requests still running after the window get Drain to finish.
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()

	players := e.initial
	t0 := time.Now()
	e.winStart = t0.Add(e.cfg.Warmup)
	e.winEnd = e.winStart.Add(e.cfg.Duration)
	e.progress("running %v warmup + %v measured", e.cfg.Warmup, e.cfg.Duration)

	var wg sync.WaitGroup
	if e.cfg.Mode == ModeClosed {
		for _, p := range players {
			wg.Go(func() { e.closedLoop(runCtx, p) })
		}
	} else {
		wg.Go(func() { e.openLoop(runCtx, players, t0, &wg) })
	}

	finished := make(chan struct{})
	go func() { wg.Wait(); close(finished) }()
	select {
	case <-finished:
	case <-ctx.Done():
	case <-time.After(time.Until(e.winEnd.Add(e.cfg.Drain))):
		e.warn("attempts still in flight %v after the window were aborted", e.cfg.Drain)
	}
	cancel()
	<-finished
	if ctx.Err() != nil && time.Now().Before(e.winEnd) {
		e.winEnd = time.Now()
		if e.winEnd.Before(e.winStart) {
			e.winEnd = e.winStart
		}
		return true
	}
	return ctx.Err() != nil
}

// closedLoop is one player playing until the window ends.
func (e *engine) closedLoop(ctx context.Context, p *player) {
	if p == nil {
		return
	}
	fails := 0
	for ctx.Err() == nil {
		now := time.Now()
		if !now.Before(e.winEnd) {
			return
		}
		if e.attempt(ctx, p, now, false) {
			fails = 0
			continue
		}
		// Do not hammer a failing server: back off 10 ms, doubling to 1 s.
		fails++
		sleep(ctx, min(time.Duration(1<<min(fails-1, 7))*10*time.Millisecond, time.Second))
	}
}

// openLoop schedules arrivals from t0 until the window ends.
func (e *engine) openLoop(ctx context.Context, idle []*player, t0 time.Time, wg *sync.WaitGroup) {
	pool := &playerPool{idle: idle}
	inflight := make(chan struct{}, e.cfg.MaxInFlight)
	rng := mrand.New(mrand.NewPCG(e.cfg.Seed, 0x6f70656e))
	gap := func() time.Duration {
		if e.cfg.Arrival == ArrivalFixed {
			return time.Duration(float64(time.Second) / e.cfg.Rate)
		}
		return time.Duration(rng.ExpFloat64() / e.cfg.Rate * float64(time.Second))
	}
	next := t0
	if e.cfg.Arrival == ArrivalPoisson {
		next = t0.Add(gap())
	}
	for ; next.Before(e.winEnd); next = next.Add(gap()) {
		if !sleep(ctx, time.Until(next)) {
			return
		}
		intended := next
		if e.inWindow(intended) {
			e.arrivals.Add(1)
		}
		wg.Go(func() {
			select {
			case inflight <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-inflight }()
			p := pool.get()
			if p == nil {
				if p = e.newPlayer(ctx); p == nil {
					if e.inWindow(intended) {
						e.started.Add(1) // an arrival that could not even sign in
					}
					return
				}
			}
			e.attempt(ctx, p, intended, true)
			pool.put(p)
		})
	}
}

// playerPool holds the open loop's idle players.
type playerPool struct {
	mu   sync.Mutex
	idle []*player
}

// get takes the longest idle player (first in, first out, so every player
// plays, sampled or not), nil when none is idle.
func (p *playerPool) get() *player {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.idle) == 0 {
		return nil
	}
	x := p.idle[0]
	p.idle[0] = nil
	p.idle = p.idle[1:]
	return x
}

func (p *playerPool) put(x *player) {
	p.mu.Lock()
	p.idle = append(p.idle, x)
	p.mu.Unlock()
}

func (e *engine) inWindow(t time.Time) bool {
	return !t.Before(e.winStart) && t.Before(e.winEnd)
}

// catchUp waits, up to Drain, until every subscription has shown every
// acknowledged submit.
func (e *engine) catchUp(ctx context.Context) {
	e.mu.Lock()
	boards, standings, n := e.boards, e.standings, len(e.firstSubmits)
	e.mu.Unlock()
	if len(boards) == 0 && len(standings) == 0 {
		return
	}
	deadline := time.Now().Add(e.cfg.Drain)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		done := true
		for _, b := range boards {
			if !b.sub.ended() && b.max() < b.base+n {
				done = false
				break
			}
		}
		for _, s := range standings {
			if !done {
				break
			}
			if !s.sub.ended() && !s.caughtUp() {
				done = false
			}
		}
		if done {
			return
		}
		sleep(ctx, 20*time.Millisecond)
	}
}

// closeSubscriptions ends every websocket, a few hundred at a time.
func (e *engine) closeSubscriptions() {
	e.mu.Lock()
	var subs []*subscription
	for _, b := range e.boards {
		if b.sub != nil {
			subs = append(subs, b.sub)
		}
	}
	for _, s := range e.standings {
		if s.sub != nil {
			subs = append(subs, s.sub)
		}
	}
	e.mu.Unlock()
	sem := make(chan struct{}, 256)
	var wg sync.WaitGroup
	for _, s := range subs {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			s.close()
		})
	}
	wg.Wait()
}

func (e *engine) subFail(kind, code string) {
	e.mu.Lock()
	e.subErrs[kind][code]++
	e.mu.Unlock()
	if code == "RATE_LIMITED" {
		e.rateLimited.Store(true)
	}
}

func (e *engine) opFail(op, code string) {
	e.ops[op].fail(code)
	if code == "RATE_LIMITED" {
		e.rateLimited.Store(true)
	}
}

func (e *engine) report(interrupted bool) *Report {
	r := &Report{
		Mode: e.cfg.Mode, URL: e.cfg.URL, Campaign: e.camp,
		Think: e.cfg.Think, Warmup: e.cfg.Warmup, Window: e.winEnd.Sub(e.winStart),
		Interrupted: interrupted,
		Answers:     "random",
		Arrivals:    e.arrivals.Load(),
		Started:     e.started.Load(), Completed: e.completed.Load(),
		CompletedInWindow: e.completedInWindow.Load(),
		Players: Players{SignIns: e.signIns.Load(), Renewals: e.renewals.Load(),
			Rotations: e.rotations.Load(), Sampled: e.sampled.Load()},
		Ops:           map[string]OpReport{},
		Subscriptions: map[string]SubReport{},
		RateLimited:   e.rateLimited.Load(),
	}
	if e.key != nil {
		r.Answers, r.Correct = "key", e.cfg.Correct
	}
	if e.cfg.Mode == ModeOpen {
		r.Arrival, r.Rate = e.cfg.Arrival, e.cfg.Rate
	} else {
		r.Concurrency = e.cfg.Concurrency
	}
	r.PerSecond = perSec(r.CompletedInWindow, r.Window)
	for op, o := range e.ops {
		r.Ops[op] = o.report()
	}

	e.mu.Lock()
	defer e.mu.Unlock()
	r.Players.Ranked = int64(len(e.firstSubmits))
	r.Score.Possible = e.camp.QuestionsPerAttempt * e.camp.PointsPerQuestion
	if r.Completed > 0 {
		r.Score.Mean = float64(e.scoreSum) / float64(r.Completed)
		r.Score.Min, r.Score.Max = e.scoreMin, e.scoreMax
	}
	if e.cfg.Subscribers > 0 {
		l := boardLags(e.boards, e.firstSubmits, e.winStart)
		s := SubReport{Asked: int64(e.cfg.Subscribers), Opened: e.boardOpen, Errors: maps.Clone(e.subErrs[OpBoard]),
			Lag: summarize(l.h), Early: l.early, Missed: l.missed}
		for _, b := range e.boards {
			s.Updates += b.updates
		}
		r.Subscriptions[OpBoard] = s
		if s.Opened > 0 && s.Lag.Count == 0 && s.Missed == 0 {
			r.Warnings = append(r.Warnings, "no leaderboardUpdated lag sample: no new player submitted in the window; --attempts-per-player keeps new players coming")
		}
	}
	if e.cfg.StandingSample > 0 {
		l := standingLags(e.standings, e.winStart)
		s := SubReport{Asked: r.Players.Sampled, Opened: e.standingOpen, Errors: maps.Clone(e.subErrs[OpStanding]),
			Lag: summarize(l.h), Early: l.early, Missed: l.missed}
		for _, t := range e.standings {
			s.Updates += t.updates
		}
		r.Subscriptions[OpStanding] = s
	}
	r.Warnings = append(r.Warnings, e.warnings...)
	if r.Completed == 0 {
		r.Warnings = append(r.Warnings, "no attempt completed in the window")
	}
	if r.Ops[OpStart].Errors["ATTEMPT_LIMIT_REACHED"] > 0 {
		r.Warnings = append(r.Warnings, fmt.Sprintf("the campaign's daily limit is %s attempts: players that reached it signed in again as new guests (those ATTEMPT_LIMIT_REACHED are expected)",
			limitText(e.camp.MaxAttemptsPerDay)))
	}
	return r
}

func limitText(n *int) string {
	if n == nil {
		return "unlimited"
	}
	return fmt.Sprint(*n)
}

// sleep waits d or until ctx ends, and reports whether the wait was whole.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
