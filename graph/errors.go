package graph

import (
	"context"
	"errors"
	"log/slog"
	"math"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"prizequiz/internal/apperr"
	"prizequiz/internal/store"
)

// introspectionDisabled is the text of the plain error gqlgen's generated
// code returns for __schema and __type when introspection is off.
const introspectionDisabled = "introspection disabled"

// TransientMessage is what a client reads when the database is briefly out
// of reach: no driver text, and a hint that trying again helps.
const TransientMessage = "service temporarily unavailable: try again (服务暂时不可用，请稍后重试)"

// complexityLimitExceeded is the code of gqlgen's FixedComplexityLimit.
const complexityLimitExceeded = "COMPLEXITY_LIMIT_EXCEEDED"

// ErrorPresenter turns any resolver error into a GraphQL error carrying a
// SPEC §3 code. Domain errors keep their message; anything else is logged
// and reaches the client only as "internal error", so driver or parser text
// never leaks. Parse and validation errors keep gqlgen's codes. An error
// of a database that is briefly out of reach (store.IsTransient) is INTERNAL
// too, but says so and carries extensions.retryable: true, so clients try
// again rather than give up: every mutation a player repeats is idempotent.
func ErrorPresenter(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		if ae, ok := apperr.As(err); ok {
			gqlErr.Message = ae.Message
			gqlErr.Extensions = map[string]any{"code": string(ae.Code)}
			if ae.RetryAfter > 0 {
				gqlErr.Extensions["retryAfterSeconds"] = int(math.Ceil(ae.RetryAfter.Seconds()))
			}
			return gqlErr
		}
		var ge *gqlerror.Error
		if errors.As(err, &ge) && ge.Err == nil && ge.Extensions["code"] != nil {
			if ge.Extensions["code"] == complexityLimitExceeded {
				// Refused before it runs, like the depth and alias limits:
				// SPEC §3 has no code of its own for it.
				gqlErr.Extensions = map[string]any{"code": errcode.ValidationFailed}
			}
			return gqlErr // GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED and the like
		}
		if gqlErr.Message == introspectionDisabled {
			gqlErr.Message = "introspection is disabled on this server"
			gqlErr.Extensions = map[string]any{"code": string(apperr.Forbidden)}
			return gqlErr
		}
		if store.IsTransient(err) {
			// Expected while the database restarts: one line per request,
			// but not an alarm of its own (/readyz and the pool say more).
			log.WarnContext(ctx, "request failed: database unavailable", "path", gqlErr.Path.String(), "err", err)
			return &gqlerror.Error{
				Message:    TransientMessage,
				Path:       gqlErr.Path,
				Extensions: map[string]any{"code": string(apperr.Internal), "retryable": true},
			}
		}
		log.ErrorContext(ctx, "request failed", "path", gqlErr.Path.String(), "err", err)
		return &gqlerror.Error{
			Message:    "internal error",
			Path:       gqlErr.Path,
			Extensions: map[string]any{"code": string(apperr.Internal)},
		}
	}
}

// RecoverFunc reports a panic in a resolver as INTERNAL, after logging it.
func RecoverFunc(log *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "resolver panic", "panic", p)
		return apperr.New(apperr.Internal, "internal error")
	}
}
