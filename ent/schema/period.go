package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Period is one draw period of a campaign: [starts_at, ends_at), cut at ends_at.
// UPCOMING, OPEN and CLOSED follow from the clock; only the draw steps are stored.
type Period struct{ ent.Schema }

// Fields of the Period.
func (Period) Fields() []ent.Field {
	return []ent.Field{
		field.Int("index").NonNegative(),
		field.Time("starts_at"),
		field.Time("ends_at"),
		field.Text("commitment_record").Optional().Nillable(),
		field.String("commitment_digest").Optional().Nillable(),
		// The secret S of SPEC §4.1: never readable before the draw.
		field.Bytes("server_seed").Optional().Nillable().Sensitive(),
		field.String("pool_digest").Optional().Nillable(),
		// pool_frozen_at: when the pool (DrawEntry rows) was fixed after the cutoff.
		field.Time("pool_frozen_at").Optional().Nillable(),
		// The draw's published values (SPEC §4.6).
		field.Text("entropy").Optional().Nillable(),
		field.String("entropy_digest").Optional().Nillable(),
		field.Strings("draw_order").Optional(),
		field.Int("winners_count").Optional().Nillable(),
		field.String("winners_digest").Optional().Nillable(),
		field.Time("drawn_at").Optional().Nillable(),
		field.Time("published_at").Optional().Nillable(),
	}
}

// Edges of the Period.
func (Period) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("campaign", Campaign.Type).Ref("periods").Unique().Required(),
		edge.To("entries", DrawEntry.Type),
		edge.To("winners", Winner.Type),
	}
}

// Indexes of the Period.
func (Period) Indexes() []ent.Index {
	return []ent.Index{
		index.Edges("campaign").Fields("index").Unique(),
		index.Fields("starts_at"),
		index.Fields("ends_at"),
	}
}

// Annotations of the Period.
func (Period) Annotations() []schema.Annotation { return []schema.Annotation{entgql.Skip()} }
