package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"prizequiz/ent"
	"prizequiz/ent/campaign"
	"prizequiz/internal/campaigns"
	"prizequiz/internal/fraud"
	"prizequiz/internal/play"
	"prizequiz/internal/prizedraw"
	"prizequiz/internal/stats"
	"prizequiz/internal/store"
	"prizequiz/internal/store/storetest"
	"prizequiz/internal/testfix"
)

// recorder is an ent driver that remembers the queries it runs.
type recorder struct {
	dialect.Driver
	mu      sync.Mutex
	queries []recorded
}

type recorded struct {
	query string
	args  []any
}

func (r *recorder) Query(ctx context.Context, query string, args, v any) error {
	r.mu.Lock()
	a, _ := args.([]any)
	r.queries = append(r.queries, recorded{query, a})
	r.mu.Unlock()
	return r.Driver.Query(ctx, query, args, v)
}

// Tx records the queries of transactions too.
func (r *recorder) Tx(ctx context.Context) (dialect.Tx, error) {
	tx, err := r.Driver.Tx(ctx)
	if err != nil {
		return nil, err
	}
	return &recordingTx{Tx: tx, r: r}, nil
}

type recordingTx struct {
	dialect.Tx
	r *recorder
}

func (t *recordingTx) Query(ctx context.Context, query string, args, v any) error {
	t.r.mu.Lock()
	a, _ := args.([]any)
	t.r.queries = append(t.r.queries, recorded{query, a})
	t.r.mu.Unlock()
	return t.Tx.Query(ctx, query, args, v)
}

// QueryContext serves raw SQL in a transaction (an advisory lock).
func (t *recordingTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.Tx.(interface {
		QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	}).QueryContext(ctx, query, args...)
}

// QueryContext serves ent.Client.QueryContext, which raw SQL goes through.
func (r *recorder) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return r.Driver.(interface {
		QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	}).QueryContext(ctx, query, args...)
}

func (r *recorder) take() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	q := r.queries
	r.queries = nil
	return q
}

// TestStatusQueriesUseThePartialIndexes: the queries that pick attempts by
// status are planned on the partial indexes that hold only those attempts
// (ent/schema/attempt.go), on both databases; on PostgreSQL also in a
// prepared statement's generic plan, which is what a long-lived connection
// ends up using. Without the literal status of store.OpenAttempts and
// store.SubmittedAttempts, the sweeper would read every attempt ever made,
// every few seconds.
func TestStatusQueriesUseThePartialIndexes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := testfix.New(t, db)
		best := f.Campaign(f.Bank(10).ID, nil)
		total := f.Campaign(f.Bank(10).ID, func(in *campaigns.Input) { in.RankingMode = testfix.Ptr(campaign.RankingModeTOTAL_SCORE) })
		playing := map[int]int{} // campaign: a participant with an attempt in progress
		for _, c := range []*ent.Campaign{best, total} {
			for i := range 3 {
				p := f.Player(fmt.Sprintf("%d-%d", c.ID, i))
				a, err := f.Play.Start(f.Ctx, p, c.ID)
				if err != nil {
					t.Fatal(err)
				}
				if i == 0 {
					playing[c.ID] = p
				} else {
					if _, err := f.Play.Submit(f.Ctx, p, a.ID, nil); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
		rec := &recorder{Driver: entsql.OpenDB(db.Dialect, db.SQL)}
		c := ent.NewClient(ent.Driver(rec))
		period := &ent.Period{Index: 1, EndsAt: f.Clock.Now().Add(time.Hour)}
		cases := []struct {
			name, index, status string
			run                 func() error
		}{
			{"the sweeper", "attempt_open_deadline", "IN_PROGRESS", func() error {
				_, err := (&play.Service{Client: c, Clock: f.Clock, Ranks: f.Play.Ranks}).ExpireOverdue(f.Ctx, 10)
				return err
			}},
			{"a start finding the attempt in progress", "attempt_one_in_progress", "IN_PROGRESS", func() error {
				_, err := (&play.Service{Client: c, Clock: f.Clock, Ranks: f.Play.Ranks}).Start(f.Ctx, playing[best.ID], best.ID)
				return err
			}},
			{"attempts in progress in the statistics", "attempt_open_deadline|attempt_one_in_progress", "IN_PROGRESS", func() error {
				_, err := stats.ForCampaign(f.Ctx, c, best)
				return err
			}},
			{"the pool of a BEST_ATTEMPT draw", "attempt_submitted_rank", "SUBMITTED", func() error {
				_, _, err := prizedraw.ComputePool(f.Ctx, c, best, period)
				return err
			}},
			{"the pool of a TOTAL_SCORE draw", "attempt_submitted_at|attempt_submitted_rank", "SUBMITTED", func() error {
				_, _, err := prizedraw.ComputePool(f.Ctx, c, total, period)
				return err
			}},
			{"the statistics folder", "attempt_unfolded", "IN_PROGRESS", func() error {
				folder := &stats.Folder{DB: &store.DB{Client: c, SQL: db.SQL, Dialect: db.Dialect}, Clock: f.Clock}
				_, err := folder.Fold(f.Ctx, 100)
				return err
			}},
			{"the fraud check for fast attempts", "attempt_submitted_duration", "SUBMITTED", func() error {
				_, err := fraud.Suspicious(f.Ctx, c, best, fraud.Params{MinSecondsPerQuestion: 1, MaxAttempts: 100, MaxPerFingerprint: 100})
				return err
			}},
		}
		conn, err := db.SQL.Conn(f.Ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if db.Dialect == dialect.Postgres {
			// Tiny test tables make a scan look cheap; forbid it so the
			// plan shows whether the index can serve the query.
			for _, set := range []string{"SET enable_seqscan = off", "SET plan_cache_mode = force_generic_plan"} {
				if _, err := conn.ExecContext(f.Ctx, set); err != nil {
					t.Fatal(err)
				}
			}
		}
		for _, tc := range cases {
			rec.take()
			if err := tc.run(); err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			var q *recorded
			for _, r := range rec.take() {
				if strings.Contains(r.query, "attempts") && strings.Contains(r.query, "'"+tc.status+"'") {
					q = &r
					break
				}
			}
			if q == nil {
				t.Fatalf("%s: no query of attempts names the status %s as a literal", tc.name, tc.status)
			}
			plan := explain(t, conn, db.Dialect, *q)
			if !slices.ContainsFunc(strings.Split(tc.index, "|"), func(index string) bool { return strings.Contains(plan, index) }) {
				t.Errorf("%s is not planned on %s:\n%s\nplan:\n%s", tc.name, tc.index, q.query, plan)
			}
		}
	})
}

// explain plans q; on PostgreSQL as a prepared statement's generic plan.
func explain(t *testing.T, conn *sql.Conn, dialectName string, q recorded) string {
	t.Helper()
	ctx := context.Background()
	text, args := "EXPLAIN QUERY PLAN "+q.query, q.args
	if dialectName == dialect.Postgres {
		if _, err := conn.ExecContext(ctx, "DEALLOCATE ALL"); err != nil {
			t.Fatal(err)
		}
		if _, err := conn.ExecContext(ctx, "PREPARE planned AS "+q.query); err != nil {
			t.Fatalf("prepare %s: %v", q.query, err)
		}
		// EXECUTE takes its parameters as literals, not as bind parameters.
		params := make([]string, len(args))
		for i, a := range args {
			switch a := a.(type) {
			case time.Time:
				params[i] = "'" + a.Format("2006-01-02 15:04:05.999999Z07:00") + "'"
			case string:
				params[i] = "'" + strings.ReplaceAll(a, "'", "''") + "'"
			default:
				params[i] = fmt.Sprint(a)
			}
		}
		text, args = "EXPLAIN EXECUTE planned", nil
		if len(params) > 0 {
			text += "(" + strings.Join(params, ", ") + ")"
		}
	}
	return storetest.PlanText(t, conn, text, args...)
}
