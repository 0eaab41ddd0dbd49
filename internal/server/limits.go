package server

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// shapeLimit refuses documents nested deeper than MaxDepth or using more
// than MaxAliases aliases, before any resolver runs: both are cheap ways to
// make one request cost a thousand.
type shapeLimit struct {
	MaxDepth   int
	MaxAliases int
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = shapeLimit{}

func (shapeLimit) ExtensionName() string                   { return "ShapeLimit" }
func (shapeLimit) Validate(graphql.ExecutableSchema) error { return nil }

func (l shapeLimit) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	aliases := 0
	depth := measure(oc.Operation.SelectionSet, oc.Doc.Fragments, 1, &aliases, map[string]bool{})
	switch {
	case depth > l.MaxDepth:
		return limitError(fmt.Sprintf("the query is nested %d levels deep; at most %d", depth, l.MaxDepth))
	case aliases > l.MaxAliases:
		return limitError(fmt.Sprintf("the query uses %d aliases; at most %d", aliases, l.MaxAliases))
	}
	return nil
}

func limitError(msg string) *gqlerror.Error {
	return &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": "GRAPHQL_VALIDATION_FAILED"}}
}

// measure returns the depth of a selection set and counts its aliases,
// following fragments (each fragment name once per path, so cycles end).
func measure(set ast.SelectionSet, frags ast.FragmentDefinitionList, depth int, aliases *int, seen map[string]bool) int {
	deepest := depth - 1
	for _, sel := range set {
		d := depth
		switch s := sel.(type) {
		case *ast.Field:
			if s.Alias != "" && s.Alias != s.Name {
				*aliases++
			}
			if len(s.SelectionSet) > 0 {
				d = measure(s.SelectionSet, frags, depth+1, aliases, seen)
			}
		case *ast.InlineFragment:
			d = measure(s.SelectionSet, frags, depth, aliases, seen)
		case *ast.FragmentSpread:
			if seen[s.Name] {
				continue
			}
			if f := frags.ForName(s.Name); f != nil {
				seen[s.Name] = true
				d = measure(f.SelectionSet, frags, depth, aliases, seen)
				delete(seen, s.Name)
			}
		}
		deepest = max(deepest, d)
	}
	return deepest
}
