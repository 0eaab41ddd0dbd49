package server

import (
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"prizequiz/internal/auth"
)

// Cross-site request forgery: a page on another site can make a browser
// send a GET, or a POST of a form (urlencoded, multipart or text/plain),
// without a CORS preflight, and with no Authorization header, since the
// page cannot set one. Authentication here is that header alone (no
// cookies), so such a request can act only as nobody; these checks make
// sure it also cannot make the server do work or change anything:
//   - a POST must be JSON (which needs a preflight) or a multipart upload;
//   - a multipart upload needs an admin's bearer token, checked before the
//     body (up to MaxUploadBytes) is read;
//   - a GET may only run a query.

// csrfGuard refuses, before any body is read, the /graphql requests a
// cross-site page could send without a preflight and that do more than
// read public data.
func csrfGuard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodPost:
			media, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
			switch media {
			case "application/json":
			case "multipart/form-data":
				if bearer(r.Header.Get("Authorization")) == "" {
					writeError(w, http.StatusUnauthorized, "UNAUTHENTICATED", "uploads need Authorization: Bearer <token>")
					return
				}
			default:
				writeError(w, http.StatusUnsupportedMediaType, "BAD_USER_INPUT",
					"send GraphQL requests as application/json (uploads as multipart/form-data)")
				return
			}
		case http.MethodGet:
			if r.Header.Get("Upgrade") == "" && !queryOnly(r.URL.Query()) {
				w.Header().Set("Allow", "POST")
				writeError(w, http.StatusMethodNotAllowed, "BAD_USER_INPUT", "mutations and subscriptions must be sent with POST")
				return
			}
		case http.MethodOptions: // CORS preflights
		default:
			// gqlgen's own answer ("transport not supported") has no code.
			w.Header().Set("Allow", "GET, POST, OPTIONS")
			writeError(w, http.StatusMethodNotAllowed, "BAD_USER_INPUT", "send GraphQL requests with POST (queries may also use GET)")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// queryOnly reports whether a GET's operation is a query. A document that
// does not parse, or names no single operation, is left to the GraphQL
// handler to refuse with its own code.
func queryOnly(q url.Values) bool {
	src := q.Get("query")
	if strings.TrimSpace(src) == "" {
		return true // a persisted query by hash: gqlgen refuses non-queries over GET itself
	}
	doc, err := parser.ParseQuery(&ast.Source{Input: src})
	if err != nil {
		return true
	}
	var op *ast.OperationDefinition
	if name := q.Get("operationName"); name != "" {
		op = doc.Operations.ForName(name)
	} else if len(doc.Operations) == 1 {
		op = doc.Operations[0]
	}
	return op == nil || op.Operation == ast.Query
}

// uploadsForAdmins refuses a multipart upload from anyone but an admin
// before its body is parsed: only admins import files, and a player's
// token must not buy the right to make the server spool 20 MiB.
func uploadsForAdmins(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		media, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if r.Method == http.MethodPost && media == "multipart/form-data" {
			switch p := auth.PrincipalFrom(r.Context()); {
			case p.Admin != nil:
			case p.ParticipantID != 0:
				writeError(w, http.StatusForbidden, "FORBIDDEN", "uploads are for admins")
				return
			default:
				writeError(w, http.StatusUnauthorized, "UNAUTHENTICATED", "invalid or expired token: sign in again")
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// tokenParams are query parameter names, besides any ending in "token"
// (access_token, id_token …), that would carry a credential.
// URLs end up in proxy logs, browser history and Referer headers, so a
// credential there is refused outright, not ignored: the client learns at
// once instead of silently acting as nobody.
var tokenParams = []string{"authorization", "auth", "bearer", "jwt", "apikey", "password", "session"}

// noTokenInURL refuses a request whose query string carries a credential.
func noTokenInURL(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.RawQuery != "" {
			for name := range r.URL.Query() {
				n := strings.NewReplacer("_", "", "-", "").Replace(strings.ToLower(name))
				for _, t := range tokenParams {
					if n == t || strings.HasSuffix(n, "token") {
						writeError(w, http.StatusBadRequest, "BAD_USER_INPUT",
							"credentials go in the Authorization header, never in the URL")
						return
					}
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}
