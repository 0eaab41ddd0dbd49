package store_test

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"syscall"
	"testing"

	"github.com/lib/pq"

	"prizequiz/internal/apperr"
	"prizequiz/internal/store"
)

func TestIsTransient(t *testing.T) {
	for _, c := range []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"bad connection", fmt.Errorf("play: mark submitted: %w", driver.ErrBadConn), true},
		{"refused", fmt.Errorf("auth: find token: %w", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}), true},
		{"starting up", fmt.Errorf("store: begin: %w", &pq.Error{Code: "57P03"}), true},
		{"admin shutdown", &pq.Error{Code: "57P01"}, true},
		{"connection failure", &pq.Error{Code: "08006"}, true},
		{"serialization", &pq.Error{Code: "40001"}, true},
		{"deadlock", fmt.Errorf("play: write submits: %w", &pq.Error{Code: "40P01"}), true},
		{"unique violation", &pq.Error{Code: "23505"}, false},
		{"syntax", &pq.Error{Code: "42601"}, false},
		{"domain error", apperr.Invalidf("no"), false},
		{"canceled", context.Canceled, false},
		{"plain", errors.New("boom"), false},
	} {
		if got := store.IsTransient(c.err); got != c.want {
			t.Errorf("%s: IsTransient(%v) = %v, want %v", c.name, c.err, got, c.want)
		}
		outage := c.want && c.name != "serialization" && c.name != "deadlock"
		if got := store.IsOutage(c.err); got != outage {
			t.Errorf("%s: IsOutage(%v) = %v, want %v", c.name, c.err, got, outage)
		}
	}
}
