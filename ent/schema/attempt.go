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

// Attempt is one play of a campaign: its questions are fixed at start.
type Attempt struct{ ent.Schema }

// Fields of the Attempt.
func (Attempt) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("status").Values("IN_PROGRESS", "SUBMITTED", "EXPIRED").Default("IN_PROGRESS"),
		field.Time("started_at").Immutable(),
		field.Time("deadline").Immutable(),
		// started_day is the start date in the campaign's time zone (YYYY-MM-DD),
		// which maxAttemptsPerDay counts by.
		field.String("started_day").Immutable(),
		field.Time("submitted_at").Optional().Nillable(),
		field.Int("score").Default(0),
		field.Int("correct_count").Default(0),
		field.Int64("duration_ms").Default(0),
		// folded is set once the statistics folder has counted the settled
		// attempt (internal/stats), so each attempt is counted exactly once.
		field.Bool("folded").Default(false),
		field.Int("campaign_id").Immutable(),
		field.Int("participant_id").Immutable(),
	}
}

// Edges of the Attempt.
func (Attempt) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("campaign", Campaign.Type).Ref("attempts").Unique().Required().Immutable().Field("campaign_id"),
		edge.From("participant", Participant.Type).Ref("attempts").Unique().Required().Immutable().Field("participant_id"),
		edge.To("items", AttemptItem.Type),
	}
}

// Indexes of the Attempt.
func (Attempt) Indexes() []ent.Index {
	return []ent.Index{
		// At most one attempt in progress per participant and campaign: the
		// database, not the code, settles concurrent startAttempt calls.
		index.Fields("participant_id", "campaign_id").Unique().
			Annotations(entsql.IndexWhere("status = 'IN_PROGRESS'")).
			StorageKey("attempt_one_in_progress"),
		index.Fields("participant_id", "campaign_id", "started_day"),
		// Indexes that serve only attempts in progress or only submitted
		// ones are partial: an attempt enters each when it reaches that
		// status, which spares a start and a submit index writes (the
		// price of an attempt is mostly its index writes). Queries must
		// name the status as a literal (store.OpenAttempts,
		// store.SubmittedAttempts) for PostgreSQL to use them.
		// The sweeper's.
		index.Fields("deadline").
			Annotations(entsql.IndexWhere("status = 'IN_PROGRESS'")).
			StorageKey("attempt_open_deadline"),
		// The pool of a TOTAL_SCORE draw.
		index.Fields("campaign_id", "submitted_at").
			Annotations(entsql.IndexWhere("status = 'SUBMITTED'")).
			StorageKey("attempt_submitted_at"),
		// Fraud checks: implausibly fast attempts.
		index.Fields("campaign_id", "duration_ms").
			Annotations(entsql.IndexWhere("status = 'SUBMITTED'")).
			StorageKey("attempt_submitted_duration"),
		// The pool of a BEST_ATTEMPT draw walks attempts in ranking order
		// and stops once it has enough eligible players.
		index.Fields("campaign_id", "score", "duration_ms", "submitted_at", "participant_id").
			Annotations(entsql.DescColumns("score"), entsql.IndexWhere("status = 'SUBMITTED'")).
			StorageKey("attempt_submitted_rank"),
		// The statistics folder takes settled attempts not yet counted in
		// id order (store.UnfoldedAttempts).
		index.Fields("id").
			Annotations(entsql.IndexWhere("folded = false AND status <> 'IN_PROGRESS'")).
			StorageKey("attempt_unfolded"),
	}
}

// Annotations of the Attempt.
func (Attempt) Annotations() []schema.Annotation { return []schema.Annotation{entgql.Skip()} }
