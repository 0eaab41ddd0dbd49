package draw

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"
)

// personalization separates this DRBG stream from any other use of the
// same inputs; it is fixed by the algorithm name.
var personalization = []byte(Algorithm)

// Rho computes ρ (SPEC §4.3): for drand, SHA-256 of the signature bytes
// decoded from hex (so hex case cannot change the result); for declared,
// SHA-256 of the UTF-8 text exactly as published.
func Rho(kind, entropy string) ([]byte, error) {
	var msg []byte
	switch kind {
	case KindDrand:
		sig, err := DecodeSignature(entropy)
		if err != nil {
			return nil, err
		}
		msg = sig
	case KindDeclared:
		if entropy == "" || !utf8.ValidString(entropy) {
			return nil, errors.New("declared entropy: must be non-empty UTF-8 text")
		}
		msg = []byte(entropy)
	default:
		return nil, fmt.Errorf("entropy kind %q: want %q or %q", kind, KindDrand, KindDeclared)
	}
	sum := sha256.Sum256(msg)
	return sum[:], nil
}

// Uniform returns a uniform integer in [0, m) from the 64-bit words of
// next, by rejection: a word u is used only if u < 2^64 − (2^64 mod m), the
// largest multiple of m that fits, so u mod m has no modulo bias. m must
// be at least 1.
func Uniform(m uint64, next func() uint64) uint64 {
	// 2^64 mod m computed without 2^64: (2^64 − m) mod m, and 2^64 − m is
	// −m in uint64 arithmetic.
	r := -m % m
	// u < 2^64 − r  ⇔  u ≤ MaxUint64 − r, which also holds for r = 0.
	limit := math.MaxUint64 - r
	for {
		if u := next(); u <= limit {
			return u % m
		}
	}
}

// Shuffle returns the draw order of pool ranks 1..n (SPEC §4.4–4.5): a
// Fisher–Yates shuffle driven by HMAC_DRBG-SHA-256 instantiated with
// entropy_input = ρ‖S, nonce = C‖P (raw 32-byte digests) and
// personalization "prizequiz-draw-v1", one 8-byte Generate per word.
func Shuffle(rho, s, c, p []byte, n int) ([]int, error) {
	for _, in := range [...]struct {
		name string
		b    []byte
	}{{"rho", rho}, {"server seed", s}, {"commitment digest", c}, {"pool digest", p}} {
		if len(in.b) != sha256.Size {
			return nil, fmt.Errorf("shuffle: %s is %d bytes, want %d", in.name, len(in.b), sha256.Size)
		}
	}
	if n < 0 {
		return nil, fmt.Errorf("shuffle: negative pool size %d", n)
	}
	d := NewHMACDRBG(concat(rho, s), concat(c, p), personalization)
	var (
		word [8]byte
		err  error
	)
	next := func() uint64 {
		if err != nil {
			return 0 // any value is accepted; the error aborts below
		}
		err = d.GenerateInto(word[:])
		return binary.BigEndian.Uint64(word[:])
	}
	a := make([]int, n)
	for i := range a {
		a[i] = i + 1
	}
	for i := 0; i+1 < n; i++ {
		j := i + int(Uniform(uint64(n-i), next))
		a[i], a[j] = a[j], a[i]
	}
	if err != nil {
		return nil, fmt.Errorf("shuffle: %w", err)
	}
	return a, nil
}

func concat(a, b []byte) []byte {
	out := make([]byte, 0, len(a)+len(b))
	return append(append(out, a...), b...)
}

// WinnersDigest returns hex SHA-256 of the winners' public IDs in draw
// order, each followed by LF.
func WinnersDigest(publicIDs []string) string {
	h := sha256.New()
	for _, id := range publicIDs {
		h.Write([]byte(id))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Inputs is everything a draw consumes. The commitment and pool were
// published before the entropy existed; Entropy is the drand signature
// in hex or the declared result text; ServerSeed is S, revealed now.
type Inputs struct {
	Commitment Commitment
	Pool       []Entry
	Entropy    string
	ServerSeed []byte
}

// Result is the outcome of a draw with the values a proof publishes.
type Result struct {
	// Order holds pool ranks in draw order: the first Winners are the
	// winners, the rest alternates in the order they step in.
	Order []int
	// OrderIDs is Order mapped to public IDs.
	OrderIDs []string
	// Winners is min(k, n).
	Winners int

	Record           []byte
	CommitmentDigest string
	PoolFile         []byte
	PoolDigest       string
	EntropyDigest    string // hex ρ
	WinnersDigest    string

	inputs Inputs
}

// Draw runs the draw. It refuses inputs that a verifier would reject —
// a seed not matching the commitment, a malformed pool, a pool larger
// than committed, or a drand signature that does not verify — so that a
// published result always verifies.
func Draw(in Inputs) (Result, error) {
	c := in.Commitment
	if err := c.Validate(); err != nil {
		return Result{}, fmt.Errorf("draw: %w", err)
	}
	if len(in.ServerSeed) != SecretSize {
		return Result{}, fmt.Errorf("draw: server seed is %d bytes, want %d", len(in.ServerSeed), SecretSize)
	}
	if SeedDigest(in.ServerSeed) != c.ServerSeedSHA256 {
		return Result{}, errors.New("draw: server seed does not match the commitment")
	}
	if err := ValidatePool(in.Pool); err != nil {
		return Result{}, fmt.Errorf("draw: %w", err)
	}
	if len(in.Pool) > c.PoolSize {
		return Result{}, fmt.Errorf("draw: pool has %d entries, commitment allows %d", len(in.Pool), c.PoolSize)
	}
	src, err := ParseEntropySource(c.Entropy)
	if err != nil {
		return Result{}, fmt.Errorf("draw: %w", err)
	}
	if src.Kind == KindDrand {
		if err := VerifyQuicknet(src.Round, in.Entropy); err != nil {
			return Result{}, fmt.Errorf("draw: %w", err)
		}
		// Publish one spelling of the signature; ρ ignores hex case anyway.
		in.Entropy = strings.ToLower(in.Entropy)
	}
	rho, err := Rho(src.Kind, in.Entropy)
	if err != nil {
		return Result{}, fmt.Errorf("draw: %w", err)
	}

	res := Result{
		Record:   c.Record(),
		PoolFile: PoolFile(in.Pool),
		inputs:   in,
	}
	res.CommitmentDigest = hexSHA256(res.Record)
	res.PoolDigest = hexSHA256(res.PoolFile)
	res.EntropyDigest = hex.EncodeToString(rho)
	cSum, pSum := sha256.Sum256(res.Record), sha256.Sum256(res.PoolFile)
	if res.Order, err = Shuffle(rho, in.ServerSeed, cSum[:], pSum[:], len(in.Pool)); err != nil {
		return Result{}, fmt.Errorf("draw: %w", err)
	}
	res.OrderIDs = make([]string, len(res.Order))
	for i, rank := range res.Order {
		res.OrderIDs[i] = in.Pool[rank-1].PublicID
	}
	res.Winners = min(c.Winners, len(in.Pool))
	res.WinnersDigest = WinnersDigest(res.OrderIDs[:res.Winners])
	return res, nil
}

// Proof returns the publishable proof of r, stamped with when the draw ran.
func (r Result) Proof(drawnAt time.Time) Proof {
	return Proof{
		Algorithm:        Algorithm,
		CommitmentRecord: string(r.Record),
		CommitmentDigest: r.CommitmentDigest,
		PoolFile:         string(r.PoolFile),
		PoolDigest:       r.PoolDigest,
		EntropySource:    r.inputs.Commitment.Entropy,
		Entropy:          r.inputs.Entropy,
		EntropyDigest:    r.EntropyDigest,
		ServerSeed:       hex.EncodeToString(r.inputs.ServerSeed),
		Order:            append([]string{}, r.OrderIDs...),
		WinnersCount:     r.Winners,
		WinnersDigest:    r.WinnersDigest,
		DrawnAt:          drawnAt.UTC(),
	}
}
