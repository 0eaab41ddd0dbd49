// Package participants lets admins block and unblock players. A blocked
// player cannot start attempts, leaves the public ranking (their Standing
// rows are hidden) and is never in a draw pool.
package participants

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"prizequiz/ent"
	"prizequiz/ent/standing"
	"prizequiz/internal/apperr"
	"prizequiz/internal/audit"
	"prizequiz/internal/ranking"
	"prizequiz/internal/store"
)

// MaxReasonRunes bounds a block reason.
const MaxReasonRunes = 500

// Service blocks and unblocks participants.
type Service struct {
	DB *store.DB
	// Ranks, when set, takes the block into its rank indexes at once.
	Ranks *ranking.Ranks
}

// Block blocks a participant, giving a reason for the record.
func (s *Service) Block(ctx context.Context, id int, reason string) (*ent.Participant, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > MaxReasonRunes {
		return nil, apperr.Invalidf("reason: 1 to %d characters (请填写禁赛原因)", MaxReasonRunes)
	}
	return s.set(ctx, id, true, &reason)
}

// Unblock lifts a block.
func (s *Service) Unblock(ctx context.Context, id int) (*ent.Participant, error) {
	return s.set(ctx, id, false, nil)
}

func (s *Service) set(ctx context.Context, id int, blocked bool, reason *string) (*ent.Participant, error) {
	var after *ent.Participant
	err := store.InTx(ctx, s.DB.Client, func(ctx context.Context, tx *ent.Client) error {
		p, err := tx.Participant.Get(ctx, id)
		if ent.IsNotFound(err) {
			return apperr.NotFoundf("participant %d not found", id)
		}
		if err != nil {
			return fmt.Errorf("participants: get: %w", err)
		}
		u := tx.Participant.UpdateOne(p).SetBlocked(blocked)
		if reason != nil {
			u.SetBlockedReason(*reason)
		} else {
			u.ClearBlockedReason()
		}
		if after, err = u.Save(ctx); err != nil {
			return fmt.Errorf("participants: update: %w", err)
		}
		// A new change number per row carries the block to every
		// process's rank index. One row at a time: SQLite evaluates the
		// next-number subquery once per statement, and the feed needs each
		// row's number to be its own.
		ids, err := tx.Standing.Query().Where(standing.ParticipantID(id)).IDs(ctx)
		if err != nil {
			return fmt.Errorf("participants: find standings: %w", err)
		}
		for _, sid := range ids {
			_, err = tx.ExecContext(ctx, ranking.Rebind(s.DB.Dialect,
				"UPDATE standings SET hidden = ?, change = "+ranking.NextChange(s.DB.Dialect)+" WHERE id = ?"), blocked, sid)
			if err != nil {
				return fmt.Errorf("participants: hide standings: %w", err)
			}
		}
		audit.Describe(ctx, "Participant:"+p.PublicID,
			map[string]any{"blocked": p.Blocked, "reason": p.BlockedReason},
			map[string]any{"blocked": blocked, "reason": reason})
		store.AfterCommit(ctx, func() {
			if s.Ranks != nil {
				// The leaderboard drops a blocked player now, not at the
				// next poll.
				if err := s.Ranks.CatchUp(context.WithoutCancel(ctx)); err != nil {
					s.Ranks.Wrote() // the feed tries again
				}
			}
		})
		return nil
	})
	return after, err
}
