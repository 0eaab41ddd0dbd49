package store

import (
	"context"
	"slices"

	"entgo.io/ent/dialect/sql/schema"
)

// HotForeignKeys are the foreign keys PostgreSQL does not enforce, because
// checking them is most of the cost of starting an attempt: PostgreSQL
// checks a key by locking the row it refers to, and every start of a
// campaign refers to the same campaign row, so each check builds a new
// multixact of all the starts in flight (measured with auto_explain: 0.29
// ms for the campaign's check, 0.30 ms for the five items' checks of their
// attempt, against 0.09 ms for the inserts themselves).
//
// Nothing they guard against can happen: campaigns and attempts are never
// deleted, an attempt's items are written in the statement that writes the
// attempt, and a standing is written from its attempt. SQLite keeps them:
// its checks cost little, and dropping one rebuilds the table.
var HotForeignKeys = []string{
	"attempts_campaigns_attempts",
	"attempt_items_attempts_items",
	"standings_campaigns_standings",
}

// withoutHotForeignKeys leaves HotForeignKeys out of the desired schema,
// so new databases never get them and older ones have them dropped.
func withoutHotForeignKeys(next schema.Creator) schema.Creator {
	return schema.CreateFunc(func(ctx context.Context, tables ...*schema.Table) error {
		out := make([]*schema.Table, len(tables))
		for i, t := range tables {
			keep := slices.DeleteFunc(slices.Clone(t.ForeignKeys), func(fk *schema.ForeignKey) bool {
				return slices.Contains(HotForeignKeys, fk.Symbol)
			})
			if len(keep) == len(t.ForeignKeys) {
				out[i] = t
				continue
			}
			c := *t // the generated tables are shared: change a copy
			c.ForeignKeys = keep
			out[i] = &c
		}
		return next.Create(ctx, out...)
	})
}
