package graph

import (
	"context"
	"errors"
	"log/slog"
	"math"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"prizequiz/internal/apperr"
)

// introspectionDisabled is the text of the plain error gqlgen's generated
// code returns for __schema and __type when introspection is off.
const introspectionDisabled = "introspection disabled"

// ErrorPresenter turns any resolver error into a GraphQL error carrying a
// SPEC §3 code. Domain errors keep their message; anything else is logged
// and reaches the client only as "internal error", so driver or parser text
// never leaks. Parse and validation errors keep gqlgen's codes.
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
			return gqlErr // GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED and the like
		}
		if gqlErr.Message == introspectionDisabled {
			gqlErr.Message = "introspection is disabled on this server"
			gqlErr.Extensions = map[string]any{"code": string(apperr.Forbidden)}
			return gqlErr
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
