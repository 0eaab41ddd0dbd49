package draw

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Regenerate with: go test ./internal/draw/ -run TestGoldenProofs -update
// Only do so deliberately: the files pin prizequiz-draw-v1 for verifiers.
var update = flag.Bool("update", false, "rewrite testdata/proof_*.json from the current implementation")

var goldenDrawnAt = time.Date(2026, 9, 27, 16, 10, 30, 0, time.UTC)

type golden struct {
	file string
	in   Inputs
}

// goldenVectors are the committed test vectors: a 10-entry pool drawn with
// the real drand quicknet round 123, and a 1,000-entry pool with declared
// entropy and the default 520 winners.
func goldenVectors() []golden {
	s10 := digest32("prizequiz-draw-v1 test vector S pool10")
	s1000 := digest32("prizequiz-draw-v1 test vector S pool1000")
	return []golden{
		{"proof_pool10.json", Inputs{
			Commitment: Commitment{
				Campaign:               "cmp-golden10",
				Period:                 1,
				Cutoff:                 RoundTime(123).Add(-EntropyDelay),
				PoolSize:               10,
				Winners:                3,
				ExcludePreviousWinners: true,
				Entropy:                "drand-quicknet round 123",
				ServerSeedSHA256:       SeedDigest(s10),
			},
			Pool:       testPool(10),
			Entropy:    round123Sig,
			ServerSeed: s10,
		}},
		{"proof_pool1000.json", Inputs{
			Commitment: Commitment{
				Campaign:               "cmp-golden1000",
				Period:                 4,
				Cutoff:                 time.Date(2026, 10, 4, 16, 0, 0, 0, time.UTC),
				PoolSize:               1000,
				Winners:                520,
				ExcludePreviousWinners: false,
				Entropy:                "declared: the 福彩3D numbers drawn on 2026-10-05",
				ServerSeedSHA256:       SeedDigest(s1000),
			},
			Pool:       testPool(1000),
			Entropy:    "3 7 1",
			ServerSeed: s1000,
		}},
	}
}

func loadProof(t *testing.T, name string) Proof {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var p Proof
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return p
}

func TestGoldenProofs(t *testing.T) {
	for _, g := range goldenVectors() {
		t.Run(g.file, func(t *testing.T) {
			res, err := Draw(g.in)
			if err != nil {
				t.Fatal(err)
			}
			got := res.Proof(goldenDrawnAt)
			if *update {
				b, err := json.MarshalIndent(got, "", "  ")
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join("testdata", g.file), append(b, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want := loadProof(t, g.file)
			if !got.Equal(want) {
				t.Fatalf("recomputed proof differs from testdata/%s", g.file)
			}
			for _, st := range Verify(want) {
				if st.Err != nil {
					t.Errorf("step %s: %v", st.Step, st.Err)
				}
			}
		})
	}
}

// TestGoldenHeadlines pins a few facts of the vectors by hand so that a
// regenerated file cannot silently change them.
func TestGoldenHeadlines(t *testing.T) {
	p := loadProof(t, "proof_pool10.json")
	if p.WinnersCount != 3 || len(p.Order) != 10 || p.EntropyDigest != hexSHA256(mustSig(t)) {
		t.Fatalf("pool10 headline facts changed: %+v", p)
	}
	q := loadProof(t, "proof_pool1000.json")
	if q.WinnersCount != 520 || len(q.Order) != 1000 || q.EntropyDigest != hexSHA256([]byte("3 7 1")) {
		t.Fatal("pool1000 headline facts changed")
	}
	steps := Verify(q)
	if steps[3].Step != StepEntropy || !strings.Contains(steps[3].Note, "check by hand") {
		t.Fatalf("declared entropy should carry a human-check note: %+v", steps[3])
	}
}

func mustSig(t *testing.T) []byte {
	sig, err := DecodeSignature(round123Sig)
	if err != nil {
		t.Fatal(err)
	}
	return sig
}

func TestVerifyTampered(t *testing.T) {
	tests := []struct {
		name     string
		file     string
		tamper   func(*Proof)
		wantStep string
	}{
		{"algorithm", "proof_pool10.json", func(p *Proof) { p.Algorithm = "prizequiz-draw-v2" }, StepCommitment},
		{"record edited", "proof_pool10.json", func(p *Proof) {
			p.CommitmentRecord = strings.Replace(p.CommitmentRecord, "winners=3", "winners=4", 1)
		}, StepCommitment},
		{"commitment digest", "proof_pool10.json", func(p *Proof) { p.CommitmentDigest = flipBit(p.CommitmentDigest, 0) }, StepCommitment},
		{"record and digest replaced together", "proof_pool10.json", func(p *Proof) {
			p.CommitmentRecord = strings.Replace(p.CommitmentRecord, "period=1", "period=2", 1)
			p.CommitmentDigest = hexSHA256([]byte(p.CommitmentRecord))
		}, StepOrder},
		{"server seed", "proof_pool10.json", func(p *Proof) { p.ServerSeed = flipBit(p.ServerSeed, 3) }, StepServerSeed},
		{"server seed upper-case", "proof_pool10.json", func(p *Proof) { p.ServerSeed = strings.ToUpper(p.ServerSeed) }, StepServerSeed},
		{"pool file", "proof_pool10.json", func(p *Proof) { p.PoolFile = strings.Replace(p.PoolFile, "\t100\t", "\t99\t", 1) }, StepPool},
		{"pool digest", "proof_pool10.json", func(p *Proof) { p.PoolDigest = flipBit(p.PoolDigest, 9) }, StepPool},
		{"pool and digest replaced together", "proof_pool10.json", func(p *Proof) {
			p.PoolFile = strings.Replace(p.PoolFile, "\t100\t", "\t99\t", 1)
			p.PoolDigest = hexSHA256([]byte(p.PoolFile))
		}, StepOrder},
		{"entropy source", "proof_pool10.json", func(p *Proof) { p.EntropySource = "drand-quicknet round 124" }, StepEntropy},
		{"drand signature", "proof_pool10.json", func(p *Proof) { p.Entropy = flipBit(p.Entropy, 17) }, StepEntropy},
		{"entropy digest", "proof_pool10.json", func(p *Proof) { p.EntropyDigest = flipBit(p.EntropyDigest, 0) }, StepEntropy},
		{"declared text", "proof_pool1000.json", func(p *Proof) { p.Entropy = "3 7 2" }, StepEntropy},
		{"declared text and digest", "proof_pool1000.json", func(p *Proof) {
			p.Entropy = "3 7 2"
			p.EntropyDigest = hexSHA256([]byte("3 7 2"))
		}, StepOrder},
		{"order swapped", "proof_pool10.json", func(p *Proof) { p.Order[0], p.Order[1] = p.Order[1], p.Order[0] }, StepOrder},
		{"order truncated", "proof_pool1000.json", func(p *Proof) { p.Order = p.Order[:520] }, StepOrder},
		{"winners count", "proof_pool1000.json", func(p *Proof) { p.WinnersCount = 519 }, StepWinners},
		{"winners digest", "proof_pool10.json", func(p *Proof) { p.WinnersDigest = flipBit(p.WinnersDigest, 5) }, StepWinners},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := loadProof(t, tt.file)
			tt.tamper(&p)
			steps := Verify(p)
			err := FirstFailure(steps)
			var se *StepError
			if !errors.As(err, &se) || se.Step != tt.wantStep {
				t.Fatalf("first failure = %v, want step %q", err, tt.wantStep)
			}
			// Order and winners depend on every earlier step, so neither
			// may pass once anything before it failed.
			failed := false
			for _, s := range steps {
				if failed && s.Err == nil && (s.Step == StepOrder || s.Step == StepWinners) {
					t.Errorf("step %s passed after %s failed", s.Step, se.Step)
				}
				failed = failed || s.Err != nil
			}
		})
	}
}

func TestVerifySkipsDependents(t *testing.T) {
	p := loadProof(t, "proof_pool10.json")
	p.CommitmentRecord = "garbage"
	steps := Verify(p)
	if steps[0].Err == nil || errors.Is(steps[0].Err, ErrSkipped) {
		t.Fatalf("commitment step: %v", steps[0].Err)
	}
	for _, s := range steps[1:] {
		if !errors.Is(s.Err, ErrSkipped) {
			t.Errorf("step %s: %v, want ErrSkipped", s.Step, s.Err)
		}
	}
}

func TestProofJSONFieldNames(t *testing.T) {
	b, err := json.Marshal(Proof{})
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	want := []string{"algorithm", "commitmentRecord", "commitmentDigest", "poolFile", "poolDigest",
		"entropySource", "entropy", "entropyDigest", "serverSeed", "order", "winnersCount",
		"winnersDigest", "drawnAt"}
	if len(m) != len(want) {
		t.Fatalf("Proof has %d JSON fields, want %d: %v", len(m), len(want), m)
	}
	for _, k := range want {
		if _, ok := m[k]; !ok {
			t.Errorf("missing JSON field %q", k)
		}
	}
}
