package store

import (
	"context"
	"fmt"

	"entgo.io/ent/dialect"

	"prizequiz/ent"
)

// Client returns the client of the transaction ctx carries, or c. Domain
// services call it so that an admin mutation, its audit event and
// everything it writes commit or roll back together.
func Client(ctx context.Context, c *ent.Client) *ent.Client {
	if tx := ent.TxFromContext(ctx); tx != nil {
		return tx.Client()
	}
	return c
}

// InTx runs fn inside the transaction ctx carries, or else inside a new one
// that commits when fn succeeds.
func InTx(ctx context.Context, c *ent.Client, fn func(ctx context.Context, tx *ent.Client) error) error {
	if tx := ent.TxFromContext(ctx); tx != nil {
		return fn(ctx, tx.Client())
	}
	tx, err := c.Tx(ctx)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	ctx = ent.NewTxContext(ctx, tx)
	if err := fn(ctx, tx.Client()); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// AfterCommit runs fn once the transaction ctx carries has committed, or at
// once outside a transaction: subscribers must never see what may still
// roll back.
func AfterCommit(ctx context.Context, fn func()) {
	tx := ent.TxFromContext(ctx)
	if tx == nil {
		fn()
		return
	}
	tx.OnCommit(func(next ent.Committer) ent.Committer {
		return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
			err := next.Commit(ctx, tx)
			if err == nil {
				fn()
			}
			return err
		})
	})
}

// TryLock takes a transaction-scoped PostgreSQL advisory lock on key, so a
// job runs in one process at a time; false means another holds it. SQLite
// has one writer at a time anyway, so there it always succeeds.
func (d *DB) TryLock(ctx context.Context, tx *ent.Client, key int64) (bool, error) {
	if d.Dialect != dialect.Postgres {
		return true, nil
	}
	rows, err := tx.QueryContext(ctx, "SELECT pg_try_advisory_xact_lock($1)", key)
	if err != nil {
		return false, fmt.Errorf("store: advisory lock: %w", err)
	}
	defer rows.Close()
	var ok bool
	if rows.Next() {
		err = rows.Scan(&ok)
	}
	return ok, err
}

// BatchSize bounds the rows of one bulk insert: SQLite caps the bound
// parameters of a statement.
const BatchSize = 400

// InBatches calls fn with successive slices of items, at most BatchSize long.
func InBatches[T any](items []T, fn func([]T) error) error {
	for len(items) > 0 {
		k := min(len(items), BatchSize)
		if err := fn(items[:k]); err != nil {
			return err
		}
		items = items[k:]
	}
	return nil
}
