package prizedraw

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"

	"prizequiz/ent"
	"prizequiz/ent/campaign"
	"prizequiz/ent/participant"
	"prizequiz/ent/period"
	"prizequiz/ent/winner"
	"prizequiz/internal/apperr"
	"prizequiz/internal/audit"
	"prizequiz/internal/store"
)

// PublicWinner is a place in a published draw as the public sees it.
type PublicWinner struct {
	DrawOrder   int
	Participant *ent.Participant // only PublicID and a masked nickname
	Alternate   bool
}

// MaskNickname hides most of a nickname: 小王 → 小*, 张三丰 → 张*丰.
func MaskNickname(s string) string {
	r := []rune(s)
	switch len(r) {
	case 0, 1:
		return "*"
	case 2:
		return string(r[0]) + "*"
	}
	return string(r[0]) + strings.Repeat("*", len(r)-2) + string(r[len(r)-1])
}

// Public lists a published period's winners in draw order (and, if asked,
// the alternates still waiting); nothing before publication.
func (s *Service) Public(ctx context.Context, periodID int, alternates bool) ([]*PublicWinner, error) {
	c := s.DB.Client
	p, err := s.period(ctx, c, periodID)
	if err != nil {
		return nil, err
	}
	if p.PublishedAt == nil {
		return []*PublicWinner{}, nil
	}
	q := c.Winner.Query().Where(winner.HasPeriodWith(period.ID(p.ID)), winner.Disqualified(false))
	if !alternates {
		q.Where(winner.Alternate(false))
	}
	ws, err := q.Order(winner.ByDrawOrder()).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("prizedraw: winners: %w", err)
	}
	ids := make([]int, len(ws))
	for i, w := range ws {
		ids[i] = w.ParticipantID
	}
	ps, err := c.Participant.Query().Where(participant.IDIn(ids...)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("prizedraw: winner names: %w", err)
	}
	nick := map[int]string{}
	for _, x := range ps {
		nick[x.ID] = x.Nickname
	}
	out := make([]*PublicWinner, len(ws))
	for i, w := range ws {
		out[i] = &PublicWinner{
			DrawOrder:   w.DrawOrder,
			Participant: &ent.Participant{PublicID: w.PublicID, Nickname: MaskNickname(nick[w.ParticipantID])},
			Alternate:   w.Alternate,
		}
	}
	return out, nil
}

// ForAdmins lists every place of a period's draw, winners first.
func (s *Service) ForAdmins(ctx context.Context, periodID int) ([]*ent.Winner, error) {
	ws, err := s.DB.Client.Winner.Query().Where(winner.HasPeriodWith(period.ID(periodID))).
		Order(winner.ByAlternate(), winner.ByDrawOrder()).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("prizedraw: winners: %w", err)
	}
	return ws, nil
}

// Mine lists a participant's prizes in published draws.
func (s *Service) Mine(ctx context.Context, participantID int) ([]*ent.Winner, error) {
	ws, err := s.DB.Client.Winner.Query().
		Where(winner.ParticipantID(participantID), winner.Alternate(false), winner.Disqualified(false),
			winner.HasPeriodWith(period.PublishedAtNotNil())).
		Order(winner.ByCreatedAt()).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("prizedraw: my prizes: %w", err)
	}
	return ws, nil
}

// NormalizeMobile checks a mainland China mobile number and returns it in
// E.164 form (+8613812345678).
func NormalizeMobile(s string) (string, error) {
	bad := apperr.Invalidf("phone: not a mainland China mobile number (请输入有效的中国大陆手机号)")
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 30 {
		return "", bad
	}
	n, err := phonenumbers.Parse(s, "CN")
	if err != nil || !phonenumbers.IsValidNumberForRegion(n, "CN") || phonenumbers.GetNumberType(n) != phonenumbers.MOBILE {
		return "", bad
	}
	return phonenumbers.Format(n, phonenumbers.E164), nil
}

// Claim records a winner's contact details: only by that winner, once, and
// only for a published, current win.
func (s *Service) Claim(ctx context.Context, participantID, winnerID int, name, phone string, address *string) (*ent.Winner, error) {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 50 {
		return nil, apperr.Invalidf("name: 1 to 50 characters (请填写收件人姓名)")
	}
	mobile, err := NormalizeMobile(phone)
	if err != nil {
		return nil, err
	}
	var addr *string
	if address != nil {
		a := strings.TrimSpace(*address)
		if utf8.RuneCountInString(a) > 200 {
			return nil, apperr.Invalidf("address: at most 200 characters (地址最多200字)")
		}
		if a != "" {
			addr = &a
		}
	}
	var out *ent.Winner
	err = store.InTx(ctx, s.DB.Client, func(ctx context.Context, tx *ent.Client) error {
		w, err := tx.Winner.Query().
			Where(winner.ID(winnerID), winner.ParticipantID(participantID), winner.HasPeriodWith(period.PublishedAtNotNil())).
			Only(ctx)
		if ent.IsNotFound(err) {
			return apperr.NotFoundf("prize %d not found", winnerID) // someone else's reveals nothing
		}
		if err != nil {
			return fmt.Errorf("prizedraw: winner: %w", err)
		}
		switch {
		case w.Alternate || w.Disqualified:
			return apperr.Invalidf("this place is not a prize (未获奖或资格已取消)")
		case w.PrizeStatus == winner.PrizeStatusFORFEITED:
			return apperr.Invalidf("this prize was forfeited (奖品已作废)")
		case w.ClaimedAt != nil:
			return apperr.Invalidf("this prize was already claimed (已登记领奖信息)")
		}
		n, err := tx.Winner.Update().Where(winner.ID(w.ID), winner.ClaimedAtIsNil()).
			SetClaimName(name).SetClaimPhone(mobile).SetNillableClaimAddress(addr).SetClaimedAt(s.Clock.Now()).Save(ctx)
		if err != nil {
			return fmt.Errorf("prizedraw: claim: %w", err)
		}
		if n == 0 {
			return apperr.Invalidf("this prize was already claimed (已登记领奖信息)")
		}
		out, err = tx.Winner.Get(ctx, w.ID)
		return err
	})
	return out, err
}

// Update sets a winner's prize status and note.
func (s *Service) Update(ctx context.Context, id int, status winner.PrizeStatus, note *string) (*ent.Winner, error) {
	if err := winner.PrizeStatusValidator(status); err != nil {
		return nil, apperr.Invalidf("prizeStatus: PENDING, CONTACTED, SENT or FORFEITED")
	}
	db := store.Client(ctx, s.DB.Client)
	w, err := db.Winner.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, apperr.NotFoundf("winner %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("prizedraw: winner: %w", err)
	}
	u := db.Winner.UpdateOne(w).SetPrizeStatus(status)
	if note != nil {
		u.SetNote(strings.TrimSpace(*note))
	}
	out, err := u.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("prizedraw: update winner: %w", err)
	}
	audit.Describe(ctx, fmt.Sprintf("Winner:%d", id),
		map[string]any{"prizeStatus": w.PrizeStatus, "note": w.Note},
		map[string]any{"prizeStatus": status, "note": note})
	return out, nil
}

// PurgeContacts erases the claim contact data of a campaign's winners and
// says how many rows it cleared.
func PurgeContacts(ctx context.Context, c *ent.Client, campaignID int) (int, error) {
	n, err := c.Winner.Update().
		Where(winner.HasPeriodWith(period.HasCampaignWith(campaign.ID(campaignID))),
			winner.Or(winner.ClaimNameNotNil(), winner.ClaimPhoneNotNil(), winner.ClaimAddressNotNil())).
		ClearClaimName().ClearClaimPhone().ClearClaimAddress().
		Save(ctx)
	if err != nil {
		return 0, fmt.Errorf("prizedraw: purge contacts: %w", err)
	}
	return n, nil
}
