package ranking_test

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"testing"
	"time"

	"prizequiz/ent"
	"prizequiz/ent/campaign"
	"prizequiz/internal/campaigns"
	"prizequiz/internal/participants"
	"prizequiz/internal/ranking"
	"prizequiz/internal/store"
	"prizequiz/internal/store/storetest"
	"prizequiz/internal/testfix"
)

// sqlRanks ranks a campaign independently of the index: a window function
// over the Standing table, in the order of SPEC §1.
func sqlRanks(t *testing.T, db *store.DB, campaignID int) (order []int, rank map[int]int) {
	t.Helper()
	rows, err := db.SQL.QueryContext(context.Background(), ranking.Rebind(db.Dialect, `
		SELECT participant_id, ROW_NUMBER() OVER (ORDER BY score DESC, duration_ms, achieved_at, participant_id)
		FROM standings WHERE campaign_id = ? AND hidden = ? ORDER BY 2`), campaignID, false)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	rank = map[int]int{}
	for rows.Next() {
		var pid, r int
		if err := rows.Scan(&pid, &r); err != nil {
			t.Fatal(err)
		}
		order = append(order, pid)
		rank[pid] = r
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return order, rank
}

// agree fails unless ranks answers exactly as the SQL ranking: the whole
// leaderboard in pages, and every participant's rank (none when hidden).
func agree(t *testing.T, db *store.DB, ranks *ranking.Ranks, campaignID int, players []int) {
	t.Helper()
	ctx := context.Background()
	order, rank := sqlRanks(t, db, campaignID)
	var got []int
	for offset := 0; ; offset += 7 {
		lb, err := ranks.Top(ctx, campaignID, 7, offset)
		if err != nil {
			t.Fatal(err)
		}
		if lb.Total != len(order) {
			t.Fatalf("total %d, SQL ranks %d", lb.Total, len(order))
		}
		for i, e := range lb.Entries {
			if e.Rank != offset+i+1 {
				t.Fatalf("entry %d of page at %d has rank %d", i, offset, e.Rank)
			}
			got = append(got, e.Participant.ID)
		}
		if len(lb.Entries) < 7 {
			break
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(order) {
		t.Fatalf("leaderboard order\n got %v\nwant %v", got, order)
	}
	for _, p := range players {
		st, err := ranks.Of(ctx, campaignID, p)
		if err != nil {
			t.Fatal(err)
		}
		want, ranked := rank[p]
		switch {
		case st == nil:
			if ranked {
				t.Fatalf("participant %d: no standing, SQL rank %d", p, want)
			}
		case st.Rank == nil:
			if ranked {
				t.Fatalf("participant %d: no rank, SQL rank %d", p, want)
			}
		case !ranked || *st.Rank != want:
			t.Fatalf("participant %d: rank %d, SQL rank %d (ranked %v)", p, *st.Rank, want, ranked)
		}
	}
}

// TestIndexAgreesWithSQL: random submissions with many ties, blocks and
// unblocks, in both ranking modes; the index kept current by this
// process's writes, and one loaded afresh from the table, both rank
// exactly as SQL does.
func TestIndexAgreesWithSQL(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		seed := uint64(time.Now().UnixNano())
		t.Logf("seed %d", seed)
		rng := rand.New(rand.NewPCG(seed, 7))
		f := testfix.New(t, db)
		b := f.Bank(5)
		block := &participants.Service{DB: db, Ranks: f.Play.Ranks}
		players := make([]int, 40)
		for i := range players {
			players[i] = f.Player(fmt.Sprintf("p%d", i))
		}
		for _, mode := range []campaign.RankingMode{campaign.RankingModeBEST_ATTEMPT, campaign.RankingModeTOTAL_SCORE} {
			t.Run(string(mode), func(t *testing.T) {
				c := f.Campaign(b.ID, func(in *campaigns.Input) { in.RankingMode = &mode })
				blocked := map[int]bool{}
				for step := range 300 {
					p := players[rng.IntN(len(players))]
					if rng.IntN(15) == 0 {
						var err error
						if blocked[p] {
							_, err = block.Unblock(f.Ctx, p)
						} else {
							_, err = block.Block(f.Ctx, p, "test")
						}
						if err != nil {
							t.Fatal(err)
						}
						blocked[p] = !blocked[p]
						continue
					}
					record(t, f, c, ranking.Result{
						CampaignID: c.ID, ParticipantID: p,
						Score:      rng.IntN(3) * 20,
						DurationMs: int64(rng.IntN(3)) * 1000,
						At:         testfix.Start.Add(time.Duration(step/3) * time.Second), // equal instants too
					})
				}
				agree(t, db, f.Play.Ranks, c.ID, players)
				agree(t, db, ranking.NewRanks(db, f.Clock, slog.New(slog.DiscardHandler), nil), c.ID, players)
				for p := range blocked { // leave the next mode's campaign unblocked players
					if blocked[p] {
						if _, err := block.Unblock(f.Ctx, p); err != nil {
							t.Fatal(err)
						}
					}
				}
			})
		}
	})
}

// TestRecordNumbersEveryWrite: each standing write takes a change number
// larger than every earlier one, on both databases, so the feed can follow.
func TestRecordNumbersEveryWrite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := testfix.New(t, db)
		c := f.Campaign(f.Bank(5).ID, nil)
		p, q := f.Player("p"), f.Player("q")
		var last int64
		for i, pid := range []int{p, q, p, p, q} {
			tx, err := f.Client.Tx(f.Ctx)
			if err != nil {
				t.Fatal(err)
			}
			w, err := f.Play.Ranks.Record(f.Ctx, tx, c.RankingMode, ranking.Result{
				CampaignID: c.ID, ParticipantID: pid, Score: 20 * i, DurationMs: 1000, At: testfix.Start,
			})
			if err != nil {
				t.Fatal(err)
			}
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
			if w.Row.Change <= last {
				t.Fatalf("write %d: change %d after %d", i, w.Row.Change, last)
			}
			last = w.Row.Change
			s, err := f.Client.Standing.Query().Where().All(f.Ctx)
			if err != nil {
				t.Fatal(err)
			}
			if maxChange(s) != last {
				t.Fatalf("write %d: stored change %d, returned %d", i, maxChange(s), last)
			}
		}
	})
}

func maxChange(s []*ent.Standing) int64 {
	var m int64
	for _, r := range s {
		m = max(m, r.Change)
	}
	return m
}
