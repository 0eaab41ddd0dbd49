package ranking_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"testing"
	"time"

	"prizequiz/internal/ranking"
	"prizequiz/internal/store/storetest"
	"prizequiz/internal/testfix"
)

// BenchmarkRanks1M measures the rank index against the SQL it replaces, on
// one PostgreSQL campaign of 1,000,000 ranked participants: loading the
// index from the Standing table, a rank and a top-100 page in process, and
// the same two answered by SQL over the indexed table (the reference).
// Run: PRIZEQUIZ_TEST_DATABASE_URL=… go test -run '^$' -bench Ranks1M ./internal/ranking/
func BenchmarkRanks1M(b *testing.B) {
	if os.Getenv(storetest.EnvPostgres) == "" {
		b.Skip(storetest.EnvPostgres + " not set")
	}
	n := 1_000_000
	if testing.Short() {
		n = 20_000
	}
	db := storetest.Postgres(b)
	f := testfix.New(b, db)
	ctx := context.Background()
	c := f.Campaign(f.Bank(5).ID, nil)
	seed := []string{
		fmt.Sprintf(`INSERT INTO participants (public_id, nickname, provider, subject, fingerprint, blocked, created_at)
			SELECT 'p' || g, 'n' || g, 'GUEST', 's' || g, '', false, now() FROM generate_series(1, %d) g`, n),
		fmt.Sprintf(`INSERT INTO standings (score, duration_ms, achieved_at, attempts, hidden, change, campaign_id, participant_id)
			SELECT (random() * 5)::int * 20, 5000 + (random() * 295000)::int,
				'2026-09-21T02:00:00Z'::timestamptz + random() * interval '21 days', 1, false,
				nextval('standing_changes'), %d, id FROM participants`, c.ID),
		"ANALYZE",
	}
	for _, q := range seed {
		if _, err := db.SQL.ExecContext(ctx, q); err != nil {
			b.Fatalf("seed: %v", err)
		}
	}
	var pids []int
	rows, err := db.SQL.QueryContext(ctx, "SELECT id FROM participants")
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var id int
		if err := rows.Scan(&id); err != nil {
			b.Fatal(err)
		}
		pids = append(pids, id)
	}
	rows.Close()
	rng := rand.New(rand.NewPCG(1, 2))

	var ranks *ranking.Ranks
	b.Run("load", func(b *testing.B) {
		for b.Loop() {
			ranks = newRanks(db, nil)
			if lb, err := ranks.Top(ctx, c.ID, 1, 0); err != nil || lb.Total != n {
				b.Fatalf("loaded %v: %v", lb, err)
			}
		}
	})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	ranks = newRanks(db, nil)
	if _, err := ranks.Top(ctx, c.ID, 1, 0); err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	x := ranks.IndexOf(c.ID)
	b.Logf("index of %d participants: %.1f MiB of heap", x.Len(), float64(after.HeapAlloc-before.HeapAlloc)/(1<<20))

	b.Run("rank/index", func(b *testing.B) {
		for b.Loop() {
			if _, ok := x.Rank(pids[rng.IntN(len(pids))]); !ok {
				b.Fatal("not ranked")
			}
		}
	})
	b.Run("page100/index", func(b *testing.B) {
		for b.Loop() {
			if len(x.Page(rng.IntN(n-100), 100)) != 100 {
				b.Fatal("short page")
			}
		}
	})
	b.Run("top100/leaderboard", func(b *testing.B) { // with public names, as the resolver needs them
		for b.Loop() {
			if lb, err := ranks.Top(ctx, c.ID, 100, 0); err != nil || len(lb.Entries) != 100 {
				b.Fatal(err)
			}
		}
	})
	b.Run("myStanding", func(b *testing.B) { // the row from the database, the rank from the index
		for b.Loop() {
			if st, err := ranks.Of(ctx, c.ID, pids[rng.IntN(len(pids))]); err != nil || st.Rank == nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("apply/index", func(b *testing.B) {
		change := x.MaxChange()
		for b.Loop() {
			change++
			k, err := ranking.MakeKey(rng.IntN(6)*20, int64(5000+rng.IntN(295000)), testfix.Start.Add(time.Duration(rng.IntN(1e6))*time.Second), pids[rng.IntN(len(pids))])
			if err != nil {
				b.Fatal(err)
			}
			if !x.Apply(ranking.Row{Key: k, Change: change}) {
				b.Fatal("not applied")
			}
		}
	})
	// The references: what myStanding and leaderboard cost in SQL, walking
	// the standing_rank_order index.
	b.Run("rank/sql", func(b *testing.B) {
		for b.Loop() {
			var rank int
			err := db.SQL.QueryRowContext(ctx, `SELECT 1 + count(*) FROM standings o, standings s
				WHERE s.campaign_id = $1 AND s.participant_id = $2 AND o.campaign_id = s.campaign_id AND NOT o.hidden AND
				(o.score > s.score OR (o.score = s.score AND (o.duration_ms < s.duration_ms OR (o.duration_ms = s.duration_ms AND
				(o.achieved_at < s.achieved_at OR (o.achieved_at = s.achieved_at AND o.participant_id < s.participant_id))))))`,
				c.ID, pids[rng.IntN(len(pids))]).Scan(&rank)
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("page100/sql", func(b *testing.B) {
		for b.Loop() {
			rows, err := db.SQL.QueryContext(ctx, `SELECT participant_id, score, duration_ms, achieved_at FROM standings
				WHERE campaign_id = $1 AND NOT hidden ORDER BY score DESC, duration_ms, achieved_at, participant_id
				OFFSET $2 LIMIT 100`, c.ID, rng.IntN(n-100))
			if err != nil {
				b.Fatal(err)
			}
			k := 0
			for rows.Next() {
				k++
			}
			rows.Close()
			if k != 100 {
				b.Fatalf("page of %d", k)
			}
		}
	})
}
