package ranking_test

import (
	"fmt"
	"testing"
	"time"

	"prizequiz/ent"
	"prizequiz/ent/campaign"
	"prizequiz/internal/apperr"
	"prizequiz/internal/campaigns"
	"prizequiz/internal/ranking"
	"prizequiz/internal/store"
	"prizequiz/internal/store/storetest"
	"prizequiz/internal/testfix"
)

type sub struct {
	player     int // index into players
	score      int
	durationMs int64
	at         time.Duration // after testfix.Start
}

type want struct {
	player     int
	score      int
	durationMs int64
	attempts   int
}

func TestRankingModesAndTieOrder(t *testing.T) {
	// Players 0..4. Submissions in time order.
	subs := []sub{
		{0, 80, 60000, 1 * time.Minute},
		{1, 80, 50000, 2 * time.Minute},
		{2, 100, 90000, 3 * time.Minute},
		{3, 80, 50000, 4 * time.Minute}, // ties player 1 on score and time: later achievement ranks after
		{0, 80, 50000, 5 * time.Minute}, // equals 1 and 3: best becomes 80/50000 achieved now
		{1, 80, 50000, 6 * time.Minute}, // equal to its best: keeps the earlier achievement
		{4, 60, 10000, 7 * time.Minute},
		{4, 60, 10000, 7 * time.Minute}, // same instant twice for TOTAL_SCORE sums
	}
	cases := []struct {
		mode campaign.RankingMode
		want []want
	}{
		{campaign.RankingModeBEST_ATTEMPT, []want{
			{2, 100, 90000, 1},
			{1, 80, 50000, 2},
			{3, 80, 50000, 1},
			{0, 80, 50000, 2},
			{4, 60, 10000, 2},
		}},
		{campaign.RankingModeTOTAL_SCORE, []want{
			{1, 160, 100000, 2},
			{0, 160, 110000, 2},
			{4, 120, 20000, 2},
			{2, 100, 90000, 1},
			{3, 80, 50000, 1},
		}},
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := testfix.New(t, db)
		b := f.Bank(5)
		for _, tc := range cases {
			t.Run(string(tc.mode), func(t *testing.T) {
				c := f.Campaign(b.ID, func(in *campaigns.Input) { in.RankingMode = &tc.mode })
				players := make([]int, 5)
				for i := range players {
					players[i] = f.Player(fmt.Sprintf("p%d", i))
				}
				for _, s := range subs {
					record(t, f, c, ranking.Result{
						CampaignID: c.ID, ParticipantID: players[s.player], Score: s.score,
						DurationMs: s.durationMs, At: testfix.Start.Add(s.at),
					})
				}
				lb, err := f.Play.Ranks.Top(f.Ctx, c.ID, 100, 0)
				if err != nil {
					t.Fatal(err)
				}
				if lb.Total != len(tc.want) || len(lb.Entries) != len(tc.want) {
					t.Fatalf("total %d entries %d", lb.Total, len(lb.Entries))
				}
				for i, w := range tc.want {
					e := lb.Entries[i]
					if e.Rank != i+1 || e.Participant.ID != players[w.player] || e.Score != w.score || e.DurationMs != w.durationMs {
						t.Errorf("rank %d: got player %d %d/%d, want player %d %d/%d",
							i+1, e.Participant.ID, e.Score, e.DurationMs, players[w.player], w.score, w.durationMs)
					}
					st, err := f.Play.Ranks.Of(f.Ctx, c.ID, players[w.player])
					if err != nil {
						t.Fatal(err)
					}
					if *st.Rank != i+1 || st.Attempts != w.attempts || st.Participant.ID != players[w.player] {
						t.Errorf("player %d: rank %d attempts %d, want %d and %d", w.player, *st.Rank, st.Attempts, i+1, w.attempts)
					}
				}
				page, err := f.Play.Ranks.Top(f.Ctx, c.ID, 2, 1)
				if err != nil {
					t.Fatal(err)
				}
				if len(page.Entries) != 2 || page.Entries[0].Rank != 2 || page.Entries[0].Participant.ID != lb.Entries[1].Participant.ID {
					t.Fatalf("page 2: %+v", page.Entries)
				}
			})
		}
	})
}

func record(t *testing.T, f *testfix.Fix, c *ent.Campaign, r ranking.Result) {
	t.Helper()
	tx, err := f.Client.Tx(f.Ctx)
	if err != nil {
		t.Fatal(err)
	}
	w, err := f.Play.Ranks.Record(f.Ctx, tx, c.RankingMode, r)
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	f.Play.Ranks.Written(w)
}

func TestTopRejectsBadPaging(t *testing.T) {
	db := storetest.SQLite(t)
	f := testfix.New(t, db)
	for _, tc := range []struct{ first, offset int }{{-1, 0}, {ranking.MaxPage + 1, 0}, {10, -1}} {
		if _, err := f.Play.Ranks.Top(f.Ctx, 1, tc.first, tc.offset); apperr.CodeOf(err) != apperr.BadUserInput {
			t.Errorf("first %d offset %d: %v", tc.first, tc.offset, err)
		}
	}
}

func TestSameTopWithin(t *testing.T) {
	p := &ent.Participant{ID: 1}
	at := testfix.Start
	page := func(total, score int) *ranking.Leaderboard {
		return &ranking.Leaderboard{Total: total, UpdatedAt: at,
			Entries: []ranking.Entry{{Rank: 1, Participant: p, Score: score}}}
	}
	cases := []struct {
		name  string
		a, b  *ranking.Leaderboard
		after time.Duration // from a's computation to the comparison
		want  bool
	}{
		{"unchanged", page(3, 80), page(3, 80), time.Minute, true},
		{"total grew, soon after", page(3, 80), page(4, 80), time.Second, true},
		{"total grew, long after (b cached since)", page(3, 80), page(4, 80), 6 * time.Second, false},
		{"a place changed", page(3, 80), page(3, 100), time.Second, false},
	}
	for _, tc := range cases {
		same := ranking.SameTopWithin(5*time.Second, func() time.Time { return at.Add(tc.after) })
		if got := same(tc.a, tc.b); got != tc.want {
			t.Errorf("%s: %v", tc.name, got)
		}
	}
}

// TestTopIsComputedOncePerChange: the first page is shared until the
// index changes.
func TestTopIsComputedOncePerChange(t *testing.T) {
	f := testfix.New(t, storetest.SQLite(t))
	c := f.Campaign(f.Bank(5).ID, nil)
	record(t, f, c, ranking.Result{CampaignID: c.ID, ParticipantID: f.Player("a"), Score: 20, DurationMs: 1, At: testfix.Start})
	first, _ := f.Play.Ranks.Top(f.Ctx, c.ID, 10, 0)
	again, _ := f.Play.Ranks.Top(f.Ctx, c.ID, 10, 0)
	if first != again {
		t.Fatal("an unchanged first page was computed twice")
	}
	record(t, f, c, ranking.Result{CampaignID: c.ID, ParticipantID: f.Player("b"), Score: 40, DurationMs: 1, At: testfix.Start})
	after, _ := f.Play.Ranks.Top(f.Ctx, c.ID, 10, 0)
	if after == first || after.Total != 2 {
		t.Fatalf("after a change: %+v", after)
	}
}

// TestOfFollowsEveryWrite: Of keeps a standing in memory only while the
// index holds the same write of it: a write of this process shows at once,
// another process's once the feed has applied it (until then Of agrees
// with the leaderboard pages, which show the index).
func TestOfFollowsEveryWrite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := testfix.New(t, db)
		total := campaign.RankingModeTOTAL_SCORE
		c := f.Campaign(f.Bank(5).ID, func(in *campaigns.Input) { in.RankingMode = &total })
		p := f.Player("甲")
		want := func(step string, score, attempts int) {
			t.Helper()
			st, err := f.Play.Ranks.Of(f.Ctx, c.ID, p)
			if err != nil || st == nil || st.Score != score || st.Attempts != attempts || st.Rank == nil || *st.Rank != 1 {
				t.Fatalf("%s: %+v %v, want score %d after %d attempts", step, st, err, score, attempts)
			}
		}
		record(t, f, c, ranking.Result{CampaignID: c.ID, ParticipantID: p, Score: 20, DurationMs: 5000, At: testfix.Start})
		want("first write", 20, 1)
		want("asked again (from memory)", 20, 1)
		record(t, f, c, ranking.Result{CampaignID: c.ID, ParticipantID: p, Score: 40, DurationMs: 5000, At: testfix.Start})
		want("second write", 60, 2)
		// A write the index has not seen, as from another process.
		tx, err := f.Client.Tx(f.Ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ranking.Record(f.Ctx, tx, db.Dialect, c.RankingMode,
			ranking.Result{CampaignID: c.ID, ParticipantID: p, Score: 20, DurationMs: 5000, At: testfix.Start}); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		want("before the feed applies another process's write", 60, 2)
		if err := f.Play.Ranks.CatchUp(f.Ctx); err != nil {
			t.Fatal(err)
		}
		want("after", 80, 3)
	})
}
