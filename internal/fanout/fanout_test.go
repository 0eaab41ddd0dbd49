package fanout_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/executor"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"prizequiz/internal/fanout"
)

const sdl = `
directive @hasRole(role: String!) on FIELD_DEFINITION
type Query { page(id: ID!): Page! board(id: ID!): Board! ok: Boolean }
type Board { total: Int! secret: String @hasRole(role: "ADMIN") }
type Page { total: Int! }
type Subscription {
  page(id: ID!): Page!
  mine(id: ID!): Page!
  board(id: ID!): Board!
}`

// schema is an executable schema whose subscriptions send what the test
// puts on the execution's channel, so the test sees how many executions
// gqlgen ran and feeds each one.
type schema struct {
	s *ast.Schema

	mu    sync.Mutex
	execs []*execution
	added chan *execution
}

type execution struct {
	vars   map[string]any
	values chan string
	ctx    context.Context
}

func newSchema(t *testing.T) *schema {
	return &schema{s: gqlparser.MustLoadSchema(&ast.Source{Input: sdl}), added: make(chan *execution, 16)}
}

func (f *schema) Schema() *ast.Schema { return f.s }
func (f *schema) Complexity(context.Context, string, string, int, map[string]any) (int, bool) {
	return 0, false
}

func (f *schema) Exec(ctx context.Context) graphql.ResponseHandler {
	e := &execution{vars: graphql.GetOperationContext(ctx).Variables, values: make(chan string, 16), ctx: ctx}
	f.mu.Lock()
	f.execs = append(f.execs, e)
	f.mu.Unlock()
	f.added <- e
	var buf []byte // reused, as gqlgen's generated Exec reuses its buffer
	return func(ctx context.Context) *graphql.Response {
		select {
		case v, ok := <-e.values:
			if !ok {
				return nil
			}
			if v == "panic" {
				panic("a bug")
			}
			if v == "error" {
				return &graphql.Response{Errors: gqlerror.List{{Message: "not found"}}}
			}
			buf = append(buf[:0], v...)
			return &graphql.Response{Data: json.RawMessage(buf)}
		case <-ctx.Done():
			return nil
		}
	}
}

func (f *schema) executions() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.execs)
}

// next waits for gqlgen to start an execution.
func (f *schema) next(t *testing.T) *execution {
	t.Helper()
	select {
	case e := <-f.added:
		return e
	case <-time.After(5 * time.Second):
		t.Fatal("no execution started")
		return nil
	}
}

type client struct {
	responses graphql.ResponseHandler
	ctx       context.Context
	cancel    context.CancelFunc
}

func subscribe(t *testing.T, exec *executor.Executor, query string, vars map[string]any) *client {
	t.Helper()
	return subscribeFrom(t, context.Background(), exec, query, vars)
}

// subscribeFrom subscribes with ctx as the connection's context.
func subscribeFrom(t *testing.T, conn context.Context, exec *executor.Executor, query string, vars map[string]any) *client {
	t.Helper()
	ctx, cancel := context.WithCancel(graphql.StartOperationTrace(conn))
	t.Cleanup(cancel)
	oc, errs := exec.CreateOperationContext(ctx, &graphql.RawParams{Query: query, Variables: vars})
	if errs != nil {
		t.Fatalf("%s: %v", query, errs)
	}
	responses, ctx := exec.DispatchOperation(graphql.WithOperationContext(ctx, oc), oc)
	return &client{responses: responses, ctx: ctx, cancel: cancel}
}

// read returns the client's next response's data, or "end" at the end of
// its stream.
func (c *client) read(t *testing.T) string {
	t.Helper()
	got := make(chan *graphql.Response, 1)
	go func() { got <- c.responses(c.ctx) }()
	select {
	case r := <-got:
		if r == nil {
			return "end"
		}
		return string(r.Data)
	case <-time.After(5 * time.Second):
		t.Fatal("no response")
		return ""
	}
}

func setUp(t *testing.T) (*schema, *fanout.Shared, *executor.Executor) {
	f := newSchema(t)
	shared := fanout.New("page")
	exec := executor.New(f)
	exec.Use(shared)
	return f, shared, exec
}

const pageQ = `subscription($id: ID!) { page(id: $id) { total } }`

func TestTwinsShareOneExecution(t *testing.T) {
	f, shared, exec := setUp(t)
	a := subscribe(t, exec, pageQ, map[string]any{"id": "1"})
	e := f.next(t)
	e.values <- `{"v":1}`
	if got := a.read(t); got != `{"v":1}` {
		t.Fatalf("first client got %s", got)
	}
	// A late twin gets the latest value at once, from the same execution.
	b := subscribe(t, exec, pageQ, map[string]any{"id": "1"})
	if got := b.read(t); got != `{"v":1}` {
		t.Fatalf("late twin got %s", got)
	}
	e.values <- `{"v":2}`
	for name, c := range map[string]*client{"a": a, "b": b} {
		if got := c.read(t); got != `{"v":2}` {
			t.Errorf("%s got %s", name, got)
		}
	}
	if n := f.executions(); n != 1 {
		t.Errorf("%d executions for two twins", n)
	}
	if n := shared.Streams(); n != 1 {
		t.Errorf("Streams() = %d", n)
	}
}

func TestAValueStaysAsSentWhileTheNextIsWritten(t *testing.T) {
	f, _, exec := setUp(t)
	a := subscribe(t, exec, pageQ, map[string]any{"id": "1"})
	e := f.next(t)
	e.values <- `{"v":1}`
	first := a.responses(a.ctx) // a transport may still be writing it out
	e.values <- `{"v":2}`
	if got := a.read(t); got != `{"v":2}` {
		t.Fatalf("got %s", got)
	}
	if string(first.Data) != `{"v":1}` {
		t.Errorf("the first value became %s when the second was written", first.Data)
	}
}

// courier stands in for a transport that writes encoded payloads itself.
type courier struct {
	mu       sync.Mutex
	payloads []string
}

func (c *courier) Carry(payload []byte) *graphql.Response {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.payloads = append(c.payloads, string(payload))
	return &graphql.Response{Data: json.RawMessage(`"carried"`)}
}

func (c *courier) carried() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.payloads)
}

// TestACourierCarriesTheEncodedResponse: a client whose connection has a
// courier gets the courier's stand-in, and the courier the response encoded
// as the transport would encode it (json.Marshal, HTML escaped); a client
// without one gets the response; a response with errors is never carried.
func TestACourierCarriesTheEncodedResponse(t *testing.T) {
	f, _, exec := setUp(t)
	cr := &courier{}
	a := subscribeFrom(t, fanout.WithCourier(context.Background(), cr), exec, pageQ, map[string]any{"id": "1"})
	b := subscribe(t, exec, pageQ, map[string]any{"id": "1"})
	e := f.next(t)
	page := `{"v":1,"name":"<张三>"}`
	e.values <- page
	if got := a.read(t); got != `"carried"` {
		t.Errorf("the courier's client got %s", got)
	}
	if got := b.read(t); got != page {
		t.Errorf("the other client got %s", got)
	}
	want, err := json.Marshal(&graphql.Response{Data: json.RawMessage(page)})
	if err != nil {
		t.Fatal(err)
	}
	if got := cr.carried(); len(got) != 1 || got[0] != string(want) {
		t.Errorf("carried %q, want [%s]", got, want)
	}

	e.values <- "error"
	got := make(chan *graphql.Response, 1)
	go func() { got <- a.responses(a.ctx) }()
	select {
	case r := <-got:
		if r == nil || len(r.Errors) != 1 || r.Errors[0].Message != "not found" {
			t.Errorf("the courier's client got %+v for an error", r)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no response")
	}
	if n := len(cr.carried()); n != 1 {
		t.Errorf("%d payloads carried after an error, want 1", n)
	}
}

func TestWhatDiffersIsNotShared(t *testing.T) {
	cases := []struct {
		name  string
		query string
		vars  map[string]any
	}{
		{"other variables", pageQ, map[string]any{"id": "2"}},
		{"other selection", `subscription($id: ID!) { page(id: $id) { total __typename } }`, map[string]any{"id": "1"}},
		{"a field not chosen for sharing", `subscription($id: ID!) { mine(id: $id) { total } }`, map[string]any{"id": "1"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, _, exec := setUp(t)
			subscribe(t, exec, pageQ, map[string]any{"id": "1"})
			f.next(t)
			subscribe(t, exec, tc.query, tc.vars)
			f.next(t)
			if n := f.executions(); n != 2 {
				t.Errorf("%d executions", n)
			}
		})
	}
}

func TestASlowClientSkipsToTheLatest(t *testing.T) {
	f, _, exec := setUp(t)
	a := subscribe(t, exec, pageQ, map[string]any{"id": "1"})
	e := f.next(t)
	for _, v := range []string{`{"v":1}`, `{"v":2}`, `{"v":3}`} {
		e.values <- v
	}
	waitFor(t, func() bool { return len(e.values) == 0 })
	time.Sleep(10 * time.Millisecond) // the last one published
	if got := a.read(t); got != `{"v":3}` {
		t.Errorf("a client reading late got %s, want the latest", got)
	}
}

func TestTheLastClientToLeaveEndsTheExecution(t *testing.T) {
	f, shared, exec := setUp(t)
	a := subscribe(t, exec, pageQ, map[string]any{"id": "1"})
	b := subscribe(t, exec, pageQ, map[string]any{"id": "1"})
	e := f.next(t)
	a.cancel()
	time.Sleep(20 * time.Millisecond)
	if e.ctx.Err() != nil {
		t.Fatal("the execution ended while a client remained")
	}
	b.cancel()
	waitFor(t, func() bool { return e.ctx.Err() != nil && shared.Streams() == 0 })
	// A new client starts afresh.
	subscribe(t, exec, pageQ, map[string]any{"id": "1"})
	f.next(t)
}

func TestAnEndedExecutionEndsItsClients(t *testing.T) {
	f, shared, exec := setUp(t)
	a := subscribe(t, exec, pageQ, map[string]any{"id": "1"})
	b := subscribe(t, exec, pageQ, map[string]any{"id": "1"})
	e := f.next(t)
	e.values <- `{"v":1}`
	close(e.values)
	for name, c := range map[string]*client{"a": a, "b": b} {
		if got := c.read(t); got != `{"v":1}` {
			t.Errorf("%s got %s first", name, got)
		}
		if got := c.read(t); got != "end" {
			t.Errorf("%s got %s, want the end", name, got)
		}
	}
	waitFor(t, func() bool { return shared.Streams() == 0 })
}

func TestAPanicReachesOnPanicAndTheClients(t *testing.T) {
	f, shared, exec := setUp(t)
	var heard []any
	shared.OnPanic = func(_ context.Context, p any) { heard = append(heard, p) }
	a := subscribe(t, exec, pageQ, map[string]any{"id": "1"})
	e := f.next(t)
	e.values <- "panic"
	got := make(chan *graphql.Response, 1)
	go func() { got <- a.responses(a.ctx) }()
	r := <-got
	if r == nil || len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "INTERNAL" || r.Errors[0].Message != "internal error" {
		t.Fatalf("got %+v, want an INTERNAL error", r)
	}
	if got := a.read(t); got != "end" {
		t.Errorf("then %s, want the end", got)
	}
	if len(heard) != 1 || heard[0] != "a bug" {
		t.Errorf("OnPanic heard %v", heard)
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		fields []string
		err    string
	}{
		{[]string{"page", "mine"}, ""},
		{[]string{"board"}, "Subscription.board.secret has @hasRole"},
		{[]string{"nope"}, `no Subscription field "nope"`},
	}
	for _, tc := range cases {
		err := fanout.New(tc.fields...).Validate(newSchema(t))
		if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("%v: %v, want %q", tc.fields, err, tc.err)
		}
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// TestQueryCache: a repeated public query is answered from memory while
// the version holds; a new version, other variables, an error or another
// field run it again.
func TestQueryCache(t *testing.T) {
	f := newSchema(t)
	var version atomic.Uint64
	cache := fanout.NewQueryCache(16, version.Load, "page")
	exec := executor.New(f)
	exec.Use(cache)
	const q = `query($id: ID!) { page(id: $id) { total } }`
	// ask runs a query; when it starts an execution, that execution
	// answers with value.
	ask := func(query string, vars map[string]any, value string) (data string, executed bool) {
		t.Helper()
		before := f.executions()
		c := subscribe(t, exec, query, vars)
		got := make(chan *graphql.Response, 1)
		go func() { got <- c.responses(c.ctx) }()
		select {
		case e := <-f.added:
			e.values <- value
			executed = true
		case <-time.After(100 * time.Millisecond): // answered without an execution
		}
		r := <-got
		if f.executions() != before && !executed {
			t.Fatal("an execution the test did not feed")
		}
		if len(r.Errors) > 0 {
			return "error", executed
		}
		return string(r.Data), executed
	}
	steps := []struct {
		name      string
		query     string
		vars      map[string]any
		bump      bool   // a new version first
		value     string // what an execution answers
		want      string
		wantRerun bool
	}{
		{"first", q, map[string]any{"id": "1"}, false, `{"v":1}`, `{"v":1}`, true},
		{"repeat", q, map[string]any{"id": "1"}, false, `{"v":2}`, `{"v":1}`, false},
		{"other variables", q, map[string]any{"id": "2"}, false, `{"v":3}`, `{"v":3}`, true},
		{"after a change", q, map[string]any{"id": "1"}, true, `{"v":4}`, `{"v":4}`, true},
		{"repeat after the change", q, map[string]any{"id": "1"}, false, `{"v":5}`, `{"v":4}`, false},
		{"an error", q, map[string]any{"id": "3"}, false, "error", "error", true},
		{"an error is not kept", q, map[string]any{"id": "3"}, false, `{"v":6}`, `{"v":6}`, true},
		{"a field not chosen", `query($id: ID!) { board(id: $id) { total } }`, map[string]any{"id": "1"}, false, `{"v":7}`, `{"v":7}`, true},
		{"it again", `query($id: ID!) { board(id: $id) { total } }`, map[string]any{"id": "1"}, false, `{"v":8}`, `{"v":8}`, true},
	}
	for _, st := range steps {
		if st.bump {
			version.Add(1)
		}
		got, ran := ask(st.query, st.vars, st.value)
		if got != st.want || ran != st.wantRerun {
			t.Errorf("%s: got %s (executed %v), want %s (executed %v)", st.name, got, ran, st.want, st.wantRerun)
		}
	}
	if err := fanout.NewQueryCache(1, version.Load, "board").Validate(f); err == nil || !strings.Contains(err.Error(), "@hasRole") {
		t.Errorf("a field with an access rule was accepted: %v", err)
	}
}
