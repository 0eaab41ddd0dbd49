package scalar

import (
	"fmt"
	"io"
	"strconv"
)

// PeriodStatus is a period's status (UPCOMING OPEN CLOSED DRAWN PUBLISHED).
type PeriodStatus string

// MarshalGQL implements graphql.Marshaler.
func (s PeriodStatus) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(s))) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (s *PeriodStatus) UnmarshalGQL(v any) error {
	str, ok := v.(string)
	if !ok {
		return fmt.Errorf("PeriodStatus must be a string")
	}
	*s = PeriodStatus(str)
	return nil
}
