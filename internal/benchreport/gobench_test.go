package benchreport

import (
	"reflect"
	"testing"
)

func TestParseGoBench(t *testing.T) {
	for _, tc := range []struct {
		name, out string
		want      []GoBench
	}{
		{"plain and reported metrics", `goos: linux
BenchmarkPoolAndDraw1M-2   	       3	 464123456 ns/op	       556.1 ref-count-ms/op
PASS`, []GoBench{{Name: "BenchmarkPoolAndDraw1M", N: 3, Metrics: []Metric{{464123456, "ns/op"}, {556.1, "ref-count-ms/op"}}}}},
		{"sub-benchmarks without a GOMAXPROCS suffix", "BenchmarkRankUpdate/sqlite/record \t 1\t 710763 ns/op\t 12 B/op\n",
			[]GoBench{{Name: "BenchmarkRankUpdate/sqlite/record", N: 1, Metrics: []Metric{{710763, "ns/op"}, {12, "B/op"}}}}},
		{"logs and skips are not results", "BenchmarkRanks1M-2 \t--- SKIP: PRIZEQUIZ_TEST_DATABASE_URL not set\n    bench_test.go:12: fixture built\n", nil},
		{"an odd field count is not a result", "BenchmarkX-2 1 5 ns/op extra\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := parseGoBench(tc.out); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestThousands(t *testing.T) {
	for in, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 1_000_000: "1,000,000", 20_000: "20,000"} {
		if got := thousands(in); got != want {
			t.Errorf("thousands(%d) = %q, want %q", in, got, want)
		}
	}
}
