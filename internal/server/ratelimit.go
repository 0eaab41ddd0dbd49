package server

import (
	"context"
	"math"
	"strconv"

	"github.com/99designs/gqlgen/graphql"

	"prizequiz/internal/apperr"
	"prizequiz/internal/auth"
	"prizequiz/internal/clock"
	"prizequiz/internal/ratelimit"
	"prizequiz/internal/reqinfo"
)

// RateLimits are the request budgets of the public operations. Address
// limits are loose: players on mobile networks share carrier addresses.
type RateLimits struct {
	Off         bool
	GuestSignIn ratelimit.Policy // per client address
	AdminSignIn ratelimit.Policy // per client address, on top of the per-account lock-out
	Play        ratelimit.Policy // per participant, startAttempt and submitAttempt together
}

// DefaultRateLimits are generous for people and tight for scripts.
func DefaultRateLimits() RateLimits {
	return RateLimits{
		GuestSignIn: ratelimit.Policy{PerMinute: 60, Burst: 30},
		AdminSignIn: ratelimit.Policy{PerMinute: 10, Burst: 5},
		Play:        ratelimit.Policy{PerMinute: 60, Burst: 20},
	}
}

// limitFields returns the field middleware enforcing rl.
func limitFields(rl RateLimits, clk clock.Clock) graphql.FieldMiddleware {
	if rl.Off {
		return func(ctx context.Context, next graphql.Resolver) (any, error) { return next(ctx) }
	}
	guest := ratelimit.New(rl.GuestSignIn, clk.Now)
	admin := ratelimit.New(rl.AdminSignIn, clk.Now)
	play := ratelimit.New(rl.Play, clk.Now)
	return func(ctx context.Context, next graphql.Resolver) (any, error) {
		fc := graphql.GetFieldContext(ctx)
		if fc == nil || fc.Object != "Mutation" {
			return next(ctx)
		}
		var lim *ratelimit.Limiter
		var key string
		switch fc.Field.Name {
		case "signInGuest", "signInWeChat":
			lim, key = guest, reqinfo.From(ctx).Addr
		case "adminSignIn":
			lim, key = admin, reqinfo.From(ctx).Addr
		case "startAttempt", "submitAttempt":
			if id := auth.PrincipalFrom(ctx).ParticipantID; id != 0 {
				lim, key = play, strconv.Itoa(id)
			}
		}
		if lim != nil {
			if ok, wait := lim.Allow(key); !ok {
				s := int(math.Ceil(wait.Seconds()))
				return nil, apperr.Limited(wait, "too many requests: try again in %d s (请求过于频繁，请%d秒后再试)", s, s)
			}
		}
		return next(ctx)
	}
}
