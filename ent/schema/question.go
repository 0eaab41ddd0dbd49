package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"prizequiz/ent/schema/schematype"
)

// Question is one question of a bank, with its answer key. Admins only:
// players see questions through the snapshot of their attempt.
type Question struct{ ent.Schema }

// Fields of the Question.
func (Question) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("kind").GoType(schematype.QuestionKind("")).
			Annotations(entgql.OrderField("KIND"), entgql.Type("QuestionKind")),
		field.Text("stem").NotEmpty().
			Annotations(entgql.OrderField("STEM")),
		field.JSON("options", []schematype.Option{}).
			Annotations(entgql.Type("[QuestionOption!]")),
		field.Strings("answer"),
		field.Text("explanation").Optional(),
		field.String("category").Default("").
			Annotations(entgql.OrderField("CATEGORY")),
		field.Bool("enabled").Default(true),
		// Version counts edits, so an attempt snapshot can name the text it showed.
		field.Int("version").Default(1),
		// Deleted questions stay for the attempts that used them.
		field.Time("deleted_at").Optional().Nillable(),
		field.Time("created_at").Default(time.Now).Immutable().
			Annotations(entgql.OrderField("CREATED_AT")),
		field.Time("updated_at").Default(time.Now).UpdateDefault(time.Now),
		field.Int("bank_id"),
	}
}

// Edges of the Question.
func (Question) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("bank", QuestionBank.Type).Ref("questions").Unique().Required().Field("bank_id"),
	}
}

// Indexes of the Question.
func (Question) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("bank_id", "enabled"),
	}
}

// Annotations of the Question.
func (Question) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField("questions").Directives(hasRole("VIEWER")),
		entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
	}
}
