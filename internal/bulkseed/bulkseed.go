// Package bulkseed fills a campaign with ranked participants directly in
// the database, for benchmarks at a million players: going through
// signInGuest and submitAttempt would take hours. The rows are those the
// real write path leaves: a guest participant, and one Standing row whose
// hidden flag is the participant's block and whose change number comes
// from the same source as ranking.Record's, so the rank index loads them
// and leaderboard and myStanding answer for them.
package bulkseed

import (
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	"github.com/lib/pq"

	"prizequiz/ent"
	"prizequiz/ent/campaign"
	"prizequiz/ent/participant"
	"prizequiz/ent/questionbank"
	"prizequiz/internal/auth"
	"prizequiz/internal/bank"
	"prizequiz/internal/campaigns"
	"prizequiz/internal/demo"
	"prizequiz/internal/randid"
	"prizequiz/internal/store"
)

// Options says what to seed.
type Options struct {
	// CampaignID is the campaign to fill; 0 creates one on the demo bank
	// (creating the bank too when the database has none).
	CampaignID int
	// Participants is how many participants to create, each with a standing.
	Participants int
	// Mode is the ranking mode of a new campaign. For an existing campaign
	// it must be empty or the campaign's own.
	Mode campaign.RankingMode
	// Blocked is the share (0..1) of participants created blocked: their
	// standings are hidden, as a block leaves them.
	Blocked float64
	// Tokens is how many session tokens to issue, each to a different
	// sampled unblocked participant, for myStanding runs.
	Tokens int
	// Seed makes the data reproducible, tokens aside (so the same seed
	// twice in one database collides on public ids); 0 picks one at random.
	Seed uint64
	// Now is the time the standings are achieved before (default the
	// wall clock).
	Now time.Time
	// Progress, when set, is told what the seeding is doing.
	Progress func(msg string)
}

// Session is a seeded participant's bearer token.
type Session struct {
	ParticipantID int    `json:"participantID"`
	PublicID      string `json:"publicID"`
	Token         string `json:"token"`
}

// Result is what Seed created.
type Result struct {
	CampaignID   int       `json:"campaignID"`
	RankingMode  string    `json:"rankingMode"`
	Participants int       `json:"participants"`
	Blocked      int       `json:"blocked"`
	Sessions     []Session `json:"sessions"`
	Seconds      float64   `json:"seconds"`
}

// Person is one generated participant with its standing.
type Person struct {
	PublicID, Nickname, Subject, Fingerprint string
	Blocked                                  bool
	CreatedAt                                time.Time
	Score                                    int
	DurationMs                               int64
	AchievedAt                               time.Time
	Attempts                                 int
}

// batchRows bounds a SQLite multi-row INSERT: 11 values a row stays well
// under SQLite's 32,766 bound variables.
const batchRows = 500

// txRows bounds a SQLite transaction, so a server sharing the file waits
// for the write lock a moment, not for the whole seeding.
const txRows = 50_000

// Seed creates o.Participants participants with standings in a campaign.
func Seed(ctx context.Context, db *store.DB, o Options) (*Result, error) {
	start := time.Now()
	if o.Participants < 0 || o.Blocked < 0 || o.Blocked > 1 || o.Tokens < 0 {
		return nil, fmt.Errorf("bulkseed: participants, tokens and blocked share must not be negative (blocked at most 1)")
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.Seed == 0 {
		o.Seed = rand.Uint64()
	}
	progress := o.Progress
	if progress == nil {
		progress = func(string) {}
	}
	c, err := target(ctx, db, o)
	if err != nil {
		return nil, err
	}
	people := Generate(c, o.Participants, o.Blocked, o.Now, o.Seed)
	progress(fmt.Sprintf("writing %d participants with standings to campaign %d (%s, %s)", len(people), c.ID, c.RankingMode, db.Dialect))
	if db.Dialect == dialect.Postgres {
		err = writePostgres(ctx, db.SQL, c.ID, people)
	} else {
		err = writeSQLite(ctx, db.SQL, c.ID, people, progress)
	}
	if err != nil {
		return nil, err
	}
	res := &Result{CampaignID: c.ID, RankingMode: c.RankingMode.String(), Participants: len(people)}
	for _, p := range people {
		if p.Blocked {
			res.Blocked++
		}
	}
	if res.Sessions, err = issueTokens(ctx, db.Client, people, o.Tokens, o.Now, o.Seed); err != nil {
		return nil, err
	}
	res.Seconds = time.Since(start).Seconds()
	return res, nil
}

// target returns the campaign to fill, creating it when o names none.
func target(ctx context.Context, db *store.DB, o Options) (*ent.Campaign, error) {
	if o.CampaignID != 0 {
		c, err := db.Client.Campaign.Get(ctx, o.CampaignID)
		if err != nil {
			return nil, fmt.Errorf("bulkseed: campaign %d: %w", o.CampaignID, err)
		}
		if o.Mode != "" && o.Mode != c.RankingMode {
			return nil, fmt.Errorf("bulkseed: campaign %d ranks by %s, not %s", c.ID, c.RankingMode, o.Mode)
		}
		return c, nil
	}
	banks := &bank.Service{Client: db.Client, Clock: wall{}}
	b, err := db.Client.QuestionBank.Query().Where(questionbank.Name(demo.BankName)).First(ctx)
	if ent.IsNotFound(err) {
		if b, err = banks.CreateBank(ctx, bank.BankInput{Name: demo.BankName}); err != nil {
			return nil, err
		}
		qs, err := demo.Questions(b.ID)
		if err != nil {
			return nil, err
		}
		for _, q := range qs {
			if _, err := banks.CreateQuestion(ctx, q); err != nil {
				return nil, err
			}
		}
	} else if err != nil {
		return nil, fmt.Errorf("bulkseed: find the demo bank: %w", err)
	}
	mode := o.Mode
	if mode == "" {
		mode = campaign.RankingModeBEST_ATTEMPT
	}
	// Started three days ago, so achievements spread over time, and still
	// inside its first 7-day period, so no cutoff passes and no draw
	// scheduler computes a pool while a benchmark runs.
	starts := o.Now.Add(-72 * time.Hour).Truncate(time.Second)
	camps := &campaigns.Service{Client: db.Client, Clock: wall{}}
	return camps.Create(ctx, campaigns.Input{
		Name:        fmt.Sprintf("基准测试 %d 人 (%s)", o.Participants, mode),
		BankID:      b.ID,
		StartsAt:    starts,
		EndsAt:      starts.Add(demo.Duration),
		RankingMode: &mode,
	})
}

type wall struct{}

func (wall) Now() time.Time { return time.Now() }

// scoreWeights is how many of 100 attempts answer 0…5 questions right: a
// quiz on a published policy leans to good scores.
var scoreWeights = []int{3, 6, 13, 24, 30, 24}

// Generate makes n participants with the standings their attempts would
// leave in c: each played 1 to 10 attempts (most only one) between the
// campaign's start and now, each attempt scoring a multiple of
// c.PointsPerQuestion and taking 10 s to the time limit; BEST_ATTEMPT
// keeps the best (the earliest among equals), TOTAL_SCORE sums them. The
// result is sorted by achievement, the order the writes would have come in.
func Generate(c *ent.Campaign, n int, blocked float64, now time.Time, seed uint64) []Person {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	from, until := c.StartsAt, now
	if c.EndsAt.Before(until) {
		until = c.EndsAt
	}
	if !until.After(from) {
		until = from.Add(time.Hour)
	}
	span := until.Sub(from)
	limitMs := int64(c.TimeLimitSeconds) * 1000
	minMs := min(int64(10_000), limitMs)
	total := 0
	for _, w := range scoreWeights {
		total += w
	}
	attemptScore := func() int {
		r := rng.IntN(total)
		for right, w := range scoreWeights {
			if r < w {
				// More questions per attempt than the weights know: scale.
				return (right * c.QuestionsPerAttempt / 5) * c.PointsPerQuestion
			}
			r -= w
		}
		return 0
	}
	people := make([]Person, n)
	for i := range people {
		p := &people[i]
		p.PublicID = publicID(rng)
		p.Nickname = fmt.Sprintf("选手%07d", i+1)
		p.Subject = "guest-" + randomBase32(rng, 26)
		var fp [8]byte
		for j := range fp {
			fp[j] = byte(rng.UintN(256))
		}
		p.Fingerprint = hex.EncodeToString(fp[:])
		p.Blocked = rng.Float64() < blocked
		p.Attempts = 1
		for p.Attempts < 10 && rng.IntN(3) == 0 {
			p.Attempts++
		}
		// The attempts' times, in order: the first is the sign-up.
		times := make([]time.Time, p.Attempts)
		for j := range times {
			times[j] = from.Add(time.Duration(rng.Int64N(int64(span)))).Truncate(time.Millisecond)
		}
		slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
		p.CreatedAt = times[0].Add(-time.Duration(rng.IntN(60_000)) * time.Millisecond)
		for j, at := range times {
			score, ms := attemptScore(), minMs+rng.Int64N(limitMs-minMs+1)
			switch {
			case c.RankingMode == campaign.RankingModeTOTAL_SCORE:
				p.Score, p.DurationMs, p.AchievedAt = p.Score+score, p.DurationMs+ms, at
			case j == 0 || score > p.Score || (score == p.Score && ms < p.DurationMs):
				p.Score, p.DurationMs, p.AchievedAt = score, ms, at
			}
		}
	}
	slices.SortStableFunc(people, func(a, b Person) int { return a.AchievedAt.Compare(b.AchievedAt) })
	return people
}

// publicID has the shape of randid.PublicID("p", 12), from rng.
func publicID(rng *rand.Rand) string { return "p" + randomBase32(rng, 12) }

const base32Alphabet = "abcdefghijklmnopqrstuvwxyz234567"

func randomBase32(rng *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = base32Alphabet[rng.IntN(len(base32Alphabet))]
	}
	return string(b)
}

const blockedReason = "bulk seed: a blocked sample"

// writePostgres streams the rows with COPY into a scratch table, then
// inserts them as the real write path would: hidden from the
// participant's block, the change number from the standing_changes
// sequence (in achievement order), all in one transaction.
func writePostgres(ctx context.Context, db *sql.DB, campaignID int, people []Person) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("bulkseed: begin: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE bulkseed (ord int, public_id text, nickname text, subject text,
		fingerprint text, blocked bool, created_at timestamptz, score int, duration_ms bigint, achieved_at timestamptz,
		attempts int) ON COMMIT DROP`); err != nil {
		return fmt.Errorf("bulkseed: scratch table: %w", err)
	}
	stmt, err := tx.PrepareContext(ctx, pq.CopyIn("bulkseed", "ord", "public_id", "nickname", "subject", "fingerprint",
		"blocked", "created_at", "score", "duration_ms", "achieved_at", "attempts"))
	if err != nil {
		return fmt.Errorf("bulkseed: copy: %w", err)
	}
	for i, p := range people {
		if _, err := stmt.ExecContext(ctx, i, p.PublicID, p.Nickname, p.Subject, p.Fingerprint, p.Blocked,
			p.CreatedAt, p.Score, p.DurationMs, p.AchievedAt, p.Attempts); err != nil {
			stmt.Close()
			return fmt.Errorf("bulkseed: copy: %w", err)
		}
	}
	if _, err := stmt.ExecContext(ctx); err != nil {
		stmt.Close()
		return fmt.Errorf("bulkseed: copy: %w", err)
	}
	if err := stmt.Close(); err != nil {
		return fmt.Errorf("bulkseed: copy: %w", err)
	}
	steps := []struct {
		q    string
		args []any
	}{
		{`INSERT INTO participants (public_id, nickname, provider, subject, fingerprint, blocked, blocked_reason, created_at)
			SELECT public_id, nickname, 'GUEST', subject, fingerprint, blocked,
				CASE WHEN blocked THEN $1 END, created_at FROM bulkseed ORDER BY ord`, []any{blockedReason}},
		{`INSERT INTO standings (campaign_id, participant_id, score, duration_ms, achieved_at, attempts, hidden, change)
			SELECT $1, p.id, b.score, b.duration_ms, b.achieved_at, b.attempts, p.blocked, nextval('` + store.StandingChanges + `')
			FROM bulkseed b JOIN participants p ON p.public_id = b.public_id ORDER BY b.ord`, []any{campaignID}},
	}
	for _, s := range steps {
		if _, err := tx.ExecContext(ctx, s.q, s.args...); err != nil {
			return fmt.Errorf("bulkseed: insert: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("bulkseed: commit: %w", err)
	}
	// Fresh statistics, or the planner may walk a million rows it thinks
	// are a few.
	if _, err := db.ExecContext(ctx, "ANALYZE participants, standings"); err != nil {
		return fmt.Errorf("bulkseed: analyze: %w", err)
	}
	return nil
}

// writeSQLite inserts the rows in multi-row INSERTs, in transactions of
// txRows. Transactions begin immediate (see store), so the largest change
// number read at the start of one stays the largest until it commits, as
// ranking.NextChange relies on.
func writeSQLite(ctx context.Context, db *sql.DB, campaignID int, people []Person, progress func(string)) error {
	for done := 0; done < len(people); {
		chunk := people[done:min(done+txRows, len(people))]
		if err := writeSQLiteTx(ctx, db, campaignID, chunk); err != nil {
			return err
		}
		done += len(chunk)
		if len(people) > txRows {
			progress(fmt.Sprintf("%d of %d written", done, len(people)))
		}
	}
	return nil
}

func writeSQLiteTx(ctx context.Context, db *sql.DB, campaignID int, people []Person) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("bulkseed: begin: %w", err)
	}
	defer tx.Rollback()
	var change int64
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(change), 0) FROM standings").Scan(&change); err != nil {
		return fmt.Errorf("bulkseed: newest change: %w", err)
	}
	for len(people) > 0 {
		batch := people[:min(batchRows, len(people))]
		people = people[len(batch):]
		var q strings.Builder
		args := make([]any, 0, len(batch)*8)
		q.WriteString(`INSERT INTO participants (public_id, nickname, provider, subject, fingerprint, blocked, blocked_reason, created_at) VALUES `)
		for i, p := range batch {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(?, ?, 'GUEST', ?, ?, ?, ?, ?)")
			var reason any
			if p.Blocked {
				reason = blockedReason
			}
			args = append(args, p.PublicID, p.Nickname, p.Subject, p.Fingerprint, p.Blocked, reason, p.CreatedAt)
		}
		q.WriteString(" RETURNING id, public_id")
		ids, err := returnedIDs(ctx, tx, q.String(), args, len(batch))
		if err != nil {
			return err
		}
		q.Reset()
		args = args[:0]
		q.WriteString(`INSERT INTO standings (campaign_id, participant_id, score, duration_ms, achieved_at, attempts, hidden, change) VALUES `)
		for i, p := range batch {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(?, ?, ?, ?, ?, ?, ?, ?)")
			change++
			args = append(args, campaignID, ids[p.PublicID], p.Score, p.DurationMs, p.AchievedAt, p.Attempts, p.Blocked, change)
		}
		if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
			return fmt.Errorf("bulkseed: insert standings: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("bulkseed: commit: %w", err)
	}
	return nil
}

// returnedIDs runs an INSERT … RETURNING id, public_id and maps public ids
// to the new ids: SQLite does not promise RETURNING's order.
func returnedIDs(ctx context.Context, tx *sql.Tx, q string, args []any, n int) (map[string]int, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("bulkseed: insert participants: %w", err)
	}
	defer rows.Close()
	ids := make(map[string]int, n)
	for rows.Next() {
		var id int
		var pub string
		if err := rows.Scan(&id, &pub); err != nil {
			return nil, fmt.Errorf("bulkseed: insert participants: %w", err)
		}
		ids[pub] = id
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("bulkseed: insert participants: %w", err)
	}
	if len(ids) != n {
		return nil, fmt.Errorf("bulkseed: inserted %d participants, %d expected", len(ids), n)
	}
	return ids, nil
}

// issueTokens gives k sampled unblocked participants a session token each,
// as signInGuest would have.
func issueTokens(ctx context.Context, client *ent.Client, people []Person, k int, now time.Time, seed uint64) ([]Session, error) {
	if k == 0 {
		return nil, nil
	}
	var open []string
	for _, p := range people {
		if !p.Blocked {
			open = append(open, p.PublicID)
		}
	}
	rng := rand.New(rand.NewPCG(seed, 2))
	rng.Shuffle(len(open), func(i, j int) { open[i], open[j] = open[j], open[i] })
	open = open[:min(k, len(open))]
	sessions := make([]Session, 0, len(open))
	err := store.InBatches(open, func(pubs []string) error {
		ps, err := client.Participant.Query().Where(participant.PublicIDIn(pubs...)).
			Select(participant.FieldID, participant.FieldPublicID).All(ctx)
		if err != nil {
			return fmt.Errorf("bulkseed: find sampled participants: %w", err)
		}
		creates := make([]*ent.AuthTokenCreate, len(ps))
		for i, p := range ps {
			token, hash := randid.Token()
			creates[i] = client.AuthToken.Create().SetTokenHash(hash).SetCreatedAt(now).
				SetExpiresAt(now.Add(auth.ParticipantTokenTTL)).SetParticipantID(p.ID)
			sessions = append(sessions, Session{ParticipantID: p.ID, PublicID: p.PublicID, Token: token})
		}
		if err := client.AuthToken.CreateBulk(creates...).Exec(ctx); err != nil {
			return fmt.Errorf("bulkseed: issue tokens: %w", err)
		}
		return nil
	})
	return sessions, err
}
