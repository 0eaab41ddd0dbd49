package graph

import (
	"context"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"prizequiz/ent"
	"prizequiz/ent/admin"
	"prizequiz/internal/apperr"
	"prizequiz/internal/auth"
	"prizequiz/internal/reqinfo"
	"prizequiz/internal/store"
	"prizequiz/internal/store/storetest"
	"prizequiz/internal/testfix"
)

// TestMutationAndAuditCommitTogether: an admin mutation's writes and its
// audit event commit together, and roll back together.
func TestMutationAndAuditCommitTogether(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := testfix.New(t, db)
		r := NewResolver(db, f.Clock)
		owner := &ent.Admin{ID: 1, Username: "owner", Role: admin.RoleOWNER}
		ctx := auth.WithPrincipal(context.Background(), auth.Principal{Admin: owner})
		ctx = reqinfo.With(ctx, reqinfo.Info{Addr: "192.0.2.7"})
		ctx = graphql.WithFieldContext(ctx, &graphql.FieldContext{
			Object: "Mutation",
			Field:  graphql.CollectedField{Field: &ast.Field{Name: "createQuestionBank"}},
			Args:   map[string]any{"input": map[string]any{"name": "b", "password": "hunter22"}},
		})
		writeBank := func(fail bool) graphql.Resolver {
			return func(ctx context.Context) (any, error) {
				b, err := store.Client(ctx, db.Client).QuestionBank.Create().SetName("b").Save(ctx)
				if err != nil {
					return nil, err
				}
				if fail {
					return nil, apperr.Invalidf("refused after writing")
				}
				return b, nil
			}
		}
		if _, err := r.hasRole(ctx, nil, writeBank(true), admin.RoleEDITOR); apperr.CodeOf(err) != apperr.BadUserInput {
			t.Fatalf("failing mutation: %v", err)
		}
		if nb, na := db.Client.QuestionBank.Query().CountX(ctx), db.Client.AuditEvent.Query().CountX(ctx); nb != 0 || na != 0 {
			t.Fatalf("after rollback: %d banks, %d audit events", nb, na)
		}
		res, err := r.hasRole(ctx, nil, writeBank(false), admin.RoleEDITOR)
		if err != nil {
			t.Fatal(err)
		}
		b := res.(*ent.QuestionBank)
		if _, err := b.QueryQuestions().Count(ctx); err != nil {
			t.Fatalf("entity still bound to the committed transaction: %v", err)
		}
		ev := db.Client.AuditEvent.Query().OnlyX(ctx)
		if ev.Actor != "owner" || ev.Action != "createQuestionBank" || ev.Subject == "" || ev.ClientAddress != "192.0.2.7" {
			t.Fatalf("audit event %+v", ev)
		}
		if in := ev.Payload["args"].(map[string]any)["input"].(map[string]any); in["password"] != "[redacted]" || in["name"] != "b" {
			t.Fatalf("payload %v", ev.Payload)
		}
		// A role below the field's stops before any transaction.
		viewer := auth.WithPrincipal(ctx, auth.Principal{Admin: &ent.Admin{Username: "v", Role: admin.RoleVIEWER}})
		if _, err := r.hasRole(viewer, nil, writeBank(false), admin.RoleEDITOR); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("viewer: %v", err)
		}
	})
}
