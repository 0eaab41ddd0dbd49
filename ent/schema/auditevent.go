package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// AuditEvent records one admin action. Nothing in the API edits or deletes it.
type AuditEvent struct{ ent.Schema }

// Fields of the AuditEvent.
func (AuditEvent) Fields() []ent.Field {
	return []ent.Field{
		field.String("actor").Immutable(),
		field.String("action").Immutable().Annotations(entgql.OrderField("ACTION")),
		field.String("subject").Immutable(),
		field.JSON("payload", map[string]any{}).Optional().Immutable().
			Annotations(entgql.Type("Map")),
		field.String("client_address").Optional().Immutable(),
		field.Time("at").Default(time.Now).Immutable().Annotations(entgql.OrderField("AT")),
	}
}

// Indexes of the AuditEvent.
func (AuditEvent) Indexes() []ent.Index {
	return []ent.Index{index.Fields("at"), index.Fields("action", "at")}
}

// Annotations of the AuditEvent.
func (AuditEvent) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField("auditEvents").Directives(hasRole("OWNER")),
		entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput),
	}
}
