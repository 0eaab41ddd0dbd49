package server_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"

	"prizequiz/internal/server"
	"prizequiz/internal/store"
	"prizequiz/internal/store/storetest"
)

// These tests talk to the server the way a browser or a mini program does:
// a real websocket over TCP, each subprotocol spelled out message by
// message, rather than through gqlgen's client (which hides the protocol
// and runs in-process).

// wsProto names the messages of one GraphQL-over-websocket subprotocol.
type wsProto struct {
	name                  string // the Sec-WebSocket-Protocol value
	subscribe, next, stop string // client start, server data, client stop
	beat                  string // what the server sends periodically
}

var (
	// transportWS is graphql-transport-ws (the graphql-ws library): the
	// server pings and drops a client that does not pong.
	transportWS = wsProto{name: "graphql-transport-ws", subscribe: "subscribe", next: "next", stop: "complete", beat: "ping"}
	// legacyWS is graphql-ws (subscriptions-transport-ws, Apollo's old
	// protocol): the server sends "ka" and expects no answer.
	legacyWS = wsProto{name: "graphql-ws", subscribe: "start", next: "data", stop: "stop", beat: "ka"}
	wsProtos = []wsProto{transportWS, legacyWS}
)

// wsMsg is a message of either protocol.
type wsMsg struct {
	Type    string          `json:"type"`
	ID      string          `json:"id,omitempty"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// wsConn is one client connection. Its reader goroutine answers the
// server's pings (unless told not to), counts them and "ka"s, and queues
// every other message.
type wsConn struct {
	t     testing.TB
	proto wsProto
	c     *websocket.Conn
	in    chan wsMsg
	beats atomic.Int64  // server pings (graphql-transport-ws) or "ka" (graphql-ws) seen
	done  chan struct{} // closed when the reader stops
	err   error         // why it stopped; read after done
}

const wsWait = 5 * time.Second // how long a test waits for any one message

// wsURL is the websocket address of the GraphQL endpoint of srv.
func wsURL(srv *httptest.Server) string {
	return "ws" + strings.TrimPrefix(srv.URL, "http") + "/graphql"
}

// dialWS opens a websocket speaking proto; opts may carry headers (Origin)
// or an HTTP client.
func dialWS(ctx context.Context, url string, proto wsProto, opts *websocket.DialOptions) (*websocket.Conn, *http.Response, error) {
	if opts == nil {
		opts = &websocket.DialOptions{}
	}
	opts.Subprotocols = []string{proto.name}
	c, resp, err := websocket.Dial(ctx, url, opts)
	if err == nil {
		c.SetReadLimit(1 << 20)
	}
	return c, resp, err
}

// connectWS dials srv and starts the reader; answerPings false makes a
// client that reads but never answers the server's pings.
func connectWS(t testing.TB, srv *httptest.Server, proto wsProto, answerPings bool) *wsConn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wsWait)
	defer cancel()
	c, _, err := dialWS(ctx, wsURL(srv), proto, nil)
	if err != nil {
		t.Fatalf("dial %s: %v", proto.name, err)
	}
	if c.Subprotocol() != proto.name {
		t.Fatalf("negotiated %q, want %q", c.Subprotocol(), proto.name)
	}
	w := &wsConn{t: t, proto: proto, c: c, in: make(chan wsMsg, 256), done: make(chan struct{})}
	t.Cleanup(func() { _ = c.CloseNow(); <-w.done })
	go w.read(answerPings)
	return w
}

func (w *wsConn) read(answerPings bool) {
	defer close(w.done)
	for {
		_, data, err := w.c.Read(context.Background())
		if err != nil {
			w.err = err
			return
		}
		var m wsMsg
		if err := json.Unmarshal(data, &m); err != nil {
			w.err = fmt.Errorf("undecodable message %s: %w", data, err)
			return
		}
		switch {
		case m.Type == w.proto.beat:
			w.beats.Add(1)
			if m.Type == "ping" && answerPings {
				if err := w.write(wsMsg{Type: "pong"}); err != nil {
					w.err = err
					return
				}
			}
		default:
			select {
			case w.in <- m:
			default:
				w.err = fmt.Errorf("more than %d messages unread", cap(w.in))
				return
			}
		}
	}
}

func (w *wsConn) write(m wsMsg) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), wsWait)
	defer cancel()
	return w.c.Write(ctx, websocket.MessageText, b)
}

func (w *wsConn) send(m wsMsg) {
	w.t.Helper()
	if err := w.write(m); err != nil {
		w.t.Fatalf("send %s: %v", m.Type, err)
	}
}

// recv returns the next queued message, or fails the test when none comes
// or the connection ends.
func (w *wsConn) recv() wsMsg {
	w.t.Helper()
	select {
	case m := <-w.in:
		return m
	case <-w.done:
		select { // a message queued before the end still counts
		case m := <-w.in:
			return m
		default:
		}
		w.t.Fatalf("%s: connection ended: %v", w.proto.name, w.err)
	case <-time.After(wsWait):
		w.t.Fatalf("%s: no message within %v", w.proto.name, wsWait)
	}
	return wsMsg{}
}

// closed waits up to d for the connection to end and returns why.
func (w *wsConn) closed(d time.Duration) (error, bool) {
	select {
	case <-w.done:
		return w.err, true
	case <-time.After(d):
		return nil, false
	}
}

// initWith sends connection_init with payload and returns the answer, or
// false when the server closed the connection without one.
func (w *wsConn) initWith(payload map[string]any) (wsMsg, bool) {
	w.t.Helper()
	b, _ := json.Marshal(payload)
	w.send(wsMsg{Type: "connection_init", Payload: b})
	select {
	case m := <-w.in:
		return m, true
	case <-w.done:
		select {
		case m := <-w.in:
			return m, true
		default:
			return wsMsg{}, false
		}
	case <-time.After(wsWait):
		w.t.Fatalf("%s: no answer to connection_init within %v", w.proto.name, wsWait)
	}
	return wsMsg{}, false
}

// init opens the session as token ("" for anonymous) and fails unless the
// server acknowledges.
func (w *wsConn) init(token string) {
	w.t.Helper()
	payload := map[string]any{}
	if token != "" {
		payload["authorization"] = "Bearer " + token
	}
	if m, ok := w.initWith(payload); !ok || m.Type != "connection_ack" {
		w.t.Fatalf("connection_init: got %s %s (connection ended: %v)", m.Type, m.Payload, w.err)
	}
}

func (w *wsConn) subscribe(id, query string, vars map[string]any) {
	w.t.Helper()
	b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	w.send(wsMsg{Type: w.proto.subscribe, ID: id, Payload: b})
}

// result is the GraphQL response or the errors the server sent for one
// operation: a next/data message, or an error message.
type result struct {
	kind   string // the message type
	data   json.RawMessage
	errors []gqlError
}

func (r result) code() string {
	if len(r.errors) == 0 {
		return ""
	}
	c, _ := r.errors[0].Extensions["code"].(string)
	return c
}

// result waits for the next message of operation id (skipping other
// operations' messages, which the caller does not care about here).
func (w *wsConn) result(id string) result {
	w.t.Helper()
	for {
		m := w.recv()
		if m.ID != id {
			continue
		}
		switch m.Type {
		case w.proto.next:
			var r struct {
				Data   json.RawMessage `json:"data"`
				Errors []gqlError      `json:"errors"`
			}
			if err := json.Unmarshal(m.Payload, &r); err != nil {
				w.t.Fatalf("payload %s: %v", m.Payload, err)
			}
			return result{kind: m.Type, data: r.Data, errors: r.Errors}
		case "error":
			var errs []gqlError
			if err := json.Unmarshal(m.Payload, &errs); err != nil {
				var one gqlError // graphql-ws sends one error object
				if err := json.Unmarshal(m.Payload, &one); err != nil {
					w.t.Fatalf("error payload %s: %v", m.Payload, err)
				}
				errs = []gqlError{one}
			}
			return result{kind: m.Type, errors: errs}
		default:
			return result{kind: m.Type}
		}
	}
}

// next decodes the next value of subscription id into out, failing on
// anything else.
func (w *wsConn) next(id string, out any) {
	w.t.Helper()
	r := w.result(id)
	if r.kind != w.proto.next || len(r.errors) > 0 {
		w.t.Fatalf("%s: want %s for %s, got %s %+v", w.proto.name, w.proto.next, id, r.kind, r.errors)
	}
	if err := json.Unmarshal(r.data, out); err != nil {
		w.t.Fatalf("decode %s: %v", r.data, err)
	}
}

// playAll starts an attempt as token and submits every answer right,
// took (on the test's clock) after the start.
func (e *env) playAll(token, cid string, answers map[string][]string, took time.Duration) {
	e.t.Helper()
	var st struct{ StartAttempt attempt }
	e.must(token, startQ, map[string]any{"c": cid}, &st)
	e.clock.Advance(took)
	var ans []map[string]any
	for _, q := range st.StartAttempt.Questions {
		ans = append(ans, map[string]any{"questionID": q.ID, "choices": answers[q.ID]})
	}
	e.must(token, submitQ, map[string]any{"a": st.StartAttempt.ID, "ans": ans}, nil)
}

// oneHourPeriod makes setUp's campaign one period long: these tests need no
// periods, and 720 of them are slow to create under the race detector.
var oneHourPeriod = map[string]any{"periodSeconds": 3600}

// waitFor polls cond until it holds or d passes.
func waitFor(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
	return true
}

const (
	boardSub = `subscription($c:ID!){leaderboardUpdated(campaignID:$c,first:5){total updatedAt entries{rank score durationMs participant{publicID nickname}}}}`
	mineSub  = `subscription($c:ID!){myStandingUpdated(campaignID:$c){rank score attempts participant{nickname}}}`
	statsSub = `subscription($c:ID!){campaignStats(campaignID:$c){attempts completions}}`
)

type boardValue struct {
	LeaderboardUpdated struct {
		Total     int
		UpdatedAt time.Time
		Entries   []struct {
			Rank, Score int
			Participant struct{ Nickname string }
		}
	}
}

type mineValue struct {
	MyStandingUpdated struct {
		Rank            *int
		Score, Attempts int
		Participant     struct{ Nickname string }
	}
}

// TestWebsocketDeliversSubmits: over each subprotocol and each database, a
// guest's submit reaches an anonymous leaderboard subscriber and the
// player's own standing subscription; stopping one subscription ends it
// (and only it) on the server too.
func TestWebsocketDeliversSubmits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		for _, proto := range wsProtos {
			t.Run(proto.name, func(t *testing.T) {
				e := newEnvWith(t, db, func(c *server.Config) {
					// Short enough that every connection sees a beat.
					c.WSPingInterval, c.WSKeepAliveInterval = 200*time.Millisecond, 200*time.Millisecond
				})
				cid, answers := e.setUpWith(e.adminToken(), oneHourPeriod)
				id, _ := strconv.Atoi(cid)
				vars := map[string]any{"c": cid}

				board := connectWS(t, e.srv, proto, true)
				board.init("")
				board.subscribe("board", boardSub, vars)
				var lb boardValue
				board.next("board", &lb) // the first value comes at once
				if lb.LeaderboardUpdated.Total != 0 || len(lb.LeaderboardUpdated.Entries) != 0 {
					t.Fatalf("first leaderboard %+v", lb)
				}

				player := e.guest("小周")
				mine := connectWS(t, e.srv, proto, true)
				mine.init(player)
				mine.subscribe("mine", mineSub, vars)
				var me mineValue
				mine.next("mine", &me)
				if me.MyStandingUpdated.Rank != nil || me.MyStandingUpdated.Participant.Nickname != "小周" {
					t.Fatalf("standing before playing %+v", me)
				}
				if n := e.res.Live.Subscribers(id); n != 2 {
					t.Fatalf("%d subscribers, want 2", n)
				}

				e.playAll(player, cid, answers, time.Second)
				board.next("board", &lb)
				if l := lb.LeaderboardUpdated; l.Total != 1 || len(l.Entries) != 1 || l.Entries[0].Score != 100 ||
					l.Entries[0].Rank != 1 || l.Entries[0].Participant.Nickname != "小周" {
					t.Fatalf("leaderboard after the submit %+v", l)
				}
				mine.next("mine", &me)
				if s := me.MyStandingUpdated; s.Rank == nil || *s.Rank != 1 || s.Score != 100 || s.Attempts != 1 {
					t.Fatalf("standing after the submit %+v", s)
				}

				// The keep-alive of the protocol: the server's ping (and the
				// client's, answered with pong) or the legacy "ka".
				if !waitFor(wsWait, func() bool { return board.beats.Load() > 0 }) {
					t.Fatalf("no %s from the server", proto.beat)
				}
				if proto == transportWS {
					board.send(wsMsg{Type: "ping"})
					if m := board.recv(); m.Type != "pong" {
						t.Fatalf("ping answered with %s", m.Type)
					}
				}

				// Stopping the leaderboard completes it and unsubscribes it
				// on the server; the standing stream lives on.
				board.send(wsMsg{Type: proto.stop, ID: "board"})
				if r := board.result("board"); r.kind != "complete" {
					t.Fatalf("after %s: %s", proto.stop, r.kind)
				}
				if !waitFor(wsWait, func() bool { return e.res.Live.Subscribers(id) == 1 }) {
					t.Fatalf("%d subscribers after a stop, want 1", e.res.Live.Subscribers(id))
				}
				second := e.guest("小吴")
				e.playAll(second, cid, answers, 0)
				mine.next("mine", &me) // a faster player pushed 小周 down
				if s := me.MyStandingUpdated; s.Rank == nil || *s.Rank != 2 {
					t.Fatalf("standing after being overtaken %+v", s)
				}
			})
		}
	})
}

// TestWebsocketCampaignStatsIsForAdmins: campaignStats answers an admin
// connection and refuses the others with the contract's codes, over both
// subprotocols.
func TestWebsocketCampaignStatsIsForAdmins(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	admin := e.adminToken()
	cid, _ := e.setUpWith(admin, oneHourPeriod)
	player := e.guest("p")
	for _, proto := range wsProtos {
		for _, tc := range []struct {
			name, token, code string
		}{
			{"admin", admin, ""},
			{"player", player, "FORBIDDEN"},
			{"anonymous", "", "UNAUTHENTICATED"},
		} {
			t.Run(proto.name+"/"+tc.name, func(t *testing.T) {
				w := connectWS(t, e.srv, proto, true)
				w.init(tc.token)
				w.subscribe("s", statsSub, map[string]any{"c": cid})
				r := w.result("s")
				if r.code() != tc.code {
					t.Fatalf("want %q, got %s %s %+v", tc.code, r.kind, r.data, r.errors)
				}
				if tc.code == "" {
					var s struct {
						CampaignStats struct{ Attempts, Completions int }
					}
					if err := json.Unmarshal(r.data, &s); err != nil || r.kind != proto.next {
						t.Fatalf("admin value %s %s: %v", r.kind, r.data, err)
					}
					return
				}
				// Refused: one result with no data and the error, then the
				// operation completes; no value ever follows.
				if r.kind != proto.next || (len(r.data) > 0 && string(r.data) != "null") {
					t.Fatalf("refusal sent as %s with data %s", r.kind, r.data)
				}
				if end := w.result("s"); end.kind != "complete" {
					t.Fatalf("after the refusal: %s", end.kind)
				}
			})
		}
	}
}

// TestWebsocketInitAuth: connection_init with an unknown or malformed
// token is refused with close code 4403 (and, on graphql-ws, a
// connection_error saying why), while no token or a good one is accepted.
func TestWebsocketInitAuth(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	player := e.guest("p")
	admin := e.adminToken()
	for _, proto := range wsProtos {
		for _, tc := range []struct {
			name    string
			payload map[string]any
			ok      bool
		}{
			{"no token", map[string]any{}, true},
			{"player", map[string]any{"authorization": "Bearer " + player}, true},
			{"admin, capitalised key", map[string]any{"Authorization": "Bearer " + admin}, true},
			{"unknown token", map[string]any{"authorization": "Bearer not-a-token"}, false},
			{"not a bearer", map[string]any{"authorization": "Token " + player}, false},
		} {
			t.Run(proto.name+"/"+tc.name, func(t *testing.T) {
				w := connectWS(t, e.srv, proto, true)
				m, _ := w.initWith(tc.payload)
				if tc.ok {
					if m.Type != "connection_ack" {
						t.Fatalf("refused: %s %s", m.Type, m.Payload)
					}
					return
				}
				if proto == legacyWS {
					if m.Type != "connection_error" || !strings.Contains(string(m.Payload), "invalid or expired token") {
						t.Fatalf("want connection_error, got %s %s", m.Type, m.Payload)
					}
				} else if m.Type == "connection_ack" {
					t.Fatal("acknowledged")
				}
				err, ok := w.closed(wsWait)
				if !ok {
					t.Fatal("the refused connection stayed open")
				}
				if websocket.CloseStatus(err) != 4403 {
					t.Fatalf("closed with %v, want 4403", err)
				}
			})
		}
	}
}

// TestWebsocketInitTimeout: a connection that never sends connection_init
// is closed once WSInitTimeout passes, and not before; one that does stays.
func TestWebsocketInitTimeout(t *testing.T) {
	const timeout = 300 * time.Millisecond
	e := newEnvWith(t, storetest.SQLite(t), func(c *server.Config) { c.WSInitTimeout = timeout })
	cid, _ := e.setUpWith(e.adminToken(), oneHourPeriod)
	for _, proto := range wsProtos {
		t.Run(proto.name+"/silent", func(t *testing.T) {
			start := time.Now()
			w := connectWS(t, e.srv, proto, true)
			err, ok := w.closed(timeout + wsWait)
			took := time.Since(start)
			if !ok {
				t.Fatal("a connection without connection_init stayed open")
			}
			if took < timeout-50*time.Millisecond {
				t.Fatalf("closed after %v, before the %v timeout", took, timeout)
			}
			var ce websocket.CloseError
			if !errors.As(err, &ce) || ce.Code != websocket.StatusProtocolError || !strings.Contains(ce.Reason, "timeout") {
				t.Fatalf("closed with %v", err)
			}
		})
		t.Run(proto.name+"/initialised", func(t *testing.T) {
			w := connectWS(t, e.srv, proto, true)
			w.init("")
			if err, closed := w.closed(3 * timeout); closed {
				t.Fatalf("an initialised connection was closed: %v", err)
			}
			w.subscribe("1", boardSub, map[string]any{"c": cid})
			var lb boardValue
			w.next("1", &lb)
		})
	}
}

// TestShutdownEndsWebsocketsBeforeTheirInit: at shutdown, a connection
// that has not sent connection_init yet is closed at once instead of
// holding the shutdown until its init timeout; an initialised one with a
// subscription still gets a close frame with a normal status.
func TestShutdownEndsWebsocketsBeforeTheirInit(t *testing.T) {
	e := newEnvWith(t, storetest.SQLite(t), func(c *server.Config) { c.WSInitTimeout = time.Minute })
	cid, _ := e.setUpWith(e.adminToken(), oneHourPeriod)
	var silent []*wsConn
	for _, proto := range wsProtos {
		silent = append(silent, connectWS(t, e.srv, proto, true))
	}
	busy := connectWS(t, e.srv, transportWS, true)
	busy.init("")
	busy.subscribe("1", boardSub, map[string]any{"c": cid})
	var lb boardValue
	busy.next("1", &lb)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second) // far below the init timeout
	defer cancel()
	if err := e.h.(*server.Server).CloseStreams(ctx); err != nil {
		t.Fatalf("streams still open when the shutdown gave up: %v", err)
	}
	for i, w := range silent {
		if _, closed := w.closed(wsWait); !closed {
			t.Errorf("%s connection without connection_init still open", wsProtos[i].name)
		}
	}
	err, closed := busy.closed(wsWait)
	if c := websocket.CloseStatus(err); !closed || c != websocket.StatusNormalClosure && c != websocket.StatusGoingAway {
		t.Fatalf("the subscribed connection ended with %v", err)
	}
}

// TestWebsocketPingTimeout: on graphql-transport-ws the server pings every
// WSPingInterval; a client that reads but never answers with pong is
// dropped, with its subscription, two intervals after it connected, while
// one that answers stays for as long as it likes.
func TestWebsocketPingTimeout(t *testing.T) {
	const ping = 300 * time.Millisecond
	e := newEnvWith(t, storetest.SQLite(t), func(c *server.Config) { c.WSPingInterval = ping })
	cid, _ := e.setUpWith(e.adminToken(), oneHourPeriod)
	id, _ := strconv.Atoi(cid)
	vars := map[string]any{"c": cid}
	var start time.Time // when the silent client connected
	conns := map[bool]*wsConn{}
	for _, answers := range []bool{true, false} {
		start = time.Now()
		w := connectWS(t, e.srv, transportWS, answers)
		w.init("")
		w.subscribe("1", boardSub, vars)
		var lb boardValue
		w.next("1", &lb)
		conns[answers] = w
	}
	err, closed := conns[false].closed(2*ping + wsWait)
	took := time.Since(start)
	if !closed {
		t.Fatal("a client that never answers pings was not dropped")
	}
	if took < 2*ping-50*time.Millisecond || conns[false].beats.Load() == 0 {
		t.Fatalf("dropped after %v (%d pings), before two ping intervals: %v", took, conns[false].beats.Load(), err)
	}
	if !waitFor(wsWait, func() bool { return e.res.Live.Subscribers(id) == 1 }) {
		t.Fatalf("%d subscribers after the drop, want 1", e.res.Live.Subscribers(id))
	}
	if err, closed := conns[true].closed(4 * ping); closed {
		t.Fatalf("a client that answers pings was dropped: %v", err)
	}
	if n := conns[true].beats.Load(); n < 3 {
		t.Fatalf("%d pings in %v", n, time.Since(start))
	}
}

// TestWebsocketSlowSubscriberDoesNotSlowOthers: a subscriber that stops
// reading (a phone gone to sleep, a stuck tab) fills its socket until the
// server's writes to it block. Another subscriber of the same campaign must
// keep receiving updates meanwhile, and the stuck one is dropped with its
// subscriptions: on graphql-transport-ws after twice the ping interval (it
// no longer answers pings either) or once a write has been blocked for the
// write timeout; on graphql-ws, which has no answer to "ka", by the write
// timeout alone.
func TestWebsocketSlowSubscriberDoesNotSlowOthers(t *testing.T) {
	const ping = 2500 * time.Millisecond // the stuck client goes at 5 s: time to check the healthy one first
	for _, tc := range []struct {
		proto wsProto
	}{
		{transportWS},
		{legacyWS},
	} {
		t.Run(tc.proto.name, func(t *testing.T) { // not parallel: blockedWebsocketWriters counts the whole process
			e := newEnvWith(t, storetest.SQLite(t), func(c *server.Config) { c.WSPingInterval, c.WSWriteTimeout = ping, 2*ping })
			cid, answers := e.setUpWith(e.adminToken(), oneHourPeriod)
			id, _ := strconv.Atoi(cid)
			vars := map[string]any{"c": cid}
			for i := range 3 { // a few entries make each value a few hundred bytes
				e.playAll(e.guest(fmt.Sprintf("先行者%d", i)), cid, answers, 0)
			}
			// Small socket buffers on the server side, so a few dozen KB
			// unread are enough to block its writes.
			srv := httptest.NewUnstartedServer(e.h)
			srv.Listener = smallBuffers{srv.Listener}
			srv.Start()
			t.Cleanup(srv.Close)

			healthy := connectWS(t, srv, tc.proto, true)
			healthy.init("")
			healthy.subscribe("board", boardSub, vars)
			var lb boardValue
			healthy.next("board", &lb)

			// The stuck client: it subscribes many times, each first value
			// sent at once, and never reads. (Once a write to it blocks, the
			// server reads no more of its subscriptions either: gqlgen holds
			// the connection's lock while writing.)
			stuckConnected := time.Now()
			stuck := dialStuck(t, srv, tc.proto)
			for i := range 40 {
				b, _ := json.Marshal(map[string]any{"query": bigBoardSub, "variables": vars})
				if err := writeWS(stuck, wsMsg{Type: tc.proto.subscribe, ID: strconv.Itoa(i), Payload: b}); err != nil {
					t.Fatal(err)
				}
			}
			if !waitFor(wsWait, func() bool { return blockedWebsocketWriters() > 0 }) {
				t.Fatal("the server's writes to the stuck client never blocked: the test proves nothing")
			}
			if n := e.res.Live.Subscribers(id); n < 2 {
				t.Fatalf("%d subscribers: the stuck client has none", n)
			}

			// While the server is stuck writing to one client, the other
			// gets the next change as promptly as ever.
			before := time.Now()
			e.playAll(e.guest("小钱"), cid, answers, 0)
			healthy.next("board", &lb)
			if lb.LeaderboardUpdated.Total != 4 {
				t.Fatalf("leaderboard %+v", lb.LeaderboardUpdated)
			}
			if took := time.Since(before); took > 2*time.Second {
				t.Fatalf("the update took %v with a stuck subscriber", took)
			}
			if blockedWebsocketWriters() == 0 || e.res.Live.Subscribers(id) < 2 {
				t.Fatal("the stuck client was released before the healthy one was served: the test proves nothing")
			}

			if !waitFor(2*ping+wsWait, func() bool { return e.res.Live.Subscribers(id) == 1 }) {
				t.Fatalf("the stuck client was not dropped: %d subscribers", e.res.Live.Subscribers(id))
			}
			if took := time.Since(stuckConnected); took < 2*ping-200*time.Millisecond {
				t.Fatalf("dropped after %v, before two ping intervals and the write timeout (%v)", took, 2*ping)
			}
			if !waitFor(wsWait, func() bool { return blockedWebsocketWriters() == 0 }) {
				t.Fatal("a write to the dropped client is still blocked")
			}
			// The healthy client, which answers pings, outlived the stuck
			// one's deadline and still gets updates.
			if healthy.beats.Load() == 0 {
				t.Fatal("the healthy client was never pinged")
			}
			e.playAll(e.guest("小孙"), cid, answers, 0)
			healthy.next("board", &lb)
			if lb.LeaderboardUpdated.Total != 5 {
				t.Fatalf("leaderboard after the drop %+v", lb.LeaderboardUpdated)
			}
		})
	}
}

// bigBoardSub asks for the entries under several aliases: a few KB a value.
var bigBoardSub = func() string {
	var b strings.Builder
	b.WriteString(`subscription($c:ID!){leaderboardUpdated(campaignID:$c,first:100){total`)
	for i := range 20 {
		fmt.Fprintf(&b, ` e%d:entries{rank score durationMs achievedAt participant{publicID nickname}}`, i)
	}
	b.WriteString(`}}`)
	return b.String()
}()

// smallBuffers shrinks the send buffer of each accepted connection (Linux
// stops auto-tuning a buffer set explicitly).
type smallBuffers struct{ net.Listener }

func (l smallBuffers) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetWriteBuffer(4 << 10)
	}
	return c, err
}

// dialStuck opens a connection with a small receive buffer that sends
// connection_init and then never reads.
func dialStuck(t *testing.T, srv *httptest.Server, proto wsProto) *websocket.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wsWait)
	defer cancel()
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if tc, ok := c.(*net.TCPConn); ok {
			_ = tc.SetReadBuffer(4 << 10)
		}
		return c, err
	}}
	c, _, err := dialWS(ctx, wsURL(srv), proto, &websocket.DialOptions{HTTPClient: &http.Client{Transport: tr}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.CloseNow() })
	if err := writeWS(c, wsMsg{Type: "connection_init", Payload: json.RawMessage(`{}`)}); err != nil {
		t.Fatal(err)
	}
	return c
}

func writeWS(c *websocket.Conn, m wsMsg) error {
	b, _ := json.Marshal(m)
	ctx, cancel := context.WithTimeout(context.Background(), wsWait)
	defer cancel()
	return c.Write(ctx, websocket.MessageText, b)
}

// blockedWebsocketWriters counts goroutines of the websocket transport
// waiting for a socket to take their write: a full buffer on the peer's
// side.
func blockedWebsocketWriters() int {
	var buf bytes.Buffer
	_ = pprof.Lookup("goroutine").WriteTo(&buf, 2)
	n := 0
	for _, g := range strings.Split(buf.String(), "\n\n") {
		if strings.Contains(g, "transport.(*wsConnection).write") && strings.Contains(g, "waitWrite") {
			n++
		}
	}
	return n
}

// TestWebsocketOrigin: a browser page may open a websocket from the
// server's own host or a configured pattern; any other origin is refused at
// the handshake (a non-browser client sends no Origin and is let in).
func TestWebsocketOrigin(t *testing.T) {
	e := newEnvWith(t, storetest.SQLite(t), func(c *server.Config) {
		c.OriginPatterns = []string{"h5.example.com", " *.quiz.example.org "}
	})
	for _, proto := range wsProtos {
		for _, tc := range []struct {
			origin string
			ok     bool
		}{
			{"", true},
			{e.srv.URL, true}, // the server's own host
			{"https://h5.example.com", true},
			{"https://H5.Example.com", true},
			{"https://city.quiz.example.org", true}, // the pattern is trimmed, as CORS reads it
			{"https://evil.example.net", false},
			{"https://h5.example.com.evil.net", false},
			{"http://127.0.0.1:1", false}, // the right address, another port: another origin
		} {
			t.Run(proto.name+"/"+tc.origin, func(t *testing.T) {
				h := http.Header{}
				if tc.origin != "" {
					h.Set("Origin", tc.origin)
				}
				ctx, cancel := context.WithTimeout(context.Background(), wsWait)
				defer cancel()
				c, resp, err := dialWS(ctx, wsURL(e.srv), proto, &websocket.DialOptions{HTTPHeader: h})
				if !tc.ok {
					if err == nil {
						_ = c.CloseNow()
						t.Fatal("accepted")
					}
					if resp == nil || resp.StatusCode != http.StatusForbidden {
						t.Fatalf("want 403, got %v %v", resp, err)
					}
					// One answer, ours: not coder/websocket's text with
					// gqlgen's error written after it.
					var body struct {
						Errors []struct{ Extensions struct{ Code string } }
					}
					if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || len(body.Errors) != 1 || body.Errors[0].Extensions.Code != "FORBIDDEN" {
						t.Fatalf("refusal %+v, %v; want one FORBIDDEN error", body, err)
					}
					return
				}
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				defer c.CloseNow()
				w := &wsConn{t: t, proto: proto, c: c, in: make(chan wsMsg, 16), done: make(chan struct{})}
				go w.read(true)
				w.init("")
				_ = c.CloseNow()
				<-w.done
			})
		}
	}
}

// TestSSESubscription: the same subscription over server-sent events, for
// clients without websockets: POST with Accept: text/event-stream.
func TestSSESubscription(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		cid, answers := e.setUpWith(e.adminToken(), oneHourPeriod)
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		body, _ := json.Marshal(map[string]any{"query": boardSub, "variables": map[string]any{"c": cid}})
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, e.srv.URL+"/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "text/event-stream")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || !strings.HasPrefix(ct, "text/event-stream") {
			t.Fatalf("%d %s", resp.StatusCode, ct)
		}
		events := make(chan sseEvent, 16)
		go readSSE(resp.Body, events)
		next := func() boardValue {
			t.Helper()
			select {
			case ev, ok := <-events:
				if !ok {
					t.Fatal("the stream ended")
				}
				if ev.name != "next" {
					t.Fatalf("event %q: %s", ev.name, ev.data)
				}
				var r struct {
					Data   boardValue
					Errors []gqlError
				}
				if err := json.Unmarshal([]byte(ev.data), &r); err != nil || len(r.Errors) > 0 {
					t.Fatalf("event data %s: %v", ev.data, err)
				}
				return r.Data
			case <-time.After(wsWait):
				t.Fatal("no event")
			}
			return boardValue{}
		}
		if lb := next(); lb.LeaderboardUpdated.Total != 0 {
			t.Fatalf("first value %+v", lb)
		}
		e.playAll(e.guest("小郑"), cid, answers, 0)
		lb := next()
		if l := lb.LeaderboardUpdated; l.Total != 1 || l.Entries[0].Score != 100 || l.Entries[0].Participant.Nickname != "小郑" {
			t.Fatalf("after the submit %+v", l)
		}
		// Closing the request ends the subscription on the server.
		cancel()
		id, _ := strconv.Atoi(cid)
		if !waitFor(wsWait, func() bool { return e.res.Live.Subscribers(id) == 0 }) {
			t.Fatalf("%d subscribers after the client left", e.res.Live.Subscribers(id))
		}
	})
}

type sseEvent struct{ name, data string }

// readSSE parses an event stream (event:/data: lines, blank-line
// separated; ":" lines are comments) until it ends.
func readSSE(r io.Reader, out chan<- sseEvent) {
	defer close(out)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	var ev sseEvent
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if ev.name != "" || ev.data != "" {
				out <- ev
			}
			ev = sseEvent{}
		case strings.HasPrefix(line, ":"):
		case strings.HasPrefix(line, "event:"):
			ev.name = strings.TrimSpace(strings.TrimPrefix(line, "event:"))
		case strings.HasPrefix(line, "data:"):
			ev.data += strings.TrimSpace(strings.TrimPrefix(line, "data:"))
		}
	}
}
