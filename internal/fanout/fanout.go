// Package fanout runs one execution of a public GraphQL subscription for
// every client that asks for exactly the same thing, and hands each of them
// the same responses (Shared); and answers a repeated public query from
// memory until what it reads changes (QueryCache).
//
// Without it gqlgen executes a subscription once per client: ten thousand
// phones watching a campaign's top 10 meant ten thousand identical
// resolutions and JSON encodings of every new page, which on a small
// machine took seconds of CPU per change. With it, a page is resolved and
// encoded once, and each client's cost is only writing it to its socket.
//
// Only fields whose value cannot depend on who asks may be shared: no
// access rule anywhere in what they return (Validate checks the schema at
// start-up), no use of the caller's identity in their resolvers. The
// stream's values are states, not events: a client that joins late gets the
// latest response at once, and a client that falls behind skips to the
// latest one, which is what "latest value wins" asks of a live ranking.
package fanout

import (
	"bytes"
	"context"
	"encoding/json"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Shared is a gqlgen handler extension. Register it after extensions that
// must see every client's operation (metrics): those registered later run
// inside it, once per shared execution.
type Shared struct {
	// OnPanic, if set, hears of a panic in a shared execution (gqlgen
	// recovers resolvers' own); its clients get an INTERNAL error.
	OnPanic func(ctx context.Context, p any)

	roots roots

	mu      sync.Mutex
	streams map[string]*stream
}

// New shares subscriptions to the given root fields of Subscription.
func New(fields ...string) *Shared {
	return &Shared{roots: newRoots(ast.Subscription, fields), streams: map[string]*stream{}}
}

var (
	_ graphql.HandlerExtension     = (*Shared)(nil)
	_ graphql.OperationInterceptor = (*Shared)(nil)
)

// ExtensionName names the extension for gqlgen.
func (*Shared) ExtensionName() string { return "SharedSubscriptions" }

// Validate refuses to share a field when anything it can return carries a
// directive other than @deprecated: such a directive may be an access rule,
// and a shared execution checks it only for the first client.
func (s *Shared) Validate(es graphql.ExecutableSchema) error { return s.roots.validate(es.Schema()) }

// InterceptOperation joins a shareable subscription to the stream of its
// twins, starting that stream if there is none; any other operation runs
// as usual.
func (s *Shared) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	key, ok := s.roots.key(graphql.GetOperationContext(ctx))
	if !ok {
		return next(ctx)
	}
	st, runCtx := s.attach(ctx, key)
	if runCtx != nil {
		// The first client starts the execution, on the calling goroutine
		// as gqlgen expects (next records the context it runs on).
		s.start(runCtx, st, next)
	}
	var once sync.Once
	leave := func() { once.Do(func() { s.detach(st) }) }
	// The transport cancels ctx when the client stops or goes away, even
	// while nobody is waiting for a response. It is this client's own
	// context: the one the transport passes to the handler may be the
	// shared execution's.
	client := ctx
	context.AfterFunc(client, leave)
	courier := CourierFrom(client)
	var seen uint64
	return func(ctx context.Context) *graphql.Response {
		for {
			r, payload, version, ended, changed := st.read()
			if version > seen {
				seen = version
				if courier != nil && payload != nil {
					return courier.Carry(payload)
				}
				return r
			}
			if ended {
				leave()
				return nil
			}
			select {
			case <-changed:
			case <-client.Done():
				leave()
				return nil
			case <-ctx.Done():
				leave()
				return nil
			}
		}
	}
}

// Streams reports how many shared executions are running.
func (s *Shared) Streams() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.streams)
}

// attach adds a client to the stream for key. When there is none it
// creates one and returns the context its execution is to run on, which
// the caller must start: a context of its own, as the execution must
// outlive the client that started it; it ends when the last client leaves.
func (s *Shared) attach(ctx context.Context, key string) (*stream, context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.streams[key]
	var runCtx context.Context
	if st == nil {
		var cancel context.CancelFunc
		runCtx, cancel = context.WithCancel(context.WithoutCancel(ctx))
		st = &stream{key: key, cancel: cancel, changed: make(chan struct{})}
		s.streams[key] = st
	}
	st.clients++
	return st, runCtx
}

func (s *Shared) detach(st *stream) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st.clients--; st.clients == 0 {
		st.cancel()
		if s.streams[st.key] == st {
			delete(s.streams, st.key)
		}
	}
}

// start executes the operation once and publishes each response until
// the stream ends, by itself (an error, the end of the subscription) or
// because its last client left. Clients that joined meanwhile wait for
// the first response.
func (s *Shared) start(ctx context.Context, st *stream, next graphql.OperationHandler) {
	responses := s.guard(ctx, st, func() graphql.ResponseHandler { return next(ctx) })
	if responses == nil {
		s.finish(st)
		return
	}
	go func() {
		defer s.finish(st)
		s.guard(ctx, st, func() graphql.ResponseHandler {
			for r := responses(ctx); r != nil; r = responses(ctx) {
				// gqlgen marshals each event of a subscription into the
				// same buffer: keep a copy that clients may read while
				// the next one is written.
				c := *r
				c.Data = bytes.Clone(r.Data)
				st.publish(&c, encodePayload(&c))
			}
			return nil
		})
	}()
}

// guard runs f; a panic in it reaches OnPanic, and the stream's clients as
// an INTERNAL error.
func (s *Shared) guard(ctx context.Context, st *stream, f func() graphql.ResponseHandler) (h graphql.ResponseHandler) {
	defer func() {
		if p := recover(); p != nil {
			if s.OnPanic != nil {
				s.OnPanic(ctx, p)
			}
			st.publish(&graphql.Response{Errors: gqlerror.List{{
				Message: "internal error", Extensions: map[string]any{"code": "INTERNAL"},
			}}}, nil)
			h = nil
		}
	}()
	return f()
}

// finish ends a stream: its clients get what was published, then the end;
// later clients start a new execution rather than join this one.
func (s *Shared) finish(st *stream) {
	s.mu.Lock()
	if s.streams[st.key] == st {
		delete(s.streams, st.key)
	}
	s.mu.Unlock()
	st.end()
}

// stream is one shared execution and its latest response.
type stream struct {
	key    string
	cancel context.CancelFunc

	clients int // guarded by Shared.mu

	mu      sync.Mutex
	latest  *graphql.Response
	payload []byte        // latest encoded for a Courier, or nil
	version uint64        // responses published so far
	ended   bool          // no more will come
	changed chan struct{} // closed at the next publish or the end
}

func (st *stream) read() (*graphql.Response, []byte, uint64, bool, <-chan struct{}) {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.latest, st.payload, st.version, st.ended, st.changed
}

func (st *stream) publish(r *graphql.Response, payload []byte) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.latest, st.payload = r, payload
	st.version++
	close(st.changed)
	st.changed = make(chan struct{})
}

func (st *stream) end() {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.ended = true
	close(st.changed)
	st.changed = make(chan struct{})
}

// A Courier carries a shared response, already encoded, to one client's
// connection. gqlgen's websocket transport encodes every response it sends
// with json.Marshal, which validates the data byte by byte once more: for
// one leaderboard page and ten thousand watchers that was a fifth of the
// server's CPU. A transport that can write encoded bytes itself puts a
// Courier in the client's context (WithCourier); the client's handler then
// returns what Carry returns instead of the response.
type Courier interface {
	// Carry returns a response that stands in for payload, the response
	// encoded as json.Marshal encodes it; the transport is to write
	// payload wherever it would write the stand-in's encoding.
	Carry(payload []byte) *graphql.Response
}

type courierKey struct{}

// WithCourier returns ctx carrying c for the shared subscriptions started
// with it.
func WithCourier(ctx context.Context, c Courier) context.Context {
	return context.WithValue(ctx, courierKey{}, c)
}

// CourierFrom returns the Courier ctx carries, or nil.
func CourierFrom(ctx context.Context) Courier {
	c, _ := ctx.Value(courierKey{}).(Courier)
	return c
}

// encodePayload encodes a response for couriers, once for all clients.
// Only a response with data and nothing else is carried: one with errors
// goes through the transport as it is, so that whatever reads responses
// on the way (metrics, error handling) sees them.
func encodePayload(r *graphql.Response) []byte {
	if len(r.Errors) > 0 || len(r.Extensions) > 0 || r.Label != "" || len(r.Path) > 0 || r.HasNext != nil {
		return nil
	}
	payload, err := json.Marshal(r)
	if err != nil {
		return nil
	}
	return payload
}
