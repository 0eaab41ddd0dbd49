package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"prizequiz/ent/schema/schematype"
)

// Campaign is one quiz contest with the rules of SPEC §1.
type Campaign struct{ ent.Schema }

// Fields of the Campaign.
func (Campaign) Fields() []ent.Field {
	return []ent.Field{
		field.String("public_id").Unique().Immutable(),
		field.String("name").NotEmpty().MaxLen(200),
		field.Text("description").Optional().Nillable(),
		field.Time("starts_at"),
		field.Time("ends_at"),
		field.String("timezone").Default("Asia/Shanghai"),
		field.Int("questions_per_attempt").Default(5).Positive(),
		// Per-category quotas: so many questions from each named category,
		// the rest drawn from the whole bank.
		field.JSON("category_quotas", []schematype.CategoryQuota{}).Optional(),
		field.Int("time_limit_seconds").Default(300).Positive(),
		field.Int("grace_seconds").Default(5).NonNegative(),
		field.Int("points_per_question").Default(20).Positive(),
		field.Enum("ranking_mode").Values("BEST_ATTEMPT", "TOTAL_SCORE").Default("BEST_ATTEMPT"),
		field.Int("period_seconds").Default(7 * 24 * 3600).Positive(),
		field.Int("pool_size").Default(1000).Positive(),
		field.Int("winners_per_period").Default(520).NonNegative(),
		field.Bool("exclude_previous_winners").Default(true),
		field.Int("max_attempts_per_day").Optional().Nillable(),
		field.String("entropy_source").Default("drand-quicknet"),
		field.Time("created_at").Default(time.Now).Immutable(),
		field.Int("bank_id"),
	}
}

// Edges of the Campaign.
func (Campaign) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("bank", QuestionBank.Type).Ref("campaigns").Unique().Required().Field("bank_id"),
		edge.To("periods", Period.Type),
		edge.To("attempts", Attempt.Type),
		edge.To("standings", Standing.Type),
	}
}

// Annotations of the Campaign: its GraphQL type is written by hand in
// graph/, because the public shape must never grow the bank edge.
func (Campaign) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip()}
}
