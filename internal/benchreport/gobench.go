package benchreport

import (
	"bufio"
	"strconv"
	"strings"
)

// GoBench is one result line of `go test -bench`.
type GoBench struct {
	Name    string // without the -GOMAXPROCS suffix
	N       int
	Metrics []Metric // in printed order: ns/op first, then b.ReportMetric's
}

// Metric is one value and its unit, as printed.
type Metric struct {
	Value float64
	Unit  string
}

// Get returns the value of unit and whether the line has it.
func (b GoBench) Get(unit string) (float64, bool) {
	for _, m := range b.Metrics {
		if m.Unit == unit {
			return m.Value, true
		}
	}
	return 0, false
}

// parseGoBench reads the result lines of `go test -bench` output. It knows
// no metric by name, so benchmarks may report what they like.
func parseGoBench(out string) []GoBench {
	var all []GoBench
	s := bufio.NewScanner(strings.NewReader(out))
	for s.Scan() {
		f := strings.Fields(s.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") || len(f)%2 != 0 {
			continue
		}
		n, err := strconv.Atoi(f[1])
		if err != nil {
			continue
		}
		b := GoBench{Name: f[0], N: n}
		if i := strings.LastIndexByte(b.Name, '-'); i > 0 {
			if _, err := strconv.Atoi(b.Name[i+1:]); err == nil {
				b.Name = b.Name[:i]
			}
		}
		ok := true
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				ok = false
				break
			}
			b.Metrics = append(b.Metrics, Metric{v, f[i+1]})
		}
		if ok {
			all = append(all, b)
		}
	}
	return all
}
