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
// that later edits of the question never change.
type AttemptItem struct{ ent.Schema }

// Fields of the AttemptItem.
func (AttemptItem) Fields() []ent.Field {
	return []ent.Field{
		field.Int("position").NonNegative().Immutable(),
		field.Int("question_id").Immutable(),
		field.Int("question_version").Immutable(),
		field.Enum("kind").GoType(schematype.QuestionKind("")).Immutable(),
		field.Text("stem").Immutable(),
		// options in the order shown to the player.
		field.JSON("options", []schematype.Option{}).Immutable(),
		field.Strings("answer").Immutable(),
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
