package loadgen

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// wsProtocol is the only subprotocol the tool speaks: graphql-transport-ws
// (the graphql-ws library), the one browsers use.
const wsProtocol = "graphql-transport-ws"

// wsMsg is one graphql-transport-ws message.
type wsMsg struct {
	Type    string          `json:"type"`
	ID      string          `json:"id,omitempty"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// subscription is one websocket carrying one GraphQL subscription, read by
// a goroutine of its own until close.
type subscription struct {
	c       *websocket.Conn
	done    chan struct{} // closed when the reader stops
	closing chan struct{} // closed by close
	once    sync.Once
}

// wsHandlers receive what a subscription delivers after its first value:
// next every value with its arrival time, fail the code of whatever ended
// it early (a GraphQL error, the server closing the socket).
type wsHandlers struct {
	next func(data json.RawMessage, at time.Time)
	fail func(code string)
}

// wsURL turns the GraphQL HTTP endpoint into its websocket address.
func wsURL(httpURL string) string {
	switch {
	case strings.HasPrefix(httpURL, "https://"):
		return "wss://" + strings.TrimPrefix(httpURL, "https://")
	case strings.HasPrefix(httpURL, "http://"):
		return "ws://" + strings.TrimPrefix(httpURL, "http://")
	}
	return httpURL
}

// subscribe opens a websocket, signs in with token ("" for anonymous),
// starts query and waits for its first value, which it returns. Every
// later value goes to h, from the subscription's reader goroutine. Setup
// failures are *callError.
func (e *engine) subscribe(ctx context.Context, token, query string, vars map[string]any, h wsHandlers) (*subscription, json.RawMessage, error) {
	ctx, cancel := context.WithTimeout(ctx, e.cfg.Timeout)
	defer cancel()
	c, _, err := websocket.Dial(ctx, e.wsURL, &websocket.DialOptions{
		HTTPClient:   e.hc,
		Subprotocols: []string{wsProtocol},
	})
	if err != nil {
		return nil, nil, wsError(ctx, err)
	}
	c.SetReadLimit(1 << 20)
	fail := func(err error) (*subscription, json.RawMessage, error) {
		_ = c.CloseNow()
		return nil, nil, err
	}
	if c.Subprotocol() != wsProtocol {
		return fail(&callError{Code: "WS_PROTOCOL", Message: fmt.Sprintf("server chose subprotocol %q", c.Subprotocol())})
	}
	init := map[string]string{}
	if token != "" {
		init["authorization"] = "Bearer " + token
	}
	if err := writeMsg(ctx, c, "connection_init", "", init); err != nil {
		return fail(wsError(ctx, err))
	}
	if _, err := readUntil(ctx, c, "connection_ack"); err != nil {
		return fail(err)
	}
	if err := writeMsg(ctx, c, "subscribe", "1", gqlRequest{Query: query, Variables: vars}); err != nil {
		return fail(wsError(ctx, err))
	}
	m, err := readUntil(ctx, c, "next")
	if err != nil {
		return fail(err)
	}
	data, code, msg := nextData(m.Payload)
	if code != "" {
		return fail(&callError{Code: code, Message: msg})
	}
	s := &subscription{c: c, done: make(chan struct{}), closing: make(chan struct{})}
	go s.read(h)
	return s, data, nil
}

// read delivers values until the connection ends, answering pings.
func (s *subscription) read(h wsHandlers) {
	defer close(s.done)
	for {
		_, raw, err := s.c.Read(context.Background())
		at := time.Now()
		if err != nil {
			select {
			case <-s.closing: // we ended it
			default:
				h.fail(closeCode(err))
			}
			return
		}
		var m wsMsg
		if err := json.Unmarshal(raw, &m); err != nil {
			h.fail(CodeBadResponse)
			continue
		}
		switch m.Type {
		case "next":
			data, code, _ := nextData(m.Payload)
			if code != "" {
				h.fail(code)
				continue
			}
			h.next(data, at)
		case "ping":
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			err := writeMsg(ctx, s.c, "pong", "", nil)
			cancel()
			if err != nil {
				select {
				case <-s.closing:
				default:
					h.fail(closeCode(err))
				}
				return
			}
		case "error", "complete":
			select {
			case <-s.closing: // the answer to our own complete
				continue
			default:
			}
			if m.Type == "error" {
				code, _ := errorsCode(m.Payload)
				h.fail(code)
			} else {
				h.fail("WS_COMPLETED") // the server ended the stream
			}
		}
	}
}

// ended reports whether the subscription has stopped delivering.
func (s *subscription) ended() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// close ends the subscription with the protocol's complete and a normal
// close, and waits for the reader.
func (s *subscription) close() {
	s.once.Do(func() {
		close(s.closing)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		_ = writeMsg(ctx, s.c, "complete", "1", nil)
		cancel()
		if err := s.c.Close(websocket.StatusNormalClosure, "load run over"); err != nil {
			_ = s.c.CloseNow()
		}
		<-s.done
	})
}

func writeMsg(ctx context.Context, c *websocket.Conn, typ, id string, payload any) error {
	m := wsMsg{Type: typ, ID: id}
	if payload != nil {
		b, err := json.Marshal(payload)
		if err != nil {
			return err
		}
		m.Payload = b
	}
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return c.Write(ctx, websocket.MessageText, b)
}

// readUntil reads messages, answering pings, until one of type want; an
// "error" message or a close on the way is a *callError.
func readUntil(ctx context.Context, c *websocket.Conn, want string) (wsMsg, error) {
	for {
		_, raw, err := c.Read(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return wsMsg{}, wsError(ctx, err)
			}
			return wsMsg{}, &callError{Code: closeCode(err), Message: err.Error()}
		}
		var m wsMsg
		if err := json.Unmarshal(raw, &m); err != nil {
			return wsMsg{}, &callError{Code: CodeBadResponse, Message: snippet(raw)}
		}
		switch m.Type {
		case want:
			return m, nil
		case "ping":
			if err := writeMsg(ctx, c, "pong", "", nil); err != nil {
				return wsMsg{}, wsError(ctx, err)
			}
		case "error":
			code, msg := errorsCode(m.Payload)
			return wsMsg{}, &callError{Code: code, Message: msg}
		case "complete":
			return wsMsg{}, &callError{Code: "WS_COMPLETED", Message: "the server completed the subscription at once"}
		}
	}
}

// nextData splits a "next" payload (an execution result) into its data or
// its first error's code.
func nextData(payload json.RawMessage) (data json.RawMessage, code, msg string) {
	var r gqlResponse
	if err := json.Unmarshal(payload, &r); err != nil {
		return nil, CodeBadResponse, snippet(payload)
	}
	if code, msg := firstCode(r.Errors); code != "" {
		return nil, code, msg
	}
	return r.Data, "", ""
}

// errorsCode reads an "error" payload: a list of GraphQL errors.
func errorsCode(payload json.RawMessage) (code, msg string) {
	var errs []gqlErr
	if err := json.Unmarshal(payload, &errs); err != nil || len(errs) == 0 {
		return CodeNoCode, snippet(payload)
	}
	return firstCode(errs)
}

// closeCode names why a websocket ended: WS_CLOSE_<status> when the server
// closed it with a status, TRANSPORT otherwise.
func closeCode(err error) string {
	if s := websocket.CloseStatus(err); s != -1 {
		return fmt.Sprintf("WS_CLOSE_%d", int(s))
	}
	if errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) {
		return "WS_EOF"
	}
	return CodeTransport
}

func wsError(ctx context.Context, err error) *callError {
	if ctx.Err() != nil {
		return transportError(ctx, err)
	}
	var ce *callError
	if errors.As(err, &ce) {
		return ce
	}
	return &callError{Code: closeCode(err), Message: err.Error()}
}
