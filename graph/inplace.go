package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
)

// marshalInPlace marshals a list one element after another. It has the
// signature and the behaviour of graphql.MarshalSliceConcurrently (each
// element's field context carries its index; a panic becomes the
// element's error and null) without a goroutine per element; cmd/gqlinplace
// puts it in generated.go for lists of plain objects, where the goroutines
// cost CPU and bought nothing.
func marshalInPlace(ctx context.Context, length int, _ int64, omitPanicHandler bool, marshalElement func(ctx context.Context, i int) graphql.Marshaler) graphql.Array {
	ret := make(graphql.Array, length)
	for i := range length {
		childCtx := graphql.WithFieldContext(ctx, &graphql.FieldContext{Index: &i})
		if omitPanicHandler {
			ret[i] = marshalElement(childCtx, i)
			continue
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					graphql.AddError(childCtx, graphql.Recover(childCtx, r))
					ret[i] = graphql.Null
				}
			}()
			ret[i] = marshalElement(childCtx, i)
		}()
	}
	return ret
}
