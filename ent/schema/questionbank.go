package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// QuestionBank is a named set of questions that campaigns draw from.
type QuestionBank struct{ ent.Schema }

// Fields of the QuestionBank.
func (QuestionBank) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(100),
		field.String("description").Optional().MaxLen(2000),
		field.Bool("archived").Default(false),
		field.Time("created_at").Default(time.Now).Immutable(),
	}
}

// Edges of the QuestionBank.
func (QuestionBank) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("questions", Question.Type).Annotations(entgql.Skip()),
		edge.To("campaigns", Campaign.Type).Annotations(entgql.Skip()),
	}
}

// Annotations of the QuestionBank.
func (QuestionBank) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)}
}
