package store

import (
	entsql "entgo.io/ent/dialect/sql"

	"prizequiz/ent/attempt"
	"prizequiz/ent/predicate"
)

// OpenAttempts and SubmittedAttempts select attempts by status with the
// status written as a literal, as the partial indexes over attempts in
// progress and over submitted attempts are defined (ent/schema/attempt.go).
// With a placeholder instead, PostgreSQL cannot use those indexes in a
// prepared statement's generic plan.
func OpenAttempts() predicate.Attempt { return attemptStatus(attempt.StatusIN_PROGRESS) }

// SubmittedAttempts: see OpenAttempts.
func SubmittedAttempts() predicate.Attempt { return attemptStatus(attempt.StatusSUBMITTED) }

// UnfoldedAttempts are the settled attempts the statistics have not
// counted yet, as the partial index attempt_unfolded holds them.
func UnfoldedAttempts() predicate.Attempt {
	return func(s *entsql.Selector) {
		s.Where(entsql.ExprP(s.C(attempt.FieldFolded) + " = false AND " + s.C(attempt.FieldStatus) + " <> 'IN_PROGRESS'"))
	}
}

func attemptStatus(st attempt.Status) predicate.Attempt {
	return func(s *entsql.Selector) {
		s.Where(entsql.ExprP(s.C(attempt.FieldStatus) + " = '" + string(st) + "'"))
	}
}

// retiredIndexes left the schema; ent's migration never drops an index,
// so Migrate does. Each was replaced by a partial index or served no query.
var retiredIndexes = []string{
	"attempt_status_deadline",
	"attempt_campaign_id_submitted_at",
	"attempt_campaign_id_status_duration_ms",
	"attempt_rank_order",
	"attempt_to_fold",
	"attemptitem_question_id",
	"standing_campaign_id_attempts",
}
