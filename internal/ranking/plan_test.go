package ranking_test

import (
	"fmt"
	"strings"
	"testing"

	"entgo.io/ent/dialect"

	"prizequiz/internal/ranking"
	"prizequiz/internal/store"
	"prizequiz/internal/store/storetest"
	"prizequiz/internal/testfix"
)

// TestCatchUpWalksTheChangeIndex: the feed's catch-up query, with and
// without holes, reads the change index, not the whole table, on both
// databases: it runs every 100 ms in every process.
func TestCatchUpWalksTheChangeIndex(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := testfix.New(t, db)
		c := f.Campaign(f.Bank(5).ID, nil)
		for i := range 5 {
			record(t, f, c, ranking.Result{CampaignID: c.ID, ParticipantID: f.Player(fmt.Sprint(i)), Score: 20, DurationMs: 1, At: testfix.Start})
		}
		conn, err := db.SQL.Conn(f.Ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		explain := "EXPLAIN QUERY PLAN "
		if db.Dialect == dialect.Postgres {
			// Tiny test tables make a scan look cheap; forbid it so the
			// plan shows whether the index can serve the query.
			if _, err := conn.ExecContext(f.Ctx, "SET enable_seqscan = off"); err != nil {
				t.Fatal(err)
			}
			explain = "EXPLAIN "
		}
		for _, holes := range [][]int64{nil, {1, 2}} {
			q, args := ranking.CatchUpQuery(db.Dialect, 3, holes)
			plan := storetest.PlanText(t, conn, explain+q, args...)
			if !strings.Contains(plan, "standing_change") || strings.Contains(plan, "SCAN standings\n") || strings.Contains(plan, "Seq Scan") {
				t.Fatalf("catch-up query\n%s\nplan:\n%s", q, plan)
			}
		}
	})
}
