package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"prizequiz/ent/schema/schematype"
)

// QuestionVersion is a question as it was at one version: what the players
// who drew it at that version saw. A question's content changes only with
// its version, so a version's row never changes, and the attempt items
// that used it refer to it by (question_id, version) instead of each
// keeping a copy of the text.
//
// Rows are written by the start that first uses a version (play), not by
// the bank: a version nobody drew costs nothing. No foreign key to the
// question: a deleted question's versions stay with the attempts that
// used them.
type QuestionVersion struct{ ent.Schema }

// Fields of the QuestionVersion.
func (QuestionVersion) Fields() []ent.Field {
	return []ent.Field{
		field.Int("question_id").Immutable(),
		field.Int("version").Immutable(),
		field.Enum("kind").GoType(schematype.QuestionKind("")).Immutable(),
		field.Text("stem").Immutable(),
		// options in the order shown to the player.
		field.JSON("options", []schematype.Option{}).Immutable(),
		field.Strings("answer").Immutable(),
		field.Text("explanation").Optional().Immutable(),
		field.String("category").Default("").Immutable(),
	}
}

// Indexes of the QuestionVersion.
func (QuestionVersion) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("question_id", "version").Unique(),
	}
}

// Annotations of the QuestionVersion.
func (QuestionVersion) Annotations() []schema.Annotation { return []schema.Annotation{entgql.Skip()} }
