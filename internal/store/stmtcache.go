package store

import (
	"container/list"
	"context"
	"database/sql/driver"
	"errors"
	"sync/atomic"

	"github.com/lib/pq"
)

// stmtCacheSize bounds the statements each connection keeps prepared: ent
// writes IN lists with as many placeholders as values, so the set of query
// texts is open-ended, while the hot ones are a few dozen.
const stmtCacheSize = 256

// cachingConnector gives lib/pq connections that prepare each
// parameterised query once and keep it, per connection.
//
// Without it lib/pq runs every query with arguments as an unnamed
// statement: one round trip to parse and describe it, another to bind and
// execute, and PostgreSQL parses and plans the text each time. An attempt
// makes about fifteen such queries; kept statements take one round trip
// each and no parsing.
type cachingConnector struct {
	driver.Connector
	statements *atomic.Int64 // counts every statement sent
}

func (c cachingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &cachingConn{pq: conn.(pqConn), statements: c.statements, stmts: map[string]*list.Element{}, order: list.New()}, nil
}

// pqConn is what lib/pq's connection implements and cachingConn passes on.
type pqConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.QueryerContext
	driver.ExecerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
	driver.NamedValueChecker
}

// cachingConn is used by one goroutine at a time (database/sql's
// guarantee), so the cache needs no lock.
type cachingConn struct {
	pq         pqConn
	statements *atomic.Int64
	stmts      map[string]*list.Element // query text → element of order
	order      *list.List               // of *cachedStmt, most recently used first
}

type cachedStmt struct {
	query string
	stmt  driver.Stmt
}

var _ pqConn = (*cachingConn)(nil)

func (c *cachingConn) Prepare(query string) (driver.Stmt, error) { return c.pq.Prepare(query) }
func (c *cachingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.pq.PrepareContext(ctx, query)
}
func (c *cachingConn) Close() error              { return c.pq.Close() } // its statements end with the session
func (c *cachingConn) Begin() (driver.Tx, error) { return c.pq.Begin() }
func (c *cachingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	c.statements.Add(1)
	tx, err := c.pq.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return countedTx{tx, c.statements}, nil
}

// countedTx counts COMMIT and ROLLBACK, each a statement of its own.
type countedTx struct {
	driver.Tx
	statements *atomic.Int64
}

func (t countedTx) Commit() error {
	t.statements.Add(1)
	return t.Tx.Commit()
}

func (t countedTx) Rollback() error {
	t.statements.Add(1)
	return t.Tx.Rollback()
}
func (c *cachingConn) Ping(ctx context.Context) error              { return c.pq.Ping(ctx) }
func (c *cachingConn) ResetSession(ctx context.Context) error      { return c.pq.ResetSession(ctx) }
func (c *cachingConn) IsValid() bool                               { return c.pq.IsValid() }
func (c *cachingConn) CheckNamedValue(nv *driver.NamedValue) error { return c.pq.CheckNamedValue(nv) }

func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	c.statements.Add(1)
	if len(args) == 0 { // lib/pq's simple protocol: one round trip already
		return c.pq.QueryContext(ctx, query, args)
	}
	st, err := c.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	rows, err := st.(driver.StmtQueryContext).QueryContext(ctx, args)
	return rows, c.check(query, err)
}

func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	c.statements.Add(1)
	if len(args) == 0 {
		return c.pq.ExecContext(ctx, query, args)
	}
	st, err := c.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	res, err := st.(driver.StmtExecContext).ExecContext(ctx, args)
	return res, c.check(query, err)
}

// prepared returns the connection's statement for query, preparing it on
// first use and closing the least recently used one beyond the bound.
func (c *cachingConn) prepared(ctx context.Context, query string) (driver.Stmt, error) {
	if e, ok := c.stmts[query]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*cachedStmt).stmt, nil
	}
	st, err := c.pq.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.stmts[query] = c.order.PushFront(&cachedStmt{query: query, stmt: st})
	if c.order.Len() > stmtCacheSize {
		old := c.order.Remove(c.order.Back()).(*cachedStmt)
		delete(c.stmts, old.query)
		if err := old.stmt.Close(); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// check forgets a statement whose plan a schema change (a newer version's
// migration, run by another process) made stale: PostgreSQL refuses to run
// it ("cached plan must not change result type"), and the next use
// prepares it afresh.
func (c *cachingConn) check(query string, err error) error {
	var pqErr *pq.Error
	if errors.As(err, &pqErr) && pqErr.Code == "0A000" {
		if e, ok := c.stmts[query]; ok {
			c.order.Remove(e)
			delete(c.stmts, query)
			_ = e.Value.(*cachedStmt).stmt.Close()
		}
	}
	return err
}
