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

// Participant is a player. Only public_id and nickname ever reach other players.
type Participant struct{ ent.Schema }

// Fields of the Participant.
func (Participant) Fields() []ent.Field {
	return []ent.Field{
		field.String("public_id").Unique().Immutable(),
		field.String("nickname").NotEmpty(),
		field.Enum("provider").Values("GUEST", "WECHAT").Immutable(),
		// subject identifies the person at the provider (a random id for guests,
		// the openid for WeChat).
		field.String("subject").Immutable().Sensitive(),
		field.Bool("blocked").Default(false),
		field.String("blocked_reason").Optional().Nillable(),
		field.Time("created_at").Default(time.Now).Immutable(),
	}
}

// Edges of the Participant.
func (Participant) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("attempts", Attempt.Type),
		edge.To("standings", Standing.Type),
		edge.To("tokens", AuthToken.Type),
	}
}

// Indexes of the Participant.
func (Participant) Indexes() []ent.Index {
	return []ent.Index{index.Fields("provider", "subject").Unique()}
}

// Annotations of the Participant.
func (Participant) Annotations() []schema.Annotation { return []schema.Annotation{entgql.Skip()} }
