package draw

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cloudflare/circl/sign/bls"
)

// League of Entropy quicknet parameters (SPEC §4.1). They are pinned here
// rather than fetched so that verification needs no network and cannot be
// redirected to another chain.
const (
	QuicknetChainHash = "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971"
	QuicknetGenesis   = 1692803367 // Unix seconds of round 1
	QuicknetPeriod    = 3 * time.Second
	QuicknetScheme    = "bls-unchained-g1-rfc9380"
	QuicknetPublicKey = "83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a"
)

// EntropyDelay is how long after the cutoff the drand round is taken, so
// that the pool is public well before the beacon value exists.
const EntropyDelay = 10 * time.Minute

// quicknetSigSize is a compressed G1 point, the quicknet signature size.
const quicknetSigSize = 48

// Entropy source kinds as they appear in a commitment record.
const (
	KindDrand    = "drand-quicknet"
	KindDeclared = "declared"
)

const (
	drandPrefix    = KindDrand + " round "
	declaredPrefix = KindDeclared + ": "
)

// ErrBadSignature means a drand signature is well-formed hex but does not
// verify for the claimed round under the quicknet key.
var ErrBadSignature = errors.New("drand: signature does not verify")

// EntropySource is a parsed entropy line of a commitment record: either a
// drand quicknet round or a declared public result described in Text.
type EntropySource struct {
	Kind  string // KindDrand or KindDeclared
	Round uint64 // set for KindDrand
	Text  string // set for KindDeclared: what the public result will be
}

// String returns the record spelling of s.
func (s EntropySource) String() string {
	if s.Kind == KindDrand {
		return drandPrefix + strconv.FormatUint(s.Round, 10)
	}
	return declaredPrefix + s.Text
}

// ParseEntropySource parses "drand-quicknet round <R>" (R ≥ 1, canonical
// decimal) or "declared: <text>" (text non-empty).
func ParseEntropySource(src string) (EntropySource, error) {
	switch {
	case strings.HasPrefix(src, drandPrefix):
		digits := src[len(drandPrefix):]
		r, err := strconv.ParseUint(digits, 10, 64)
		if err != nil || r == 0 || strconv.FormatUint(r, 10) != digits {
			return EntropySource{}, fmt.Errorf("entropy source %q: round must be a positive canonical integer", src)
		}
		return EntropySource{Kind: KindDrand, Round: r}, nil
	case strings.HasPrefix(src, declaredPrefix):
		text := src[len(declaredPrefix):]
		if strings.TrimSpace(text) == "" {
			return EntropySource{}, fmt.Errorf("entropy source %q: declared text is empty", src)
		}
		return EntropySource{Kind: KindDeclared, Text: text}, nil
	default:
		return EntropySource{}, fmt.Errorf("entropy source %q: want %q or %q", src, drandPrefix+"<R>", declaredPrefix+"<text>")
	}
}

// RoundAt returns the first quicknet round emitted at or after t. Round 1
// is at genesis and round r at genesis + (r−1)·3 s; any t up to genesis
// maps to round 1.
func RoundAt(t time.Time) uint64 {
	d := t.Sub(time.Unix(QuicknetGenesis, 0))
	if d <= 0 {
		return 1
	}
	// Ceiling division: a t strictly between two rounds needs the later one.
	return 1 + uint64((d+QuicknetPeriod-1)/QuicknetPeriod)
}

// RoundTime returns when quicknet round r (r ≥ 1) is emitted.
func RoundTime(r uint64) time.Time {
	return time.Unix(QuicknetGenesis, 0).Add(time.Duration(r-1) * QuicknetPeriod).UTC()
}

// EntropyFor returns the default entropy source for a period cut at
// cutoff: the first quicknet round at or after cutoff + 10 minutes.
func EntropyFor(cutoff time.Time) string {
	return EntropySource{Kind: KindDrand, Round: RoundAt(cutoff.Add(EntropyDelay))}.String()
}

// quicknetKey decodes the pinned public key once; a failure would be a
// programming error in the constant, but it is surfaced, not panicked.
var quicknetKey = sync.OnceValues(func() (*bls.PublicKey[bls.KeyG2SigG1], error) {
	raw, err := hex.DecodeString(QuicknetPublicKey)
	if err != nil {
		return nil, fmt.Errorf("decode quicknet public key: %w", err)
	}
	pk := new(bls.PublicKey[bls.KeyG2SigG1])
	if err := pk.UnmarshalBinary(raw); err != nil {
		return nil, fmt.Errorf("parse quicknet public key: %w", err)
	}
	return pk, nil
})

// DecodeSignature decodes a quicknet signature given in hex (either case)
// into its 48 raw bytes.
func DecodeSignature(sigHex string) ([]byte, error) {
	sig, err := hex.DecodeString(sigHex)
	if err != nil {
		return nil, fmt.Errorf("drand signature: %w", err)
	}
	if len(sig) != quicknetSigSize {
		return nil, fmt.Errorf("drand signature: %d bytes, want %d", len(sig), quicknetSigSize)
	}
	return sig, nil
}

// VerifyQuicknet checks sigHex as the quicknet beacon for round. Quicknet
// is unchained, so the message is SHA-256 of the round number alone
// (8 bytes big-endian); circl's KeyG2SigG1 hashes it to G1 with the DST
// "BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_" that quicknet uses.
func VerifyQuicknet(round uint64, sigHex string) error {
	sig, err := DecodeSignature(sigHex)
	if err != nil {
		return err
	}
	pk, err := quicknetKey()
	if err != nil {
		return err
	}
	var r [8]byte
	binary.BigEndian.PutUint64(r[:], round)
	msg := sha256.Sum256(r[:])
	if !bls.Verify(pk, msg[:], sig) {
		return fmt.Errorf("round %d: %w", round, ErrBadSignature)
	}
	return nil
}
