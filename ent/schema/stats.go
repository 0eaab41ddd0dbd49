package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// QuestionStat aggregates how a question fared in settled attempts. It is
// written only by the statistics folder, never on the submit path.
type QuestionStat struct{ ent.Schema }

// Fields of the QuestionStat.
func (QuestionStat) Fields() []ent.Field {
	return []ent.Field{
		field.Int("question_id").Unique().Immutable(),
		field.Int("served").Default(0),
		field.Int("answered").Default(0),
		field.Int("correct").Default(0),
		// option key → times chosen
		field.JSON("option_counts", map[string]int{}),
	}
}

// Annotations of the QuestionStat.
func (QuestionStat) Annotations() []schema.Annotation { return []schema.Annotation{entgql.Skip()} }

// CampaignHourStat aggregates a campaign's settled attempts by the UTC hour
// they started in.
type CampaignHourStat struct{ ent.Schema }

// Fields of the CampaignHourStat.
func (CampaignHourStat) Fields() []ent.Field {
	return []ent.Field{
		field.Int("campaign_id").Immutable(),
		field.Time("hour").Immutable(),
		field.Int("submitted").Default(0),
		field.Int("expired").Default(0),
		// players whose first submitted attempt started in this hour: the
		// campaign's participant count is the sum, with no count of rows.
		field.Int("new_participants").Default(0),
		// score → submitted attempts with it
		field.JSON("score_counts", map[int]int{}),
		// whole seconds used → submitted attempts, for the median time
		field.JSON("duration_counts", map[int]int{}),
		field.Time("updated_at").Default(time.Now),
	}
}

// Indexes of the CampaignHourStat.
func (CampaignHourStat) Indexes() []ent.Index {
	return []ent.Index{index.Fields("campaign_id", "hour").Unique()}
}

// Annotations of the CampaignHourStat.
func (CampaignHourStat) Annotations() []schema.Annotation { return []schema.Annotation{entgql.Skip()} }
