package ranking

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"entgo.io/ent/dialect"

	"prizequiz/ent"
	"prizequiz/ent/campaign"
	"prizequiz/internal/store"
)

// Written is a Standing row as a write left it: what the writer's process
// applies to its own index at once, before the feed brings it back.
type Written struct {
	CampaignID int
	Row        Row
	// The standing's values as written, for the writer's answer.
	Score      int
	DurationMs int64
	AchievedAt time.Time
	Attempts   int
}

// Record applies a submitted attempt to its participant's standing in one
// statement (an upsert), inside the submit transaction, so a result and its
// standing commit together, and returns the row as written. Calls for one
// participant never overlap: an attempt leaves IN_PROGRESS in the same
// transaction, and a participant has at most one.
func Record(ctx context.Context, tx *ent.Tx, dialectName string, mode campaign.RankingMode, r Result) (Written, error) {
	q := Upsert(mode, "VALUES ("+upsertRow(dialectName)+")") + " RETURNING " + WrittenColumns
	rows, err := tx.QueryContext(ctx, Rebind(dialectName, q), r.upsertArgs()...)
	if err != nil {
		return Written{}, fmt.Errorf("ranking: record standing: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return Written{}, fmt.Errorf("ranking: record standing: %w", err)
		}
		return Written{}, fmt.Errorf("ranking: record standing: no row returned")
	}
	w, err := scanWritten(r, rows.Scan)
	if err != nil {
		return Written{}, err
	}
	return w, rows.Close()
}

// Upsert is the statement Record runs, for callers that write a standing
// as part of a larger statement: rows come from source, a VALUES list or a
// SELECT of the same columns, and a RETURNING of WrittenColumns reads them back.
func Upsert(mode campaign.RankingMode, source string) string {
	var set string
	switch mode {
	case campaign.RankingModeTOTAL_SCORE:
		set = `score = standings.score + excluded.score,
			duration_ms = standings.duration_ms + excluded.duration_ms,
			achieved_at = excluded.achieved_at`
	default:
		// A new best must be strictly better: an equal result later keeps
		// the earlier achievement. Every SET expression sees the old row.
		better := `(excluded.score > standings.score OR
			(excluded.score = standings.score AND excluded.duration_ms < standings.duration_ms))`
		set = `score = CASE WHEN ` + better + ` THEN excluded.score ELSE standings.score END,
			duration_ms = CASE WHEN ` + better + ` THEN excluded.duration_ms ELSE standings.duration_ms END,
			achieved_at = CASE WHEN ` + better + ` THEN excluded.achieved_at ELSE standings.achieved_at END`
	}
	return `INSERT INTO standings (campaign_id, participant_id, score, duration_ms, achieved_at, attempts, hidden, change)
		` + source + `
		ON CONFLICT (campaign_id, participant_id) DO UPDATE SET
			attempts = standings.attempts + 1,
			change = excluded.change,
			` + set
}

// upsertRow is the row an Upsert writes, with ? for Result.upsertArgs.
// hidden is read from the participant so that a block committed between
// the submit's check and this write still hides the row.
func upsertRow(dialectName string) string {
	return "?, ?, ?, ?, ?, 1, (SELECT blocked FROM participants WHERE id = ?), " + NextChange(dialectName)
}

// upsertArgs are the arguments of upsertRow's placeholders.
func (r Result) upsertArgs() []any {
	return []any{r.CampaignID, r.ParticipantID, r.Score, r.DurationMs, r.At, r.ParticipantID}
}

// WrittenColumns are the columns an Upsert returns, in the order Record reads them.
const WrittenColumns = "score, duration_ms, achieved_at, attempts, hidden, change"

// scanWritten reads the WrittenColumns of r's standing with scan.
func scanWritten(r Result, scan func(dest ...any) error) (Written, error) {
	w := Written{CampaignID: r.CampaignID}
	if err := scan(&w.Score, &w.DurationMs, &w.AchievedAt, &w.Attempts, &w.Row.Hidden, &w.Row.Change); err != nil {
		return Written{}, fmt.Errorf("ranking: read recorded standing: %w", err)
	}
	var err error
	if w.Row.Key, err = MakeKey(w.Score, w.DurationMs, w.AchievedAt, r.ParticipantID); err != nil {
		return Written{}, err
	}
	return w, nil
}

// NextChange is the SQL expression that numbers a Standing write. On
// PostgreSQL it is a sequence: numbers may commit out of order, which the
// feed's holes allow for. SQLite has one writer at a time (transactions
// begin immediate), so the next number after the largest is enough.
func NextChange(dialectName string) string {
	if dialectName == dialect.Postgres {
		return "nextval('" + store.StandingChanges + "')"
	}
	return "(SELECT COALESCE(MAX(change), 0) + 1 FROM standings)"
}

// Rebind turns the ? placeholders of q into PostgreSQL's $n. The queries of
// this package hold no ? inside literals.
func Rebind(dialectName, q string) string {
	if dialectName != dialect.Postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for _, c := range q {
		if c == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}
