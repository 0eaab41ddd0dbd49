package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// AuthToken is a bearer token, stored only as its SHA-256 hash. It belongs
// to exactly one participant or one admin.
type AuthToken struct{ ent.Schema }

// Fields of the AuthToken.
func (AuthToken) Fields() []ent.Field {
	return []ent.Field{
		field.String("token_hash").Unique().Immutable().Sensitive(),
		field.Time("created_at").Default(time.Now).Immutable(),
		field.Time("expires_at"),
		field.Time("revoked_at").Optional().Nillable(),
	}
}

// Edges of the AuthToken.
func (AuthToken) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("participant", Participant.Type).Ref("tokens").Unique(),
		edge.From("admin", Admin.Type).Ref("tokens").Unique(),
	}
}

// Annotations of the AuthToken.
func (AuthToken) Annotations() []schema.Annotation { return []schema.Annotation{entgql.Skip()} }
