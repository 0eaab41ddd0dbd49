// Package server wires the HTTP endpoints of `prizequiz serve`: GraphQL
// (POST, GET, websocket), the playground, health checks and the dashboard.
package server

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/99designs/gqlgen/graphql/playground"
	"github.com/coder/websocket"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"prizequiz/dashboard"
	"prizequiz/graph"
	"prizequiz/internal/auth"
	"prizequiz/internal/fanout"
	"prizequiz/internal/metrics"
	"prizequiz/internal/reqinfo"
	"prizequiz/internal/store"
	"prizequiz/player"
)

// Config is what an operator can switch.
type Config struct {
	Playground    bool
	Introspection bool
	// Suggestions lets validation errors say "did you mean …", which helps
	// developers and maps the schema for scrapers.
	Suggestions bool
	// OriginPatterns are the extra hosts (path.Match patterns such as
	// "*.example.com") whose pages may call the API from a browser: CORS and
	// websockets. The server's own host always may.
	OriginPatterns []string
	MaxBodyBytes   int64
	// MaxUploadBytes bounds a multipart request (question imports).
	MaxUploadBytes int64
	Complexity     int
	// ParserTokens bounds the tokens of one query document.
	ParserTokens int
	// MaxDepth bounds how deep a query nests (introspection needs ~12).
	MaxDepth int
	// MaxAliases bounds the aliases of one document.
	MaxAliases int
	RateLimits RateLimits
	// WSInitTimeout is how long a new websocket may take to send
	// connection_init before the server closes it.
	WSInitTimeout time.Duration
	// WSPingInterval is how often the server pings a graphql-transport-ws
	// client; one that has not answered a ping within twice this is dropped,
	// with its subscriptions.
	WSPingInterval time.Duration
	// WSKeepAliveInterval is how often a graphql-ws (legacy protocol) client
	// is sent "ka". That protocol has no reply, so it keeps proxies from
	// closing an idle connection but cannot detect a dead client.
	WSKeepAliveInterval time.Duration
	// WSWriteTimeout bounds the writing of one message to a websocket
	// client. A client that has stopped reading (a phone asleep, a stuck
	// tab) fills its socket until writes to it block; once one has been
	// blocked this long the client is dropped, with its subscriptions. It
	// is the only way a graphql-ws (legacy protocol) client is found gone.
	WSWriteTimeout time.Duration
}

// DefaultConfig is the zero-setup configuration.
func DefaultConfig() Config {
	return Config{Playground: true, Introspection: true, Suggestions: true,
		MaxBodyBytes: 1 << 20, MaxUploadBytes: 20 << 20, Complexity: 1000, ParserTokens: 15000,
		MaxDepth: 15, MaxAliases: 30, RateLimits: DefaultRateLimits(),
		WSInitTimeout: 10 * time.Second, WSPingInterval: 15 * time.Second, WSKeepAliveInterval: 15 * time.Second,
		WSWriteTimeout: 30 * time.Second}
}

// ProductionConfig is DefaultConfig with the developer conveniences off.
func ProductionConfig() Config {
	c := DefaultConfig()
	c.Playground, c.Introspection, c.Suggestions = false, false, false
	return c
}

// GCPercent is the garbage collector's target that prizequiz serve sets
// (unless GOGC is set): twice Go's default heap growth between collections.
// A server's heap is small (tens of MB) and mostly short-lived request
// garbage; with 10,000 subscribers and 500 attempts a second on two cores,
// collecting half as often lifted the attempts completed from about 350 to
// 450 a second and cut the subscribers' p99 lag from 916 to 824 ms
// (BenchmarkSubscribers10k on PostgreSQL).
const GCPercent = 200

// New returns the root handler.
func New(cfg Config, db *store.DB, res *graph.Resolver, log *slog.Logger) *Server {
	s := newServer()
	m := observe(db, res)
	gql := handler.New(graph.NewSchema(res))
	defaults := DefaultConfig()
	gql.AddTransport(courierWebsocket{transport.Websocket{
		Implementation: wsImplementation{
			opts:         websocket.AcceptOptions{OriginPatterns: originPatterns(cfg.OriginPatterns)},
			writeTimeout: cmp.Or(cfg.WSWriteTimeout, defaults.WSWriteTimeout),
		},
		// A zero duration would switch the check off in gqlgen; a Config
		// built by hand gets the defaults instead.
		KeepAlivePingInterval: cmp.Or(cfg.WSKeepAliveInterval, defaults.WSKeepAliveInterval),
		PingPongInterval:      cmp.Or(cfg.WSPingInterval, defaults.WSPingInterval),
		InitTimeout:           cmp.Or(cfg.WSInitTimeout, defaults.WSInitTimeout),
		InitFunc: func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
			h := p.Authorization()
			if h != "" && bearer(h) == "" {
				h = "Bearer invalid" // a malformed value counts as a bad token, as on HTTP
			}
			pr, err := res.Auth.Authenticate(ctx, bearer(h))
			if err != nil {
				// The error text reaches the client (graphql-ws
				// connection_error): keep driver details in the log.
				log.ErrorContext(ctx, "websocket auth failed", "err", err)
				return ctx, nil, errors.New("internal error")
			}
			if pr.BadToken {
				// Refused at once (4403, as graphql-transport-ws
				// recommends): a connection lives long, and a client
				// with a stale token must sign in again rather than
				// silently watch as nobody.
				ctx = transport.WithWebsocketCloseCode(ctx, 4403)
				return transport.AppendCloseReason(ctx, "invalid or expired token"), nil,
					errors.New("invalid or expired token: sign in again")
			}
			return auth.WithPrincipal(ctx, pr), nil, nil
		},
	}})
	gql.AddTransport(transport.SSE{})
	gql.AddTransport(transport.Options{})
	gql.AddTransport(transport.GET{})
	gql.AddTransport(postTransport{})
	gql.AddTransport(transport.MultipartForm{MaxUploadSize: cfg.MaxUploadBytes, MaxMemory: 32 << 20})
	gql.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	gql.SetParserTokenLimit(cfg.ParserTokens)
	gql.SetDisableSuggestion(!cfg.Suggestions)
	if cfg.Introspection {
		gql.Use(extension.Introspection{})
	}
	gql.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](1000)})
	gql.Use(extension.FixedComplexityLimit(cfg.Complexity))
	gql.Use(shapeLimit{MaxDepth: cfg.MaxDepth, MaxAliases: cfg.MaxAliases})
	gql.AroundFields(limitFields(cfg.RateLimits, res.Clock))
	gql.Use(m.Extension())
	// After metrics, which counts every client's subscription: a
	// leaderboard page is resolved and encoded once for all its watchers.
	shared := fanout.New("leaderboardUpdated")
	shared.OnPanic = func(ctx context.Context, p any) { log.ErrorContext(ctx, "shared subscription panic", "panic", p) }
	gql.Use(shared)
	// Likewise a leaderboard query is answered from memory until a ranking
	// changes: at 1,000,000 players a page of 100 took gqlgen milliseconds.
	gql.Use(fanout.NewQueryCache(1024, res.Ranks.Generation, "leaderboard"))
	m.Gauge("prizequiz_shared_subscription_executions", "Subscription executions shared by identical subscribers.",
		func() float64 { return float64(shared.Streams()) })
	gql.SetErrorPresenter(graph.ErrorPresenter(log))
	gql.SetRecoverFunc(graph.RecoverFunc(log))

	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	mux.Handle("/graphql", cors(cfg.OriginPatterns, limitBody(cfg.MaxBodyBytes, cfg.MaxUploadBytes,
		csrfGuard(wsOrigins(cfg.OriginPatterns, s.trackStreams(authenticate(res.Auth, log, uploadsForAdmins(codedTransportErrors(gql)))))))))
	if cfg.Playground {
		mux.Handle("GET /playground", playground.Handler("prizequiz GraphQL", "/graphql"))
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if s.Draining() {
			http.Error(w, "shutting down\n", http.StatusServiceUnavailable)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := db.Ping(ctx); err != nil {
			log.WarnContext(ctx, "not ready", "err", err)
			http.Error(w, "database unavailable\n", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ready\n"))
	})
	(&files{res: res, log: log}).routes(mux)
	mux.Handle("/admin/", http.StripPrefix("/admin", adminApp()))
	// The player's page and the public proof page: one app, its own CSP.
	play := withCSP(playerCSP, webApp(player.Built(), player.FS(), notBuiltPlayerPage))
	mux.Handle("GET /play", play)
	mux.Handle("GET /play/", http.StripPrefix("/play", play))
	mux.Handle("GET /proof/{periodID}", play)
	mux.HandleFunc("GET /api/play-config", func(w http.ResponseWriter, _ *http.Request) {
		// What the player's page needs before it can sign in: the
		// official account's AppID for the OAuth2 redirect, empty when
		// WeChat sign-in is not configured.
		var cfg struct {
			WeChatAppID string `json:"wechatAppID"`
		}
		if wc := res.Auth.WeChat; wc.Configured() {
			cfg.WeChatAppID = wc.AppID
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-cache")
		_ = json.NewEncoder(w).Encode(cfg)
	})
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/admin/", http.StatusFound)
	})
	s.handler = secure(withClientInfo(noTokenInURL(mux)))
	return s
}

// observe makes the process's metrics and connects the services' hooks to
// them.
func observe(db *store.DB, res *graph.Resolver) *metrics.Metrics {
	m := metrics.New()
	m.DB(db.SQL)
	res.Play.Counted = m.Attempt
	res.Ranks.SetFeedLag(m.FeedLag)
	m.Gauge("prizequiz_rank_index_participants", "Participants ranked in this process's rank indexes.", func() float64 {
		_, n := res.Ranks.Size()
		return float64(n)
	})
	m.Gauge("prizequiz_rank_index_campaigns", "Campaigns whose rank index this process holds.", func() float64 {
		c, _ := res.Ranks.Size()
		return float64(c)
	})
	m.Gauge("prizequiz_rank_feed_resyncs", "Full reloads of the rank indexes after the feed's listener reconnected.", func() float64 {
		return float64(res.Ranks.Resyncs())
	})
	return m
}

// originPatterns normalises the configured origin patterns the way cors
// reads them, so a websocket and a CORS request from one page agree.
func originPatterns(ps []string) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		if p = strings.ToLower(strings.TrimSpace(p)); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// adminApp serves the built dashboard.
func adminApp() http.Handler { return webApp(dashboard.Built(), dashboard.FS(), notBuiltPage) }

// playerCSP confines the player's pages to their own origin; unlike the
// dashboard they need no inline styles.
const playerCSP = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"

func withCSP(policy string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", policy)
		next.ServeHTTP(w, r)
	})
}

// webApp serves a built single-page app; paths that are not files get
// index.html, so the app's own routes survive a reload. An app that was
// not built shows notBuilt instead.
func webApp(built bool, files fs.FS, notBuilt string) http.Handler {
	if !built {
		return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = io.WriteString(w, notBuilt)
		})
	}
	fileServer := http.FileServerFS(files)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		if name != "" {
			if _, err := fs.Stat(files, name); err == nil {
				if strings.HasPrefix(name, "assets/") {
					w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
				}
				fileServer.ServeHTTP(w, r)
				return
			}
		}
		w.Header().Set("Cache-Control", "no-cache")
		http.ServeFileFS(w, r, files, "index.html")
	})
}

const notBuiltPage = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>管理后台未构建</title>
<body style="font-family:sans-serif;max-width:640px;margin:64px auto">
<h1>管理后台尚未构建</h1>
<p>这个二进制文件构建时没有包含管理后台。请在项目目录运行 <code>make run</code>（会先构建后台），
或运行 <code>make dashboard</code> 后重新构建。GraphQL 接口可在 <a href="/playground">/playground</a> 调试。</p>
<p lang="en">The dashboard was not built into this binary: run <code>make run</code>.</p></body></html>`

const notBuiltPlayerPage = `<!doctype html><html lang="zh-CN"><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>答题页面未构建</title>
<body style="font-family:sans-serif;max-width:640px;margin:32px auto;padding:0 16px">
<h1>答题页面尚未构建</h1>
<p>这个二进制文件构建时没有包含答题页面。请在项目目录运行 <code>make run</code>（会先构建页面），
或运行 <code>make player</code> 后重新构建。</p>
<p lang="en">The player app was not built into this binary: run <code>make run</code>.</p></body></html>`

// withClientInfo records who the client is, for the audit log and fraud signals.
// The response names the request's id, which every log line about it
// carries.
func withClientInfo(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := reqinfo.FromRequest(r)
		w.Header().Set(reqinfo.RequestIDHeader, info.RequestID)
		next.ServeHTTP(w, r.WithContext(reqinfo.With(r.Context(), info)))
	})
}

// bearer extracts the token of an "Authorization: Bearer <token>" value.
func bearer(h string) string {
	scheme, token, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

// authenticate puts the request's principal into its context. A websocket
// upgrade authenticates in connection_init instead.
func authenticate(a *auth.Service, log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Get("Authorization")
		if h != "" && bearer(h) == "" {
			h = "Bearer invalid" // a malformed header counts as a bad token
		}
		p, err := a.Authenticate(r.Context(), bearer(h))
		if err != nil {
			log.ErrorContext(r.Context(), "authenticate", "err", err)
			if store.IsTransient(err) {
				w.Header().Set("Retry-After", "1")
				writeErrorExt(w, http.StatusServiceUnavailable, graph.TransientMessage,
					map[string]any{"code": "INTERNAL", "retryable": true})
				return
			}
			writeError(w, http.StatusServiceUnavailable, "INTERNAL", "internal error")
			return
		}
		next.ServeHTTP(w, r.WithContext(auth.WithPrincipal(r.Context(), p)))
	})
}

// limitBody refuses bodies over n bytes (upload bytes for a multipart
// upload) with 413 before any parsing.
func limitBody(n, upload int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := n // per request: the handler is shared
		if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
			limit = upload
		}
		if r.ContentLength > limit {
			writeError(w, http.StatusRequestEntityTooLarge, "BAD_USER_INPUT", "request body too large")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeErrorExt(w, status, msg, map[string]any{"code": code})
}

func writeErrorExt(w http.ResponseWriter, status int, msg string, ext map[string]any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(graphql.Response{Errors: gqlerror.List{{Message: msg, Extensions: ext}}})
}
