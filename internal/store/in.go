package store

import (
	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/lib/pq"
)

// IntsIn is column IN ids, for lists as long as a batch of thousands. On
// PostgreSQL it is column = ANY($1) with one array argument: an IN list
// is a new statement for every length, which this package's statement
// cache prepares and plans afresh each time (for 1,600 ids: 25 ms against
// the array's 4.5 ms) and which pushes the hot statements out of the cache.
func IntsIn(column string, ids []int) func(*entsql.Selector) {
	return func(s *entsql.Selector) {
		if s.Dialect() != dialect.Postgres {
			s.Where(entsql.InInts(s.C(column), ids...))
			return
		}
		arr := make([]int64, len(ids))
		for i, id := range ids {
			arr[i] = int64(id)
		}
		s.Where(entsql.P(func(b *entsql.Builder) {
			b.Ident(s.C(column)).WriteString(" = ANY(").Arg(pq.Array(arr)).WriteByte(')')
		}))
	}
}
