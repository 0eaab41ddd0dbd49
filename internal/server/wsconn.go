package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/coder/websocket"
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
// goes through encoding/json. The other: a write that cannot finish within
// writeTimeout closes the connection (Config.WSWriteTimeout).
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
	data, err := encodeMessage(v)
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
// they are valid already.
func encodeMessage(v any) ([]byte, error) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return json.Marshal(v)
	}
	sv := rv.Elem()
	fields, ok := messagePlan(sv.Type())
	if !ok {
		return json.Marshal(v)
	}
	buf := make([]byte, 0, 64)
	buf = append(buf, '{')
	first := true
	for _, f := range fields {
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
			raw := fv.Bytes()
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
