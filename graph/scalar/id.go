// Package scalar holds the GraphQL scalars whose wire form is ours to choose.
package scalar

import (
	"io"
	"strconv"

	"github.com/99designs/gqlgen/graphql"

	"prizequiz/internal/apperr"
)

// MarshalID writes an ent id as an opaque GraphQL string.
func MarshalID(id int) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		_, _ = io.WriteString(w, strconv.Quote(strconv.Itoa(id)))
	})
}

// UnmarshalID reads an id a client sent. Anything that is not one of our
// ids is simply unknown: NOT_FOUND, never parser text.
func UnmarshalID(v any) (int, error) {
	var s string
	switch v := v.(type) {
	case string:
		s = v
	case int64:
		s = strconv.FormatInt(v, 10)
	case int:
		s = strconv.Itoa(v)
	case interface{ String() string }: // json.Number
		s = v.String()
	default:
		return 0, apperr.NotFoundf("unknown id")
	}
	id, err := strconv.Atoi(s)
	if err != nil || id <= 0 || strconv.Itoa(id) != s {
		return 0, apperr.NotFoundf("unknown id %q", truncate(s))
	}
	return id, nil
}

func truncate(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}
