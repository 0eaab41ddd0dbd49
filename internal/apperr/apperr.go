// Package apperr is the one error type of prizequiz's domain: a code from
// SPEC §3 and a message fit for a client. Everything else is internal, is
// logged, and reaches clients only as INTERNAL.
package apperr

import (
	"errors"
	"fmt"
	"time"
)

// Code is an error code of SPEC §3.
type Code string

// The codes of SPEC §3.
const (
	Unauthenticated     Code = "UNAUTHENTICATED"
	Forbidden           Code = "FORBIDDEN"
	NotFound            Code = "NOT_FOUND"
	BadUserInput        Code = "BAD_USER_INPUT"
	CampaignNotActive   Code = "CAMPAIGN_NOT_ACTIVE"
	AttemptExpired      Code = "ATTEMPT_EXPIRED"
	AttemptLimitReached Code = "ATTEMPT_LIMIT_REACHED"
	DrawNotReady        Code = "DRAW_NOT_READY"
	DrawAlreadyDone     Code = "DRAW_ALREADY_DONE"
	RateLimited         Code = "RATE_LIMITED"
	Internal            Code = "INTERNAL"
)

// Error is a domain error a client may see.
type Error struct {
	Code    Code
	Message string
	// RetryAfter, when set, tells a RATE_LIMITED client when to try again.
	RetryAfter time.Duration
}

func (e *Error) Error() string { return string(e.Code) + ": " + e.Message }

// New returns an error with the given code and message.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Limited is a RATE_LIMITED error saying when to retry.
func Limited(retry time.Duration, format string, args ...any) *Error {
	e := New(RateLimited, format, args...)
	e.RetryAfter = retry
	return e
}

// NotFoundf is New(NotFound, ...).
func NotFoundf(format string, args ...any) *Error { return New(NotFound, format, args...) }

// Invalidf is New(BadUserInput, ...).
func Invalidf(format string, args ...any) *Error { return New(BadUserInput, format, args...) }

// CodeOf returns the code of err: "" for nil, Internal when err carries none.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// As returns the domain error inside err, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
