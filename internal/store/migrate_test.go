package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"entgo.io/ent/dialect"

	"prizequiz/internal/store"
	"prizequiz/internal/store/storetest"
)

// TestMigrateRetiresOldIndexesAndHotForeignKeys: a database made by an
// earlier version, with the indexes since retired and (on PostgreSQL) the
// foreign keys no longer enforced, loses them at the next migration and
// keeps every other foreign key.
func TestMigrateRetiresOldIndexesAndHotForeignKeys(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		earlier := []string{
			"CREATE INDEX attempt_status_deadline ON attempts (status, deadline)",
			"CREATE INDEX attempt_campaign_id_submitted_at ON attempts (campaign_id, submitted_at)",
			"CREATE INDEX attempt_campaign_id_status_duration_ms ON attempts (campaign_id, status, duration_ms)",
			"CREATE INDEX attempt_rank_order ON attempts (campaign_id, status, score DESC, duration_ms, submitted_at, participant_id)",
			"CREATE INDEX attemptitem_question_id ON attempt_items (question_id)",
			"CREATE INDEX standing_campaign_id_attempts ON standings (campaign_id, attempts)",
			"CREATE INDEX attempt_to_fold ON attempts (folded) WHERE folded = false AND status <> 'IN_PROGRESS'",
		}
		oldIndexes := len(earlier)
		if db.Dialect == dialect.Postgres {
			earlier = append(earlier,
				"ALTER TABLE attempts ADD CONSTRAINT attempts_campaigns_attempts FOREIGN KEY (campaign_id) REFERENCES campaigns(id)",
				"ALTER TABLE attempt_items ADD CONSTRAINT attempt_items_attempts_items FOREIGN KEY (attempt_id) REFERENCES attempts(id)",
				"ALTER TABLE standings ADD CONSTRAINT standings_campaigns_standings FOREIGN KEY (campaign_id) REFERENCES campaigns(id)")
		}
		for _, ddl := range earlier {
			if _, err := db.SQL.ExecContext(ctx, ddl); err != nil {
				t.Fatalf("%s: %v", ddl, err)
			}
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		indexes := storetest.Strings(t, db, map[string]string{
			dialect.Postgres: "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()",
			dialect.SQLite:   "SELECT name FROM sqlite_master WHERE type = 'index'",
		}[db.Dialect])
		for _, ddl := range earlier[:oldIndexes] {
			if name := ddlName(ddl); slices.Contains(indexes, name) {
				t.Errorf("index %s survived the migration", name)
			}
		}
		for _, want := range []string{"attempt_open_deadline", "attempt_submitted_rank", "attempt_one_in_progress", "attempt_unfolded", "standing_change"} {
			if !slices.Contains(indexes, want) {
				t.Errorf("index %s missing", want)
			}
		}
		if db.Dialect != dialect.Postgres {
			return
		}
		keys := storetest.Strings(t, db, "SELECT conname FROM pg_constraint WHERE contype = 'f'")
		for _, hot := range store.HotForeignKeys {
			if slices.Contains(keys, hot) {
				t.Errorf("foreign key %s survived the migration", hot)
			}
		}
		for _, want := range []string{"attempts_participants_attempts", "standings_participants_standings", "questions_question_banks_questions"} {
			if !slices.Contains(keys, want) {
				t.Errorf("foreign key %s missing", want)
			}
		}
	})
}

// ddlName is the name an earlier CREATE INDEX gives.
func ddlName(ddl string) string { return strings.Fields(ddl)[2] }

// TestMigrateLeavesRoomForTheSubmitsUpdates: on PostgreSQL the items'
// pages keep half their room, so that a submit's update of an item stays
// on the item's page (a HOT update, writing no index entries).
func TestMigrateLeavesRoomForTheSubmitsUpdates(t *testing.T) {
	db := storetest.Postgres(t)
	var opts string
	err := db.SQL.QueryRowContext(context.Background(),
		"SELECT coalesce(array_to_string(reloptions, ','), '') FROM pg_class WHERE relname = 'attempt_items' AND relkind = 'r'").Scan(&opts)
	if err != nil {
		t.Fatal(err)
	}
	if opts != "fillfactor=50" {
		t.Fatalf("attempt_items options %q, want fillfactor=50", opts)
	}
}
