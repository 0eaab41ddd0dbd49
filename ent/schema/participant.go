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
		field.String("public_id").Unique().Immutable().Annotations(entgql.OrderField("PUBLIC_ID")),
		field.String("nickname").NotEmpty().Annotations(entgql.OrderField("NICKNAME")),
		field.Enum("provider").Values("GUEST", "WECHAT").Immutable(),
		// subject identifies the person at the provider (a random id for guests,
		// the openid for WeChat).
		field.String("subject").Immutable().Sensitive().Annotations(entgql.Skip()),
		// fingerprint is a hash of the client's fingerprint header, or of its
		// network and user agent, for spotting many identities on one device.
		field.String("fingerprint").Optional().Annotations(entgql.Skip()),
		field.Bool("blocked").Default(false),
		field.String("blocked_reason").Optional().Nillable(),
		field.Time("created_at").Default(time.Now).Immutable().Annotations(entgql.OrderField("CREATED_AT")),
	}
}

// Edges of the Participant.
func (Participant) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("attempts", Attempt.Type).Annotations(entgql.Skip()),
		edge.To("standings", Standing.Type).Annotations(entgql.Skip()),
		edge.To("tokens", AuthToken.Type).Annotations(entgql.Skip()),
	}
}

// Indexes of the Participant.
func (Participant) Indexes() []ent.Index {
	return []ent.Index{index.Fields("provider", "subject").Unique(), index.Fields("fingerprint")}
}

// Annotations of the Participant.
//
// The admin type is generated as Participant; players only ever see it as
// PublicParticipant (graph/play.graphqls).
func (Participant) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField("participants").Directives(hasRole("VIEWER")),
		entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
	}
}
