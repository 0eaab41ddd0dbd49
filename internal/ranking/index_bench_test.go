package ranking

import (
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
	"time"
)

// benchN is the campaign size the index is sized for; with -short (the CI
// smoke run) the fixture is a twentieth of it, so it builds in a moment.
var benchN = 1_000_000

// benchFixture is built once per process: a million rows take long enough
// to generate and index that every benchmark rebuilding them would dominate
// a CI run.
type benchFixture struct {
	rows    []Row  // one per participant, unsorted
	fresh   *Index // BuildIndex(rows), read only
	churned *Index // BuildIndex(rows) after benchN/2 key changes; slot order no longer follows rank order
	pids    []int  // random participants to look up
	change  int64  // last change number used on churned
	keyRNG  *rand.Rand
	keyBase time.Time
}

var (
	benchOnce sync.Once
	bench     *benchFixture
)

// realisticKey draws from what a city quiz produces: scores in steps of
// 20, durations from 5 s to 5 min, achievements over three weeks.
func (f *benchFixture) realisticKey(pid int64) Key {
	k, err := MakeKey(
		20*f.keyRNG.IntN(6),
		5_000+f.keyRNG.Int64N(295_001),
		f.keyBase.Add(time.Duration(f.keyRNG.Int64N(int64(21*24*time.Hour/time.Microsecond)))*time.Microsecond),
		int(pid),
	)
	if err != nil {
		panic(err)
	}
	return k
}

func benchPID(seq int) int64 { return 3<<32 + int64(seq) }

func fixture(b *testing.B) *benchFixture {
	b.Helper()
	benchOnce.Do(func() {
		start := time.Now()
		if testing.Short() {
			benchN = 50_000
		}
		f := &benchFixture{
			keyRNG:  rand.New(rand.NewPCG(1, 2)),
			keyBase: time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC),
		}
		f.rows = make([]Row, benchN)
		for i := range f.rows {
			f.rows[i] = Row{Key: f.realisticKey(benchPID(i + 1)), Change: int64(i + 1)}
		}
		f.keyRNG.Shuffle(len(f.rows), func(i, j int) { f.rows[i], f.rows[j] = f.rows[j], f.rows[i] })
		f.fresh = BuildIndex(f.rows)
		f.churned = BuildIndex(f.rows)
		f.change = int64(benchN)
		for range benchN / 2 {
			f.change++
			f.churned.Apply(Row{Key: f.realisticKey(benchPID(1 + f.keyRNG.IntN(benchN))), Change: f.change})
		}
		f.pids = make([]int, 1<<16)
		for i := range f.pids {
			f.pids[i] = int(benchPID(1 + f.keyRNG.IntN(benchN)))
		}
		bench = f
		b.Logf("fixture: %d rows, built and churned in %v", benchN, time.Since(start))
	})
	return bench
}

func forEachIndex(b *testing.B, run func(b *testing.B, x *Index)) {
	f := fixture(b)
	b.Run("fresh", func(b *testing.B) { run(b, f.fresh) })
	b.Run("churned", func(b *testing.B) { run(b, f.churned) })
}

func BenchmarkIndexRank(b *testing.B) {
	forEachIndex(b, func(b *testing.B, x *Index) {
		pids := fixture(b).pids
		i := 0
		for b.Loop() {
			if _, ok := x.Rank(pids[i&(len(pids)-1)]); !ok {
				b.Fatal("participant not ranked")
			}
			i++
		}
	})
}

func BenchmarkIndexRankOf(b *testing.B) {
	forEachIndex(b, func(b *testing.B, x *Index) {
		f := fixture(b)
		keys := make([]Key, len(f.pids))
		for i, pid := range f.pids {
			keys[i] = f.realisticKey(int64(pid))
		}
		i := 0
		for b.Loop() {
			if x.RankOf(keys[i&(len(keys)-1)]) < 1 {
				b.Fatal("rank below 1")
			}
			i++
		}
	})
}

func BenchmarkIndexPage100(b *testing.B) {
	forEachIndex(b, func(b *testing.B, x *Index) {
		rng := rand.New(rand.NewPCG(3, 4))
		offsets := make([]int, 1<<12)
		for i := range offsets {
			offsets[i] = rng.IntN(x.Len() - 100)
		}
		i := 0
		for b.Loop() {
			if len(x.Page(offsets[i&(len(offsets)-1)], 100)) != 100 {
				b.Fatal("short page")
			}
			i++
		}
	})
}

// BenchmarkIndexApply changes existing participants' keys, the common
// case of the change feed once a campaign is running.
func BenchmarkIndexApply(b *testing.B) {
	f := fixture(b)
	rows := make([]Row, 1<<16)
	for i := range rows {
		rows[i] = Row{Key: f.realisticKey(benchPID(1 + f.keyRNG.IntN(benchN)))}
	}
	i := 0
	for b.Loop() {
		r := rows[i&(len(rows)-1)]
		f.change++
		r.Change = f.change
		if !f.churned.Apply(r) {
			b.Fatal("newer row not applied")
		}
		i++
	}
}

func BenchmarkIndexBuild(b *testing.B) {
	rows := fixture(b).rows
	for b.Loop() {
		if BuildIndex(rows).Len() != benchN {
			b.Fatal("wrong size")
		}
	}
}

// BenchmarkIndexMemory reports the heap a million-entry index holds, map
// included: the number the 64 MiB budget is about. "built" is a snapshot
// index, "applied" one grown row by row through the feed, whose slices
// and half-full blocks carry slack. The measurement runs once; the timed
// loop is empty.
func BenchmarkIndexMemory(b *testing.B) {
	f := fixture(b)
	measure := func(b *testing.B, build func() *Index) {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		x := build()
		runtime.GC()
		runtime.ReadMemStats(&after)
		if x.Len() != benchN {
			b.Fatal("wrong size")
		}
		runtime.KeepAlive(x)
		for b.Loop() {
		}
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MiB")
	}
	b.Run("built", func(b *testing.B) {
		measure(b, func() *Index { return BuildIndex(f.rows) })
	})
	b.Run("applied", func(b *testing.B) {
		measure(b, func() *Index {
			x := NewIndex()
			for _, r := range f.rows {
				x.Apply(r)
			}
			return x
		})
	})
}
