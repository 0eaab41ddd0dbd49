package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"prizequiz/ent/admin"
	"prizequiz/internal/auth"
)

// NewSchema returns the executable schema with its directives wired.
func NewSchema(r *Resolver) graphql.ExecutableSchema {
	return NewExecutableSchema(Config{
		Resolvers: r,
		Directives: DirectiveRoot{
			HasRole: func(ctx context.Context, _ any, next graphql.Resolver, role admin.Role) (any, error) {
				if _, err := auth.RequireRole(ctx, role); err != nil {
					return nil, err
				}
				return next(ctx)
			},
		},
	})
}
