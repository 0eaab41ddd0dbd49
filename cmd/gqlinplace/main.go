// Command gqlinplace rewrites gqlgen's generated executor so that lists of
// plain objects are marshalled in place, one element after another,
// instead of on a goroutine per element.
//
// gqlgen marshals every list of objects with graphql.MarshalSliceConcurrently,
// which pays for a goroutine, its stack and its scheduling per element, and
// offers no setting to do otherwise. That buys nothing when no field of the
// element resolves on its own goroutine: the work is the same, only spread.
// A started attempt marshals 25 such goroutines (5 questions, 20 options)
// and a submit 5 more, and on two cores they cost the server 10–18 % of its
// CPU per attempt. Lists whose elements have a concurrent field, or are
// interfaces or unions, are left as gqlgen wrote them.
//
// Usage (from gen.go, after gqlgen): gqlinplace graph/generated.go
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gqlinplace FILE")
		os.Exit(2)
	}
	if err := rewriteFile(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "gqlinplace:", err)
		os.Exit(1)
	}
}

func rewriteFile(path string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	out, _, err := rewrite(src)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return os.WriteFile(path, out, 0o644)
}
