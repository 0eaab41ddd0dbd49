package draw

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// round123Sig is the quicknet beacon for round 123 quoted in SPEC §4.1.
const round123Sig = "b75c69d0b72a5d906e854e808ba7e2accb1542ac355ae486d591aa9d43765482e26cd02df835d3546d23c4b13e0dfc92"

func flipBit(hexStr string, bit int) string {
	b := []byte(hexStr)
	const digits = "0123456789abcdef"
	i := bit / 4
	v := strings.IndexByte(digits, b[i]) ^ (1 << (bit % 4))
	b[i] = digits[v]
	return string(b)
}

func TestVerifyQuicknet(t *testing.T) {
	tests := []struct {
		name    string
		round   uint64
		sig     string
		wantErr error // nil means must verify; errAny means any error
	}{
		{"known good round 123", 123, round123Sig, nil},
		{"upper-case hex", 123, strings.ToUpper(round123Sig), nil},
		{"wrong round", 124, round123Sig, ErrBadSignature},
		{"flipped low bit", 123, flipBit(round123Sig, 95*4), errAny},
		{"flipped middle bit", 123, flipBit(round123Sig, 40*4+2), errAny},
		{"truncated", 123, round123Sig[:94], errAny},
		{"not hex", 123, "zz" + round123Sig[2:], errAny},
		{"empty", 123, "", errAny},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := VerifyQuicknet(tt.round, tt.sig)
			switch {
			case tt.wantErr == nil && err != nil:
				t.Fatalf("VerifyQuicknet = %v, want success", err)
			case tt.wantErr == errAny && err == nil:
				t.Fatal("VerifyQuicknet succeeded, want an error")
			case tt.wantErr != nil && tt.wantErr != errAny && !errors.Is(err, tt.wantErr):
				t.Fatalf("VerifyQuicknet = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

var errAny = errors.New("any error")

func TestRoundAt(t *testing.T) {
	g := time.Unix(QuicknetGenesis, 0)
	tests := []struct {
		name string
		t    time.Time
		want uint64
	}{
		{"genesis", g, 1},
		{"before genesis", g.Add(-time.Hour), 1},
		{"genesis+1ns", g.Add(time.Nanosecond), 2},
		{"genesis+1s", g.Add(time.Second), 2},
		{"genesis+3s", g.Add(3 * time.Second), 2},
		{"genesis+3s+1ns", g.Add(3*time.Second + time.Nanosecond), 3},
		{"genesis+6s", g.Add(6 * time.Second), 3},
		{"round 123", g.Add(122 * 3 * time.Second), 123},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := RoundAt(tt.t); got != tt.want {
				t.Fatalf("RoundAt = %d, want %d", got, tt.want)
			}
			if got := RoundTime(tt.want); got.Before(tt.t) && tt.t.After(g) {
				t.Fatalf("RoundTime(%d) = %v is before %v", tt.want, got, tt.t)
			}
		})
	}
}

func TestEntropyFor(t *testing.T) {
	g := time.Unix(QuicknetGenesis, 0)
	// cutoff + 10 min = genesis + 600 s + 1 s → round 1 + ceil(601/3) = 202.
	cutoff := g.Add(time.Second)
	if got, want := EntropyFor(cutoff), "drand-quicknet round 202"; got != want {
		t.Fatalf("EntropyFor = %q, want %q", got, want)
	}
	// Exactly on a round boundary the round itself is used: 600/3 + 1 = 201.
	if got, want := EntropyFor(g), "drand-quicknet round 201"; got != want {
		t.Fatalf("EntropyFor = %q, want %q", got, want)
	}
}

func TestParseEntropySource(t *testing.T) {
	tests := []struct {
		src     string
		want    EntropySource
		wantErr bool
	}{
		{src: "drand-quicknet round 123", want: EntropySource{Kind: KindDrand, Round: 123}},
		{src: "declared: the 福彩3D numbers drawn on 2026-10-05", want: EntropySource{Kind: KindDeclared, Text: "the 福彩3D numbers drawn on 2026-10-05"}},
		{src: "drand-quicknet round 0", wantErr: true},
		{src: "drand-quicknet round 0123", wantErr: true},
		{src: "drand-quicknet round +1", wantErr: true},
		{src: "drand-quicknet round ", wantErr: true},
		{src: "drand-quicknet round 18446744073709551616", wantErr: true},
		{src: "declared: ", wantErr: true},
		{src: "declared:x", wantErr: true},
		{src: "drand round 1", wantErr: true},
		{src: "", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			got, err := ParseEntropySource(tt.src)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err == nil {
				if got != tt.want {
					t.Fatalf("got %+v, want %+v", got, tt.want)
				}
				if got.String() != tt.src {
					t.Fatalf("String() = %q, want %q", got.String(), tt.src)
				}
			}
		})
	}
}
