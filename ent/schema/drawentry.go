package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// DrawEntry is one line of a period's frozen pool (SPEC §4.2).
type DrawEntry struct{ ent.Schema }

// Fields of the DrawEntry.
func (DrawEntry) Fields() []ent.Field {
	return []ent.Field{
		field.Int("rank").Positive().Immutable(),
		field.String("public_id").Immutable(),
		field.Int("score").Immutable(),
		field.Int64("duration_ms").Immutable(),
		field.Int("participant_id").Immutable(),
	}
}

// Edges of the DrawEntry.
func (DrawEntry) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("period", Period.Type).Ref("entries").Unique().Required().Immutable(),
	}
}

// Indexes of the DrawEntry.
func (DrawEntry) Indexes() []ent.Index {
	return []ent.Index{index.Edges("period").Fields("rank").Unique()}
}

// Annotations of the DrawEntry.
func (DrawEntry) Annotations() []schema.Annotation { return []schema.Annotation{entgql.Skip()} }
