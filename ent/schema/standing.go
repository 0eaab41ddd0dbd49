package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Standing is a participant's ranking row in one campaign, written in the
// submit transaction. score and duration_ms are the ranked values: the best
// attempt's, or the sums, as the campaign's ranking mode says.
type Standing struct{ ent.Schema }

// Fields of the Standing.
func (Standing) Fields() []ent.Field {
	return []ent.Field{
		field.Int("score").Default(0),
		field.Int64("duration_ms").Default(0),
		// achieved_at is when the ranked values were reached (the tie-breaker
		// after score and time).
		field.Time("achieved_at"),
		field.Int("attempts").Default(0),
		// hidden mirrors the participant's block: a blocked player leaves the
		// public ranking without a join on every ranking query.
		field.Bool("hidden").Default(false),
		// change is the row's place in the ranking change feed (SPEC §5): every
		// write takes a new, larger number, so each process catches up with
		// the rows after the last one it applied.
		field.Int64("change").Default(0),
		field.Int("campaign_id").Immutable(),
		field.Int("participant_id").Immutable(),
	}
}

// Edges of the Standing.
func (Standing) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("campaign", Campaign.Type).Ref("standings").Unique().Required().Immutable().Field("campaign_id"),
		edge.From("participant", Participant.Type).Ref("standings").Unique().Required().Immutable().Field("participant_id"),
	}
}

// Indexes of the Standing.
func (Standing) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("campaign_id", "participant_id").Unique(),
		// The ranking order of SPEC §1, so top-N and rank counts walk the index.
		index.Fields("campaign_id", "hidden", "score", "duration_ms", "achieved_at", "participant_id").
			Annotations(entsql.DescColumns("score")).
			StorageKey("standing_rank_order"),
		index.Fields("change"),
	}
}

// Annotations of the Standing.
func (Standing) Annotations() []schema.Annotation { return []schema.Annotation{entgql.Skip()} }
