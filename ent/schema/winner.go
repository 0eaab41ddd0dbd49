package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Winner is a participant's place in a period's draw order: a winner, or an
// alternate waiting for a disqualification.
type Winner struct{ ent.Schema }

// Fields of the Winner.
func (Winner) Fields() []ent.Field {
	return []ent.Field{
		field.Int("draw_order").Positive().Immutable(),
		field.Bool("alternate").Default(false),
		field.Bool("disqualified").Default(false),
		field.String("disqualify_reason").Optional().Nillable(),
		field.Time("disqualified_at").Optional().Nillable(),
		// promoted_at is when an alternate took a disqualified winner's place.
		field.Time("promoted_at").Optional().Nillable(),
		field.String("public_id").Immutable(),
		field.Enum("prize_status").Values("PENDING", "CONTACTED", "SENT", "FORFEITED").Default("PENDING"),
		field.String("note").Optional().Nillable(),
		// Contact data exists only once the winner claims, and is purged after the contest.
		field.String("claim_name").Optional().Nillable().Sensitive(),
		field.String("claim_phone").Optional().Nillable().Sensitive(),
		field.String("claim_address").Optional().Nillable().Sensitive(),
		field.Time("claimed_at").Optional().Nillable(),
		field.Int("participant_id").Immutable(),
		field.Time("created_at").Default(time.Now).Immutable(),
	}
}

// Edges of the Winner.
func (Winner) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("period", Period.Type).Ref("winners").Unique().Required().Immutable(),
	}
}

// Indexes of the Winner.
func (Winner) Indexes() []ent.Index {
	return []ent.Index{
		index.Edges("period").Fields("draw_order").Unique(),
		index.Fields("participant_id"),
	}
}

// Annotations of the Winner.
func (Winner) Annotations() []schema.Annotation { return []schema.Annotation{entgql.Skip()} }
