package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"prizequiz/ent/schema/schematype"
)

// AttemptItem is one question of an attempt as the player saw it: a snapshot
// that later edits of the question never change. The snapshot is the
// question's version (QuestionVersion, by question_id and
// question_version), which never changes either.
type AttemptItem struct{ ent.Schema }

// Fields of the AttemptItem.
func (AttemptItem) Fields() []ent.Field {
	return []ent.Field{
		field.Int("position").NonNegative().Immutable(),
		field.Int("question_id").Immutable(),
		field.Int("question_version").Immutable(),
		// The question's content. Items written since question versions
		// exist leave these empty (NULL; category '') and play fills them
		// in memory from the version: a copy of the text in every item was
		// most of an attempt's bytes, and about a tenth of its cost to
		// write (docs/benchmarks-history.md, session 6). Older items keep
		// their own copy, which play uses as it is.
		field.Enum("kind").GoType(schematype.QuestionKind("")).Optional().Immutable(),
		field.Text("stem").Optional().Immutable(),
		// options in the order shown to the player.
		field.JSON("options", []schematype.Option{}).Optional().Immutable(),
		field.Strings("answer").Optional().Immutable(),
		field.Text("explanation").Optional().Immutable(),
		field.String("category").Default("").Immutable(),
		field.Strings("chosen").Optional(),
		field.Bool("correct").Default(false),
		field.Int("attempt_id").Immutable(),
	}
}

// Edges of the AttemptItem.
func (AttemptItem) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("attempt", Attempt.Type).Ref("items").Unique().Required().Immutable().Field("attempt_id"),
	}
}

// Indexes of the AttemptItem.
func (AttemptItem) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("attempt_id", "position").Unique(),
	}
}

// Annotations of the AttemptItem.
func (AttemptItem) Annotations() []schema.Annotation { return []schema.Annotation{entgql.Skip()} }
