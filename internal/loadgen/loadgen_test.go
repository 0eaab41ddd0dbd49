package loadgen_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"prizequiz/graph"
	"prizequiz/internal/bank"
	"prizequiz/internal/campaigns"
	"prizequiz/internal/clock"
	"prizequiz/internal/demo"
	"prizequiz/internal/loadgen"
	"prizequiz/internal/server"
	"prizequiz/internal/store/storetest"
)

const adminPassword = "load-test-password"

// target is a real server on a fresh SQLite database with one active
// campaign drawing from the demo bank (single, multiple and true/false
// questions).
type target struct {
	url        string
	campaignID string
}

// newTarget starts the server; rules edits the campaign, tweak the server
// configuration (rate limits are off unless tweak turns them on).
func newTarget(t *testing.T, rules func(*campaigns.Input), tweak func(*server.Config)) target {
	t.Helper()
	ctx := context.Background()
	db := storetest.SQLite(t)
	log := slog.New(slog.DiscardHandler)
	res := graph.NewResolver(db, clock.Real{})
	if err := res.Auth.BootstrapAdmin(ctx, adminPassword, log); err != nil {
		t.Fatal(err)
	}
	b, err := res.Banks.CreateBank(ctx, bank.BankInput{Name: "load bank"})
	if err != nil {
		t.Fatal(err)
	}
	qs, err := demo.Questions(b.ID)
	if err != nil {
		t.Fatal(err)
	}
	perKind := map[string]int{}
	for _, q := range qs {
		if perKind[string(q.Kind)]++; perKind[string(q.Kind)] > 4 {
			continue // four of each kind is plenty, and quicker to set up
		}
		if _, err := res.Banks.CreateQuestion(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if len(perKind) != 3 {
		t.Fatalf("demo questions of kinds %v, want all three", perKind)
	}
	now := time.Now()
	in := campaigns.Input{Name: "load test", BankID: b.ID, StartsAt: now.Add(-time.Minute), EndsAt: now.Add(24 * time.Hour)}
	if rules != nil {
		rules(&in)
	}
	c, err := res.CampaignSvc.Create(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	cfg := server.DefaultConfig()
	cfg.RateLimits.Off = true
	if tweak != nil {
		tweak(&cfg)
	}
	// As serve does: the change feed also applies this process's writes
	// that raced the first load of a campaign's rank index.
	feedCtx, stopFeed := context.WithCancel(context.Background())
	feedDone := make(chan struct{})
	go func() { defer close(feedDone); _ = res.Ranks.Run(feedCtx) }()
	t.Cleanup(func() { stopFeed(); <-feedDone })
	srv := httptest.NewServer(server.New(cfg, db, res, log))
	t.Cleanup(srv.Close)
	return target{url: srv.URL, campaignID: strconv.Itoa(c.ID)}
}

// leaderboard reads the campaign's public ranking once it ranks want
// participants, or after 5 s whatever it ranks: the ranking is eventually
// consistent (a write racing an index load arrives through the feed).
func (tg target) leaderboard(t *testing.T, want int) (total int, scores []int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		total, scores = tg.readLeaderboard(t)
		if total == want || time.Now().After(deadline) {
			return total, scores
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (tg target) readLeaderboard(t *testing.T) (total int, scores []int) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{
		"query":     `query($c:ID!){leaderboard(campaignID:$c,first:100){total entries{score}}}`,
		"variables": map[string]any{"c": tg.campaignID},
	})
	resp, err := http.Post(tg.url+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Data struct {
			Leaderboard struct {
				Total   int
				Entries []struct{ Score int }
			}
		}
		Errors []any
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || len(out.Errors) > 0 {
		t.Fatalf("leaderboard: %v %v", err, out.Errors)
	}
	for _, e := range out.Data.Leaderboard.Entries {
		scores = append(scores, e.Score)
	}
	return out.Data.Leaderboard.Total, scores
}

func run(t *testing.T, cfg loadgen.Config) *loadgen.Report {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rep, err := loadgen.Run(ctx, cfg)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return rep
}

func text(t *testing.T, rep *loadgen.Report) string {
	t.Helper()
	var b strings.Builder
	if err := rep.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestClosedLoop(t *testing.T) {
	tg := newTarget(t, nil, nil)
	const players, subscribers = 4, 2
	rep := run(t, loadgen.Config{
		URL: tg.url, Mode: loadgen.ModeClosed, Concurrency: players,
		Duration: 1500 * time.Millisecond, Subscribers: subscribers, StandingSample: 1,
		Correct: 0.8, AdminPassword: adminPassword, Seed: 1,
	})
	out := text(t, rep)
	t.Log("\n" + out)

	if n := rep.Errors(); n != 0 {
		t.Fatalf("%d errors", n)
	}
	if rep.Campaign.ID != tg.campaignID {
		t.Errorf("played campaign %s, want the only active one %s", rep.Campaign.ID, tg.campaignID)
	}
	if rep.Started == 0 || rep.Completed == 0 || rep.Completed > rep.Started || rep.Started-rep.Completed > 0 {
		t.Errorf("started %d, completed %d: want every started attempt completed", rep.Started, rep.Completed)
	}
	if rep.CompletedInWindow == 0 || rep.CompletedInWindow > rep.Completed {
		t.Errorf("completed in window %d of %d", rep.CompletedInWindow, rep.Completed)
	}
	if want := float64(rep.CompletedInWindow) / rep.Window.Seconds(); math.Abs(rep.PerSecond-want) > 1e-9 {
		t.Errorf("per second %v, want %v", rep.PerSecond, want)
	}
	for _, op := range []string{loadgen.OpStart, loadgen.OpSubmit, loadgen.OpAttempt} {
		l := rep.Ops[op].Latency
		if l.Count != rep.Completed {
			t.Errorf("%s: %d latencies, want one per completed attempt (%d)", op, l.Count, rep.Completed)
		}
		if !(0 < l.P50 && l.P50 <= l.P90 && l.P90 <= l.P99 && l.P99 <= l.Max) {
			t.Errorf("%s: percentiles out of order: %+v", op, l)
		}
	}
	if a, s := rep.Ops[loadgen.OpAttempt].Latency, rep.Ops[loadgen.OpStart].Latency; a.Max < s.Max || a.P50 < s.P50 {
		t.Errorf("whole attempt %+v shorter than its start %+v", a, s)
	}
	if l := rep.Ops[loadgen.OpSignIn].Latency; l.Count != players || rep.Players.SignIns != players {
		t.Errorf("sign-ins: %d timed, %d counted; want %d", l.Count, rep.Players.SignIns, players)
	}
	if rep.Score.Possible != 100 || rep.Score.Mean <= 0 || rep.Score.Mean >= 100 || rep.Score.Min > rep.Score.Max {
		t.Errorf("scores %+v: want 80%% correct of 100", rep.Score)
	}

	// Every player follows its standing: each submit is one exact lag.
	st := rep.Subscriptions[loadgen.OpStanding]
	if st.Opened != players || st.Asked != players {
		t.Errorf("standing subscriptions %d/%d, want %d", st.Opened, st.Asked, players)
	}
	if st.Lag.Count+st.Missed != rep.Completed || st.Missed != 0 {
		t.Errorf("standing lags %d + missed %d, want one per submit (%d)", st.Lag.Count, st.Missed, rep.Completed)
	}
	if st.Updates == 0 || st.Lag.Max > 10*time.Second {
		t.Errorf("standing updates %d, lag %+v", st.Updates, st.Lag)
	}
	// Each subscriber sees each player's first submit once.
	lb := rep.Subscriptions[loadgen.OpBoard]
	if lb.Opened != subscribers || lb.Lag.Count+lb.Missed != players*subscribers || lb.Missed != 0 {
		t.Errorf("leaderboard: %d/%d open, %d lags, %d missed; want %d lags", lb.Opened, lb.Asked, lb.Lag.Count, lb.Missed, players*subscribers)
	}
	if total, _ := tg.leaderboard(t, players); total != players || rep.Players.Ranked != players {
		t.Errorf("server ranks %d players, the report %d; want %d", total, rep.Players.Ranked, players)
	}

	for _, want := range []string{"closed loop, 4 players", "throughput", "startAttempt", "leaderboardUpdated", "errors (whole run, by code): none"} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q", want)
		}
	}
	raw, err := rep.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var j struct {
		Mode      string
		Completed int64
		PerSecond float64
		Ops       map[string]struct {
			Latency struct {
				Count int64
				P99Ms float64
			}
		}
		Subscriptions map[string]struct{ Lag struct{ Count int64 } }
		WindowSeconds float64
	}
	if err := json.Unmarshal(raw, &j); err != nil {
		t.Fatal(err)
	}
	if j.Mode != "closed" || j.Completed != rep.Completed || j.PerSecond != rep.PerSecond || j.WindowSeconds != 1.5 ||
		j.Ops["attempt"].Latency.Count != rep.Completed || j.Ops["attempt"].Latency.P99Ms <= 0 ||
		j.Subscriptions["myStandingUpdated"].Lag.Count != st.Lag.Count {
		t.Errorf("JSON report disagrees: %s", raw)
	}
}

// TestCorrectShare: with the answer key, --correct 1 scores every attempt
// full marks and --correct 0 none, as the server's leaderboard shows.
func TestCorrectShare(t *testing.T) {
	for _, tc := range []struct {
		correct float64
		score   int
	}{{1, 100}, {0, 0}} {
		t.Run(strconv.FormatFloat(tc.correct, 'f', -1, 64), func(t *testing.T) {
			tg := newTarget(t, nil, nil)
			rep := run(t, loadgen.Config{
				URL: tg.url, CampaignID: tg.campaignID, Concurrency: 3, Duration: time.Second,
				Correct: tc.correct, AdminPassword: adminPassword,
			})
			if rep.Answers != "key" || rep.Completed == 0 || rep.Errors() != 0 {
				t.Fatalf("answers %s, completed %d, errors %d", rep.Answers, rep.Completed, rep.Errors())
			}
			if rep.Score.Min != tc.score || rep.Score.Max != tc.score {
				t.Errorf("scores %+v, want all %d", rep.Score, tc.score)
			}
			total, scores := tg.leaderboard(t, 3)
			if total != 3 || len(scores) != 3 {
				t.Fatalf("leaderboard total %d, entries %v; want the 3 players", total, scores)
			}
			for _, s := range scores {
				if s != tc.score {
					t.Errorf("leaderboard scores %v, want all %d", scores, tc.score)
					break
				}
			}
		})
	}
}

// TestOpenLoopArrivals: the open loop starts rate × duration attempts
// whatever the server does, and serves them all.
func TestOpenLoopArrivals(t *testing.T) {
	tg := newTarget(t, nil, nil)
	for _, tc := range []struct {
		arrival  string
		rate     float64
		duration time.Duration
		lo, hi   int64
	}{
		// Fixed: one arrival every 100 ms from the window's start.
		{loadgen.ArrivalFixed, 10, 1500 * time.Millisecond, 15, 15},
		// Poisson: 40 expected, ±4 standard deviations (√40 ≈ 6.3).
		{loadgen.ArrivalPoisson, 20, 2 * time.Second, 15, 65},
	} {
		t.Run(tc.arrival, func(t *testing.T) {
			rep := run(t, loadgen.Config{
				URL: tg.url, CampaignID: tg.campaignID, Mode: loadgen.ModeOpen, Arrival: tc.arrival,
				Rate: tc.rate, Duration: tc.duration, Warmup: 200 * time.Millisecond,
			})
			t.Log("\n" + text(t, rep))
			if rep.Arrivals < tc.lo || rep.Arrivals > tc.hi {
				t.Errorf("%d arrivals, want %d..%d", rep.Arrivals, tc.lo, tc.hi)
			}
			if rep.Started != rep.Arrivals || rep.Completed != rep.Started || rep.Errors() != 0 {
				t.Errorf("arrivals %d, started %d, completed %d, errors %d", rep.Arrivals, rep.Started, rep.Completed, rep.Errors())
			}
			if l := rep.Ops[loadgen.OpAttempt].Latency; l.Count != rep.Completed {
				t.Errorf("%d attempt latencies, want %d", l.Count, rep.Completed)
			}
			if rep.Answers != "random" || rep.Mode != loadgen.ModeOpen || rep.Rate != tc.rate || rep.Arrival != tc.arrival {
				t.Errorf("report settings %+v", rep)
			}
		})
	}
}

// TestAttemptLimit: players that reach the campaign's daily limit sign in
// again as new guests and keep playing.
func TestAttemptLimit(t *testing.T) {
	limit := 1
	tg := newTarget(t, func(in *campaigns.Input) { in.MaxAttemptsPerDay = &limit }, nil)
	rep := run(t, loadgen.Config{URL: tg.url, CampaignID: tg.campaignID, Concurrency: 2, Duration: 2 * time.Second})
	t.Log("\n" + text(t, rep))
	limited := rep.Ops[loadgen.OpStart].Errors["ATTEMPT_LIMIT_REACHED"]
	if limited == 0 || rep.Players.Renewals != limited || rep.Players.SignIns != 2+rep.Players.Renewals {
		t.Errorf("limited %d, renewals %d, sign-ins %d", limited, rep.Players.Renewals, rep.Players.SignIns)
	}
	if rep.Errors() != limited {
		t.Errorf("%d errors besides ATTEMPT_LIMIT_REACHED", rep.Errors()-limited)
	}
	if rep.Completed <= int64(2*limit) {
		t.Errorf("completed %d: the players stopped at the limit", rep.Completed)
	}
	// Each session plays once; the last ones may not have got to it.
	if r := rep.Players.Ranked; r < rep.Players.SignIns-2 || r > rep.Players.SignIns || r != rep.Completed {
		t.Errorf("%d sessions ranked of %d, %d attempts completed", r, rep.Players.SignIns, rep.Completed)
	}
	if total, _ := tg.leaderboard(t, int(rep.Players.Ranked)); int64(total) != rep.Players.Ranked {
		t.Errorf("server ranks %d participants, want one per session that played (%d)", total, rep.Players.Ranked)
	}
}

// TestAttemptsPerPlayer: rotating sessions keeps new players coming, so
// leaderboard lags are sampled all through the window.
func TestAttemptsPerPlayer(t *testing.T) {
	tg := newTarget(t, nil, nil)
	rep := run(t, loadgen.Config{
		URL: tg.url, CampaignID: tg.campaignID, Concurrency: 2, Duration: time.Second,
		Warmup: 300 * time.Millisecond, AttemptsPerPlayer: 1, Subscribers: 1, StandingSample: 0.5,
	})
	t.Log("\n" + text(t, rep))
	if rep.Errors() != 0 || rep.Players.Rotations == 0 || rep.Players.SignIns != 2+rep.Players.Rotations {
		t.Errorf("errors %d, rotations %d, sign-ins %d", rep.Errors(), rep.Players.Rotations, rep.Players.SignIns)
	}
	lb := rep.Subscriptions[loadgen.OpBoard]
	if lb.Lag.Count == 0 || lb.Missed != 0 {
		t.Errorf("leaderboard lags %d, missed %d", lb.Lag.Count, lb.Missed)
	}
	st := rep.Subscriptions[loadgen.OpStanding]
	if st.Asked == 0 || st.Asked != st.Opened || st.Lag.Count == 0 || st.Missed != 0 {
		t.Errorf("standing %+v", st)
	}
}

// TestRateLimited: a server with its rate limits on is detected and named.
func TestRateLimited(t *testing.T) {
	tg := newTarget(t, nil, func(c *server.Config) {
		c.RateLimits = server.DefaultRateLimits()
		c.RateLimits.Play.Burst = 4
	})
	rep := run(t, loadgen.Config{URL: tg.url, CampaignID: tg.campaignID, Concurrency: 1, Duration: time.Second})
	if !rep.RateLimited || rep.Ops[loadgen.OpStart].Errors["RATE_LIMITED"]+rep.Ops[loadgen.OpSubmit].Errors["RATE_LIMITED"] == 0 {
		t.Fatalf("rate limited %v, errors %v %v", rep.RateLimited, rep.Ops[loadgen.OpStart].Errors, rep.Ops[loadgen.OpSubmit].Errors)
	}
	if out := text(t, rep); !strings.Contains(out, "--rate-limits=false") {
		t.Errorf("report does not say how to turn the limits off:\n%s", out)
	}
}

// TestRunFails: a run that cannot start says why, before playing.
func TestRunFails(t *testing.T) {
	tg := newTarget(t, nil, nil)
	for _, tc := range []struct {
		name string
		cfg  loadgen.Config
		want string
	}{
		{"bad mode", loadgen.Config{URL: tg.url, Mode: "sideways"}, "mode"},
		{"open without rate", loadgen.Config{URL: tg.url, Mode: loadgen.ModeOpen}, "rate"},
		{"bad arrival", loadgen.Config{URL: tg.url, Mode: loadgen.ModeOpen, Rate: 1, Arrival: "bursty"}, "arrival"},
		{"correct over 1", loadgen.Config{URL: tg.url, Correct: 1.5}, "share"},
		{"bad url", loadgen.Config{URL: "ftp://x"}, "url"},
		{"unknown campaign", loadgen.Config{URL: tg.url, CampaignID: "999999"}, "not found"},
		{"not an id", loadgen.Config{URL: tg.url, CampaignID: "abc"}, "NOT_FOUND"},
		{"wrong admin password", loadgen.Config{URL: tg.url, AdminPassword: "nope-nope"}, "adminSignIn"},
		{"no server", loadgen.Config{URL: "http://127.0.0.1:1", Timeout: 2 * time.Second}, "TRANSPORT"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := loadgen.Run(context.Background(), tc.cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, %v; want an error about %q", rep, err, tc.want)
			}
		})
	}
}

// TestInterrupted: cancelling the run ends it early with what it measured.
func TestInterrupted(t *testing.T) {
	tg := newTarget(t, nil, nil)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(700*time.Millisecond, cancel)
	start := time.Now()
	rep, err := loadgen.Run(ctx, loadgen.Config{URL: tg.url, Concurrency: 2, Duration: time.Minute, Subscribers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 15*time.Second {
		t.Errorf("interrupted run took %v", took)
	}
	if !rep.Interrupted || rep.Window >= time.Minute || rep.Window <= 0 || rep.Completed == 0 {
		t.Errorf("interrupted %v, window %v, completed %d", rep.Interrupted, rep.Window, rep.Completed)
	}
	if !strings.Contains(text(t, rep), "(interrupted)") {
		t.Error("text report does not say the run was interrupted")
	}
}
