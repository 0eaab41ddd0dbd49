package loadgen

import (
	mrand "math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 9, 21, 10, 0, 0, 0, time.UTC)

func at(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }

func TestStandingLags(t *testing.T) {
	for _, tc := range []struct {
		name                 string
		acks, seen           []countAt
		from                 time.Time
		count, early, missed int64
		max                  time.Duration
	}{
		{
			name: "one update per submit",
			acks: []countAt{{1, at(100)}, {2, at(300)}},
			seen: []countAt{{0, at(0)}, {1, at(150)}, {2, at(600)}},
			from: t0, count: 2, max: 300 * time.Millisecond,
		},
		{
			name: "coalesced: one update covers two submits",
			acks: []countAt{{1, at(100)}, {2, at(200)}},
			seen: []countAt{{0, at(0)}, {2, at(700)}},
			from: t0, count: 2, max: 600 * time.Millisecond,
		},
		{
			name: "update before the ack is early, counted as 0",
			acks: []countAt{{1, at(100)}},
			seen: []countAt{{0, at(0)}, {1, at(90)}},
			from: t0, count: 1, early: 1, max: time.Microsecond, // the histogram's floor
		},
		{
			name: "never shown is missed",
			acks: []countAt{{1, at(100)}, {2, at(200)}},
			seen: []countAt{{0, at(0)}, {1, at(400)}},
			from: t0, count: 1, missed: 1, max: 300 * time.Millisecond,
		},
		{
			name: "acks before the window are left out",
			acks: []countAt{{1, at(100)}, {2, at(1100)}},
			seen: []countAt{{0, at(0)}, {1, at(900)}, {2, at(1200)}},
			from: at(1000), count: 1, max: 100 * time.Millisecond,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := standingLags([]*standingTracker{{acks: tc.acks, seen: tc.seen}}, tc.from)
			got := summarize(l.h)
			if got.Count != tc.count || l.early != tc.early || l.missed != tc.missed || !near(got.Max, tc.max) {
				t.Errorf("count %d early %d missed %d max %v; want %d %d %d %v",
					got.Count, l.early, l.missed, got.Max, tc.count, tc.early, tc.missed, tc.max)
			}
		})
	}
}

func TestBoardLags(t *testing.T) {
	// Two subscribers that started at totals 10 and 10; three new players
	// first submitted at 100, 200 and 300 ms (given out of order).
	acks := []time.Time{at(300), at(100), at(200)}
	a := &boardTracker{base: 10, seen: []countAt{{11, at(150)}, {13, at(800)}}}
	b := &boardTracker{base: 10, seen: []countAt{{12, at(190)}}} // closed before the third
	l := boardLags([]*boardTracker{a, b}, acks, t0)
	got := summarize(l.h)
	// a: 50, 600, 500 ms; b: 90 ms, early (190 < 200), missed.
	if got.Count != 5 || l.early != 1 || l.missed != 1 || !near(got.Max, 600*time.Millisecond) {
		t.Errorf("count %d early %d missed %d max %v", got.Count, l.early, l.missed, got.Max)
	}
	// The window leaves out acks before it, not the totals they made.
	l = boardLags([]*boardTracker{a}, acks, at(250))
	if got := summarize(l.h); got.Count != 1 || !near(got.Max, 500*time.Millisecond) {
		t.Errorf("from 250 ms: %+v", got)
	}
}

func TestBoardLagsSampleManyPairs(t *testing.T) {
	acks := make([]time.Time, maxBoardSamples/2)
	for i := range acks {
		acks[i] = at(i)
	}
	ts := make([]*boardTracker, 4)
	for i := range ts {
		ts[i] = &boardTracker{seen: []countAt{{len(acks), at(len(acks))}}}
	}
	l := boardLags(ts, acks, t0)
	// 4 × 1,000,000 pairs: every second player is sampled.
	if n := l.h.TotalCount(); n != int64(len(acks)/2*len(ts)) {
		t.Errorf("%d samples of %d pairs", n, len(acks)*len(ts))
	}
}

// near is equality within the histogram's 3 significant digits.
func near(a, b time.Duration) bool {
	d := a - b
	if d < 0 {
		d = -d
	}
	return d <= b/500+time.Microsecond
}

func TestAnswers(t *testing.T) {
	qs := []questionView{
		{ID: "1", Kind: "SINGLE", Options: opts("A", "B", "C", "D")},
		{ID: "2", Kind: "MULTIPLE", Options: opts("A", "B", "C", "D")},
		{ID: "3", Kind: "TRUE_FALSE"}, // shown without options: A/B
		{ID: "4", Kind: "SINGLE", Options: opts("A", "B")},
	}
	key := map[string][]string{"1": {"C"}, "2": {"A", "D"}, "3": {"B"}, "4": {"A"}}
	for _, tc := range []struct {
		name    string
		key     map[string][]string
		correct float64
		want    func(q questionView, choices []string) bool
	}{
		{"all right", key, 1, func(q questionView, c []string) bool { return sameSet(c, key[q.ID]) }},
		{"all wrong", key, 0, func(q questionView, c []string) bool { return !sameSet(c, key[q.ID]) && valid(q, c) }},
		{"no key: random but valid", nil, 1, valid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := &engine{cfg: Config{Correct: tc.correct}, key: tc.key}
			rng := mrand.New(mrand.NewPCG(1, 2))
			for range 200 {
				ans := e.answers(rng, qs)
				if len(ans) != len(qs) {
					t.Fatalf("%d answers for %d questions", len(ans), len(qs))
				}
				for i, a := range ans {
					if a.QuestionID != qs[i].ID || !tc.want(qs[i], a.Choices) {
						t.Fatalf("question %s (%s): %v", qs[i].ID, qs[i].Kind, a.Choices)
					}
				}
			}
		})
	}
}

func TestAnswersShare(t *testing.T) {
	qs := []questionView{{ID: "1", Kind: "SINGLE", Options: opts("A", "B", "C", "D")}}
	e := &engine{cfg: Config{Correct: 0.8}, key: map[string][]string{"1": {"B"}}}
	rng := mrand.New(mrand.NewPCG(3, 4))
	right := 0
	const n = 5000
	for range n {
		if sameSet(e.answers(rng, qs)[0].Choices, []string{"B"}) {
			right++
		}
	}
	if share := float64(right) / n; share < 0.77 || share > 0.83 {
		t.Errorf("%.3f answered right, want 0.8", share)
	}
}

func opts(keys ...string) []struct{ Key string } {
	out := make([]struct{ Key string }, len(keys))
	for i, k := range keys {
		out[i].Key = k
	}
	return out
}

// valid: one known key for single choice and true/false, a non-empty set
// of distinct known keys for multiple choice.
func valid(q questionView, c []string) bool {
	keys := []string{"A", "B"}
	if len(q.Options) > 0 {
		keys = keys[:0]
		for _, o := range q.Options {
			keys = append(keys, o.Key)
		}
	}
	if len(c) == 0 || (q.Kind != "MULTIPLE" && len(c) != 1) {
		return false
	}
	seen := map[string]bool{}
	for _, k := range c {
		if !slices.Contains(keys, k) || seen[k] {
			return false
		}
		seen[k] = true
	}
	return true
}

func TestSampled(t *testing.T) {
	for _, tc := range []struct {
		share float64
		want  string // players 1..10
	}{
		{0, "----------"},
		{1, "xxxxxxxxxx"},
		{0.5, "-x-x-x-x-x"},
		{0.25, "---x---x--"},
	} {
		e := &engine{cfg: Config{StandingSample: tc.share}}
		var b strings.Builder
		for n := int64(1); n <= 10; n++ {
			if e.isSampled(n) {
				b.WriteByte('x')
			} else {
				b.WriteByte('-')
			}
		}
		if b.String() != tc.want {
			t.Errorf("share %v: %s, want %s", tc.share, b.String(), tc.want)
		}
	}
}

func TestWSURL(t *testing.T) {
	for in, want := range map[string]string{
		"http://127.0.0.1:8080/graphql":    "ws://127.0.0.1:8080/graphql",
		"https://quiz.example.com/graphql": "wss://quiz.example.com/graphql",
	} {
		if got := wsURL(in); got != want {
			t.Errorf("wsURL(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestNormalizeURL(t *testing.T) {
	for in, want := range map[string]string{
		"":                          "http://127.0.0.1:8080/graphql",
		"http://127.0.0.1:18123":    "http://127.0.0.1:18123/graphql",
		"http://127.0.0.1:18123/":   "http://127.0.0.1:18123/graphql",
		"https://x.example/api/gql": "https://x.example/api/gql",
	} {
		c := Config{URL: in}
		if err := c.normalize(); err != nil || c.URL != want {
			t.Errorf("normalize(%q) = %q, %v; want %q", in, c.URL, err, want)
		}
	}
}
