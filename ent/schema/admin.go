package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// Admin is an organiser's account on the dashboard.
type Admin struct{ ent.Schema }

// Fields of the Admin.
func (Admin) Fields() []ent.Field {
	return []ent.Field{
		field.String("username").Unique().NotEmpty().MaxLen(64),
		field.String("password_hash").Sensitive(),
		field.Enum("role").Values("OWNER", "EDITOR", "VIEWER"),
		field.Bool("disabled").Default(false),
		// Consecutive failed sign-ins, and until when the account refuses
		// sign-in (slow-down, then lock-out).
		field.Int("failed_logins").Default(0),
		field.Time("locked_until").Optional().Nillable(),
		field.Time("created_at").Default(time.Now).Immutable(),
	}
}

// Edges of the Admin.
func (Admin) Edges() []ent.Edge {
	return []ent.Edge{edge.To("tokens", AuthToken.Type)}
}

// Annotations of the Admin.
func (Admin) Annotations() []schema.Annotation { return []schema.Annotation{entgql.Skip()} }
