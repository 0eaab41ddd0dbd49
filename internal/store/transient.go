package store

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"modernc.org/sqlite"
)

// IsTransient reports whether err says the database was briefly out of
// reach (a restart, a dropped connection, a failover, a busy SQLite file)
// rather than that the request was wrong: the same request may succeed when
// tried again. database/sql drops the broken connections, so the pool
// recovers on its own once the database is back.
//
// A transient error during a commit leaves its outcome unknown; clients may
// still retry because every mutation they retry (start, submit) is
// idempotent.
func IsTransient(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	var pe interface{ SQLState() string }
	if errors.As(err, &pe) {
		return transientState(pe.SQLState())
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff { // the primary result code
		case 5, 6: // SQLITE_BUSY, SQLITE_LOCKED
			return true
		}
	}
	return false
}

// IsOutage reports whether err says the database is out of reach: the
// transient errors that concern a connection or the server, not one
// statement (a serialization failure or a deadlock is transient, but a
// statement's own; sent again, alone, it may well pass).
func IsOutage(err error) bool {
	var pe interface{ SQLState() string }
	if errors.As(err, &pe) && strings.HasPrefix(pe.SQLState(), "40") {
		return false
	}
	return IsTransient(err)
}

// transientState reports whether a PostgreSQL SQLSTATE names a condition
// that passes: a lost connection, a server shutting down or starting up,
// too many connections, a serialization failure or deadlock.
func transientState(state string) bool {
	switch {
	case strings.HasPrefix(state, "08"): // connection exception
		return true
	case strings.HasPrefix(state, "40"): // transaction rollback: serialization failure, deadlock
		return true
	case strings.HasPrefix(state, "53"): // insufficient resources: too many connections
		return true
	}
	switch state {
	case "57P01", "57P02", "57P03": // admin shutdown, crash shutdown, cannot connect now
		return true
	}
	return false
}
