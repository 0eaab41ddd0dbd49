package graph

import (
	"context"
	"fmt"
	"testing"

	"github.com/99designs/gqlgen/graphql"
)

// TestMarshalInPlaceIsMarshalSliceConcurrently: the in-place list
// marshaller gives each element its index and turns a panic into that
// element's error and null, as gqlgen's concurrent one does.
func TestMarshalInPlaceIsMarshalSliceConcurrently(t *testing.T) {
	type marshal func(context.Context, int, int64, bool, func(context.Context, int) graphql.Marshaler) graphql.Array
	for name, m := range map[string]marshal{"in place": marshalInPlace, "gqlgen": graphql.MarshalSliceConcurrently} {
		t.Run(name, func(t *testing.T) {
			quiet := func(_ context.Context, r any) error { return fmt.Errorf("panic: %v", r) }
			ctx := graphql.WithResponseContext(context.Background(), graphql.DefaultErrorPresenter, quiet)
			ctx = graphql.WithFieldContext(ctx, &graphql.FieldContext{Field: graphql.CollectedField{}})
			got := m(ctx, 3, 0, false, func(ctx context.Context, i int) graphql.Marshaler {
				if i == 1 {
					panic("element 1")
				}
				return graphql.MarshalInt(*graphql.GetFieldContext(ctx).Index * 10)
			})
			if len(got) != 3 || got[1] != graphql.Null || marshalled(got[0]) != "0" || marshalled(got[2]) != "20" {
				t.Fatalf("got %v", got)
			}
			if errs := graphql.GetErrors(ctx); len(errs) != 1 {
				t.Fatalf("errors %v, want the panic's", errs)
			}
		})
	}
}

func marshalled(m graphql.Marshaler) string {
	var b writer
	m.MarshalGQL(&b)
	return string(b)
}

type writer []byte

func (w *writer) Write(p []byte) (int, error) { *w = append(*w, p...); return len(p), nil }
