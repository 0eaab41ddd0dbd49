// Package randid makes random identifiers and secrets from crypto/rand.
package randid

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// lower-case base32 without padding: short, unambiguous, safe in URLs.
var b32 = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// PublicID returns prefix followed by n random base32 characters
// (5 bits each), e.g. PublicID("p", 12) → "pk3m9...".
func PublicID(prefix string, n int) string {
	b := make([]byte, (n*5+7)/8)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go ≥ 1.24).
	return prefix + strings.ToLower(b32.EncodeToString(b))[:n]
}

// Token returns a new bearer token (256 random bits) and the hash to store.
func Token() (token, hash string) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken is the stored form of a token: hex SHA-256. A stolen database
// yields no usable token.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Password returns a random password for a bootstrap account.
func Password() string {
	b := make([]byte, 15)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
