package ranking_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"prizequiz/ent"
	"prizequiz/internal/clock"
	"prizequiz/internal/ranking"
	"prizequiz/internal/store"
	"prizequiz/internal/store/storetest"
	"prizequiz/internal/testfix"
)

// twin opens a second handle on db's database: what another server process
// would hold, sharing nothing in memory.
func twin(t *testing.T, dsn string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// twins opens one database twice, on SQLite (one file) and on PostgreSQL.
func twins(t *testing.T, fn func(t *testing.T, a, b *store.DB)) {
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "twins.db")
		a := twin(t, path)
		if err := a.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		fn(t, a, twin(t, path))
	})
	t.Run("postgres", func(t *testing.T) {
		url := storetest.PostgresURL(t)
		a := twin(t, url)
		if err := a.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		fn(t, a, twin(t, url))
	})
}

func newRanks(db *store.DB, changed func(int)) *ranking.Ranks {
	return ranking.NewRanks(db, clock.Real{}, slog.New(slog.DiscardHandler), changed)
}

// eventually polls cond every 10 ms until it holds or within passes.
func eventually(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %v: %s", within, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func rankOf(t *testing.T, r *ranking.Ranks, campaignID, pid int) int {
	t.Helper()
	lb, err := r.Top(context.Background(), campaignID, 100, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range lb.Entries {
		if e.Participant.ID == pid {
			return e.Rank
		}
	}
	return 0
}

// TestFeedCatchUpAcrossProcesses: a write through one process's Ranks
// reaches another's index by catching up, including a block.
func TestFeedCatchUpAcrossProcesses(t *testing.T) {
	twins(t, func(t *testing.T, a, b *store.DB) {
		f := testfix.New(t, a)
		c := f.Campaign(f.Bank(5).ID, nil)
		p, q := f.Player("p"), f.Player("q")
		record(t, f, c, ranking.Result{CampaignID: c.ID, ParticipantID: p, Score: 60, DurationMs: 9000, At: testfix.Start})
		var notified []int
		other := newRanks(b, func(id int) { notified = append(notified, id) })
		if got := rankOf(t, other, c.ID, p); got != 1 {
			t.Fatalf("loaded index: p at %d", got)
		}
		record(t, f, c, ranking.Result{CampaignID: c.ID, ParticipantID: q, Score: 80, DurationMs: 9000, At: testfix.Start})
		if got := rankOf(t, other, c.ID, q); got != 0 {
			t.Fatalf("before catching up, q at %d", got)
		}
		if err := other.CatchUp(f.Ctx); err != nil {
			t.Fatal(err)
		}
		if rankOf(t, other, c.ID, q) != 1 || rankOf(t, other, c.ID, p) != 2 || len(notified) != 1 || notified[0] != c.ID {
			t.Fatalf("after catching up: q %d p %d, notified %v", rankOf(t, other, c.ID, q), rankOf(t, other, c.ID, p), notified)
		}
		if err := other.CatchUp(f.Ctx); err != nil || len(notified) != 1 {
			t.Fatalf("a catch-up with nothing new notified %v (%v)", notified, err)
		}
		_, err := a.Client.Participant.UpdateOneID(q).SetBlocked(true).Save(f.Ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.SQL.ExecContext(f.Ctx, ranking.Rebind(a.Dialect,
			"UPDATE standings SET hidden = ?, change = "+ranking.NextChange(a.Dialect)+" WHERE participant_id = ?"), true, q); err != nil {
			t.Fatal(err)
		}
		if err := other.CatchUp(f.Ctx); err != nil {
			t.Fatal(err)
		}
		if rankOf(t, other, c.ID, q) != 0 || rankOf(t, other, c.ID, p) != 1 {
			t.Fatalf("after a block: q %d p %d", rankOf(t, other, c.ID, q), rankOf(t, other, c.ID, p))
		}

		// The feed reports how late another process's write arrived.
		var lags []time.Duration
		other.SetFeedLag(func(d time.Duration) { lags = append(lags, d) })
		record(t, f, c, ranking.Result{CampaignID: c.ID, ParticipantID: p, Score: 100, DurationMs: 1, At: time.Now()})
		if err := other.CatchUp(f.Ctx); err != nil {
			t.Fatal(err)
		}
		if len(lags) != 1 || lags[0] < 0 || lags[0] > 10*time.Second {
			t.Fatalf("feed lags %v", lags)
		}
		if campaigns, ranked := other.Size(); campaigns != 1 || ranked != 1 {
			t.Fatalf("size: %d campaigns, %d ranked", campaigns, ranked)
		}
	})
}

// TestFeedLateCommit: on PostgreSQL a change number taken first can commit
// last. The feed reads the later number, remembers the gap, and applies
// the late row when it commits: nothing is skipped.
func TestFeedLateCommit(t *testing.T) {
	url := storetest.PostgresURL(t)
	a := twin(t, url)
	if err := a.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	f := testfix.New(t, a)
	c := f.Campaign(f.Bank(5).ID, nil)
	slow, fast := f.Player("slow"), f.Player("fast")
	other := newRanks(twin(t, url), nil)
	if _, err := other.Top(f.Ctx, c.ID, 10, 0); err != nil { // load, and start the feed
		t.Fatal(err)
	}
	slowTx := begin(t, f)
	if _, err := f.Play.Ranks.Record(f.Ctx, slowTx, c.RankingMode, ranking.Result{CampaignID: c.ID, ParticipantID: slow, Score: 100, DurationMs: 1, At: testfix.Start}); err != nil {
		t.Fatal(err)
	}
	record(t, f, c, ranking.Result{CampaignID: c.ID, ParticipantID: fast, Score: 20, DurationMs: 1, At: testfix.Start})
	if err := other.CatchUp(f.Ctx); err != nil {
		t.Fatal(err)
	}
	if rankOf(t, other, c.ID, fast) != 1 || rankOf(t, other, c.ID, slow) != 0 {
		t.Fatal("the committed write should show, the open one not")
	}
	if err := slowTx.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := other.CatchUp(f.Ctx); err != nil {
		t.Fatal(err)
	}
	if rankOf(t, other, c.ID, slow) != 1 || rankOf(t, other, c.ID, fast) != 2 {
		t.Fatalf("late commit missed: slow %d fast %d", rankOf(t, other, c.ID, slow), rankOf(t, other, c.ID, fast))
	}
}

func begin(t *testing.T, f *testfix.Fix) *ent.Tx {
	t.Helper()
	tx, err := f.Client.Tx(f.Ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tx.Rollback() })
	return tx
}

// TestFeedNotifyAndResync runs two feeds on one PostgreSQL: a write on one
// reaches the other within a second (NOTIFY; the fallback poll is slower),
// and after the listener's backend is killed the feed resyncs, missing
// nothing written meanwhile.
func TestFeedNotifyAndResync(t *testing.T) {
	url := storetest.PostgresURL(t)
	a := twin(t, url)
	if err := a.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	f := testfix.New(t, a)
	c := f.Campaign(f.Bank(5).ID, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	mine := f.Play.Ranks
	go mine.Run(ctx)
	bDB := twin(t, url)
	other := newRanks(bDB, nil)
	go other.Run(ctx)
	if _, err := other.Top(ctx, c.ID, 10, 0); err != nil {
		t.Fatal(err)
	}
	listening := func() int {
		var n int
		if err := a.SQL.QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE application_name = $1 AND datname = current_database()`, ranking.ListenerName).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	eventually(t, 5*time.Second, "both listeners connected", func() bool { return listening() == 2 })

	for i := range 3 {
		pid := f.Player("p" + string(rune('a'+i)))
		start := time.Now()
		record(t, f, c, ranking.Result{CampaignID: c.ID, ParticipantID: pid, Score: 20 * (i + 1), DurationMs: 1000, At: testfix.Start})
		eventually(t, time.Second, "a write reaches the other process", func() bool { return rankOf(t, other, c.ID, pid) == 1 })
		t.Logf("write %d seen by the other process after %v", i, time.Since(start).Round(time.Millisecond))
	}

	var killed int
	if err := a.SQL.QueryRowContext(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE application_name = $1 AND datname = current_database()`, ranking.ListenerName).Scan(&killed); err != nil {
		t.Fatal(err)
	}
	if killed != 2 {
		t.Fatalf("killed %d listeners", killed)
	}
	var late []int
	for i := range 20 { // written while the listeners reconnect
		pid := f.Player("late" + string(rune('a'+i)))
		late = append(late, pid)
		record(t, f, c, ranking.Result{CampaignID: c.ID, ParticipantID: pid, Score: 100, DurationMs: int64(1000 + i), At: testfix.Start})
	}
	eventually(t, 10*time.Second, "a resync after the reconnect", func() bool { return other.Resyncs() >= 1 })
	eventually(t, 5*time.Second, "every late write ranked", func() bool {
		for i, pid := range late {
			if rankOf(t, other, c.ID, pid) != i+1 {
				return false
			}
		}
		return true
	})
	agree(t, a, other, c.ID, late)
}

// TestWriteDuringLoadIsKept: this process's write that commits after an
// index load has read the table, but before the index is in place, is in
// the index, with no help from the feed.
func TestWriteDuringLoadIsKept(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := testfix.New(t, db)
		c := f.Campaign(f.Bank(5).ID, nil)
		early, late := f.Player("early"), f.Player("late")
		record(t, f, c, ranking.Result{CampaignID: c.ID, ParticipantID: early, Score: 20, DurationMs: 1, At: testfix.Start})
		f.Play.Ranks.AfterLoadQuery(func() {
			f.Play.Ranks.AfterLoadQuery(nil)
			record(t, f, c, ranking.Result{CampaignID: c.ID, ParticipantID: late, Score: 40, DurationMs: 1, At: testfix.Start})
		})
		lb, err := f.Play.Ranks.Top(f.Ctx, c.ID, 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		if lb.Total != 2 || lb.Entries[0].Participant.ID != late {
			t.Fatalf("after a write during the load: %+v", lb)
		}
	})
}
