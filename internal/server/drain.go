package server

import (
	"context"
	"net/http"
	"strings"
	"sync"
)

// Server is the root handler of `prizequiz serve`. Beside serving, it
// drains: http.Server.Shutdown waits for the requests in flight, but it
// never sees websocket connections (they are hijacked) and would wait out
// its whole timeout for server-sent event streams, which never end on
// their own. Server ends both itself.
type Server struct {
	handler http.Handler

	mu       sync.Mutex
	draining bool
	streams  sync.WaitGroup // the subscription streams open now

	stop       context.Context // ends every stream
	stopCancel context.CancelFunc
}

func newServer() *Server {
	s := &Server{}
	s.stop, s.stopCancel = context.WithCancel(context.Background())
	return s
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Drain marks the server as going away: from now on /readyz answers 503,
// so a load balancer stops sending it clients, and new subscriptions are
// refused with a retryable error, so their clients reconnect elsewhere.
// Requests keep being served.
func (s *Server) Drain() {
	s.mu.Lock()
	s.draining = true
	s.mu.Unlock()
}

// Draining reports whether Drain was called.
func (s *Server) Draining() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.draining
}

// CloseStreams drains the server and ends its subscription streams: a
// websocket connection stops its subscriptions and closes with status 1000
// (a client reconnects, as after any normal close), an SSE response ends.
// It waits until they have, or until ctx ends.
func (s *Server) CloseStreams(ctx context.Context) error {
	s.Drain()
	s.stopCancel()
	done := make(chan struct{})
	go func() {
		s.streams.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// isStream reports whether r opens a long-lived subscription stream: a
// websocket upgrade or a server-sent event request.
func isStream(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket") ||
		strings.Contains(r.Header.Get("Accept"), "text/event-stream")
}

// trackStreams follows subscription streams, so CloseStreams can end them and
// wait; once the server drains it refuses new ones.
func (s *Server) trackStreams(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isStream(r) {
			next.ServeHTTP(w, r)
			return
		}
		s.mu.Lock()
		if s.draining {
			s.mu.Unlock()
			w.Header().Set("Retry-After", "1")
			writeErrorExt(w, http.StatusServiceUnavailable, "server shutting down: reconnect (服务器正在重启，请重新连接)",
				map[string]any{"code": "INTERNAL", "retryable": true})
			return
		}
		// Add before Wait can start: CloseStreams drains (under mu) first.
		s.streams.Add(1)
		s.mu.Unlock()
		defer s.streams.Done()
		ctx, cancel := context.WithCancel(r.Context())
		defer cancel()
		defer context.AfterFunc(s.stop, cancel)()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}
