package storetest

import (
	"context"
	"testing"

	"prizequiz/internal/store"
)

// Strings runs query on db and returns its one text column, for tests that
// read the database's catalogue (indexes, constraints, prepared statements).
func Strings(t testing.TB, db *store.DB, query string) []string {
	t.Helper()
	rows, err := db.SQL.QueryContext(context.Background(), query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
