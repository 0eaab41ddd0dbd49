package draw

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Proof is everything needed to re-run a draw; its JSON form matches the
// GraphQL DrawProof type of SPEC §3. Digests and the server seed are
// lowercase hex; Order lists public IDs in draw order.
type Proof struct {
	Algorithm        string    `json:"algorithm"`
	CommitmentRecord string    `json:"commitmentRecord"`
	CommitmentDigest string    `json:"commitmentDigest"`
	PoolFile         string    `json:"poolFile"`
	PoolDigest       string    `json:"poolDigest"`
	EntropySource    string    `json:"entropySource"`
	Entropy          string    `json:"entropy"`
	EntropyDigest    string    `json:"entropyDigest"`
	ServerSeed       string    `json:"serverSeed"`
	Order            []string  `json:"order"`
	WinnersCount     int       `json:"winnersCount"`
	WinnersDigest    string    `json:"winnersDigest"`
	DrawnAt          time.Time `json:"drawnAt"`
}

// DecodeProof reads a proof in the JSON of the GraphQL DrawProof, bare or
// as the API answers it ({"data":{"drawProof":…}}). It only decodes:
// Verify judges the content.
func DecodeProof(raw []byte) (Proof, error) {
	var wrapped struct {
		Data struct {
			DrawProof *Proof `json:"drawProof"`
		} `json:"data"`
	}
	if err := json.Unmarshal(raw, &wrapped); err == nil && wrapped.Data.DrawProof != nil {
		return *wrapped.Data.DrawProof, nil
	}
	var p Proof
	if err := json.Unmarshal(raw, &p); err != nil {
		return Proof{}, fmt.Errorf("read proof: %w", err)
	}
	if p.Algorithm == "" {
		return Proof{}, errors.New("read proof: no DrawProof found (want the JSON of drawProof)")
	}
	return p, nil
}

// Names of the verification steps, in the order Verify runs them.
const (
	StepCommitment = "commitment"
	StepServerSeed = "server seed"
	StepPool       = "pool"
	StepEntropy    = "entropy"
	StepOrder      = "order"
	StepWinners    = "winners"
)

// ErrSkipped marks a step that could not run because a step it depends on
// failed; the earlier failure is the one to report.
var ErrSkipped = errors.New("skipped: an earlier step failed")

// StepResult is the outcome of one verification step.
type StepResult struct {
	Step string
	// Err is nil when the step passed.
	Err error
	// Note is a caveat on a passed step that a human should read, such as
	// declared entropy that software cannot check against the world.
	Note string
}

// StepError is the first failing step of a proof.
type StepError struct {
	Step string
	Err  error
}

// Error names the step first so a CLI can print it as is.
func (e *StepError) Error() string { return fmt.Sprintf("%s: %v", e.Step, e.Err) }

// Unwrap exposes the cause, e.g. ErrBadSignature.
func (e *StepError) Unwrap() error { return e.Err }

// FirstFailure returns the first failed step as a *StepError, or nil if
// every step passed.
func FirstFailure(steps []StepResult) error {
	for _, s := range steps {
		if s.Err != nil {
			return &StepError{Step: s.Step, Err: s.Err}
		}
	}
	return nil
}

// VerifyProof runs Verify and returns its first failure, if any.
func VerifyProof(p Proof) error { return FirstFailure(Verify(p)) }

// Verify recomputes every step of p from its published inputs and reports
// each step's outcome in order. Steps that depend on a failed step are
// reported with ErrSkipped so that only the real cause is blamed.
func Verify(p Proof) []StepResult {
	v := verifier{p: p}
	return []StepResult{
		v.step(StepCommitment, v.checkCommitment),
		v.step(StepServerSeed, v.checkServerSeed),
		v.step(StepPool, v.checkPool),
		v.step(StepEntropy, v.checkEntropy),
		v.step(StepOrder, v.checkOrder),
		v.step(StepWinners, v.checkWinners),
	}
}

// verifier carries values recomputed by earlier steps into later ones.
type verifier struct {
	p      Proof
	c      *Commitment
	cSum   []byte
	seed   []byte
	pool   []Entry
	pSum   []byte
	rho    []byte
	n      int
	winIDs []string
	failed bool
	note   string
}

func (v *verifier) step(name string, run func() error) StepResult {
	v.note = ""
	err := run()
	if err != nil && !errors.Is(err, ErrSkipped) {
		v.failed = true
	}
	return StepResult{Step: name, Err: err, Note: v.note}
}

func (v *verifier) checkCommitment() error {
	if v.p.Algorithm != Algorithm {
		return fmt.Errorf("algorithm %q, want %q", v.p.Algorithm, Algorithm)
	}
	rec := []byte(v.p.CommitmentRecord)
	c, err := ParseRecord(rec)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(rec)
	if got := hex.EncodeToString(sum[:]); got != v.p.CommitmentDigest {
		return fmt.Errorf("SHA-256(record) = %s, proof says %s", got, v.p.CommitmentDigest)
	}
	v.c, v.cSum = &c, sum[:]
	return nil
}

func (v *verifier) checkServerSeed() error {
	if v.c == nil {
		return ErrSkipped
	}
	seed, err := hex.DecodeString(v.p.ServerSeed)
	if err != nil || len(seed) != SecretSize || !isLowerHex(v.p.ServerSeed, SecretSize) {
		return fmt.Errorf("server seed must be %d bytes in lowercase hex", SecretSize)
	}
	if got := SeedDigest(seed); got != v.c.ServerSeedSHA256 {
		return fmt.Errorf("SHA-256(server seed) = %s, record commits to %s", got, v.c.ServerSeedSHA256)
	}
	v.seed = seed
	return nil
}

func (v *verifier) checkPool() error {
	if v.c == nil {
		return ErrSkipped
	}
	file := []byte(v.p.PoolFile)
	pool, err := ParsePoolFile(file)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(file)
	if got := hex.EncodeToString(sum[:]); got != v.p.PoolDigest {
		return fmt.Errorf("SHA-256(pool file) = %s, proof says %s", got, v.p.PoolDigest)
	}
	if len(pool) > v.c.PoolSize {
		return fmt.Errorf("pool has %d entries, record allows at most %d", len(pool), v.c.PoolSize)
	}
	v.pool, v.pSum, v.n = pool, sum[:], len(pool)
	return nil
}

func (v *verifier) checkEntropy() error {
	if v.c == nil {
		return ErrSkipped
	}
	if v.p.EntropySource != v.c.Entropy {
		return fmt.Errorf("entropy source %q differs from the record's %q", v.p.EntropySource, v.c.Entropy)
	}
	src, err := ParseEntropySource(v.c.Entropy)
	if err != nil {
		return err
	}
	switch src.Kind {
	case KindDrand:
		if err := VerifyQuicknet(src.Round, v.p.Entropy); err != nil {
			return err
		}
	case KindDeclared:
		v.note = fmt.Sprintf("check by hand that %q is %s", v.p.Entropy, src.Text)
	}
	rho, err := Rho(src.Kind, v.p.Entropy)
	if err != nil {
		return err
	}
	if got := hex.EncodeToString(rho); got != v.p.EntropyDigest {
		return fmt.Errorf("ρ = %s, proof says %s", got, v.p.EntropyDigest)
	}
	v.rho = rho
	return nil
}

func (v *verifier) checkOrder() error {
	if v.failed {
		return ErrSkipped
	}
	ranks, err := Shuffle(v.rho, v.seed, v.cSum, v.pSum, v.n)
	if err != nil {
		return err
	}
	ids := make([]string, len(ranks))
	for i, r := range ranks {
		ids[i] = v.pool[r-1].PublicID
	}
	if len(v.p.Order) != len(ids) {
		return fmt.Errorf("order has %d entries, pool has %d", len(v.p.Order), len(ids))
	}
	for i := range ids {
		if v.p.Order[i] != ids[i] {
			return fmt.Errorf("position %d is %q, recomputed %q", i+1, v.p.Order[i], ids[i])
		}
	}
	v.winIDs = ids[:min(v.c.Winners, v.n)]
	return nil
}

func (v *verifier) checkWinners() error {
	if v.failed {
		return ErrSkipped
	}
	if want := len(v.winIDs); v.p.WinnersCount != want {
		return fmt.Errorf("winnersCount %d, want min(winners %d, pool %d) = %d", v.p.WinnersCount, v.c.Winners, v.n, want)
	}
	if got := WinnersDigest(v.winIDs); got != v.p.WinnersDigest {
		return fmt.Errorf("SHA-256(winners) = %s, proof says %s", got, v.p.WinnersDigest)
	}
	return nil
}

// Equal reports whether two proofs are identical field by field, with
// DrawnAt compared as an instant.
func (p Proof) Equal(q Proof) bool {
	return p.Algorithm == q.Algorithm &&
		p.CommitmentRecord == q.CommitmentRecord &&
		p.CommitmentDigest == q.CommitmentDigest &&
		p.PoolFile == q.PoolFile &&
		p.PoolDigest == q.PoolDigest &&
		p.EntropySource == q.EntropySource &&
		p.Entropy == q.Entropy &&
		p.EntropyDigest == q.EntropyDigest &&
		p.ServerSeed == q.ServerSeed &&
		slices.Equal(p.Order, q.Order) &&
		p.WinnersCount == q.WinnersCount &&
		p.WinnersDigest == q.WinnersDigest &&
		p.DrawnAt.Equal(q.DrawnAt)
}
