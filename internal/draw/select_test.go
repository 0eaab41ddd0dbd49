package draw

import (
	"crypto/sha256"
	"encoding/binary"
	"math"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"
)

// words returns a word source replaying ws and counting reads; it fails
// the test if more words are read than provided.
func words(t *testing.T, ws ...uint64) (next func() uint64, used *int) {
	used = new(int)
	return func() uint64 {
		if *used >= len(ws) {
			t.Fatalf("read word %d of %d", *used+1, len(ws))
		}
		*used++
		return ws[*used-1]
	}, used
}

func TestUniformRejection(t *testing.T) {
	const max = math.MaxUint64
	tests := []struct {
		name     string
		m        uint64
		ws       []uint64
		want     uint64
		wantUsed int
	}{
		// 2^64 mod 1000 = 616: 2^64−1 is in the biased tail, 1234 is not.
		{"spec example", 1000, []uint64{max, 1234}, 234, 2},
		{"last accepted word", 1000, []uint64{max - 616, 7}, (max - 616) % 1000, 1},
		{"first rejected word", 1000, []uint64{max - 615, 7}, 7, 2},
		// 2^64 mod 2^k = 0: nothing is rejected, not even 2^64−1.
		{"power of two", 1 << 10, []uint64{max}, 1023, 1},
		{"m=1", 1, []uint64{max}, 0, 1},
		{"m=2", 2, []uint64{max, 0}, 1, 1},
		// 2^64 mod 3 = 1: only 2^64−1 is rejected.
		{"m=3 rejects one", 3, []uint64{max, max - 1}, (max - 1) % 3, 2},
		// 2^64 mod (2^63+1) = 2^63−1, so the limit is 2^63+1: half the
		// words are rejected.
		{"large m", 1<<63 + 1, []uint64{1<<63 + 1, max, 5}, 5, 3},
		{"large m accepts limit-1", 1<<63 + 1, []uint64{1 << 63}, 1 << 63, 1},
		{"m=max", max, []uint64{max, max, 42}, 42, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next, used := words(t, tt.ws...)
			if got := Uniform(tt.m, next); got != tt.want || *used != tt.wantUsed {
				t.Fatalf("Uniform = %d using %d words, want %d using %d", got, *used, tt.want, tt.wantUsed)
			}
		})
	}
}

// digest32 derives a fixed 32-byte test input from a label.
func digest32(label string) []byte {
	s := sha256.Sum256([]byte(label))
	return s[:]
}

func TestShuffleIsPermutationAndDeterministic(t *testing.T) {
	rho, s, c, p := digest32("rho"), digest32("S"), digest32("C"), digest32("P")
	for _, n := range []int{0, 1, 2, 3, 10, 1000} {
		a, err := Shuffle(rho, s, c, p, n)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Shuffle(rho, s, c, p, n)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(a, b) {
			t.Fatalf("n=%d: two runs differ", n)
		}
		sorted := slices.Sorted(slices.Values(a))
		for i, r := range sorted {
			if r != i+1 {
				t.Fatalf("n=%d: not a permutation of 1..n: %v", n, a)
			}
		}
	}
}

func TestShuffleSensitiveToEveryInputByte(t *testing.T) {
	const n = 100
	inputs := [][]byte{digest32("rho"), digest32("S"), digest32("C"), digest32("P")}
	names := []string{"rho", "S", "C", "P"}
	base, err := Shuffle(inputs[0], inputs[1], inputs[2], inputs[3], n)
	if err != nil {
		t.Fatal(err)
	}
	for which := range inputs {
		for i := 0; i < 32; i++ {
			mod := make([][]byte, 4)
			for k := range inputs {
				mod[k] = slices.Clone(inputs[k])
			}
			mod[which][i] ^= 0x01
			got, err := Shuffle(mod[0], mod[1], mod[2], mod[3], n)
			if err != nil {
				t.Fatal(err)
			}
			if slices.Equal(got, base) {
				t.Fatalf("flipping %s byte %d left the order unchanged", names[which], i)
			}
		}
	}
	// ρ‖S and C‖P are concatenations; moving bytes between the halves
	// must matter as well, or two different input pairs could collide.
	sw, err := Shuffle(inputs[1], inputs[0], inputs[2], inputs[3], n)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(sw, base) {
		t.Fatal("swapping rho and S left the order unchanged")
	}
}

func TestShuffleRejectsWrongInputLengths(t *testing.T) {
	d := digest32("x")
	hexD := []byte(strings.Repeat("ab", 32)) // hex text instead of raw bytes
	for _, args := range [][4][]byte{
		{hexD, d, d, d}, {d, d[:31], d, d}, {d, d, nil, d}, {d, d, d, append(slices.Clone(d), 0)},
	} {
		if _, err := Shuffle(args[0], args[1], args[2], args[3], 5); err == nil {
			t.Fatal("Shuffle accepted an input that is not 32 bytes")
		}
	}
	if _, err := Shuffle(d, d, d, d, -1); err == nil {
		t.Fatal("Shuffle accepted n = -1")
	}
}

// TestShuffleUsesDRBGWords pins the wiring of §4.4: the permutation must
// equal a Fisher–Yates run by hand on words read from an independently
// instantiated DRBG.
func TestShuffleUsesDRBGWords(t *testing.T) {
	rho, s, c, p := digest32("rho"), digest32("S"), digest32("C"), digest32("P")
	const n = 50
	got, err := Shuffle(rho, s, c, p, n)
	if err != nil {
		t.Fatal(err)
	}
	seed := append(slices.Clone(rho), s...)
	nonce := append(slices.Clone(c), p...)
	d := NewHMACDRBG(seed, nonce, []byte("prizequiz-draw-v1"))
	want := make([]int, n)
	for i := range want {
		want[i] = i + 1
	}
	for i := 0; i < n-1; i++ {
		m := uint64(n - i)
		var u uint64
		for {
			w, err := d.Generate(8)
			if err != nil {
				t.Fatal(err)
			}
			u = binary.BigEndian.Uint64(w)
			// Independent check of u < 2^64 − (2^64 mod m) in big integers.
			two64 := new(big.Int).Lsh(big.NewInt(1), 64)
			bm := new(big.Int).SetUint64(m)
			limit := new(big.Int).Sub(two64, new(big.Int).Mod(two64, bm))
			if new(big.Int).SetUint64(u).Cmp(limit) < 0 {
				break
			}
		}
		j := i + int(u%m)
		want[i], want[j] = want[j], want[i]
	}
	if !slices.Equal(got, want) {
		t.Fatalf("Shuffle = %v\nwant %v", got, want)
	}
}

func TestRho(t *testing.T) {
	sig := round123Sig
	raw, _ := DecodeSignature(sig)
	wantDrand := sha256.Sum256(raw)
	wantDecl := sha256.Sum256([]byte("福彩3D 371"))
	tests := []struct {
		kind, entropy string
		want          []byte
		wantErr       bool
	}{
		{KindDrand, sig, wantDrand[:], false},
		{KindDrand, strings.ToUpper(sig), wantDrand[:], false},
		{KindDeclared, "福彩3D 371", wantDecl[:], false},
		{KindDrand, "abcd", nil, true},
		{KindDeclared, "", nil, true},
		{KindDeclared, "\xff", nil, true},
		{"other", "x", nil, true},
	}
	for _, tt := range tests {
		got, err := Rho(tt.kind, tt.entropy)
		if (err != nil) != tt.wantErr || !slices.Equal(got, tt.want) {
			t.Errorf("Rho(%q, %q) = %x, %v", tt.kind, tt.entropy, got, err)
		}
	}
	// The hex text is not what is hashed: ρ must differ from SHA-256(hex).
	if textHash := sha256.Sum256([]byte(sig)); slices.Equal(textHash[:], wantDrand[:]) {
		t.Fatal("unreachable: hashes of text and bytes agree")
	}
}

func TestWinnersDigest(t *testing.T) {
	empty := sha256.Sum256(nil)
	ab := sha256.Sum256([]byte("a\nb\n"))
	for _, tt := range []struct {
		ids  []string
		want []byte
	}{{nil, empty[:]}, {[]string{"a", "b"}, ab[:]}} {
		if got := WinnersDigest(tt.ids); got != hexOf(tt.want) {
			t.Errorf("WinnersDigest(%q) = %s", tt.ids, got)
		}
	}
}

func hexOf(b []byte) string {
	const digits = "0123456789abcdef"
	var sb strings.Builder
	for _, c := range b {
		sb.WriteByte(digits[c>>4])
		sb.WriteByte(digits[c&15])
	}
	return sb.String()
}

// declaredInputs builds a valid declared-entropy draw over n entries with
// k winners; label varies S so that callers get independent draws.
func declaredInputs(n, k int, label string) Inputs {
	seed := digest32("seed " + label)
	return Inputs{
		Commitment: Commitment{
			Campaign:         "cmp-test",
			Period:           1,
			Cutoff:           time.Date(2026, 9, 27, 16, 0, 0, 0, time.UTC),
			PoolSize:         max(n, 1000),
			Winners:          k,
			Entropy:          "declared: the 福彩3D numbers drawn on 2026-09-28",
			ServerSeedSHA256: SeedDigest(seed),
		},
		Pool:       testPool(n),
		Entropy:    "5 0 9",
		ServerSeed: seed,
	}
}

func TestDrawSizes(t *testing.T) {
	tests := []struct {
		name        string
		n, k        int
		wantWinners int
	}{
		{"empty pool", 0, 5, 0},
		{"single entry", 1, 5, 1},
		{"single entry no winners", 1, 0, 0},
		{"k = 0", 10, 0, 0},
		{"n < k", 7, 10, 7},
		{"n = k", 10, 10, 10},
		{"n > k", 10, 3, 3},
		{"default sizes", 1000, 520, 520},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := declaredInputs(tt.n, tt.k, tt.name)
			res, err := Draw(in)
			if err != nil {
				t.Fatal(err)
			}
			if res.Winners != tt.wantWinners || len(res.Order) != tt.n || len(res.OrderIDs) != tt.n {
				t.Fatalf("winners %d, order %d, ids %d; want %d, %d", res.Winners, len(res.Order), len(res.OrderIDs), tt.wantWinners, tt.n)
			}
			if err := VerifyProof(res.Proof(time.Unix(0, 0))); err != nil {
				t.Fatalf("own proof fails: %v", err)
			}
		})
	}
}

func TestDrawRefusesBadInputs(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Inputs)
	}{
		{"seed not committed", func(in *Inputs) { in.ServerSeed = digest32("other") }},
		{"short seed", func(in *Inputs) { in.ServerSeed = in.ServerSeed[:16] }},
		{"pool larger than committed", func(in *Inputs) { in.Commitment.PoolSize = 5 }},
		{"pool rank gap", func(in *Inputs) { in.Pool[3].Rank = 9 }},
		{"empty declared entropy", func(in *Inputs) { in.Entropy = "" }},
		{"bad drand signature", func(in *Inputs) {
			in.Commitment.Cutoff = RoundTime(123).Add(-EntropyDelay)
			in.Commitment.Entropy = "drand-quicknet round 123"
			in.Entropy = flipBit(round123Sig, 7)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := declaredInputs(10, 3, "bad")
			tt.mutate(&in)
			if _, err := Draw(in); err == nil {
				t.Fatal("Draw accepted bad inputs")
			}
		})
	}
}

// TestInclusionUniform checks that every pool rank is equally likely to be
// among the k winners. Seeds are fixed, so the statistic is a constant and
// the test cannot flake; the threshold is the 0.1% critical value of
// χ²(19) = 43.82. Binomial inclusion counts have variance npq, below the
// χ² approximation's np, so the test is conservative.
func TestInclusionUniform(t *testing.T) {
	const (
		n, k   = 20, 5
		draws  = 20000
		chi2Hi = 43.82
	)
	if testing.Short() {
		t.Skip("statistical test")
	}
	rho, c, p := digest32("rho"), digest32("C"), digest32("P")
	var inWinners, first [n + 1]int
	var seed [32]byte
	for d := range draws {
		binary.BigEndian.PutUint64(seed[:], uint64(d))
		order, err := Shuffle(rho, seed[:], c, p, n)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range order[:k] {
			inWinners[r]++
		}
		first[order[0]]++
	}
	chi2 := func(counts []int, expected float64) float64 {
		var x float64
		for _, o := range counts {
			x += (float64(o) - expected) * (float64(o) - expected) / expected
		}
		return x
	}
	if x := chi2(inWinners[1:], float64(draws*k)/n); x > chi2Hi {
		t.Errorf("inclusion χ² = %.2f > %.2f: %v", x, chi2Hi, inWinners[1:])
	} else {
		t.Logf("inclusion χ²(19) = %.2f", x)
	}
	if x := chi2(first[1:], float64(draws)/n); x > chi2Hi {
		t.Errorf("first-position χ² = %.2f > %.2f: %v", x, chi2Hi, first[1:])
	} else {
		t.Logf("first-position χ²(19) = %.2f", x)
	}
}

func BenchmarkDraw(b *testing.B) {
	in := declaredInputs(1000, 520, "bench")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Draw(in); err != nil {
			b.Fatal(err)
		}
	}
}
