package ranking

import (
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

var indexSeed = flag.Uint64("index.seed", 0, "seed for the rank index property tests (0: from the clock)")

func testSeed(t *testing.T) uint64 {
	t.Helper()
	seed := *indexSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("seed %d (rerun with -index.seed=%d)", seed, seed)
	return seed
}

func mustKey(t testing.TB, score int, durationMs int64, at time.Time, pid int) Key {
	t.Helper()
	k, err := MakeKey(score, durationMs, at, pid)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestKeyRoundTrip(t *testing.T) {
	at := time.Date(2025, 3, 14, 15, 9, 26, 535897932, time.FixedZone("x", 3600))
	tests := []struct {
		name       string
		score      int
		durationMs int64
		at         time.Time
		pid        int
	}{
		{"typical", 80, 42_000, at, 3<<32 + 17},
		{"zero everything", 0, 0, time.Unix(0, 0), 0},
		{"largest score", MaxScore - 1, 1, at, 1},
		{"largest duration", 1, MaxDurationMs - 1, at, 1},
		{"largest both", MaxScore - 1, MaxDurationMs - 1, at, 1<<62 + 5},
		{"before the epoch", 20, 5_000, time.Date(1969, 12, 31, 23, 59, 59, 999_999_999, time.UTC), 9},
		{"negative pid", 20, 5_000, at, -7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := MakeKey(tt.score, tt.durationMs, tt.at, tt.pid)
			if err != nil {
				t.Fatal(err)
			}
			if got := k.Score(); got != tt.score {
				t.Errorf("Score = %d, want %d", got, tt.score)
			}
			if got := k.DurationMs(); got != tt.durationMs {
				t.Errorf("DurationMs = %d, want %d", got, tt.durationMs)
			}
			want := tt.at.Truncate(time.Microsecond).UTC()
			if got := k.AchievedAt(); !got.Equal(want) || got.Location() != time.UTC {
				t.Errorf("AchievedAt = %v, want %v in UTC", got, want)
			}
			if got := k.ParticipantID(); got != tt.pid {
				t.Errorf("ParticipantID = %d, want %d", got, tt.pid)
			}
		})
	}
}

func TestKeyBounds(t *testing.T) {
	at := time.Now()
	tests := []struct {
		name       string
		score      int
		durationMs int64
		field      string
	}{
		{"negative score", -1, 0, "score"},
		{"score too large", MaxScore, 0, "score"},
		{"negative duration", 0, -1, "duration"},
		{"duration too large", 0, MaxDurationMs, "duration"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := MakeKey(tt.score, tt.durationMs, at, 1)
			if !errors.Is(err, ErrKeyRange) {
				t.Fatalf("err = %v, want ErrKeyRange", err)
			}
			if !strings.HasPrefix(err.Error(), "ranking: "+tt.field) {
				t.Errorf("err = %q, want it to start with %q", err, "ranking: "+tt.field)
			}
		})
	}
}

func TestKeyLess(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	t1 := t0.Add(time.Microsecond)
	tests := []struct {
		name string
		a, b Key // a must rank strictly before b, or equal them when same
		same bool
	}{
		{"higher score first despite everything else", mustKey(t, 100, 300_000, t1, 9), mustKey(t, 80, 5_000, t0, 1), false},
		{"score outweighs the largest duration", mustKey(t, 21, MaxDurationMs-1, t1, 9), mustKey(t, 20, 0, t0, 1), false},
		{"equal score: shorter duration", mustKey(t, 60, 5_000, t1, 9), mustKey(t, 60, 5_001, t0, 1), false},
		{"equal score and duration: earlier achievement", mustKey(t, 60, 5_000, t0, 9), mustKey(t, 60, 5_000, t1, 1), false},
		{"achievement differs by a microsecond only", mustKey(t, 0, 0, t0, 2), mustKey(t, 0, 0, t0.Add(time.Microsecond), 1), false},
		{"full tie but id: smaller id", mustKey(t, 60, 5_000, t0, 1), mustKey(t, 60, 5_000, t0, 2), false},
		{"large ent ids", mustKey(t, 60, 5_000, t0, 3<<32+1), mustKey(t, 60, 5_000, t0, 4<<32), false},
		{"equal keys", mustKey(t, 60, 5_000, t0, 1), mustKey(t, 60, 5_000, t0, 1), true},
		{"sub-microsecond difference is a tie", mustKey(t, 60, 5_000, t0, 1), mustKey(t, 60, 5_000, t0.Add(999), 1), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.Less(tt.b); got != !tt.same {
				t.Errorf("a.Less(b) = %v, want %v", got, !tt.same)
			}
			if tt.b.Less(tt.a) {
				t.Errorf("b.Less(a) = true, want false")
			}
			wantCmp := -1
			if tt.same {
				wantCmp = 0
			}
			if got := compareKeys(tt.a, tt.b); got != wantCmp {
				t.Errorf("compareKeys(a, b) = %d, want %d", got, wantCmp)
			}
			if got := compareKeys(tt.b, tt.a); got != -wantCmp {
				t.Errorf("compareKeys(b, a) = %d, want %d", got, -wantCmp)
			}
		})
	}
}

// refIndex is the naive model the index must agree with.
type refIndex struct {
	rows      map[int64]Row
	maxChange int64
}

func newRef() *refIndex { return &refIndex{rows: map[int64]Row{}} }

func (m *refIndex) apply(r Row) bool {
	if old, ok := m.rows[r.Key.PID]; ok && r.Change <= old.Change {
		return false
	}
	m.rows[r.Key.PID] = r
	m.maxChange = max(m.maxChange, r.Change)
	return true
}

func (m *refIndex) sorted() []Key {
	var ks []Key
	for _, r := range m.rows {
		if !r.Hidden {
			ks = append(ks, r.Key)
		}
	}
	slices.SortFunc(ks, compareKeys)
	return ks
}

func (m *refIndex) rankOf(sorted []Key, k Key) int {
	n := 1
	for _, e := range sorted {
		if e.Less(k) && e.PID != k.PID {
			n++
		}
	}
	return n
}

// keyGen draws keys from small domains so that every tie level is hit.
type keyGen struct {
	rng  *rand.Rand
	base time.Time
}

func (g keyGen) key(pid int64) Key {
	k, err := MakeKey(
		20*g.rng.IntN(6),
		[]int64{5_000, 5_001, 7_500, 300_000}[g.rng.IntN(4)],
		g.base.Add(time.Duration(g.rng.IntN(3))*time.Microsecond),
		int(pid),
	)
	if err != nil {
		panic(err)
	}
	return k
}

// checkInvariants verifies the index's internal structure, which the
// public answers could hide for a while.
func checkInvariants(t *testing.T, x *Index) {
	t.Helper()
	x.mu.RLock()
	defer x.mu.RUnlock()
	if len(x.blocks) != len(x.firsts) || len(x.fen) != len(x.blocks)+1 {
		t.Fatalf("%d blocks, %d firsts, fenwick of %d", len(x.blocks), len(x.firsts), len(x.fen))
	}
	seen := make([]bool, len(x.keys))
	total := 0
	var prev *Key
	for b, blk := range x.blocks {
		if len(blk) == 0 || len(blk) > x.blockSize || cap(blk) != x.blockSize {
			t.Fatalf("block %d: len %d cap %d, block size %d", b, len(blk), cap(blk), x.blockSize)
		}
		if x.firsts[b] != x.keys[blk[0]] {
			t.Fatalf("block %d: first %v, holds %v", b, x.firsts[b], x.keys[blk[0]])
		}
		if got := x.fenPrefix(b); got != total {
			t.Fatalf("block %d: fenwick prefix %d, want %d", b, got, total)
		}
		for _, s := range blk {
			if x.isHidden(s) || seen[s] {
				t.Fatalf("slot %d ranked twice or while hidden", s)
			}
			seen[s] = true
			if prev != nil && !prev.Less(x.keys[s]) {
				t.Fatalf("ranking out of order: %v then %v", *prev, x.keys[s])
			}
			prev = &x.keys[s]
		}
		total += len(blk)
	}
	if total != x.n {
		t.Fatalf("blocks hold %d entries, n = %d", total, x.n)
	}
	for s := range x.keys {
		if !seen[s] && !x.isHidden(uint32(s)) {
			t.Fatalf("visible slot %d not ranked", s)
		}
		if got, ok := x.find(x.keys[s].PID); !ok || int(got) != s {
			t.Fatalf("table finds pid %d at %d, %v; want slot %d", x.keys[s].PID, got, ok, s)
		}
	}
	tb := &x.table
	m := tb.slotMask()
	used := 0
	for _, v := range tb.buckets {
		if v == 0 {
			continue
		}
		used++
		slot := v&m - 1
		if int(slot) >= len(x.keys) {
			t.Fatalf("bucket %#x: slot %d of %d", v, slot, len(x.keys))
		}
		if _, tag := tb.start(x.keys[slot].PID); v&^m != tag {
			t.Fatalf("bucket %#x: tag %#x, want %#x", v, v&^m, tag)
		}
	}
	if used != len(x.keys) || 2*used > len(tb.buckets) {
		t.Fatalf("table holds %d of %d slots in %d buckets", used, len(x.keys), len(tb.buckets))
	}
}

// compareToRef checks every public answer of x against the model.
func compareToRef(t *testing.T, rng *rand.Rand, g keyGen, x *Index, m *refIndex, pids []int64) {
	t.Helper()
	checkInvariants(t, x)
	sorted := m.sorted()
	if got := x.Len(); got != len(sorted) {
		t.Fatalf("Len = %d, want %d", got, len(sorted))
	}
	if got := x.MaxChange(); got != m.maxChange {
		t.Fatalf("MaxChange = %d, want %d", got, m.maxChange)
	}
	rank := make(map[int64]int, len(sorted))
	for i, k := range sorted {
		rank[k.PID] = i + 1
	}
	for _, pid := range pids {
		want, wantOK := rank[pid]
		if got, ok := x.Rank(int(pid)); got != want || ok != wantOK {
			t.Fatalf("Rank(%d) = %d, %v; want %d, %v", pid, got, ok, want, wantOK)
		}
		wantRow, wantOK := m.rows[pid]
		if got, ok := x.Get(int(pid)); got != wantRow || ok != wantOK {
			t.Fatalf("Get(%d) = %+v, %v; want %+v, %v", pid, got, ok, wantRow, wantOK)
		}
	}
	unknown := int64(1<<40 + rng.IntN(1000))
	if _, ok := x.Rank(int(unknown)); ok {
		t.Fatalf("Rank of unknown participant %d is ok", unknown)
	}
	if _, ok := x.Get(int(unknown)); ok {
		t.Fatalf("Get of unknown participant %d is ok", unknown)
	}

	var probes []Key
	for range 20 {
		probes = append(probes, g.key(unknown))
		if len(pids) > 0 {
			pid := pids[rng.IntN(len(pids))]
			probes = append(probes, g.key(pid), m.rows[pid].Key)
		}
	}
	if len(sorted) > 0 {
		probes = append(probes, sorted[0], sorted[len(sorted)-1])
	}
	for _, k := range probes {
		if got, want := x.RankOf(k), m.rankOf(sorted, k); got != want {
			t.Fatalf("RankOf(%+v) = %d, want %d", k, got, want)
		}
	}

	n := len(sorted)
	pages := [][2]int{{0, 0}, {0, 1}, {0, n + 10}, {-3, 2}, {n, 5}, {n + 7, 5}, {max(n-1, 0), 1}, {max(n-3, 0), 10}}
	for range 10 {
		pages = append(pages, [2]int{rng.IntN(n + 2), rng.IntN(12)})
	}
	for _, p := range pages {
		lo := min(max(p[0], 0), n)
		want := sorted[lo:min(lo+max(p[1], 0), n)]
		if got := x.Page(p[0], p[1]); !slices.Equal(got, want) {
			t.Fatalf("Page(%d, %d) = %v, want %v", p[0], p[1], got, want)
		}
	}
}

// TestIndexMatchesReference drives the index and a naive model through the
// same random feed, with blocks small enough that splits and merges happen
// all the time.
func TestIndexMatchesReference(t *testing.T) {
	seed := testSeed(t)
	for _, bs := range []int{4, 5, 8, 64, defaultBlockSize} {
		for _, built := range []bool{false, true} {
			t.Run(fmt.Sprintf("block=%d/built=%v", bs, built), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(seed, uint64(bs)))
				g := keyGen{rng: rng, base: time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)}
				m := newRef()
				var pids []int64
				nextPID := int64(3 << 32)
				change := int64(0)
				newPID := func() int64 {
					nextPID += 1 + int64(rng.IntN(3))
					pids = append(pids, nextPID)
					return nextPID
				}

				var x *Index
				if built {
					var rows []Row
					for range 300 {
						change++
						pid := newPID()
						rows = append(rows, Row{Key: g.key(pid), Change: change, Hidden: rng.IntN(10) == 0})
					}
					// Duplicates, older and newer, in any order.
					for range 100 {
						pid := pids[rng.IntN(len(pids))]
						change++
						rows = append(rows, Row{Key: g.key(pid), Change: int64(rng.IntN(int(change))) + 1, Hidden: rng.IntN(10) == 0})
					}
					rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
					for _, r := range rows {
						m.apply(r)
					}
					x = buildIndex(rows, bs)
				} else {
					x = newIndex(bs)
				}
				compareToRef(t, rng, g, x, m, pids)

				counts := map[string]int{}
				for batch := range 150 {
					for range 1 + rng.IntN(40) {
						var r Row
						var op string
						held := Row{}
						var pid int64
						if len(pids) > 0 {
							pid = pids[rng.IntN(len(pids))]
							held = m.rows[pid]
						}
						switch p := rng.IntN(100); {
						case len(pids) == 0 || p < 20 || (batch < 20 && p < 60):
							op = "new"
							change++
							pid = newPID()
							r = Row{Key: g.key(pid), Change: change, Hidden: rng.IntN(10) == 0}
						case p < 50:
							op = "rekey" // improved or worsened, whatever the draw gives
							change++
							r = Row{Key: g.key(pid), Change: change, Hidden: held.Hidden && rng.IntN(2) == 0}
						case p < 60:
							op = "stale"
							r = Row{Key: g.key(pid), Change: int64(rng.IntN(int(held.Change))) + 1, Hidden: rng.IntN(2) == 0}
						case p < 65:
							op = "duplicate change"
							r = Row{Key: g.key(pid), Change: held.Change, Hidden: !held.Hidden}
						case p < 75:
							op = "hide"
							change++
							r = Row{Key: held.Key, Change: change, Hidden: true}
						case p < 85:
							op = "unhide"
							change++
							r = Row{Key: held.Key, Change: change}
						case p < 90:
							op = "same key, newer change"
							change++
							r = held
							r.Change = change
						default:
							op = "skip ahead" // change numbers have gaps
							change += int64(rng.IntN(5)) + 1
							r = Row{Key: g.key(pid), Change: change, Hidden: held.Hidden}
						}
						want := m.apply(r)
						if got := x.Apply(r); got != want {
							t.Fatalf("batch %d, %s: Apply(%+v) = %v, want %v", batch, op, r, got, want)
						}
						if want {
							counts[op]++
						} else {
							counts[op+" (ignored)"]++
						}
					}
					compareToRef(t, rng, g, x, m, pids)
				}
				if counts["stale (ignored)"] == 0 || counts["hide"] == 0 || counts["unhide"] == 0 || counts["duplicate change (ignored)"] == 0 {
					t.Errorf("feed missed a kind of row: %v", counts)
				}
				t.Logf("%d participants, %d ranked; ops %v", len(pids), x.Len(), counts)
			})
		}
	}
}

// TestIndexSplitsAndMerges makes sure the property test's block sizes do
// exercise the structure: blocks must multiply as entries arrive and
// shrink back as they leave.
func TestIndexSplitsAndMerges(t *testing.T) {
	x := newIndex(4)
	base := time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)
	const n = 200
	for i := range n {
		x.Apply(Row{Key: mustKey(t, 20*(i%6), 5_000, base, 3<<32+i), Change: int64(i + 1)})
	}
	checkInvariants(t, x)
	if len(x.blocks) < n/4 {
		t.Fatalf("%d entries in %d blocks of at most 4", n, len(x.blocks))
	}
	for i := range n - 3 {
		x.Apply(Row{Key: mustKey(t, 20*(i%6), 5_000, base, 3<<32+i), Change: int64(n + i + 1), Hidden: true})
		checkInvariants(t, x)
	}
	// A block of one merges with a neighbour of up to two.
	if x.Len() != 3 || len(x.blocks) > 2 {
		t.Fatalf("3 entries left: Len = %d in %d blocks", x.Len(), len(x.blocks))
	}
	// Hidden participants keep their slots and table entries.
	if len(x.keys) != n {
		t.Fatalf("%d slots, want %d", len(x.keys), n)
	}
}

func TestIndexHiddenKeepsChange(t *testing.T) {
	base := time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)
	pid := 3<<32 + 1
	k := mustKey(t, 100, 5_000, base, pid)
	other := mustKey(t, 80, 5_000, base, pid+1)
	tests := []struct {
		name     string
		rows     []Row
		wantRank int // 0: not ranked
		wantRow  Row
	}{
		{"hidden first, older visible ignored",
			[]Row{{Key: k, Change: 5, Hidden: true}, {Key: k, Change: 4}}, 0, Row{Key: k, Change: 5, Hidden: true}},
		{"hidden then newer visible ranks again",
			[]Row{{Key: k, Change: 5, Hidden: true}, {Key: k, Change: 6}}, 1, Row{Key: k, Change: 6}},
		{"visible then hidden",
			[]Row{{Key: k, Change: 5}, {Key: k, Change: 6, Hidden: true}}, 0, Row{Key: k, Change: 6, Hidden: true}},
		{"equal change is a duplicate",
			[]Row{{Key: k, Change: 5}, {Key: k, Change: 5, Hidden: true}}, 1, Row{Key: k, Change: 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, build := range []bool{false, true} {
				rows := append([]Row{{Key: other, Change: 1}}, tt.rows...)
				var x *Index
				if build {
					x = BuildIndex(rows)
				} else {
					x = NewIndex()
					for _, r := range rows {
						x.Apply(r)
					}
				}
				got, ok := x.Rank(pid)
				if (tt.wantRank == 0) == ok || got != tt.wantRank {
					t.Errorf("build=%v: Rank = %d, %v; want %d", build, got, ok, tt.wantRank)
				}
				if row, _ := x.Get(pid); row != tt.wantRow {
					t.Errorf("build=%v: Get = %+v, want %+v", build, row, tt.wantRow)
				}
				if r, _ := x.Rank(pid + 1); r != 1+tt.wantRank {
					t.Errorf("build=%v: other's rank = %d, want %d", build, r, 1+tt.wantRank)
				}
			}
		})
	}
}

// TestBuildIndexEqualsApply checks that the one-sort build and the feed
// agree, duplicates and hidden rows included.
func TestBuildIndexEqualsApply(t *testing.T) {
	seed := testSeed(t)
	rng := rand.New(rand.NewPCG(seed, 1))
	g := keyGen{rng: rng, base: time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)}
	for _, n := range []int{0, 1, 2, 3, 100, 5000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			var rows []Row
			for i := range n {
				pid := int64(3<<32 + rng.IntN(n*3/4+1))
				rows = append(rows, Row{Key: g.key(pid), Change: int64(rng.IntN(n*2) + i), Hidden: rng.IntN(8) == 0})
			}
			for _, bs := range []int{4, defaultBlockSize} {
				built := buildIndex(rows, bs)
				applied := newIndex(bs)
				for _, r := range rows {
					applied.Apply(r)
				}
				checkInvariants(t, built)
				checkInvariants(t, applied)
				if built.Len() != applied.Len() || built.MaxChange() != applied.MaxChange() {
					t.Fatalf("block %d: built Len %d MaxChange %d, applied Len %d MaxChange %d",
						bs, built.Len(), built.MaxChange(), applied.Len(), applied.MaxChange())
				}
				if b, a := built.Page(0, n), applied.Page(0, n); !slices.Equal(b, a) {
					t.Fatalf("block %d: pages differ:\nbuilt   %v\napplied %v", bs, b, a)
				}
				for _, r := range rows {
					pid := int(r.Key.PID)
					b, _ := built.Get(pid)
					a, _ := applied.Get(pid)
					if a != b {
						t.Fatalf("block %d: Get(%d): built %+v, applied %+v", bs, pid, b, a)
					}
					br, bok := built.Rank(pid)
					ar, aok := applied.Rank(pid)
					if br != ar || bok != aok {
						t.Fatalf("block %d: Rank(%d): built %d %v, applied %d %v", bs, pid, br, bok, ar, aok)
					}
				}
			}
		})
	}
}

// TestSortRefs checks BuildIndex's own sort against slices.SortFunc on the
// inputs a quicksort gets wrong: presorted, reversed, heavy ties on the
// leading fields, sizes around the insertion-sort and goroutine cut-offs,
// and the fallback once the depth budget runs out.
func TestSortRefs(t *testing.T) {
	seed := testSeed(t)
	rng := rand.New(rand.NewPCG(seed, 3))
	g := keyGen{rng: rng, base: time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)}
	shapes := map[string]func(a []rowRef){
		"random":   func([]rowRef) {},
		"sorted":   func(a []rowRef) { slices.SortFunc(a, compareRefs) },
		"reversed": func(a []rowRef) { slices.SortFunc(a, compareRefs); slices.Reverse(a) },
		"organ pipe": func(a []rowRef) {
			slices.SortFunc(a, compareRefs)
			slices.Reverse(a[len(a)/2:])
		},
	}
	for _, n := range []int{0, 1, 2, 12, 13, 100, 1000, parallelSortMin*3 + 7} {
		for name, shape := range shapes {
			for _, depth := range []int{-1, 0, 3} {
				if depth >= 0 && n > 1000 {
					continue // the fallback and shallow budgets are covered by smaller n
				}
				a := make([]rowRef, n)
				for i := range a {
					a[i] = rowRef{g.key(int64(3<<32 + i)), uint32(i)}
				}
				shape(a)
				want := slices.Clone(a)
				slices.SortFunc(want, compareRefs)
				if depth < 0 {
					sortRefs(a)
				} else {
					var wg sync.WaitGroup
					sortRefsDepth(a, depth, &wg)
					wg.Wait()
				}
				if !slices.Equal(a, want) {
					t.Fatalf("n=%d %s depth=%d: not sorted", n, name, depth)
				}
			}
		}
	}
}

func compareRefs(a, b rowRef) int { return compareKeys(a.Key, b.Key) }

// TestIndexConcurrentReadersAndWriters is meant for -race: readers must
// always see a consistent ranking while the feed rewrites it.
func TestIndexConcurrentReadersAndWriters(t *testing.T) {
	seed := testSeed(t)
	base := time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)
	const n = 2000
	var rows []Row
	{
		g := keyGen{rng: rand.New(rand.NewPCG(seed, 2)), base: base}
		for i := range n {
			rows = append(rows, Row{Key: g.key(3<<32 + int64(i)), Change: int64(i + 1)})
		}
	}
	x := buildIndex(rows, 16)

	var (
		writers, readers sync.WaitGroup
		mu               sync.Mutex
		change           = int64(n)
	)
	stop := make(chan struct{})
	errs := make(chan error, 4)
	for r := range 4 {
		readers.Go(func() {
			rng := rand.New(rand.NewPCG(seed, uint64(20+r)))
			for {
				select {
				case <-stop:
					return
				default:
				}
				if err := readOnce(x, rng, n); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	for w := range 2 {
		writers.Go(func() {
			g := keyGen{rng: rand.New(rand.NewPCG(seed, uint64(10+w))), base: base}
			for i := range 3000 {
				mu.Lock()
				change++
				c := change
				mu.Unlock()
				pid := 3<<32 + int64(g.rng.IntN(n+200))
				x.Apply(Row{Key: g.key(pid), Change: c, Hidden: i%17 == 0})
			}
		})
	}
	writers.Wait()
	close(stop)
	readers.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	checkInvariants(t, x)
	if got := x.MaxChange(); got != n+6000 {
		t.Errorf("MaxChange = %d, want %d", got, n+6000)
	}
}

// readOnce checks what a reader can rely on while writers run.
func readOnce(x *Index, rng *rand.Rand, n int) error {
	page := x.Page(rng.IntN(n), 50)
	for i := 1; i < len(page); i++ {
		if !page[i-1].Less(page[i]) {
			return fmt.Errorf("page out of order: %v then %v", page[i-1], page[i])
		}
	}
	pid := 3<<32 + rng.IntN(n)
	if rank, ok := x.Rank(pid); ok && rank < 1 {
		return fmt.Errorf("Rank(%d) = %d", pid, rank)
	}
	if row, ok := x.Get(pid); ok {
		if rank := x.RankOf(row.Key); rank < 1 {
			return fmt.Errorf("RankOf(%v) = %d", row.Key, rank)
		}
	}
	if c := x.MaxChange(); c < int64(n) {
		return fmt.Errorf("MaxChange went back to %d", c)
	}
	return nil
}
