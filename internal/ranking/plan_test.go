package ranking_test

import (
	"context"
	"database/sql"
	"strings"
	"sync"
	"testing"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"prizequiz/ent"
	"prizequiz/internal/ranking"
	"prizequiz/internal/store"
	"prizequiz/internal/store/storetest"
	"prizequiz/internal/testfix"
)

// capture records the SQL ent sends, so a test can EXPLAIN exactly that.
type capture struct {
	dialect.Driver
	mu      sync.Mutex
	queries []string
	args    [][]any
}

func (c *capture) Query(ctx context.Context, query string, args, v any) error {
	c.mu.Lock()
	c.queries = append(c.queries, query)
	c.args = append(c.args, args.([]any))
	c.mu.Unlock()
	return c.Driver.Query(ctx, query, args, v)
}

// TestLeaderboardWalksTheRankIndex: the page query reads the rank index in
// order, with no sort and no table scan, on both databases.
func TestLeaderboardWalksTheRankIndex(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := testfix.New(t, db)
		c := f.Campaign(f.Bank(5).ID, nil)
		cap := &capture{Driver: entsql.OpenDB(db.Dialect, db.SQL)}
		client := ent.NewClient(ent.Driver(cap))
		if _, err := ranking.Top(f.Ctx, client, c.ID, 100, 200, f.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		var query string
		var args []any
		for i, q := range cap.queries {
			if strings.Contains(q, "ORDER BY") && strings.Contains(q, "standings") {
				query, args = q, cap.args[i]
			}
		}
		if query == "" {
			t.Fatalf("no leaderboard query among %q", cap.queries)
		}
		conn, err := db.SQL.Conn(f.Ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		explain := "EXPLAIN QUERY PLAN "
		if db.Dialect == dialect.Postgres {
			// Tiny test tables make a scan look cheap; forbid the shortcuts
			// so the plan shows whether the index can serve the order.
			for _, s := range []string{"SET enable_seqscan = off", "SET enable_sort = off", "SET enable_bitmapscan = off"} {
				if _, err := conn.ExecContext(f.Ctx, s); err != nil {
					t.Fatal(err)
				}
			}
			explain = "EXPLAIN "
		}
		plan := planText(t, conn, explain+query, args)
		if !strings.Contains(plan, "standing_rank_order") || strings.Contains(plan, "TEMP B-TREE") || strings.Contains(plan, "Sort") {
			t.Fatalf("leaderboard query\n%s\nplan:\n%s", query, plan)
		}
	})
}

func planText(t *testing.T, conn *sql.Conn, q string, args []any) string {
	t.Helper()
	rows, err := conn.QueryContext(context.Background(), q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var b strings.Builder
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			switch v := v.(type) {
			case string:
				b.WriteString(v + " ")
			case []byte:
				b.WriteString(string(v) + " ")
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}
