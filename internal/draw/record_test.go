package draw

import (
	"strings"
	"testing"
	"time"
)

func sampleCommitment() Commitment {
	return Commitment{
		Campaign:               "cmp-7Q2X",
		Period:                 3,
		Cutoff:                 time.Date(2026, 9, 20, 16, 0, 0, 0, time.UTC),
		PoolSize:               1000,
		Winners:                520,
		ExcludePreviousWinners: true,
		Entropy:                EntropyFor(time.Date(2026, 9, 20, 16, 0, 0, 0, time.UTC)),
		ServerSeedSHA256:       SeedDigest(make([]byte, 32)),
	}
}

func TestRecordExactBytes(t *testing.T) {
	c := sampleCommitment()
	// A non-UTC cutoff with sub-second noise must print as the same UTC
	// instant at second precision.
	c.Cutoff = time.Date(2026, 9, 21, 0, 0, 0, 999, time.FixedZone("CST", 8*3600))
	want := "version=prizequiz-draw-v1\n" +
		"campaign=cmp-7Q2X\n" +
		"period=3\n" +
		"cutoff=2026-09-20T16:00:00Z\n" +
		"pool_size=1000\n" +
		"winners=520\n" +
		"exclude_previous_winners=true\n" +
		"entropy=" + c.Entropy + "\n" +
		"server_seed_sha256=66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925\n"
	if got := string(c.Record()); got != want {
		t.Fatalf("Record:\n%s\nwant:\n%s", got, want)
	}
	if got, want := c.Digest(), hexSHA256([]byte(want)); got != want {
		t.Fatalf("Digest = %s, want %s", got, want)
	}
}

func TestParseRecordRoundTrip(t *testing.T) {
	for _, c := range []Commitment{
		sampleCommitment(),
		func() Commitment {
			c := sampleCommitment()
			c.ExcludePreviousWinners = false
			c.Entropy = "declared: the 福彩3D numbers drawn on 2026-10-05"
			c.Period, c.Winners, c.PoolSize = 0, 0, 0
			return c
		}(),
	} {
		got, err := ParseRecord(c.Record())
		if err != nil {
			t.Fatalf("ParseRecord: %v", err)
		}
		if got != c {
			t.Fatalf("round trip:\n got %+v\nwant %+v", got, c)
		}
	}
}

func TestParseRecordStrict(t *testing.T) {
	good := string(sampleCommitment().Record())
	lines := strings.SplitAfter(good, "\n")
	swap := append([]string{}, lines...)
	swap[1], swap[2] = swap[2], swap[1]
	tests := []struct {
		name string
		rec  string
	}{
		{"no final LF", strings.TrimSuffix(good, "\n")},
		{"CRLF", strings.ReplaceAll(good, "\n", "\r\n")},
		{"extra blank line", good + "\n"},
		{"extra key", good + "note=x\n"},
		{"missing line", strings.Join(lines[:8], "")},
		{"swapped lines", strings.Join(swap, "")},
		{"wrong version", strings.Replace(good, "draw-v1", "draw-v2", 1)},
		{"version not first", strings.Join(append(lines[1:2], append(lines[:1:1], lines[2:]...)...), "")},
		{"key case", strings.Replace(good, "campaign=", "Campaign=", 1)},
		{"space before =", strings.Replace(good, "period=", "period =", 1)},
		{"leading zero", strings.Replace(good, "period=3", "period=03", 1)},
		{"negative", strings.Replace(good, "period=3", "period=-3", 1)},
		{"offset cutoff", strings.Replace(good, "2026-09-20T16:00:00Z", "2026-09-21T00:00:00+08:00", 1)},
		{"fractional cutoff", strings.Replace(good, "16:00:00Z", "16:00:00.5Z", 1)},
		{"bool spelling", strings.Replace(good, "=true", "=True", 1)},
		{"upper-case seed hash", strings.Replace(good, "66687aad", "66687AAD", 1)},
		{"short seed hash", strings.Replace(good, "66687aad", "6668", 1)},
		{"bad entropy", strings.Replace(good, "drand-quicknet round", "drand round", 1)},
		{"round not tied to cutoff", strings.Replace(good, "cutoff=2026-09-20T16:00:00Z", "cutoff=2026-09-20T16:00:03Z", 1)},
		{"empty campaign", strings.Replace(good, "campaign=cmp-7Q2X", "campaign=", 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.rec == good {
				t.Fatal("test case does not modify the record")
			}
			if _, err := ParseRecord([]byte(tt.rec)); err == nil {
				t.Fatalf("ParseRecord accepted:\n%s", tt.rec)
			}
		})
	}
}

func TestValidateRejectsLineBreaks(t *testing.T) {
	c := sampleCommitment()
	c.Campaign = "a\nperiod=9"
	if err := c.Validate(); err == nil {
		t.Fatal("Validate accepted a campaign containing LF")
	}
}

func TestNewSecret(t *testing.T) {
	a, err := NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != SecretSize || string(a) == string(b) {
		t.Fatalf("NewSecret gave %x and %x", a, b)
	}
	if d := SeedDigest(a); !isHexDigest(d) {
		t.Fatalf("SeedDigest = %q", d)
	}
}
