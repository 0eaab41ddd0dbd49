package server

import (
	"net/http"
	"net/url"
	"path"
	"strings"
)

// adminCSP confines the dashboard to its own origin: scripts, styles and
// the API all come from here (antd injects styles at run time, hence
// 'unsafe-inline' for styles only).
const adminCSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"

// secure sets the headers every response carries, and the CSP of the
// dashboard's pages.
func secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if strings.HasPrefix(r.URL.Path, "/admin/") {
			h.Set("Content-Security-Policy", adminCSP)
		}
		next.ServeHTTP(w, r)
	})
}

// cors lets pages of the configured origins (host patterns, as for
// websockets) call the API from a browser. Same-origin calls need nothing.
func cors(patterns []string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin != "" && allowedOrigin(origin, patterns) {
			h := w.Header()
			h.Set("Access-Control-Allow-Origin", origin)
			h.Add("Vary", "Origin")
			h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Client-Fingerprint")
			h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
			h.Set("Access-Control-Max-Age", "600")
			if r.Method == http.MethodOptions {
				w.WriteHeader(http.StatusNoContent)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// wsOrigins refuses a websocket handshake from a browser page of another
// origin than the server's own host or the configured patterns: the rule
// coder/websocket applies, checked here first so that the refusal is one
// clear FORBIDDEN answer. Left to the handshake, coder/websocket wrote its
// 403 and gqlgen then wrote a 400 over it, which net/http logged as a
// superfluous WriteHeader on every refused page.
func wsOrigins(patterns []string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin == "" || !strings.EqualFold(r.Header.Get("Upgrade"), "websocket") ||
			sameHost(origin, r.Host) || allowedOrigin(origin, patterns) {
			next.ServeHTTP(w, r)
			return
		}
		writeErrorExt(w, http.StatusForbidden, "this page's origin may not open a websocket here (该网页无权连接)",
			map[string]any{"code": "FORBIDDEN"})
	})
}

// sameHost reports whether origin names host, as coder/websocket compares
// them.
func sameHost(origin, host string) bool {
	u, err := url.Parse(origin)
	return err == nil && strings.EqualFold(u.Host, host)
}

func allowedOrigin(origin string, patterns []string) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	for _, p := range patterns {
		if ok, _ := path.Match(strings.ToLower(strings.TrimSpace(p)), strings.ToLower(u.Host)); ok {
			return true
		}
	}
	return false
}
