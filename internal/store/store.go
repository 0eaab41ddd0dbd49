// Package store opens prizequiz's database: an embedded SQLite file by
// default, PostgreSQL (through lib/pq) in production. One ent code path
// serves both.
package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	entsql "entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/schema"

	"entgo.io/ent/dialect"
	"github.com/lib/pq"
	_ "modernc.org/sqlite" // pure-Go SQLite driver

	"prizequiz/ent"
)

// DefaultSQLiteFile is where `prizequiz serve` keeps its data when no
// database URL is given.
const DefaultSQLiteFile = "prizequiz.db"

// StandingChanges is the PostgreSQL sequence that numbers Standing writes.
const StandingChanges = "standing_changes"

// DB is an open database.
type DB struct {
	Client  *ent.Client
	SQL     *sql.DB
	Dialect string // dialect.SQLite or dialect.Postgres
	// DSN opens more connections to the same database, such as the
	// change feed's listener. It may hold a password: never log it.
	DSN string
	// statements counts the statements sent to PostgreSQL (nil on SQLite).
	statements *atomic.Int64
}

// Statements reports how many statements this process has sent to
// PostgreSQL, -1 on SQLite: the round trips that benchmarks count per
// attempt.
func (d *DB) Statements() int64 {
	if d.statements == nil {
		return -1
	}
	return d.statements.Load()
}

// Open connects to the database named by dsn: a postgres:// URL, or else a
// SQLite file path ("" means DefaultSQLiteFile; "sqlite:" prefix allowed).
// It does not migrate; call Migrate.
func Open(ctx context.Context, dsn string) (*DB, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return openPostgres(ctx, dsn)
	}
	return openSQLite(ctx, strings.TrimPrefix(dsn, "sqlite:"))
}

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	connector, err := pq.NewConnector(dsn)
	if err != nil {
		return nil, fmt.Errorf("store: unable to open postgres: %w", err)
	}
	counted := new(atomic.Int64)
	db := sql.OpenDB(cachingConnector{Connector: connector, statements: counted})
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(32)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: unable to reach postgres: %w", err)
	}
	d := wrap(db, dialect.Postgres)
	d.DSN, d.statements = dsn, counted
	return d, nil
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		path = DefaultSQLiteFile
	}
	// WAL lets readers run beside the writer; immediate transactions take
	// the write lock at BEGIN, so concurrent writers queue on busy_timeout
	// instead of failing halfway through.
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "busy_timeout(20000)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	q.Set("_time_format", "sqlite")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("store: unable to open sqlite %s: %w", path, err)
	}
	db.SetMaxOpenConns(8)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: unable to open sqlite %s: %w", path, err)
	}
	d := wrap(db, dialect.SQLite)
	d.DSN = path
	return d, nil
}

func wrap(db *sql.DB, name string) *DB {
	drv := entsql.OpenDB(name, db)
	return &DB{Client: ent.NewClient(ent.Driver(drv)), SQL: db, Dialect: name}
}

// fillFactors leave room in each page of a table whose rows are updated
// once after their insert, so that the update can stay on the row's page
// (a HOT update) and writes no index entries.
var fillFactors = map[string]int{"attempt_items": 50}

// Migrate creates or updates the schema.
func (d *DB) Migrate(ctx context.Context) error {
	var opts []schema.MigrateOption
	if d.Dialect == dialect.Postgres {
		opts = append(opts, schema.WithHooks(withoutHotForeignKeys))
	}
	if err := d.Client.Schema.Create(ctx, opts...); err != nil {
		return fmt.Errorf("store: unable to migrate schema: %w", err)
	}
	for _, name := range retiredIndexes {
		if _, err := d.SQL.ExecContext(ctx, "DROP INDEX IF EXISTS "+name); err != nil {
			return fmt.Errorf("store: unable to drop index %s: %w", name, err)
		}
	}
	if d.Dialect == dialect.Postgres {
		// Standing change numbers (see ranking): ent's migration knows no
		// free-standing sequences.
		if _, err := d.SQL.ExecContext(ctx, "CREATE SEQUENCE IF NOT EXISTS "+StandingChanges); err != nil {
			return fmt.Errorf("store: unable to create sequence %s: %w", StandingChanges, err)
		}
		for table, ff := range fillFactors {
			if _, err := d.SQL.ExecContext(ctx, fmt.Sprintf("ALTER TABLE %s SET (fillfactor = %d)", table, ff)); err != nil {
				return fmt.Errorf("store: unable to set the fill factor of %s: %w", table, err)
			}
		}
	}
	return nil
}

// Close closes the database.
func (d *DB) Close() error { return d.Client.Close() }

// Ping reports whether the database answers.
func (d *DB) Ping(ctx context.Context) error { return d.SQL.PingContext(ctx) }

// IsUniqueViolation reports whether err is a unique-constraint violation on
// either database.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	if ent.IsConstraintError(err) {
		return true
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "duplicate key value")
}
