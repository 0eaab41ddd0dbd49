package auth

import (
	"context"

	"prizequiz/ent"
	"prizequiz/ent/admin"
	"prizequiz/internal/apperr"
)

// Principal is who made a request: a participant, an admin, or nobody.
type Principal struct {
	ParticipantID int
	// Blocked is whether the participant was blocked from the contest
	// when this request's token was checked.
	Blocked bool
	Admin   *ent.Admin
	// TokenID is the stored token the request came with, for sign-out.
	TokenID int
	// BadToken is set when a token was sent but is unknown, expired or revoked.
	BadToken bool
}

type principalKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the principal of ctx (zero when anonymous).
func PrincipalFrom(ctx context.Context) Principal {
	p, _ := ctx.Value(principalKey{}).(Principal)
	return p
}

func unauthenticated(p Principal) error {
	if p.BadToken {
		return apperr.New(apperr.Unauthenticated, "invalid or expired token: sign in again")
	}
	return apperr.New(apperr.Unauthenticated, "sign in first: send Authorization: Bearer <token>")
}

// RequireParticipant returns the signed-in participant's id.
func RequireParticipant(ctx context.Context) (int, error) {
	p := PrincipalFrom(ctx)
	switch {
	case p.ParticipantID != 0:
		return p.ParticipantID, nil
	case p.Admin != nil:
		return 0, apperr.New(apperr.Forbidden, "this operation is for players; admins sign in as a player to play")
	}
	return 0, unauthenticated(p)
}

// roleRank orders roles: each role may do what the ones below it may.
var roleRank = map[admin.Role]int{admin.RoleVIEWER: 1, admin.RoleEDITOR: 2, admin.RoleOWNER: 3}

// RequireRole returns the signed-in admin when their role is at least min.
func RequireRole(ctx context.Context, min admin.Role) (*ent.Admin, error) {
	p := PrincipalFrom(ctx)
	switch {
	case p.Admin != nil:
		if roleRank[p.Admin.Role] < roleRank[min] {
			return nil, apperr.New(apperr.Forbidden, "this operation needs the %s role", min)
		}
		return p.Admin, nil
	case p.ParticipantID != 0:
		return nil, apperr.New(apperr.Forbidden, "this operation is for admins")
	}
	return nil, unauthenticated(p)
}
