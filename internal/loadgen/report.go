package loadgen

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Operation names used as keys of Report.Ops and Report.Subscriptions.
const (
	OpSignIn   = "signInGuest"
	OpStart    = "startAttempt"
	OpSubmit   = "submitAttempt"
	OpAttempt  = "attempt" // start → (think) → submit, as one
	OpBoard    = "leaderboardUpdated"
	OpStanding = "myStandingUpdated"
)

// Report is the outcome of a run.
//
// The measured window is [warmup end, warmup end + duration). An attempt
// belongs to it when its intended start does (open loop: its scheduled
// arrival; closed loop: the moment the player begins it); its latencies
// count even if it ends during the drain after the window. Errors are
// counted over the whole run, warmup and drain included; signInGuest
// latencies too (most sign-ins happen before the run starts).
type Report struct {
	Mode        string        `json:"mode"`
	URL         string        `json:"url"`
	Campaign    CampaignInfo  `json:"campaign"`
	Arrival     string        `json:"arrival,omitempty"`     // open loop
	Rate        float64       `json:"rate,omitempty"`        // open loop: arrivals per second asked for
	Concurrency int           `json:"concurrency,omitempty"` // closed loop
	Think       time.Duration `json:"-"`
	Warmup      time.Duration `json:"-"`
	// Window is the measured window's length: Config.Duration, or less
	// when the run was interrupted.
	Window      time.Duration `json:"-"`
	Interrupted bool          `json:"interrupted,omitempty"`
	// Answers is "key" (the admin API's answer key, Correct of them right)
	// or "random".
	Answers string  `json:"answers"`
	Correct float64 `json:"correct"`

	// Arrivals are the open loop's arrivals scheduled in the window.
	Arrivals int64 `json:"arrivals,omitempty"`
	// Started are attempts begun in the window; Completed those of them
	// whose start and submit both succeeded.
	Started   int64 `json:"started"`
	Completed int64 `json:"completed"`
	// CompletedInWindow are attempts (of any start time) whose submit was
	// acknowledged inside the window; PerSecond is that over Window.
	CompletedInWindow int64   `json:"completedInWindow"`
	PerSecond         float64 `json:"perSecond"`
	Score             Scores  `json:"score"`
	Players           Players `json:"players"`

	// Ops are latencies (from the intended start for startAttempt and
	// attempt) and errors by code of the HTTP operations.
	Ops map[string]OpReport `json:"ops"`
	// Subscriptions are the websocket subscribers and their delivery lags.
	Subscriptions map[string]SubReport `json:"subscriptions"`
	// RateLimited is set when the server answered RATE_LIMITED: it runs
	// with rate limits on, and the figures measure the limiter.
	RateLimited bool     `json:"rateLimited"`
	Warnings    []string `json:"warnings,omitempty"`
}

// CampaignInfo is what the run learned about the campaign it played.
type CampaignInfo struct {
	ID                  string `json:"id"`
	Name                string `json:"name"`
	QuestionsPerAttempt int    `json:"questionsPerAttempt"`
	PointsPerQuestion   int    `json:"pointsPerQuestion"`
	TimeLimitSeconds    int    `json:"timeLimitSeconds"`
	MaxAttemptsPerDay   *int   `json:"maxAttemptsPerDay"`
	RankingMode         string `json:"rankingMode"`
}

// Scores are the scores of the window's completed attempts.
type Scores struct {
	Mean     float64 `json:"mean"`
	Min      int     `json:"min"`
	Max      int     `json:"max"`
	Possible int     `json:"possible"`
}

// Players counts the virtual players' guest sessions.
type Players struct {
	// SignIns are successful signInGuest calls (a player that reached the
	// daily attempt limit signs in again as a new guest).
	SignIns int64 `json:"signIns"`
	// Renewals are sign-ins made because of ATTEMPT_LIMIT_REACHED.
	Renewals int64 `json:"renewals"`
	// Rotations are sign-ins made after Config.AttemptsPerPlayer attempts.
	Rotations int64 `json:"rotations"`
	// Ranked are sessions that submitted at least once: the participants
	// this run added to the ranking.
	Ranked int64 `json:"ranked"`
	// Sampled are sessions that followed their own myStandingUpdated.
	Sampled int64 `json:"sampled"`
}

// OpReport is one HTTP operation.
type OpReport struct {
	Latency Latency          `json:"latency"`
	Errors  map[string]int64 `json:"errors"`
}

// SubReport is one kind of subscription.
type SubReport struct {
	// Asked is how many were to be opened; Opened how many got their
	// first value.
	Asked  int64 `json:"asked"`
	Opened int64 `json:"opened"`
	// Updates are values received after the first.
	Updates int64 `json:"updates"`
	// Lag is the delivery lag of each correlated submit (see Report.WriteText
	// and boardLags); Early of them arrived before the HTTP ack and count
	// as 0, Missed were never seen before the subscriptions closed.
	Lag    Latency          `json:"lag"`
	Early  int64            `json:"early"`
	Missed int64            `json:"missed"`
	Errors map[string]int64 `json:"errors"`
}

// Errors sums the errors of every operation and subscription.
func (r *Report) Errors() int64 {
	var n int64
	for _, o := range r.Ops {
		for _, c := range o.Errors {
			n += c
		}
	}
	for _, s := range r.Subscriptions {
		for _, c := range s.Errors {
			n += c
		}
	}
	return n
}

// JSON is the machine-readable report (durations in seconds or ms, as the
// field names say).
func (r *Report) JSON() ([]byte, error) {
	type plain Report
	return json.MarshalIndent(struct {
		*plain
		ThinkSeconds  float64 `json:"thinkSeconds"`
		WarmupSeconds float64 `json:"warmupSeconds"`
		WindowSeconds float64 `json:"windowSeconds"`
	}{(*plain)(r), r.Think.Seconds(), r.Warmup.Seconds(), r.Window.Seconds()}, "", "  ")
}

// WriteText writes the report for people.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }

	switch r.Mode {
	case ModeOpen:
		p("prizequiz load: open loop, %g attempts/s (%s arrivals), think %v, against %s\n", r.Rate, r.Arrival, r.Think, r.URL)
	default:
		p("prizequiz load: closed loop, %d players, think %v, against %s\n", r.Concurrency, r.Think, r.URL)
	}
	c := r.Campaign
	limit := "no daily attempt limit"
	if c.MaxAttemptsPerDay != nil {
		limit = fmt.Sprintf("daily limit %d attempts", *c.MaxAttemptsPerDay)
	}
	p("campaign %s %q: %d questions × %d points, %ds limit, %s, %s\n",
		c.ID, c.Name, c.QuestionsPerAttempt, c.PointsPerQuestion, c.TimeLimitSeconds, limit, c.RankingMode)
	if r.Answers == "key" {
		p("answers: from the admin answer key, %.0f%% correct\n", r.Correct*100)
	} else {
		p("answers: random (no --admin-password, so no answer key)\n")
	}
	p("window: %.1fs measured after %v warmup", r.Window.Seconds(), r.Warmup)
	if r.Interrupted {
		p(" (interrupted)")
	}
	p("\n\n")

	if r.Mode == ModeOpen {
		p("arrivals     %d in the window (%.1f/s)\n", r.Arrivals, perSec(r.Arrivals, r.Window))
	}
	p("attempts     started %d, completed %d (start and submit both ok)\n", r.Started, r.Completed)
	p("throughput   %.1f completed attempts/s (%d submits acknowledged in the window)\n", r.PerSecond, r.CompletedInWindow)
	if r.Completed > 0 {
		p("scores       mean %.1f, min %d, max %d of %d\n", r.Score.Mean, r.Score.Min, r.Score.Max, r.Score.Possible)
	}
	p("players      %d guest sign-ins (%d after ATTEMPT_LIMIT_REACHED, %d after --attempts-per-player), %d ranked, %d following their own standing\n\n",
		r.Players.SignIns, r.Players.Renewals, r.Players.Rotations, r.Players.Ranked, r.Players.Sampled)

	rows := [][]string{{"latency (ms)", "count", "p50", "p90", "p99", "max"}}
	for _, op := range []string{OpStart, OpSubmit, OpAttempt, OpSignIn} {
		o, ok := r.Ops[op]
		if !ok {
			continue
		}
		l := o.Latency
		name := op
		switch op {
		case OpStart:
			if r.Mode == ModeOpen {
				name += " (from intended start)"
			}
		case OpAttempt:
			name = "whole attempt"
			if r.Think > 0 {
				name += " (incl. think)"
			}
			if r.Mode == ModeOpen {
				name += " (from intended start)"
			}
		case OpSignIn:
			name += " (whole run)"
		}
		rows = append(rows, []string{name, fmt.Sprint(l.Count), fmtMs(l.P50), fmtMs(l.P90), fmtMs(l.P99), fmtMs(l.Max)})
	}
	table(&b, rows)

	if len(r.Subscriptions) > 0 {
		p("\n")
		rows := [][]string{{"subscriptions", "open", "updates", "lag samples", "p50 ms", "p99 ms", "max ms", "early", "missed"}}
		for _, op := range []string{OpBoard, OpStanding} {
			s, ok := r.Subscriptions[op]
			if !ok {
				continue
			}
			rows = append(rows, []string{op, fmt.Sprintf("%d/%d", s.Opened, s.Asked), fmt.Sprint(s.Updates),
				fmt.Sprint(s.Lag.Count), fmtMs(s.Lag.P50), fmtMs(s.Lag.P99), fmtMs(s.Lag.Max), fmt.Sprint(s.Early), fmt.Sprint(s.Missed)})
		}
		table(&b, rows)
		if _, ok := r.Subscriptions[OpStanding]; ok {
			p("lag, myStandingUpdated: arrival of the first standing with attempts ≥ k − ack of that player's k-th submit (exact).\n")
		}
		if _, ok := r.Subscriptions[OpBoard]; ok {
			p("lag, leaderboardUpdated: arrival of the first update with total ≥ N − ack of the N-th new player's first submit\n")
			p("  (approximate when submits overlap; samples only from new players' first submits).\n")
		}
		p("early: arrived before the HTTP ack, counted as 0; missed: never arrived before the subscriptions closed.\n")
	}

	p("\nerrors (whole run, by code)")
	type row struct {
		op, code string
		n        int64
	}
	var errRows []row
	for op, o := range r.Ops {
		for code, n := range o.Errors {
			errRows = append(errRows, row{op, code, n})
		}
	}
	for op, s := range r.Subscriptions {
		for code, n := range s.Errors {
			errRows = append(errRows, row{op, code, n})
		}
	}
	if len(errRows) == 0 {
		p(": none\n")
	} else {
		p("\n")
		slices.SortFunc(errRows, func(a, b row) int {
			if c := strings.Compare(a.op, b.op); c != 0 {
				return c
			}
			return strings.Compare(a.code, b.code)
		})
		t := make([][]string, len(errRows))
		for i, x := range errRows {
			t[i] = []string{"  " + x.op, x.code, fmt.Sprint(x.n)}
		}
		table(&b, t)
	}
	if r.RateLimited {
		p("\nRATE_LIMITED: the server runs with rate limits on; restart it with --rate-limits=false for a load test.\n")
	}
	for _, wr := range r.Warnings {
		p("warning: %s\n", wr)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func fmtMs(d time.Duration) string {
	return fmt.Sprintf("%.2f", float64(d)/float64(time.Millisecond))
}

func perSec(n int64, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

// table writes rows as columns: the first left-aligned, the others
// right-aligned, two spaces apart.
func table(b *strings.Builder, rows [][]string) {
	var width []int
	for _, r := range rows {
		for i, c := range r {
			if i >= len(width) {
				width = append(width, 0)
			}
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	for _, r := range rows {
		for i, c := range r {
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			switch {
			case i == 0:
				b.WriteString(c + pad)
			default:
				b.WriteString("  " + pad + c)
			}
		}
		b.WriteString("\n")
	}
}
