package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/coder/websocket"

	"prizequiz/internal/fanout"
)

// wsImplementation accepts websockets with coder/websocket, as gqlgen's
// transport.CoderWebsocketImplementation does (this file follows its
// websocket_coderws.go, MIT licence), with one difference: WriteJSON
// encodes gqlgen's protocol messages itself instead of with encoding/json.
//
// A message is {"payload":…,"id":…,"type":…} whose payload gqlgen has
// already produced with json.Marshal. encoding/json would validate and
// compact that payload byte by byte once more; with ten thousand
// subscribers receiving the same leaderboard page, that second pass was a
// fifth of the server's CPU. Any value that is not such a message still
// goes through encoding/json. A payload that is a courier's stand-in is
// written as the shared response it stands for (courierWebsocket). And a
// write that cannot finish within writeTimeout closes the connection
// (Config.WSWriteTimeout).
type wsImplementation struct {
	opts         websocket.AcceptOptions
	writeTimeout time.Duration
}

var _ transport.WebsocketImplementation = wsImplementation{}

func (u wsImplementation) Accept(w http.ResponseWriter, r *http.Request, options transport.WebsocketAcceptOptions) (transport.WebsocketConn, error) {
	for key, values := range options.ResponseHeader {
		for _, value := range values {
			w.Header().Add(key, value)
		}
	}
	opts := u.opts
	opts.Subprotocols = slices.Clone(opts.Subprotocols)
	for _, p := range options.Subprotocols {
		if !slices.Contains(opts.Subprotocols, p) {
			opts.Subprotocols = append(opts.Subprotocols, p)
		}
	}
	conn, err := websocket.Accept(w, r, &opts)
	if err != nil {
		return nil, err
	}
	c := &wsConn{conn: conn, writeTimeout: u.writeTimeout}
	c.courier, _ = fanout.CourierFrom(r.Context()).(*courier)
	// Until its first message (connection_init) the transport waits on a
	// read that nothing else ends but the init timeout: a shutdown
	// (Server.CloseStreams ends the request's context) would wait that out.
	// Once the client has spoken, the transport ends the connection itself
	// when the context ends, with a close frame.
	c.stopWaiting = context.AfterFunc(r.Context(), func() {
		if !c.heard.Load() {
			_ = conn.CloseNow()
		}
	})
	return c, nil
}

type wsConn struct {
	conn         *websocket.Conn
	writeTimeout time.Duration
	courier      *courier    // nil when the request came without one
	heard        atomic.Bool // a message has come from the client
	stopWaiting  func() bool

	mu                sync.Mutex
	readDeadlineTimer *time.Timer
	closeHandshakeCh  chan struct{}
}

var (
	_ transport.WebsocketConn          = (*wsConn)(nil)
	_ transport.WebsocketReadLimiter   = (*wsConn)(nil)
	_ transport.WebsocketReadDeadliner = (*wsConn)(nil)
)

func (c *wsConn) Close() error {
	c.stopWaiting()
	c.clearReadDeadlineTimer()
	c.mu.Lock()
	handshakeInProgress := c.closeHandshakeCh != nil
	c.mu.Unlock()
	// WriteClose's goroutine owns the close then: closing here would race
	// with it and could skip the close frame.
	if handshakeInProgress {
		return nil
	}
	return c.conn.CloseNow()
}

func (c *wsConn) NextReader() (int, io.Reader, error) {
	typ, data, err := c.conn.Read(context.Background())
	if err == nil && !c.heard.Load() {
		c.heard.Store(true)
		c.stopWaiting()
	}
	if err != nil {
		switch websocket.CloseStatus(err) {
		case websocket.StatusNormalClosure, websocket.StatusNoStatusRcvd:
			return int(typ), nil, transport.ErrWebsocketClosed
		}
		return int(typ), nil, err
	}
	return int(typ), bytes.NewReader(data), nil
}

func (c *wsConn) WriteJSON(v any) error {
	data, err := encodeMessage(v, c.courier.claim)
	if err != nil {
		return err
	}
	ctx := context.Background()
	if c.writeTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.writeTimeout)
		defer cancel()
	}
	// A write whose context ends closes the connection (coder/websocket):
	// the transport's reader then fails and ends the subscriptions.
	return c.conn.Write(ctx, websocket.MessageText, data)
}

func (c *wsConn) WriteClose(closeCode int, message string) error {
	c.clearReadDeadlineTimer()
	// coder/websocket's Close waits up to 5 s for the peer's close frame:
	// in the background, so the transport's teardown does not stall on a
	// slow or absent peer.
	c.mu.Lock()
	if c.closeHandshakeCh != nil {
		c.mu.Unlock()
		return nil
	}
	done := make(chan struct{})
	c.closeHandshakeCh = done
	c.mu.Unlock()
	go func() {
		defer close(done)
		_ = c.conn.Close(websocket.StatusCode(closeCode), message)
	}()
	return nil
}

func (c *wsConn) Subprotocol() string { return c.conn.Subprotocol() }

func (c *wsConn) SetReadLimit(limit int64) { c.conn.SetReadLimit(limit) }

func (c *wsConn) SetReadDeadline(deadline time.Time) error {
	closeNow := false
	c.mu.Lock()
	c.stopReadDeadlineTimerLocked()
	if !deadline.IsZero() {
		if d := time.Until(deadline); d <= 0 {
			closeNow = true
		} else {
			c.readDeadlineTimer = time.AfterFunc(d, func() { _ = c.conn.CloseNow() })
		}
	}
	c.mu.Unlock()
	if closeNow {
		return c.conn.CloseNow()
	}
	return nil
}

func (c *wsConn) clearReadDeadlineTimer() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stopReadDeadlineTimerLocked()
}

func (c *wsConn) stopReadDeadlineTimerLocked() {
	if c.readDeadlineTimer != nil {
		c.readDeadlineTimer.Stop()
		c.readDeadlineTimer = nil
	}
}

// encodeMessage encodes v as encoding/json would, but writes json.RawMessage
// fields as they are when v points to a struct whose JSON fields are all
// strings or raw messages (gqlgen's protocol messages). Raw messages here
// come from json.Marshal, or from a client message that parsed as JSON, so
// they are valid already. A raw message that claim recognises as a
// courier's stand-in is written as the payload it stands for.
func encodeMessage(v any, claim func(raw []byte) ([]byte, bool)) ([]byte, error) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return json.Marshal(v)
	}
	sv := rv.Elem()
	fields, ok := messagePlan(sv.Type())
	if !ok {
		return json.Marshal(v)
	}
	size := 2
	raws := make([][]byte, len(fields))
	for i, f := range fields {
		fv := sv.Field(f.index)
		size += len(f.key) + fv.Len() + 3 // a comma, and quotes around a string without escapes
		if f.raw {
			raws[i] = fv.Bytes()
			if payload, ok := claim(raws[i]); ok {
				raws[i] = payload
				size += len(payload)
			}
		}
	}
	buf := make([]byte, 0, size)
	buf = append(buf, '{')
	first := true
	for i, f := range fields {
		fv := sv.Field(f.index)
		if f.omitEmpty && fv.Len() == 0 {
			continue
		}
		if !first {
			buf = append(buf, ',')
		}
		first = false
		buf = append(buf, f.key...)
		if f.raw {
			raw := raws[i]
			if len(raw) == 0 {
				buf = append(buf, "null"...)
			} else {
				buf = append(buf, raw...)
			}
			continue
		}
		s, err := json.Marshal(fv.String())
		if err != nil {
			return nil, err
		}
		buf = append(buf, s...)
	}
	return append(buf, '}'), nil
}

type messageField struct {
	index     int
	key       string // the quoted name and its colon
	raw       bool   // a json.RawMessage, else a string
	omitEmpty bool
}

var messagePlans sync.Map // reflect.Type → []messageField, or nil when not a message

var rawMessageType = reflect.TypeFor[json.RawMessage]()

// messagePlan lists how to write a struct type's JSON fields, and whether
// encodeMessage can (every field a string or a raw message, no options
// but omitempty).
func messagePlan(t reflect.Type) ([]messageField, bool) {
	if p, ok := messagePlans.Load(t); ok {
		fields := p.([]messageField)
		return fields, fields != nil
	}
	var fields []messageField
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		key, err := json.Marshal(name)
		if err != nil || (opts != "" && opts != "omitempty") ||
			(f.Type != rawMessageType && f.Type.Kind() != reflect.String) {
			fields = nil
			break
		}
		fields = append(fields, messageField{index: i, key: string(key) + ":", raw: f.Type == rawMessageType, omitEmpty: opts == "omitempty"})
	}
	if len(fields) == 0 {
		fields = nil
	}
	messagePlans.Store(t, fields)
	return fields, fields != nil
}

// courierWebsocket is gqlgen's websocket transport, with a courier for each
// connection: the shared subscriptions (internal/fanout) hand it the
// encoded response, and the connection's WriteJSON writes those bytes,
// so gqlgen's json.Marshal of each copy only encodes a short stand-in.
type courierWebsocket struct{ transport.Websocket }

func (t courierWebsocket) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	t.Websocket.Do(w, r.WithContext(fanout.WithCourier(r.Context(), &courier{})), exec)
}

// courier keeps each payload it carries until the connection writes the
// message that holds its stand-in. The stand-in's data is a number, which
// no GraphQL response's data can be, so gqlgen's encoding of it is exactly
// {"data":N}, and nothing else a connection writes matches one.
type courier struct {
	mu      sync.Mutex
	last    uint64
	parcels map[uint64][]byte
}

var _ fanout.Courier = (*courier)(nil)

func (c *courier) Carry(payload []byte) *graphql.Response {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.parcels == nil {
		c.parcels = map[uint64][]byte{}
	}
	c.last++
	c.parcels[c.last] = payload
	return &graphql.Response{Data: strconv.AppendUint(nil, c.last, 10)}
}

var (
	standInPrefix = []byte(`{"data":`)
	standInSuffix = []byte(`}`)
)

// claim returns the payload that raw stands in for, once. A nil courier
// claims nothing.
func (c *courier) claim(raw []byte) ([]byte, bool) {
	if c == nil {
		return nil, false
	}
	n, ok := bytes.CutPrefix(raw, standInPrefix)
	if !ok {
		return nil, false
	}
	if n, ok = bytes.CutSuffix(n, standInSuffix); !ok || len(n) > 20 {
		return nil, false
	}
	id, err := strconv.ParseUint(string(n), 10, 64)
	if err != nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	payload, ok := c.parcels[id]
	delete(c.parcels, id)
	return payload, ok
}
