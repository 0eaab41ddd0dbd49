package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"prizequiz/internal/store"
	"prizequiz/internal/store/storetest"
)

// onOneConn runs f on one connection of a fresh PostgreSQL database.
func onOneConn(t *testing.T, f func(ctx context.Context, c *sql.Conn)) {
	db := storetest.Postgres(t)
	ctx := t.Context()
	c, err := db.SQL.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	f(ctx, c)
}

func prepared(t *testing.T, ctx context.Context, c *sql.Conn) int {
	t.Helper()
	var n int
	if err := c.QueryRowContext(ctx, `SELECT count(*) FROM pg_prepared_statements`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestStatementsArePreparedOncePerConnection: a query with arguments is
// prepared on its first use and reused after; the number kept is bounded.
func TestStatementsArePreparedOncePerConnection(t *testing.T) {
	onOneConn(t, func(ctx context.Context, c *sql.Conn) {
		before := prepared(t, ctx, c) // the migration's
		for i := range 3 {
			var got int
			if err := c.QueryRowContext(ctx, `SELECT $1::int + 1`, i).Scan(&got); err != nil || got != i+1 {
				t.Fatalf("%d + 1 = %d, %v", i, got, err)
			}
		}
		if n := prepared(t, ctx, c) - before; n != 1 {
			t.Errorf("%d statements prepared for one query run three times", n)
		}
		for i := range store.StmtCacheSize + 10 {
			if _, err := c.ExecContext(ctx, fmt.Sprintf(`SELECT $1::int + %d`, i), i); err != nil {
				t.Fatal(err)
			}
		}
		if n := prepared(t, ctx, c); n != store.StmtCacheSize {
			t.Errorf("%d statements kept, want the bound %d", n, store.StmtCacheSize)
		}
	})
}

// TestKeptStatementsCarryEveryType: values go through the prepared
// statement's parameter types, so JSON and bytes both arrive intact (they
// would not with lib/pq's binary_parameters).
func TestKeptStatementsCarryEveryType(t *testing.T) {
	onOneConn(t, func(ctx context.Context, c *sql.Conn) {
		if _, err := c.ExecContext(ctx, `CREATE TABLE kinds (id int PRIMARY KEY, doc jsonb, raw bytea, note text)`); err != nil {
			t.Fatal(err)
		}
		raw := []byte{0, 1, 2, 0xff, '\\', 'x'}
		for i := range 2 { // the second time through the kept statement
			if _, err := c.ExecContext(ctx, `INSERT INTO kinds VALUES ($1, $2, $3, $4)`,
				i, []byte(`{"a":["选项A",1]}`), raw, "张三"); err != nil {
				t.Fatal(err)
			}
		}
		rows, err := c.QueryContext(ctx, `SELECT doc->'a'->>0, raw, note FROM kinds WHERE id >= $1 ORDER BY id`, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var doc, note string
			var got []byte
			if err := rows.Scan(&doc, &got, &note); err != nil {
				t.Fatal(err)
			}
			if doc != "选项A" || string(got) != string(raw) || note != "张三" {
				t.Errorf("row %d: %q %x %q", n, doc, got, note)
			}
			n++
		}
		if n != 2 {
			t.Errorf("%d rows", n)
		}
	})
}

// TestAStaleStatementIsPreparedAgain: after a schema change (another
// process's migration) PostgreSQL refuses a kept statement whose result
// changed; it fails that once and works from the next use.
func TestAStaleStatementIsPreparedAgain(t *testing.T) {
	onOneConn(t, func(ctx context.Context, c *sql.Conn) {
		if _, err := c.ExecContext(ctx, `CREATE TABLE t (id int PRIMARY KEY)`); err != nil {
			t.Fatal(err)
		}
		q := `SELECT * FROM t WHERE id > $1`
		if _, err := c.ExecContext(ctx, q, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := c.ExecContext(ctx, `ALTER TABLE t ADD COLUMN extra int`); err != nil {
			t.Fatal(err)
		}
		_, _ = c.ExecContext(ctx, q, 0) // may fail: the plan is stale
		if _, err := c.ExecContext(ctx, q, 0); err != nil {
			t.Errorf("still failing after a schema change: %v", err)
		}
	})
}
