package main

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// A generated executor in miniature: a list of plain objects, a list of
// objects with a concurrent field, and a list of an interface.
const generated = `package graph

func (ec *executionContext) _Plain(ctx context.Context, sel ast.SelectionSet, obj *Plain) graphql.Marshaler {
	out := graphql.NewFieldSet(fields)
	return out
}

func (ec *executionContext) _Busy(ctx context.Context, sel ast.SelectionSet, obj *Busy) graphql.Marshaler {
	out := graphql.NewFieldSet(fields)
	out.ResolveConcurrently(ec.OperationContext, &deferred, i, f)
	return out
}

func (ec *executionContext) _Node(ctx context.Context, sel ast.SelectionSet, obj Node) graphql.Marshaler {
	switch obj := (obj).(type) {
	case *Plain:
		return ec._Plain(ctx, sel, obj)
	}
	return graphql.Null
}

func (ec *executionContext) marshalNPlain2Plain(ctx context.Context, sel ast.SelectionSet, v Plain) graphql.Marshaler {
	return ec._Plain(ctx, sel, &v)
}

func (ec *executionContext) marshalNPlain2ᚕPlain(ctx context.Context, sel ast.SelectionSet, v []Plain) graphql.Marshaler {
	ret := graphql.MarshalSliceConcurrently(ctx, len(v), 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		return ec.marshalNPlain2Plain(ctx, sel, v[i])
	})
	return ret
}

func (ec *executionContext) marshalNBusy2Busy(ctx context.Context, sel ast.SelectionSet, v *Busy) graphql.Marshaler {
	return ec._Busy(ctx, sel, v)
}

func (ec *executionContext) marshalNBusy2ᚕBusy(ctx context.Context, sel ast.SelectionSet, v []*Busy) graphql.Marshaler {
	ret := graphql.MarshalSliceConcurrently(ctx, len(v), 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		return ec.marshalNBusy2Busy(ctx, sel, v[i])
	})
	return ret
}

func (ec *executionContext) marshalNNode2Node(ctx context.Context, sel ast.SelectionSet, v Node) graphql.Marshaler {
	return ec._Node(ctx, sel, v)
}

func (ec *executionContext) marshalNNode2ᚕNode(ctx context.Context, sel ast.SelectionSet, v []Node) graphql.Marshaler {
	ret := graphql.MarshalSliceConcurrently(ctx, len(v), 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		return ec.marshalNNode2Node(ctx, sel, v[i])
	})
	return ret
}
`

func TestOnlyListsOfPlainObjectsAreMarshalledInPlace(t *testing.T) {
	out, changed, err := rewrite([]byte(generated))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"marshalNPlain2ᚕPlain"}; !slices.Equal(changed, want) {
		t.Fatalf("changed %v, want %v", changed, want)
	}
	want := strings.Replace(generated, "graphql.MarshalSliceConcurrently(ctx, len(v), 0, false, func(ctx context.Context, i int) graphql.Marshaler {\n\t\treturn ec.marshalNPlain2Plain",
		"marshalInPlace(ctx, len(v), 0, false, func(ctx context.Context, i int) graphql.Marshaler {\n\t\treturn ec.marshalNPlain2Plain", 1)
	if string(out) != want {
		t.Fatalf("rewritten:\n%s", out)
	}
	if again, _, _ := rewrite(out); string(again) != string(out) {
		t.Fatal("a second rewrite changed the file again")
	}
}

// TestThePlayersListsAreMarshalledInPlace: the lists of a start and a
// submit, and of leaderboard pages, are the ones this tool exists for.
func TestThePlayersListsAreMarshalledInPlace(t *testing.T) {
	src, err := os.ReadFile("../../graph/generated.go")
	if err != nil {
		t.Fatal(err)
	}
	_, changed, err := rewrite(src)
	if err != nil {
		t.Fatal(err)
	}
	if len(changed) != 0 {
		t.Fatalf("graph/generated.go is not rewritten yet (%d lists): run go generate ./...", len(changed))
	}
	for _, list := range []string{"marshalNAttemptQuestion2ᚕ", "marshalNQuestionOption2ᚕ", "marshalNReviewItem2ᚕ", "marshalNLeaderboardEntry2ᚕ"} {
		i := strings.Index(string(src), "func (ec *executionContext) "+list)
		if i < 0 {
			t.Fatalf("%s not generated", list)
		}
		body := string(src[i:])
		body = body[:strings.Index(body, "\n}\n")]
		if !strings.Contains(body, inPlace+"(") {
			t.Errorf("%s is still marshalled on goroutines", list)
		}
	}
}
