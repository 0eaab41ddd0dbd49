// Package audit records admin actions. An Entry travels in the context of an
// admin mutation; the domain code may describe its subject and the state
// before and after; the entry is written in the mutation's own transaction,
// so it commits or rolls back with it.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"prizequiz/ent"
)

// Entry is one admin action being recorded.
type Entry struct {
	Actor      string
	Action     string
	Subject    string
	ClientAddr string
	Args       any
	Before     any
	After      any
}

type entryKey struct{}

// With returns ctx carrying e.
func With(ctx context.Context, e *Entry) context.Context {
	return context.WithValue(ctx, entryKey{}, e)
}

// From returns the entry of ctx, or nil outside an admin mutation.
func From(ctx context.Context) *Entry {
	e, _ := ctx.Value(entryKey{}).(*Entry)
	return e
}

// Describe sets the subject and the before/after summaries of the action in
// progress; outside an admin mutation it does nothing.
func Describe(ctx context.Context, subject string, before, after any) {
	if e := From(ctx); e != nil {
		e.Subject, e.Before, e.After = subject, before, after
	}
}

// Write stores e with tx.
func Write(ctx context.Context, tx *ent.Client, e *Entry, at time.Time) error {
	payload := map[string]any{}
	for k, v := range map[string]any{"args": e.Args, "before": e.Before, "after": e.After} {
		if v != nil {
			payload[k] = redact(toJSON(v))
		}
	}
	err := tx.AuditEvent.Create().
		SetActor(e.Actor).
		SetAction(e.Action).
		SetSubject(e.Subject).
		SetPayload(payload).
		SetClientAddress(e.ClientAddr).
		SetAt(at).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("audit: write %s: %w", e.Action, err)
	}
	return nil
}

// toJSON turns v into plain JSON values (maps, slices, strings, numbers).
func toJSON(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%T", v)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		return nil
	}
	return out
}

// redact hides secrets and personal data: passwords, tokens, phone numbers,
// names and addresses of prize claims, and uploaded file contents.
func redact(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if sensitive(k) {
				v[k] = "[redacted]"
			} else {
				v[k] = redact(x)
			}
		}
		return v
	case []any:
		for i, x := range v {
			v[i] = redact(x)
		}
		return v
	}
	return v
}

func sensitive(key string) bool {
	k := strings.ToLower(key)
	for _, s := range []string{"password", "token", "phone", "address", "name_of", "claim", "file"} {
		if strings.Contains(k, s) {
			return true
		}
	}
	return false
}
