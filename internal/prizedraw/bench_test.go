package prizedraw_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"prizequiz/internal/campaigns"
	"prizequiz/internal/draw"
	"prizequiz/internal/prizedraw"
	"prizequiz/internal/store/storetest"
	"prizequiz/internal/testfix"
)

// BenchmarkPoolAndDraw1M computes the pool (1,000 of 1,000,000 ranked
// participants) at a cutoff and draws 520 winners, on PostgreSQL. The
// reference figure of the same run is a full count of the attempts table,
// a sequential scan of the same rows the pool is drawn from.
// Run: PRIZEQUIZ_TEST_DATABASE_URL=… go test -run '^$' -bench PoolAndDraw1M ./internal/prizedraw/
func BenchmarkPoolAndDraw1M(b *testing.B) {
	if os.Getenv(storetest.EnvPostgres) == "" {
		b.Skip(storetest.EnvPostgres + " not set")
	}
	n := 1_000_000
	if testing.Short() {
		n = 20_000 // still 20 times the pool
	}
	db := storetest.Postgres(b)
	f := testfix.New(b, db)
	ctx := context.Background()
	start := f.Clock.Now()
	c := f.Campaign(f.Bank(5).ID, func(in *campaigns.Input) {
		in.EndsAt = start.Add(time.Hour)
		in.EntropySource = testfix.Ptr("declared: benchmark")
	})
	seed := []string{
		fmt.Sprintf(`INSERT INTO participants (public_id, nickname, provider, subject, fingerprint, blocked, created_at)
			SELECT 'p' || g, 'n' || g, 'GUEST', 's' || g, '', false, now() FROM generate_series(1, %d) g`, n),
		fmt.Sprintf(`INSERT INTO attempts (status, started_at, deadline, started_day, submitted_at, score, correct_count,
			duration_ms, folded, campaign_id, participant_id)
			SELECT 'SUBMITTED', $1::timestamptz, $1::timestamptz, '2026-09-21', $1::timestamptz + (random() * 3000) * interval '1 second',
				(random() * 5)::int * 20, 0, (random() * 300000)::int, true, %d, id FROM participants`, c.ID),
		"ANALYZE",
	}
	for i, q := range seed {
		var err error
		if i == 1 {
			_, err = db.SQL.ExecContext(ctx, q, start)
		} else {
			_, err = db.SQL.ExecContext(ctx, q)
		}
		if err != nil {
			b.Fatalf("seed: %v", err)
		}
	}
	ps, err := f.Campaigns.PeriodsOf(ctx, c)
	if err != nil {
		b.Fatal(err)
	}
	p := ps[0]
	p.Edges.Campaign = c
	secret, _ := draw.NewSecret()
	cm := draw.Commitment{Campaign: c.PublicID, Period: 1, Cutoff: p.EndsAt, PoolSize: c.PoolSize,
		Winners: c.WinnersPerPeriod, ExcludePreviousWinners: true, Entropy: "declared: benchmark", ServerSeedSHA256: draw.SeedDigest(secret)}

	var ref time.Duration
	b.ResetTimer()
	for b.Loop() {
		pool, _, err := prizedraw.ComputePool(ctx, db.Client, c, p)
		if err != nil || len(pool) != 1000 {
			b.Fatalf("pool of %d: %v", len(pool), err)
		}
		if _, err := draw.Draw(draw.Inputs{Commitment: cm, Pool: pool, Entropy: "4 8 3", ServerSeed: secret}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		t0 := time.Now()
		var count int
		if err := db.SQL.QueryRowContext(ctx, "SELECT count(*) FROM attempts").Scan(&count); err != nil || count != n {
			b.Fatalf("reference: %d %v", count, err)
		}
		ref += time.Since(t0)
		b.StartTimer()
	}
	b.ReportMetric(float64(ref.Microseconds())/float64(b.N)/1000, "ref-count-ms/op")
}
