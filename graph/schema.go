package graph

import (
	"context"
	"fmt"
	"reflect"
	"strconv"

	"github.com/99designs/gqlgen/graphql"

	"prizequiz/ent"
	"prizequiz/ent/admin"
	"prizequiz/internal/audit"
	"prizequiz/internal/auth"
	"prizequiz/internal/reqinfo"
)

// NewSchema returns the executable schema with its directives wired.
func NewSchema(r *Resolver) graphql.ExecutableSchema {
	return NewExecutableSchema(Config{
		Resolvers:  r,
		Directives: DirectiveRoot{HasRole: r.hasRole},
	})
}

// hasRole is @hasRole: the one place admin access is enforced. On a
// mutation it also opens the transaction the domain code writes in and
// records the audit event in it, so the action and its record commit or
// roll back together.
func (r *Resolver) hasRole(ctx context.Context, _ any, next graphql.Resolver, role admin.Role) (any, error) {
	a, err := auth.RequireRole(ctx, role)
	if err != nil {
		return nil, err
	}
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Object != "Mutation" {
		return next(ctx)
	}
	tx, err := r.Client.Tx(ctx)
	if err != nil {
		return nil, fmt.Errorf("graph: begin %s: %w", fc.Field.Name, err)
	}
	entry := &audit.Entry{
		Actor:      a.Username,
		Action:     fc.Field.Name,
		ClientAddr: reqinfo.From(ctx).Addr,
		Args:       fc.Args,
	}
	ctx = audit.With(ent.NewTxContext(ctx, tx), entry)
	res, err := next(ctx)
	if err != nil {
		_ = tx.Rollback()
		return nil, err
	}
	if entry.Subject == "" {
		entry.Subject = subjectOf(res, fc.Args)
	}
	if err := audit.Write(ctx, tx.Client(), entry, r.Clock.Now()); err != nil {
		_ = tx.Rollback()
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("graph: commit %s: %w", fc.Field.Name, err)
	}
	return unwrap(res), nil
}

// unwrap detaches an ent entity from the committed transaction it was
// loaded in, so its edge resolvers query through the main client.
func unwrap(res any) (out any) {
	m := reflect.ValueOf(res).MethodByName("Unwrap")
	if !m.IsValid() || m.Type().NumIn() != 0 || m.Type().NumOut() != 1 {
		return res
	}
	defer func() {
		if recover() != nil { // not loaded in a transaction: nothing to detach
			out = res
		}
	}()
	return m.Call(nil)[0].Interface()
}

// subjectOf names what a mutation acted on: "<Type>:<id>" of its result, or
// else its id argument.
func subjectOf(res any, args map[string]any) string {
	v := reflect.ValueOf(res)
	for v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	if v.Kind() == reflect.Struct {
		if id := v.FieldByName("ID"); id.IsValid() && id.CanInt() {
			return v.Type().Name() + ":" + strconv.FormatInt(id.Int(), 10)
		}
	}
	if id, ok := args["id"].(int); ok {
		return "id:" + strconv.Itoa(id)
	}
	return ""
}
