package ranking_test

import (
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"prizequiz/ent/campaign"
	"prizequiz/internal/bulkseed"
	"prizequiz/internal/ranking"
	"prizequiz/internal/store"
	"prizequiz/internal/store/storetest"
	"prizequiz/internal/testfix"
)

// BenchmarkRankUpdate is a submit's rank update on a campaign of 10,000
// seeded standings (1,000 with -short), its index loaded: "record" writes
// the standing (the upsert in its own transaction, then the commit) and
// hands the row to the index, as Submit does; "written" is the in-process
// half alone (the index, the first-page cache, the feed's mark). On
// SQLite, and on PostgreSQL when PRIZEQUIZ_TEST_DATABASE_URL is set.
func BenchmarkRankUpdate(b *testing.B) {
	n := 10_000
	if testing.Short() {
		n = 1_000
	}
	dbs := map[string]func(testing.TB) *store.DB{"sqlite": storetest.SQLite}
	if os.Getenv(storetest.EnvPostgres) != "" {
		dbs["postgres"] = storetest.Postgres
	}
	for name, open := range dbs {
		b.Run(name, func(b *testing.B) {
			db := open(b)
			f := testfix.New(b, db)
			c := f.Campaign(f.Bank(5).ID, nil)
			now := testfix.Start.Add(24 * time.Hour)
			if _, err := bulkseed.Seed(f.Ctx, db, bulkseed.Options{CampaignID: c.ID, Participants: n, Seed: 1, Now: now}); err != nil {
				b.Fatal(err)
			}
			pids, err := db.Client.Participant.Query().IDs(f.Ctx)
			if err != nil {
				b.Fatal(err)
			}
			ranks := newRanks(db, nil)
			if lb, err := ranks.Top(f.Ctx, c.ID, 10, 0); err != nil || lb.Total != n {
				b.Fatalf("loaded %+v: %v", lb, err)
			}
			rng := rand.New(rand.NewPCG(1, 2))
			result := func() ranking.Result {
				return ranking.Result{CampaignID: c.ID, ParticipantID: pids[rng.IntN(len(pids))], Score: 20 * rng.IntN(6),
					DurationMs: 10_000 + rng.Int64N(290_000), At: now.Add(time.Duration(rng.IntN(3600)) * time.Second)}
			}
			b.Run("record", func(b *testing.B) {
				for b.Loop() {
					tx, err := db.Client.Tx(f.Ctx)
					if err != nil {
						b.Fatal(err)
					}
					w, err := ranks.Record(f.Ctx, tx, campaign.RankingModeBEST_ATTEMPT, result())
					if err != nil {
						tx.Rollback()
						b.Fatal(err)
					}
					if err := tx.Commit(); err != nil {
						b.Fatal(err)
					}
					ranks.Written(w)
				}
			})
			b.Run("written", func(b *testing.B) {
				x := ranks.IndexOf(c.ID)
				change := x.MaxChange()
				for b.Loop() {
					r := result()
					k, err := ranking.MakeKey(r.Score, r.DurationMs, r.At, r.ParticipantID)
					if err != nil {
						b.Fatal(err)
					}
					change++
					ranks.Written(ranking.Written{CampaignID: c.ID, Row: ranking.Row{Key: k, Change: change}})
				}
			})
		})
	}
}
