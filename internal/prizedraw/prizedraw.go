// Package prizedraw runs a campaign's periods through the verifiable draw
// of SPEC §4: commit when a period opens, freeze the pool at its cutoff,
// draw with public entropy, publish, disqualify and claim. The algorithm
// itself lives in internal/draw, which knows nothing of the database.
package prizedraw

import (
	"context"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"prizequiz/ent"
	"prizequiz/ent/drawentry"
	"prizequiz/ent/period"
	"prizequiz/ent/winner"
	"prizequiz/internal/apperr"
	"prizequiz/internal/audit"
	"prizequiz/internal/campaigns"
	"prizequiz/internal/clock"
	"prizequiz/internal/draw"
	"prizequiz/internal/events"
	"prizequiz/internal/store"
)

// tickLockKey keeps one scheduler at a time across processes.
const tickLockKey = 0x70715f7469636b // "pq_tick"

// Service runs draws.
type Service struct {
	DB       *store.DB
	Clock    clock.Clock
	Revealed *events.Broker[*Proof] // topic: period id
}

// Proof is a drawn period's proof with the disqualifications since.
type Proof struct {
	draw.Proof
	Disqualifications []Disqualification
}

// Disqualification records a winner removed after the draw and who stepped in.
type Disqualification struct {
	PublicID    string
	DrawOrder   int
	Reason      string
	At          time.Time
	ReplacedBy  *string
	Replacement *int
}

// Topic is the events topic of a period.
func Topic(periodID int) string { return fmt.Sprint(periodID) }

// Tick commits the periods that have opened and freezes the pools of those
// whose cutoff has passed. `serve` runs it every second; it runs once across
// processes at a time, and each step is a conditional write, so no period
// is committed or frozen twice.
func (s *Service) Tick(ctx context.Context) (int, error) {
	now := s.Clock.Now()
	n := 0
	err := store.InTx(ctx, s.DB.Client, func(ctx context.Context, tx *ent.Client) error {
		ok, err := s.DB.TryLock(ctx, tx, tickLockKey)
		if err != nil || !ok {
			return err
		}
		opened, err := tx.Period.Query().
			Where(period.CommitmentRecordIsNil(), period.StartsAtLTE(now), period.EndsAtGT(now)).
			WithCampaign().Limit(100).All(ctx)
		if err != nil {
			return fmt.Errorf("prizedraw: opened periods: %w", err)
		}
		for _, p := range opened {
			if err := commit(ctx, tx, p, p.Edges.Campaign); err != nil {
				return err
			}
			n++
		}
		closed, err := tx.Period.Query().
			Where(period.PoolFrozenAtIsNil(), period.CommitmentRecordNotNil(), period.EndsAtLTE(now)).
			WithCampaign().Limit(10).All(ctx)
		if err != nil {
			return fmt.Errorf("prizedraw: closed periods: %w", err)
		}
		for _, p := range closed {
			if err := s.freeze(ctx, tx, p, p.Edges.Campaign); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// commitment builds a period's commitment for seed digest h.
func commitment(p *ent.Period, c *ent.Campaign, h string) draw.Commitment {
	entropy := c.EntropySource
	if entropy == campaigns.EntropyDrand {
		entropy = draw.EntropyFor(p.EndsAt)
	}
	return draw.Commitment{
		Campaign: c.PublicID, Period: p.Index, Cutoff: p.EndsAt, PoolSize: c.PoolSize,
		Winners: c.WinnersPerPeriod, ExcludePreviousWinners: c.ExcludePreviousWinners,
		Entropy: entropy, ServerSeedSHA256: h,
	}
}

// commit draws the secret S and publishes the commitment record of an open period.
func commit(ctx context.Context, tx *ent.Client, p *ent.Period, c *ent.Campaign) error {
	secret, err := draw.NewSecret()
	if err != nil {
		return fmt.Errorf("prizedraw: secret: %w", err)
	}
	cm := commitment(p, c, draw.SeedDigest(secret))
	if err := cm.Validate(); err != nil {
		return fmt.Errorf("prizedraw: commitment of period %d: %w", p.ID, err)
	}
	return tx.Period.Update().
		Where(period.ID(p.ID), period.CommitmentRecordIsNil()).
		SetCommitmentRecord(string(cm.Record())).
		SetCommitmentDigest(cm.Digest()).
		SetServerSeed(secret).
		Exec(ctx)
}

// freeze stores the pool at the cutoff as DrawEntry rows and publishes its digest.
func (s *Service) freeze(ctx context.Context, tx *ent.Client, p *ent.Period, c *ent.Campaign) error {
	entries, ids, err := ComputePool(ctx, tx, c, p)
	if err != nil {
		return err
	}
	n, err := tx.Period.Update().
		Where(period.ID(p.ID), period.PoolFrozenAtIsNil()).
		SetPoolDigest(draw.PoolDigest(entries)).
		SetPoolFrozenAt(s.Clock.Now()).
		Save(ctx)
	if err != nil || n == 0 {
		return err
	}
	creates := make([]*ent.DrawEntryCreate, len(entries))
	for i, e := range entries {
		creates[i] = tx.DrawEntry.Create().SetPeriodID(p.ID).SetRank(e.Rank).SetPublicID(e.PublicID).
			SetScore(e.Score).SetDurationMs(e.DurationMs).SetParticipantID(ids[i])
	}
	return store.InBatches(creates, func(b []*ent.DrawEntryCreate) error {
		if err := tx.DrawEntry.CreateBulk(b...).Exec(ctx); err != nil {
			return fmt.Errorf("prizedraw: store pool: %w", err)
		}
		return nil
	})
}

func (s *Service) period(ctx context.Context, tx *ent.Client, id int) (*ent.Period, error) {
	p, err := tx.Period.Query().Where(period.ID(id)).WithCampaign().Only(ctx)
	if ent.IsNotFound(err) {
		return nil, apperr.NotFoundf("period %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("prizedraw: period: %w", err)
	}
	return p, nil
}

// Pool returns a period's frozen pool, freezing it first if its cutoff has
// passed; nil before the cutoff.
func (s *Service) Pool(ctx context.Context, periodID int) ([]draw.Entry, error) {
	var out []draw.Entry
	err := store.InTx(ctx, s.DB.Client, func(ctx context.Context, tx *ent.Client) error {
		p, err := s.period(ctx, tx, periodID)
		if err != nil {
			return err
		}
		out, err = s.pool(ctx, tx, p)
		return err
	})
	return out, err
}

func (s *Service) pool(ctx context.Context, tx *ent.Client, p *ent.Period) ([]draw.Entry, error) {
	if s.Clock.Now().Before(p.EndsAt) || p.CommitmentRecord == nil {
		return nil, nil
	}
	if p.PoolFrozenAt == nil {
		if err := s.freeze(ctx, tx, p, p.Edges.Campaign); err != nil {
			return nil, err
		}
	}
	rows, err := tx.DrawEntry.Query().Where(drawentry.HasPeriodWith(period.ID(p.ID))).Order(drawentry.ByRank()).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("prizedraw: pool: %w", err)
	}
	out := make([]draw.Entry, len(rows))
	for i, r := range rows {
		out[i] = draw.Entry{Rank: r.Rank, PublicID: r.PublicID, Score: r.Score, DurationMs: r.DurationMs}
	}
	return out, nil
}

// Run draws a period's winners with the external entropy: for drand the
// signature of the committed round in hex, for a declared source the
// public result's text. A period is drawn exactly once.
func (s *Service) Run(ctx context.Context, periodID int, externalEntropy string) (*Proof, error) {
	var proof *Proof
	err := store.InTx(ctx, s.DB.Client, func(ctx context.Context, tx *ent.Client) error {
		p, err := s.period(ctx, tx, periodID)
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		switch {
		case p.DrawnAt != nil:
			return apperr.New(apperr.DrawAlreadyDone, "period %d was drawn at %s (本期已开奖)", p.Index, p.DrawnAt.Format(time.RFC3339))
		case now.Before(p.EndsAt):
			return apperr.New(apperr.DrawNotReady, "period %d is cut at %s; draw after the cutoff (未到本期截止时间)", p.Index, p.EndsAt.Format(time.RFC3339))
		case p.CommitmentRecord == nil:
			return apperr.New(apperr.DrawNotReady, "period %d has no commitment published before its cutoff, so it cannot be drawn verifiably (本期未在开始时公布承诺，无法开奖)", p.Index)
		}
		cm, err := draw.ParseRecord([]byte(*p.CommitmentRecord))
		if err != nil {
			return fmt.Errorf("prizedraw: stored record: %w", err)
		}
		src, err := draw.ParseEntropySource(cm.Entropy)
		if err != nil {
			return fmt.Errorf("prizedraw: stored entropy source: %w", err)
		}
		externalEntropy = strings.TrimSpace(externalEntropy)
		switch {
		case externalEntropy == "":
			return apperr.Invalidf("externalEntropy: required (请填写随机源结果)")
		case src.Kind == draw.KindDrand && now.Before(draw.RoundTime(src.Round)):
			return apperr.New(apperr.DrawNotReady, "drand quicknet round %d is published at %s (随机数尚未公布)", src.Round, draw.RoundTime(src.Round).Format(time.RFC3339))
		case src.Kind == draw.KindDrand:
			if err := draw.VerifyQuicknet(src.Round, externalEntropy); err != nil {
				return apperr.Invalidf("externalEntropy: not the quicknet signature of round %d: %v (签名校验失败)", src.Round, err)
			}
		}
		pool, err := s.pool(ctx, tx, p)
		if err != nil {
			return err
		}
		res, err := draw.Draw(draw.Inputs{Commitment: cm, Pool: pool, Entropy: externalEntropy, ServerSeed: deref(p.ServerSeed)})
		if err != nil {
			return fmt.Errorf("prizedraw: draw period %d: %w", p.ID, err)
		}
		n, err := tx.Period.Update().
			Where(period.ID(p.ID), period.DrawnAtIsNil()).
			SetDrawnAt(now).
			SetEntropy(res.Proof(now).Entropy).
			SetEntropyDigest(res.EntropyDigest).
			SetDrawOrder(res.OrderIDs).
			SetWinnersCount(res.Winners).
			SetWinnersDigest(res.WinnersDigest).
			Save(ctx)
		if err != nil {
			return fmt.Errorf("prizedraw: record draw: %w", err)
		}
		if n == 0 {
			return apperr.New(apperr.DrawAlreadyDone, "period %d was drawn meanwhile (本期已开奖)", p.Index)
		}
		ids := map[string]int{}
		entries, err := tx.DrawEntry.Query().Where(drawentry.HasPeriodWith(period.ID(p.ID))).All(ctx)
		if err != nil {
			return fmt.Errorf("prizedraw: pool rows: %w", err)
		}
		for _, e := range entries {
			ids[e.PublicID] = e.ParticipantID
		}
		creates := make([]*ent.WinnerCreate, len(res.OrderIDs))
		for i, pub := range res.OrderIDs {
			creates[i] = tx.Winner.Create().SetPeriodID(p.ID).SetDrawOrder(i + 1).SetAlternate(i >= res.Winners).
				SetPublicID(pub).SetParticipantID(ids[pub]).SetCreatedAt(now)
		}
		err = store.InBatches(creates, func(b []*ent.WinnerCreate) error {
			if err := tx.Winner.CreateBulk(b...).Exec(ctx); err != nil {
				return fmt.Errorf("prizedraw: store winners: %w", err)
			}
			return nil
		})
		if err != nil {
			return err
		}
		proof = &Proof{Proof: res.Proof(now)}
		if s.Revealed != nil {
			store.AfterCommit(ctx, func() { s.Revealed.Publish(Topic(periodID), proof) })
		}
		audit.Describe(ctx, fmt.Sprintf("Period:%d", p.ID), nil, map[string]any{
			"winners": res.Winners, "winnersDigest": res.WinnersDigest, "entropyDigest": res.EntropyDigest,
		})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return proof, nil
}

// ProofOf returns a drawn period's proof, or nil before the draw.
func (s *Service) ProofOf(ctx context.Context, periodID int) (*Proof, error) {
	c := store.Client(ctx, s.DB.Client)
	p, err := s.period(ctx, c, periodID)
	if err != nil || p.DrawnAt == nil {
		return nil, err
	}
	pool, err := s.pool(ctx, c, p)
	if err != nil {
		return nil, err
	}
	proof := &Proof{Proof: draw.Proof{
		Algorithm:        draw.Algorithm,
		CommitmentRecord: *p.CommitmentRecord,
		CommitmentDigest: *p.CommitmentDigest,
		PoolFile:         string(draw.PoolFile(pool)),
		PoolDigest:       *p.PoolDigest,
		EntropySource:    entropySource(*p.CommitmentRecord),
		Entropy:          *p.Entropy,
		EntropyDigest:    *p.EntropyDigest,
		ServerSeed:       hex.EncodeToString(deref(p.ServerSeed)),
		Order:            p.DrawOrder,
		WinnersCount:     *p.WinnersCount,
		WinnersDigest:    *p.WinnersDigest,
		DrawnAt:          p.DrawnAt.UTC(),
	}}
	dq, err := c.Winner.Query().Where(winner.HasPeriodWith(period.ID(p.ID)), winner.Disqualified(true)).
		Order(winner.ByDisqualifiedAt()).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("prizedraw: disqualifications: %w", err)
	}
	for _, w := range dq {
		d := Disqualification{PublicID: w.PublicID, DrawOrder: w.DrawOrder, Reason: deref(w.DisqualifyReason), At: deref(w.DisqualifiedAt)}
		rep, err := c.Winner.Query().Where(winner.HasPeriodWith(period.ID(p.ID)), winner.PromotedAtEQ(d.At)).First(ctx)
		if err == nil {
			d.ReplacedBy, d.Replacement = &rep.PublicID, &rep.DrawOrder
		} else if !ent.IsNotFound(err) {
			return nil, fmt.Errorf("prizedraw: replacement: %w", err)
		}
		proof.Disqualifications = append(proof.Disqualifications, d)
	}
	return proof, nil
}

func entropySource(record string) string {
	cm, err := draw.ParseRecord([]byte(record))
	if err != nil {
		return ""
	}
	return cm.Entropy
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// Publish makes a drawn period's winners public.
func (s *Service) Publish(ctx context.Context, periodID int) (*ent.Period, error) {
	var out *ent.Period
	err := store.InTx(ctx, s.DB.Client, func(ctx context.Context, tx *ent.Client) error {
		p, err := s.period(ctx, tx, periodID)
		if err != nil {
			return err
		}
		if p.DrawnAt == nil {
			return apperr.New(apperr.DrawNotReady, "period %d has not been drawn (尚未开奖)", p.Index)
		}
		if p.PublishedAt != nil {
			out = p
			return nil // publishing twice changes nothing
		}
		out, err = tx.Period.UpdateOne(p).SetPublishedAt(s.Clock.Now()).Save(ctx)
		if err != nil {
			return fmt.Errorf("prizedraw: publish: %w", err)
		}
		audit.Describe(ctx, fmt.Sprintf("Period:%d", p.ID), nil, map[string]any{"published": true})
		return nil
	})
	return out, err
}

// Disqualify removes a winner and gives the place to the first alternate
// in draw order still waiting.
func (s *Service) Disqualify(ctx context.Context, winnerID int, reason string) (*ent.Winner, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, apperr.Invalidf("reason: required (请填写取消资格的原因)")
	}
	var out *ent.Winner
	err := store.InTx(ctx, s.DB.Client, func(ctx context.Context, tx *ent.Client) error {
		w, err := tx.Winner.Query().Where(winner.ID(winnerID)).WithPeriod().Only(ctx)
		if ent.IsNotFound(err) {
			return apperr.NotFoundf("winner %d not found", winnerID)
		}
		if err != nil {
			return fmt.Errorf("prizedraw: winner: %w", err)
		}
		if w.Disqualified || w.Alternate {
			return apperr.Invalidf("winner %d is not a current winner (不是当前获奖者)", winnerID)
		}
		now := s.Clock.Now()
		n, err := tx.Winner.Update().Where(winner.ID(w.ID), winner.Disqualified(false)).
			SetDisqualified(true).SetDisqualifyReason(reason).SetDisqualifiedAt(now).Save(ctx)
		if err != nil || n == 0 {
			return err
		}
		next, err := tx.Winner.Query().
			Where(winner.HasPeriodWith(period.ID(w.Edges.Period.ID)), winner.Alternate(true), winner.Disqualified(false)).
			Order(winner.ByDrawOrder()).First(ctx)
		replaced := "none: no alternate left"
		switch {
		case ent.IsNotFound(err):
		case err != nil:
			return fmt.Errorf("prizedraw: next alternate: %w", err)
		default:
			if err := tx.Winner.UpdateOne(next).SetAlternate(false).SetPromotedAt(now).Exec(ctx); err != nil {
				return fmt.Errorf("prizedraw: promote alternate: %w", err)
			}
			replaced = next.PublicID
		}
		out, err = tx.Winner.Get(ctx, w.ID)
		audit.Describe(ctx, fmt.Sprintf("Winner:%d", w.ID),
			map[string]any{"publicID": w.PublicID, "drawOrder": w.DrawOrder},
			map[string]any{"disqualified": true, "reason": reason, "replacedBy": replaced})
		return err
	})
	return out, err
}

// EntropyOf returns the entropy source that will seed a period's draw, as
// committed, or as it will be committed; and when a drand round appears.
func EntropyOf(p *ent.Period, c *ent.Campaign) (string, *time.Time) {
	src := commitment(p, c, "").Entropy
	if p.CommitmentRecord != nil {
		src = entropySource(*p.CommitmentRecord)
	}
	if es, err := draw.ParseEntropySource(src); err == nil && es.Kind == draw.KindDrand {
		t := draw.RoundTime(es.Round)
		return src, &t
	}
	return src, nil
}
