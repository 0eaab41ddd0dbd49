package loadgen

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/valyala/fasthttp"
)

// Error codes the load tool gives failures that carry no GraphQL
// extensions.code of their own.
const (
	// CodeTransport is a failed connection, request or response read.
	CodeTransport = "TRANSPORT"
	// CodeTimeout is a request that got no answer within Config.Timeout.
	CodeTimeout = "TIMEOUT"
	// CodeAborted is a request cut off because the run ended (the drain
	// time ran out, or the run was interrupted).
	CodeAborted = "ABORTED"
	// CodeBadResponse is an answer that is not the GraphQL response the
	// tool asked for.
	CodeBadResponse = "BAD_RESPONSE"
	// CodeNoCode is a GraphQL error without extensions.code.
	CodeNoCode = "NO_CODE"
)

// callError is one failed GraphQL call: the code counted in the report and
// the message shown when setting up fails.
type callError struct {
	Code    string
	Message string
}

func (e *callError) Error() string {
	if e.Message == "" {
		return e.Code
	}
	return e.Code + ": " + e.Message
}

// codeOf returns the report code of err, "" for nil.
func codeOf(err error) string {
	if err == nil {
		return ""
	}
	var ce *callError
	if errors.As(err, &ce) {
		return ce.Code
	}
	return CodeTransport
}

// NewHTTPClient returns the client every virtual player shares: one
// connection pool sized for many concurrent keep-alive connections to one
// server. It has no overall Timeout (websockets run on it too); each call
// bounds itself with its context.
func NewHTTPClient(conns int) *http.Client {
	conns = max(conns, 100)
	t := &http.Transport{
		Proxy: nil, // a load test talks to the server directly
		DialContext: (&net.Dialer{
			Timeout:   10 * time.Second,
			KeepAlive: 30 * time.Second,
		}).DialContext,
		// Every player may hold a connection; keep them all idle between
		// calls rather than closing and redialling (and running out of
		// ephemeral ports under TIME_WAIT).
		MaxIdleConns:          0, // no limit across hosts
		MaxIdleConnsPerHost:   conns,
		MaxConnsPerHost:       0, // never queue calls behind a connection cap
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 0, // the call's context bounds it
		ExpectContinueTimeout: time.Second,
		DisableCompression:    true, // small responses; gzip would cost both sides CPU
		ForceAttemptHTTP2:     false,
		WriteBufferSize:       16 << 10,
		ReadBufferSize:        16 << 10,
	}
	return &http.Client{Transport: t}
}

// newGQLClient returns the client of the players' GraphQL calls. It is
// fasthttp's, not net/http's: the load tool shares the machine with the
// server it measures, and net/http's client spent about a third of the
// tool's CPU handing each call between the caller's and the connection's
// goroutines.
func newGQLClient(url string, conns int, timeout time.Duration) *gqlClient {
	return &gqlClient{
		fc: &fasthttp.Client{
			MaxConnsPerHost:     max(conns, 100),
			MaxIdleConnDuration: 90 * time.Second,
			MaxResponseBodySize: 16 << 20,
			ReadBufferSize:      16 << 10,
			WriteBufferSize:     16 << 10,
			// Every call runs to its deadline or its caller's end; a
			// connection cap must never queue it.
			MaxConnWaitTimeout: timeout,
		},
		url: url, timeout: timeout,
	}
}

// gqlClient posts GraphQL documents to one endpoint.
type gqlClient struct {
	fc      *fasthttp.Client
	url     string // …/graphql
	timeout time.Duration
}

type gqlRequest struct {
	Query     string `json:"query"`
	Variables any    `json:"variables,omitempty"`
}

// gqlResponse is an execution result with its data left undecoded.
type gqlResponse struct {
	Data   json.RawMessage `json:"data"`
	Errors []gqlErr        `json:"errors"`
}

type gqlErr struct {
	Message    string `json:"message"`
	Extensions struct {
		Code string `json:"code"`
	} `json:"extensions"`
}

// firstCode is the code of the first error, CodeNoCode when it has none.
func firstCode(errs []gqlErr) (code, msg string) {
	if len(errs) == 0 {
		return "", ""
	}
	code = errs[0].Extensions.Code
	if code == "" {
		code = CodeNoCode
	}
	return code, errs[0].Message
}

// do posts query with vars as the bearer of token ("" for none) and decodes
// data into out (when non-nil). Any failure is a *callError.
func (c *gqlClient) do(ctx context.Context, token, query string, vars any, out any) error {
	body, err := json.Marshal(gqlRequest{Query: query, Variables: vars})
	if err != nil {
		return &callError{Code: CodeBadResponse, Message: err.Error()}
	}
	deadline := time.Now().Add(c.timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	req.SetRequestURI(c.url)
	req.Header.SetMethod(fasthttp.MethodPost)
	req.Header.SetContentType("application/json")
	req.Header.Set("Accept", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.SetBodyRaw(body)
	// fasthttp knows deadlines, not contexts: the call runs beside, so
	// that the end of the run can still cut it off.
	done := make(chan error, 1)
	go func() { done <- c.fc.DoDeadline(req, resp, deadline) }()
	select {
	case err = <-done:
	case <-ctx.Done():
		go func() {
			<-done
			fasthttp.ReleaseRequest(req)
			fasthttp.ReleaseResponse(resp)
		}()
		return transportError(ctx, ctx.Err())
	}
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	if err != nil {
		if errors.Is(err, fasthttp.ErrTimeout) {
			return &callError{Code: CodeTimeout, Message: err.Error()}
		}
		return transportError(ctx, err)
	}
	return decodeResponse(resp.StatusCode(), resp.Body(), out)
}

// decodeResponse reads an HTTP answer to a GraphQL call: data into out
// (when non-nil), or the *callError it carries.
func decodeResponse(status int, raw []byte, out any) error {
	// One pass: data straight into out. Decoding into a RawMessage first
	// and then into out read every response twice, a quarter of the load
	// tool's CPU, which it shares with the server it measures.
	if out == nil {
		out = &struct{}{}
	}
	r := httpResponse{Data: out}
	err := json.Unmarshal(raw, &r)
	var mismatch *json.UnmarshalTypeError
	if err != nil && !errors.As(err, &mismatch) {
		if status != http.StatusOK {
			return &callError{Code: fmt.Sprintf("HTTP_%d", status), Message: snippet(raw)}
		}
		return &callError{Code: CodeBadResponse, Message: snippet(raw)}
	}
	if code, msg := firstCode(r.Errors); code != "" {
		return &callError{Code: code, Message: msg}
	}
	if status != http.StatusOK {
		return &callError{Code: fmt.Sprintf("HTTP_%d", status), Message: snippet(raw)}
	}
	if err != nil {
		return &callError{Code: CodeBadResponse, Message: err.Error()}
	}
	return nil
}

// httpResponse is an execution result whose data decodes into the value
// Data points to.
type httpResponse struct {
	Data   any      `json:"data"`
	Errors []gqlErr `json:"errors"`
}

// transportError classifies a failed round trip: our own deadline, the
// end of the run, or the network.
func transportError(ctx context.Context, err error) *callError {
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return &callError{Code: CodeTimeout, Message: err.Error()}
	case ctx.Err() != nil:
		return &callError{Code: CodeAborted, Message: err.Error()}
	}
	return &callError{Code: CodeTransport, Message: err.Error()}
}

func snippet(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
