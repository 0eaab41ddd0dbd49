// Package reqinfo carries facts about the client of a request (address,
// user agent, fingerprint header) to the code that records them.
package reqinfo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net"
	"net/http"
)

// FingerprintHeader is the header a client may send with a device
// fingerprint of its own (the H5 page computes one).
const FingerprintHeader = "X-Client-Fingerprint"

// Info is what is known of a request's client.
type Info struct {
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
	return Info{Addr: host, UserAgent: r.UserAgent(), Fingerprint: r.Header.Get(FingerprintHeader)}
}

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
