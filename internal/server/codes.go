package server

import (
	"encoding/json"
	"mime"
	"net/http"

	"github.com/99designs/gqlgen/graphql"
)

// codedTransportErrors gives BAD_USER_INPUT to the errors that gqlgen's GET
// and multipart transports write themselves: a variables parameter that is
// not JSON, an upload without its operations or map part. Those bypass the
// error presenter and carry no code, while SPEC §3 promises one on every
// error; each is the client's mistake. Errors that went through the
// presenter (GRAPHQL_PARSE_FAILED, NOT_FOUND …) already have a code and
// pass unchanged, as does every answer that is not an error.
func codedTransportErrors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		media, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		// Not a websocket upgrade (a GET too): its connection must stay
		// reachable as the server gave it.
		get := r.Method == http.MethodGet && r.Header.Get("Upgrade") == ""
		if get || (r.Method == http.MethodPost && media == "multipart/form-data") {
			w = &codingWriter{ResponseWriter: w}
		}
		next.ServeHTTP(w, r)
	})
}

// codingWriter rewrites the first body written after a client-error status
// when it is a GraphQL response whose errors have no code. gqlgen writes
// such a body whole, in one Write.
type codingWriter struct {
	http.ResponseWriter
	status  int
	written bool
}

func (w *codingWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *codingWriter) Write(b []byte) (int, error) {
	first := !w.written
	w.written = true
	if !first || w.status < 400 || w.status >= 500 {
		return w.ResponseWriter.Write(b)
	}
	var resp graphql.Response
	if json.Unmarshal(b, &resp) != nil || len(resp.Errors) == 0 {
		return w.ResponseWriter.Write(b)
	}
	for _, e := range resp.Errors {
		if e.Extensions["code"] != nil {
			return w.ResponseWriter.Write(b)
		}
	}
	for _, e := range resp.Errors {
		e.Extensions = map[string]any{"code": "BAD_USER_INPUT"}
	}
	coded, err := json.Marshal(resp)
	if err != nil {
		return w.ResponseWriter.Write(b)
	}
	if _, err := w.ResponseWriter.Write(coded); err != nil {
		return 0, err
	}
	return len(b), nil
}

// Unwrap lets http.ResponseController reach the connection.
func (w *codingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
