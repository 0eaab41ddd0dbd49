package scalar

import (
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"prizequiz/internal/apperr"
)

// MarshalTime writes a time as RFC 3339 in UTC.
func MarshalTime(t time.Time) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		_, _ = io.WriteString(w, strconv.Quote(t.UTC().Format(time.RFC3339Nano)))
	})
}

// UnmarshalTime reads an RFC 3339 time; anything else is BAD_USER_INPUT
// with an example, never parser text.
func UnmarshalTime(v any) (time.Time, error) {
	s, ok := v.(string)
	if ok {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, apperr.Invalidf("invalid time %q: use RFC 3339, e.g. 2026-10-04T00:00:00+08:00", truncate(toString(v)))
}

func toString(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return "non-string value"
}
