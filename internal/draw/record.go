package draw

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Algorithm is the identifier of this draw procedure; it is the first line
// of every commitment record and the algorithm field of every proof.
const Algorithm = "prizequiz-draw-v1"

// SecretSize is the length in bytes of the server seed S.
const SecretSize = 32

// Commitment is the content of a period's commitment record (SPEC §4.1),
// published when the period opens and fixed from then on.
type Commitment struct {
	Campaign               string
	Period                 int
	Cutoff                 time.Time
	PoolSize               int
	Winners                int
	ExcludePreviousWinners bool
	Entropy                string
	ServerSeedSHA256       string
}

// recordKeys is the exact key order of a record; the verifier insists on it
// so that one commitment has exactly one byte representation.
var recordKeys = []string{
	"version", "campaign", "period", "cutoff", "pool_size", "winners",
	"exclude_previous_winners", "entropy", "server_seed_sha256",
}

// Record returns the canonical record: key=value lines in SPEC order, each
// ending in LF, the cutoff in RFC 3339 UTC at second precision.
func (c Commitment) Record() []byte {
	values := []string{
		Algorithm,
		c.Campaign,
		strconv.Itoa(c.Period),
		c.Cutoff.UTC().Truncate(time.Second).Format(time.RFC3339),
		strconv.Itoa(c.PoolSize),
		strconv.Itoa(c.Winners),
		strconv.FormatBool(c.ExcludePreviousWinners),
		c.Entropy,
		c.ServerSeedSHA256,
	}
	var b bytes.Buffer
	for i, k := range recordKeys {
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(values[i])
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// Digest returns C = hex SHA-256 of the record.
func (c Commitment) Digest() string { return hexSHA256(c.Record()) }

// Validate reports whether c can be written as a record that ParseRecord
// reads back to the same value. Callers creating a commitment should check
// it, because a newline in a field would silently forge extra lines.
func (c Commitment) Validate() error {
	for _, f := range [...]struct{ name, v string }{{"campaign", c.Campaign}, {"entropy", c.Entropy}} {
		if f.v == "" || strings.ContainsAny(f.v, "\n\r") {
			return fmt.Errorf("commitment %s: must be non-empty and single-line", f.name)
		}
	}
	if c.Period < 0 || c.PoolSize < 0 || c.Winners < 0 {
		return errors.New("commitment: period, pool_size and winners must be non-negative")
	}
	src, err := ParseEntropySource(c.Entropy)
	if err != nil {
		return fmt.Errorf("commitment entropy: %w", err)
	}
	// A round fixed by the cutoff leaves no choice of a beacon value that is
	// already public, which would let the operator predict and steer the pool.
	if want := RoundAt(c.Cutoff.Add(EntropyDelay)); src.Kind == KindDrand && src.Round != want {
		return fmt.Errorf("commitment entropy: round %d, but the first round at or after cutoff + %v is %d", src.Round, EntropyDelay, want)
	}
	if !isHexDigest(c.ServerSeedSHA256) {
		return errors.New("commitment server_seed_sha256: want 64 lowercase hex digits")
	}
	return nil
}

// ParseRecord is the verifier's strict reader: exactly the nine lines in
// SPEC order, each LF-terminated, version first, and a record that
// re-serialises to the identical bytes. Anything looser would let two
// different byte strings claim the same commitment.
func ParseRecord(rec []byte) (Commitment, error) {
	var c Commitment
	if !bytes.HasSuffix(rec, []byte("\n")) {
		return c, errors.New("record: must end with LF")
	}
	lines := strings.Split(strings.TrimSuffix(string(rec), "\n"), "\n")
	if len(lines) != len(recordKeys) {
		return c, fmt.Errorf("record: %d lines, want %d", len(lines), len(recordKeys))
	}
	vals := make([]string, len(lines))
	for i, line := range lines {
		k, v, ok := strings.Cut(line, "=")
		if !ok || k != recordKeys[i] {
			return c, fmt.Errorf("record line %d: want key %q", i+1, recordKeys[i])
		}
		vals[i] = v
	}
	if vals[0] != Algorithm {
		return c, fmt.Errorf("record: version %q, want %q", vals[0], Algorithm)
	}
	var err error
	c.Campaign = vals[1]
	if c.Period, err = parseCount(vals[2]); err != nil {
		return c, fmt.Errorf("record period: %w", err)
	}
	if c.Cutoff, err = time.Parse(time.RFC3339, vals[3]); err != nil {
		return c, fmt.Errorf("record cutoff: %w", err)
	}
	if c.PoolSize, err = parseCount(vals[4]); err != nil {
		return c, fmt.Errorf("record pool_size: %w", err)
	}
	if c.Winners, err = parseCount(vals[5]); err != nil {
		return c, fmt.Errorf("record winners: %w", err)
	}
	switch vals[6] {
	case "true":
		c.ExcludePreviousWinners = true
	case "false":
	default:
		return c, fmt.Errorf("record exclude_previous_winners: %q is not true or false", vals[6])
	}
	c.Entropy = vals[7]
	c.ServerSeedSHA256 = vals[8]
	if err := c.Validate(); err != nil {
		return c, fmt.Errorf("record: %w", err)
	}
	if !bytes.Equal(c.Record(), rec) {
		return c, errors.New("record: not in canonical form")
	}
	return c, nil
}

// parseCount accepts only canonical non-negative decimals (no sign, no
// leading zeros) so that each number has a single spelling.
func parseCount(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || strconv.Itoa(n) != s {
		return 0, fmt.Errorf("%q is not a canonical non-negative integer", s)
	}
	return n, nil
}

// NewSecret draws the 32-byte server seed S from crypto/rand.
func NewSecret() ([]byte, error) {
	s := make([]byte, SecretSize)
	if _, err := rand.Read(s); err != nil {
		return nil, fmt.Errorf("draw server seed: %w", err)
	}
	return s, nil
}

// SeedDigest returns hex SHA-256(S), the record's server_seed_sha256.
func SeedDigest(s []byte) string { return hexSHA256(s) }

func hexSHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// isHexDigest reports whether s is a lowercase hex SHA-256 digest; one
// case only, so that digests compare as strings.
func isHexDigest(s string) bool { return isLowerHex(s, sha256.Size) }

func isLowerHex(s string, n int) bool {
	if len(s) != 2*n {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// decodeDigest parses a lowercase hex SHA-256 digest into raw bytes.
func decodeDigest(s string) ([]byte, error) {
	if !isHexDigest(s) {
		return nil, fmt.Errorf("%q is not a lowercase hex SHA-256 digest", s)
	}
	return hex.DecodeString(s)
}
