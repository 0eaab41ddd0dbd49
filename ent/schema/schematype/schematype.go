// Package schematype holds the value types stored inside ent fields
// (JSON columns and Go-typed enums) that the API exposes as they are.
package schematype

import (
	"fmt"
	"io"
	"strconv"
)

// Option is one answer option of a question: a stable key (A, B, ...) and its text.
type Option struct {
	Key  string `json:"key"`
	Text string `json:"text"`
}

// CategoryQuota asks for Count questions of Category in every attempt.
type CategoryQuota struct {
	Category string `json:"category"`
	Count    int    `json:"count"`
}

// QuestionKind says how a question is answered.
type QuestionKind string

// The question kinds of SPEC §2.
const (
	KindSingle    QuestionKind = "SINGLE"
	KindMultiple  QuestionKind = "MULTIPLE"
	KindTrueFalse QuestionKind = "TRUE_FALSE"
)

// Values lists the kinds for ent's enum column.
func (QuestionKind) Values() []string {
	return []string{string(KindSingle), string(KindMultiple), string(KindTrueFalse)}
}

// Valid reports whether k is one of the known kinds.
func (k QuestionKind) Valid() bool {
	switch k {
	case KindSingle, KindMultiple, KindTrueFalse:
		return true
	}
	return false
}

// MarshalGQL implements graphql.Marshaler.
func (k QuestionKind) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(k))) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (k *QuestionKind) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok || !QuestionKind(s).Valid() {
		return fmt.Errorf("%v is not a valid QuestionKind", v)
	}
	*k = QuestionKind(s)
	return nil
}
