// Package reqinfo carries facts about the client of a request (address,
// user agent, fingerprint header) to the code that records them.
package reqinfo

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"net"
	"net/http"
)

// RequestIDHeader names a request in logs: a proxy's id is kept when it
// looks like one, else the server makes one; the response carries it.
const RequestIDHeader = "X-Request-ID"

// FingerprintHeader is the header a client may send with a device
// fingerprint of its own (the H5 page computes one).
const FingerprintHeader = "X-Client-Fingerprint"

// Info is what is known of a request's client.
type Info struct {
	RequestID   string
	Addr        string
	UserAgent   string
	Fingerprint string // the FingerprintHeader value, if any
}

type key struct{}

// FromRequest reads the client facts of r.
func FromRequest(r *http.Request) Info {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	id := r.Header.Get(RequestIDHeader)
	if !validID(id) {
		var b [8]byte
		_, _ = rand.Read(b[:])
		id = hex.EncodeToString(b[:])
	}
	return Info{RequestID: id, Addr: host, UserAgent: r.UserAgent(), Fingerprint: r.Header.Get(FingerprintHeader)}
}

// validID accepts a short id of safe characters, so a client cannot forge
// log lines through it.
func validID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// LogHandler adds the request id of the context to every record logged
// with one (the *Context methods of slog.Logger).
func LogHandler(h slog.Handler) slog.Handler { return logHandler{h} }

type logHandler struct{ slog.Handler }

func (l logHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := From(ctx).RequestID; id != "" {
		r.AddAttrs(slog.String("request_id", id))
	}
	return l.Handler.Handle(ctx, r)
}

func (l logHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return logHandler{l.Handler.WithAttrs(as)}
}
func (l logHandler) WithGroup(name string) slog.Handler { return logHandler{l.Handler.WithGroup(name)} }

// With returns ctx carrying i.
func With(ctx context.Context, i Info) context.Context { return context.WithValue(ctx, key{}, i) }

// From returns the client facts of ctx (zero outside a request).
func From(ctx context.Context) Info {
	i, _ := ctx.Value(key{}).(Info)
	return i
}

// DeviceHash is a short hash identifying the client's device: its own
// fingerprint when it sends one, else its network (/24 or /48) and user
// agent. It stores no address or agent in the clear; "" when nothing is known.
func (i Info) DeviceHash() string {
	var basis string
	switch {
	case i.Fingerprint != "":
		basis = "f:" + i.Fingerprint
	case i.Addr != "" || i.UserAgent != "":
		basis = "n:" + network(i.Addr) + "|" + i.UserAgent
	default:
		return ""
	}
	sum := sha256.Sum256([]byte(basis))
	return hex.EncodeToString(sum[:8])
}

func network(addr string) string {
	ip := net.ParseIP(addr)
	switch {
	case ip == nil:
		return addr
	case ip.To4() != nil:
		return ip.Mask(net.CIDRMask(24, 32)).String()
	}
	return ip.Mask(net.CIDRMask(48, 128)).String()
}
