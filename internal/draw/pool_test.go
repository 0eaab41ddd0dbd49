package draw

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// testPool builds n deterministic entries in rank order.
func testPool(n int) []Entry {
	pool := make([]Entry, n)
	for i := range pool {
		pool[i] = Entry{
			Rank:       i + 1,
			PublicID:   fmt.Sprintf("P%05d", (i*7919)%100000),
			Score:      100 - 20*(i*5/max(n, 1)),
			DurationMs: int64(30000 + 97*i),
		}
	}
	return pool
}

func TestPoolFile(t *testing.T) {
	pool := []Entry{
		{Rank: 1, PublicID: "u-ab", Score: 100, DurationMs: 41234},
		{Rank: 2, PublicID: "u-你好", Score: 80, DurationMs: 0},
	}
	want := "1\tu-ab\t100\t41234\n2\tu-你好\t80\t0\n"
	if got := string(PoolFile(pool)); got != want {
		t.Fatalf("PoolFile = %q, want %q", got, want)
	}
	if got, want := PoolDigest(pool), hexSHA256([]byte(want)); got != want {
		t.Fatalf("PoolDigest = %s, want %s", got, want)
	}
	if got := PoolFile(nil); len(got) != 0 {
		t.Fatalf("empty pool file = %q", got)
	}
	got, err := ParsePoolFile([]byte(want))
	if err != nil || !slices.Equal(got, pool) {
		t.Fatalf("ParsePoolFile = %v, %v", got, err)
	}
}

func TestParsePoolFileRoundTrip(t *testing.T) {
	for _, n := range []int{0, 1, 10, 1000} {
		pool := testPool(n)
		got, err := ParsePoolFile(PoolFile(pool))
		if err != nil {
			t.Fatalf("n=%d: %v", n, err)
		}
		if !slices.Equal(got, pool) && !(n == 0 && len(got) == 0) {
			t.Fatalf("n=%d: round trip differs", n)
		}
	}
}

func TestParsePoolFileStrict(t *testing.T) {
	good := string(PoolFile(testPool(3)))
	tests := []struct {
		name, file string
	}{
		{"no final LF", strings.TrimSuffix(good, "\n")},
		{"blank line", good + "\n"},
		{"starts at 0", strings.Replace(good, "1\t", "0\t", 1)},
		{"gap", strings.Replace(good, "3\t", "4\t", 1)},
		{"duplicate id", "1\ta\t1\t1\n2\ta\t1\t1\n"},
		{"three fields", "1\ta\t1\n"},
		{"five fields", "1\ta\t1\t1\tx\n"},
		{"empty id", "1\t\t1\t1\n"},
		{"spaces not tabs", "1 a 1 1\n"},
		{"leading zero", "01\ta\t1\t1\n"},
		{"plus sign", "1\ta\t+1\t1\n"},
		{"negative duration", "1\ta\t1\t-1\n"},
		{"CRLF", "1\ta\t1\t1\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ParsePoolFile([]byte(tt.file)); err == nil {
				t.Fatalf("ParsePoolFile accepted %q", tt.file)
			}
		})
	}
}
