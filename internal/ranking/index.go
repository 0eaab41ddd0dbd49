package ranking

import (
	"cmp"
	"errors"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"slices"
	"sync"
	"time"
)

// Key field bounds. Score and duration share one uint64 so that the two
// most significant ranking levels compare as a single integer.
const (
	// MaxScore is one more than the largest score a Key can hold.
	MaxScore = 1 << 23
	// MaxDurationMs is one more than the largest duration a Key can hold.
	MaxDurationMs = 1 << 40
)

// ErrKeyRange is wrapped by MakeKey errors, so callers can tell a value the
// index cannot represent from other failures.
var ErrKeyRange = errors.New("value out of key range")

// Key is a standing's place in ranking order; smaller is better. It is
// fixed-width and compared as integers so that the index never goes through
// interfaces or time.Time on its hot paths.
type Key struct {
	Hi  uint64 // (MaxScore-1-score)<<40 | durationMs: score desc, then duration asc
	At  int64  // achievedAt in Unix microseconds, the precision the database keeps
	PID int64  // participant id, the final tie-break that makes every key unique
}

// MakeKey encodes a standing's ranking fields. It rejects values that would
// not fit their bits rather than let them silently collide or reorder.
func MakeKey(score int, durationMs int64, achievedAt time.Time, participantID int) (Key, error) {
	if score < 0 || score >= MaxScore {
		return Key{}, fmt.Errorf("ranking: score %d outside [0, %d): %w", score, MaxScore, ErrKeyRange)
	}
	if durationMs < 0 || durationMs >= MaxDurationMs {
		return Key{}, fmt.Errorf("ranking: duration %d ms outside [0, %d): %w", durationMs, int64(MaxDurationMs), ErrKeyRange)
	}
	return Key{
		Hi:  uint64(MaxScore-1-score)<<40 | uint64(durationMs),
		At:  achievedAt.UnixMicro(),
		PID: int64(participantID),
	}, nil
}

// Score decodes the score, so a page of keys can be rendered without
// another lookup.
func (k Key) Score() int { return MaxScore - 1 - int(k.Hi>>40) }

// DurationMs decodes the time used.
func (k Key) DurationMs() int64 { return int64(k.Hi & (MaxDurationMs - 1)) }

// AchievedAt decodes the achievement time in UTC; it is truncated to the
// microsecond, as the database stores it.
func (k Key) AchievedAt() time.Time { return time.UnixMicro(k.At).UTC() }

// ParticipantID decodes the participant's id.
func (k Key) ParticipantID() int { return int(k.PID) }

// Less reports whether k ranks before o: score desc, durationMs asc,
// achievedAt asc, participant id asc.
func (k Key) Less(o Key) bool {
	if k.Hi != o.Hi {
		return k.Hi < o.Hi
	}
	if k.At != o.At {
		return k.At < o.At
	}
	return k.PID < o.PID
}

func compareKeys(a, b Key) int {
	if c := cmp.Compare(a.Hi, b.Hi); c != 0 {
		return c
	}
	if c := cmp.Compare(a.At, b.At); c != 0 {
		return c
	}
	return cmp.Compare(a.PID, b.PID)
}

// Row is one Standing row as the change feed delivers it.
type Row struct {
	Key    Key
	Change int64 // the row's change number: larger is newer
	Hidden bool  // a blocked participant: remembered (with its change) but not ranked
}

// defaultBlockSize bounds a ranking block. 512 slot numbers (2 KiB) keep an
// insert's memmove and a rank's scan of its block short while leaving only
// about 2,600 blocks at a million entries, so the search over blocks' first
// keys and the Fenwick tree stay in cache. 256 measured no better, 1024
// worse.
const defaultBlockSize = 512

// Index is an in-memory order-statistic index over one campaign's
// standings. It answers a participant's exact rank and a page at any offset
// in O(log n) without touching the database, which cannot count ranks at a
// million participants within a request's budget.
//
// Entries live in slot arrays (key, change, hidden bit) addressed by a
// uint32 slot number, found from a participant id through a pidTable.
// Participants are never forgotten (a hidden one keeps its change), so
// slots are never freed and churn does not grow memory. The ranking is a
// list of sorted blocks of slot numbers, each block's first key kept inline
// for a cache-friendly binary search, and a Fenwick tree over block sizes
// turns a block number into the count of entries before it and an offset
// into a block.
//
// An Index is safe for concurrent use; readers share a read lock.
type Index struct {
	mu sync.RWMutex

	// per participant, by slot
	keys    []Key
	changes []int64
	hidden  []uint64 // bit per slot

	table pidTable // participant id → slot

	// ranking order
	blockSize int
	blocks    [][]uint32 // slot numbers in key order, never empty
	firsts    []Key      // firsts[b] == keys[blocks[b][0]]
	fen       []int32    // Fenwick tree over len(blocks[b]), 1-based
	spare     [][]uint32 // emptied block buffers kept for the next split
	n         int        // visible entries

	maxChange int64
	// version counts applied rows, so a reader can tell the index has not
	// changed since it last looked (a late commit may not raise maxChange).
	version uint64
}

// NewIndex returns an empty index, to be filled through Apply.
func NewIndex() *Index { return newIndex(defaultBlockSize) }

func newIndex(blockSize int) *Index {
	if blockSize < 4 {
		panic("ranking: block size below 4")
	}
	return &Index{blockSize: blockSize, table: pidTable{seed: rand.Uint64()}, fen: make([]int32, 1)}
}

// BuildIndex builds an index from a snapshot in one sort, which is far
// cheaper than a million Applies. Rows may come in any order; should a
// participant appear twice, the row with the larger Change wins.
func BuildIndex(rows []Row) *Index { return buildIndex(rows, defaultBlockSize) }

func buildIndex(rows []Row, blockSize int) *Index {
	x := newIndex(blockSize)
	if len(rows) > maxSlots {
		panic("ranking: too many participants")
	}

	// Pick each participant's newest row. The table maps a participant
	// id to its row's index for now; win marks the chosen rows so that
	// the next pass reads rows in sequence instead of chasing the table.
	t := &x.table
	t.init(len(rows))
	m := t.slotMask()
	win := make([]uint64, (len(rows)+63)/64)
	for i := range rows {
		r := &rows[i]
		x.maxChange = max(x.maxChange, r.Change)
		pos, tag := t.start(r.Key.PID)
		for {
			v := t.buckets[pos]
			if v == 0 {
				t.buckets[pos] = tag | uint32(i+1)
				win[i/64] |= 1 << (i % 64)
				break
			}
			if v&^m == tag {
				if w := v&m - 1; rows[w].Key.PID == r.Key.PID {
					if r.Change > rows[w].Change {
						t.buckets[pos] = tag | uint32(i+1)
						win[w/64] &^= 1 << (w % 64)
						win[i/64] |= 1 << (i % 64)
					}
					break
				}
			}
			pos = t.next(pos)
		}
	}

	// Visible rows take the first slots, in ranking order, so that slot
	// order starts out as rank order; hidden rows follow.
	refs := make([]rowRef, 0, len(rows))
	var hidden []uint32
	for i := range rows {
		if win[i/64]&(1<<(i%64)) == 0 {
			continue
		}
		if rows[i].Hidden {
			hidden = append(hidden, uint32(i))
		} else {
			refs = append(refs, rowRef{rows[i].Key, uint32(i)})
		}
	}
	sortRefs(refs)

	visible := len(refs)
	n := visible + len(hidden)
	x.keys = make([]Key, n)
	x.changes = make([]int64, n)
	x.hidden = make([]uint64, (n+63)/64)
	for i, ref := range refs {
		x.keys[i] = ref.Key
		x.changes[i] = rows[ref.row].Change
	}
	for j, ri := range hidden {
		i := visible + j
		x.keys[i] = rows[ri].Key
		x.changes[i] = rows[ri].Change
		x.hidden[i/64] |= 1 << (i % 64)
	}
	t.init(n)
	for i := range x.keys {
		t.insertNew(x.keys[i].PID, uint32(i))
	}

	// Fill blocks three quarters full, so early inserts do not all split.
	fill := blockSize * 3 / 4
	nb := (visible + fill - 1) / fill
	x.blocks = make([][]uint32, 0, nb)
	x.firsts = make([]Key, 0, nb)
	for lo := 0; lo < visible; lo += fill {
		hi := min(lo+fill, visible)
		blk := make([]uint32, hi-lo, blockSize)
		for i := range blk {
			blk[i] = uint32(lo + i)
		}
		x.blocks = append(x.blocks, blk)
		x.firsts = append(x.firsts, x.keys[lo])
	}
	x.n = visible
	x.rebuildFenwick()
	return x
}

// rowRef is what BuildIndex sorts: a key and the row it came from, smaller
// than a Row so that the sort moves less memory.
type rowRef struct {
	Key
	row uint32
}

// sortRefs sorts distinct keys in ranking order. It is a quicksort
// specialised to rowRef, because slices.SortFunc's comparison through a
// func value took most of a million-row build; past a depth that only
// adversarial input reaches, it hands over to slices.SortFunc, which
// guarantees O(n log n). Large partitions are sorted on their own
// goroutines: a build runs while a campaign's leaderboard waits for it.
func sortRefs(a []rowRef) {
	var wg sync.WaitGroup
	sortRefsDepth(a, 2*bits.Len(uint(len(a))), &wg)
	wg.Wait()
}

// parallelSortMin is the smallest partition worth a goroutine.
const parallelSortMin = 1 << 16

func sortRefsDepth(a []rowRef, depth int, wg *sync.WaitGroup) {
	for len(a) > 12 {
		if depth == 0 {
			slices.SortFunc(a, func(p, q rowRef) int { return compareKeys(p.Key, q.Key) })
			return
		}
		depth--
		// Median of three, which also leaves a[0] <= pivot <= a[hi] as
		// sentinels for the scans below.
		m, hi := len(a)/2, len(a)-1
		if a[m].Less(a[0].Key) {
			a[m], a[0] = a[0], a[m]
		}
		if a[hi].Less(a[m].Key) {
			a[hi], a[m] = a[m], a[hi]
			if a[m].Less(a[0].Key) {
				a[m], a[0] = a[0], a[m]
			}
		}
		p := a[m].Key
		i, j := 0, hi
		for {
			for a[i].Less(p) {
				i++
			}
			for p.Less(a[j].Key) {
				j--
			}
			if i >= j {
				break
			}
			a[i], a[j] = a[j], a[i]
			i++
			j--
		}
		// Recurse into the smaller side to bound the stack.
		small := a[:j+1]
		if j+1 < len(a)-j-1 {
			a = a[j+1:]
		} else {
			small, a = a[j+1:], small
		}
		if len(small) >= parallelSortMin {
			d := depth // the loop goes on changing depth
			wg.Go(func() { sortRefsDepth(small, d, wg) })
		} else {
			sortRefsDepth(small, depth, wg)
		}
	}
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j].Less(a[j-1].Key); j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

// maxSlots keeps slot+1 representable in a uint32 bucket.
const maxSlots = 1<<32 - 2

// pidTable maps participant ids to slots: linear probing over a
// power-of-two array of uint32 buckets, at most half full, so about 8 bytes
// a participant where a Go map takes some 26. A bucket holds slot+1
// (0 = empty) in its low bits and, in the high bits the slot does not
// need, a tag from the id's hash: a probe passing another participant's
// bucket then almost never reads that participant's key, which would be a
// cache miss.
type pidTable struct {
	buckets []uint32
	shift   uint // log2(len(buckets)): the bits a slot+1 may use
	seed    uint64
}

// tableSize returns a power of two above twice n.
func tableSize(n int) int {
	return max(16, 1<<bits.Len(uint(2*n)))
}

// init empties the table and sizes it for n participants.
func (t *pidTable) init(n int) {
	size := tableSize(n)
	if len(t.buckets) == size {
		clear(t.buckets)
	} else {
		t.buckets = make([]uint32, size)
	}
	t.shift = uint(bits.TrailingZeros(uint(size)))
}

// slotMask selects a bucket's slot+1 bits.
func (t *pidTable) slotMask() uint32 { return uint32(1)<<t.shift - 1 }

// start returns where pid's probe sequence begins and the tag its bucket
// carries.
func (t *pidTable) start(pid int64) (pos uint64, tag uint32) {
	// murmur3's finalizer: ids are sequential within a type, so their
	// bits must be mixed before masking.
	h := uint64(pid) ^ t.seed
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h & (uint64(len(t.buckets)) - 1), uint32(h >> (32 + t.shift) << t.shift)
}

func (t *pidTable) next(pos uint64) uint64 { return (pos + 1) & (uint64(len(t.buckets)) - 1) }

// insertNew adds a participant known to be absent.
func (t *pidTable) insertNew(pid int64, slot uint32) {
	pos, tag := t.start(pid)
	for t.buckets[pos] != 0 {
		pos = t.next(pos)
	}
	t.buckets[pos] = tag | (slot + 1)
}

// find returns the slot holding pid.
func (x *Index) find(pid int64) (slot uint32, ok bool) {
	t := &x.table
	if len(t.buckets) == 0 {
		return 0, false
	}
	m := t.slotMask()
	pos, tag := t.start(pid)
	for {
		v := t.buckets[pos]
		if v == 0 {
			return 0, false
		}
		if v&^m == tag && x.keys[v&m-1].PID == pid {
			return v&m - 1, true
		}
		pos = t.next(pos)
	}
}

func (x *Index) isHidden(slot uint32) bool { return x.hidden[slot/64]&(1<<(slot%64)) != 0 }

func (x *Index) setHidden(slot uint32, h bool) {
	if h {
		x.hidden[slot/64] |= 1 << (slot % 64)
	} else {
		x.hidden[slot/64] &^= 1 << (slot % 64)
	}
}

// Apply upserts a participant's row from the change feed. Rows may arrive
// out of order or twice, so a row only replaces what the index holds when
// its Change is larger; it reports whether it did. A hidden row takes the
// participant out of the ranking but keeps its change, so an older visible
// row arriving later cannot bring a blocked participant back.
func (x *Index) Apply(r Row) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	slot, ok := x.find(r.Key.PID)
	if !ok {
		x.add(r)
		x.version++
		return true
	}
	if r.Change <= x.changes[slot] {
		return false
	}
	x.version++
	x.changes[slot] = r.Change
	x.maxChange = max(x.maxChange, r.Change)
	wasHidden := x.isHidden(slot)
	if !wasHidden && !r.Hidden && x.keys[slot] == r.Key {
		return true
	}
	if !wasHidden {
		x.remove(slot)
	}
	x.keys[slot] = r.Key
	x.setHidden(slot, r.Hidden)
	if !r.Hidden {
		x.insert(slot)
	}
	return true
}

// add gives a new participant a slot.
func (x *Index) add(r Row) {
	slot := len(x.keys)
	if slot >= maxSlots {
		panic("ranking: too many participants")
	}
	x.keys = append(x.keys, r.Key)
	x.changes = append(x.changes, r.Change)
	if slot/64 >= len(x.hidden) {
		x.hidden = append(x.hidden, 0)
	}
	x.maxChange = max(x.maxChange, r.Change)
	if 2*(slot+1) > len(x.table.buckets) {
		// Rehash into a table twice the size; slot+1 gains a bit, the
		// tags lose one.
		x.table.init(slot + 1)
		for i := range slot {
			x.table.insertNew(x.keys[i].PID, uint32(i))
		}
	}
	x.table.insertNew(r.Key.PID, uint32(slot))
	x.setHidden(uint32(slot), r.Hidden)
	if !r.Hidden {
		x.insert(uint32(slot))
	}
}

// lowerBound returns how many entries of blk rank before k.
func (x *Index) lowerBound(blk []uint32, k Key) int {
	lo, hi := 0, len(blk)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if x.keys[blk[m]].Less(k) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// blocksBefore returns how many blocks start before k (or at k, when
// orEqual).
func (x *Index) blocksBefore(k Key, orEqual bool) int {
	lo, hi := 0, len(x.firsts)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		f := &x.firsts[m]
		if f.Less(k) || (orEqual && *f == k) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// locateSlot returns the block and position of a visible slot.
func (x *Index) locateSlot(slot uint32) (b, i int) {
	k := x.keys[slot]
	b = x.blocksBefore(k, true) - 1
	if b < 0 {
		panic("ranking: visible entry not in ranking")
	}
	// Scanning the block for the slot number reads it in sequence, which
	// the prefetcher serves; a binary search by key would instead chase a
	// cache miss into the key array at every step.
	i = indexOf(x.blocks[b], slot)
	if i < 0 {
		panic("ranking: visible entry not in ranking")
	}
	return b, i
}

// indexOf is slices.Index unrolled by four, which the block scan of every
// Rank and remove spends its time in.
func indexOf(blk []uint32, v uint32) int {
	i := 0
	for ; i+4 <= len(blk); i += 4 {
		q := blk[i : i+4 : i+4]
		if q[0] == v || q[1] == v || q[2] == v || q[3] == v {
			break
		}
	}
	for ; i < len(blk); i++ {
		if blk[i] == v {
			return i
		}
	}
	return -1
}

// insert puts a visible slot into ranking order.
func (x *Index) insert(slot uint32) {
	x.n++
	if len(x.blocks) == 0 {
		blk := x.newBlock()
		x.blocks = append(x.blocks, append(blk, slot))
		x.firsts = append(x.firsts, x.keys[slot])
		x.rebuildFenwick()
		return
	}
	k := x.keys[slot]
	b := max(x.blocksBefore(k, false)-1, 0)
	blk := x.blocks[b]
	i := x.lowerBound(blk, k)
	if len(blk) == x.blockSize {
		// Split in halves; the new entry goes to the left half when it
		// falls on the cut, so the right half's first key stays put.
		h := len(blk) / 2
		right := append(x.newBlock(), blk[h:]...)
		blk = blk[:h]
		x.blocks[b] = blk
		x.blocks = slices.Insert(x.blocks, b+1, right)
		x.firsts = slices.Insert(x.firsts, b+1, x.keys[right[0]])
		if i > h {
			b, blk, i = b+1, right, i-h
		}
		x.blocks[b] = slices.Insert(blk, i, slot)
		if i == 0 {
			x.firsts[b] = k
		}
		x.rebuildFenwick()
		return
	}
	x.blocks[b] = slices.Insert(blk, i, slot)
	if i == 0 {
		x.firsts[b] = k
	}
	x.fenAdd(b, 1)
}

// remove takes a visible slot out of ranking order. Blocks that fall to a
// quarter full merge with a neighbour that has room, so churn cannot leave the index
// spread over many near-empty blocks.
func (x *Index) remove(slot uint32) {
	b, i := x.locateSlot(slot)
	x.n--
	blk := slices.Delete(x.blocks[b], i, i+1)
	x.blocks[b] = blk
	switch {
	case len(blk) == 0:
		x.dropBlock(b)
		return
	case len(blk) <= x.blockSize/4:
		limit := x.blockSize * 3 / 4
		if b+1 < len(x.blocks) && len(blk)+len(x.blocks[b+1]) <= limit {
			x.blocks[b] = append(blk, x.blocks[b+1]...)
			x.firsts[b] = x.keys[x.blocks[b][0]]
			x.dropBlock(b + 1)
			return
		}
		if b > 0 && len(blk)+len(x.blocks[b-1]) <= limit {
			x.blocks[b-1] = append(x.blocks[b-1], blk...)
			x.dropBlock(b)
			return
		}
	}
	if i == 0 {
		x.firsts[b] = x.keys[blk[0]]
	}
	x.fenAdd(b, -1)
}

func (x *Index) newBlock() []uint32 {
	if n := len(x.spare); n > 0 {
		blk := x.spare[n-1]
		x.spare = x.spare[:n-1]
		return blk
	}
	return make([]uint32, 0, x.blockSize)
}

func (x *Index) dropBlock(b int) {
	if len(x.spare) < 4 {
		x.spare = append(x.spare, x.blocks[b][:0])
	}
	x.blocks = slices.Delete(x.blocks, b, b+1)
	x.firsts = slices.Delete(x.firsts, b, b+1)
	x.rebuildFenwick()
}

// rebuildFenwick recomputes the tree in O(blocks); blocks come and go only
// once per many inserts or removes, so this is cheaper than shifting a
// tree in place.
func (x *Index) rebuildFenwick() {
	nb := len(x.blocks)
	x.fen = slices.Grow(x.fen[:0], nb+1)[:nb+1]
	x.fen[0] = 0
	for i, blk := range x.blocks {
		x.fen[i+1] = int32(len(blk))
	}
	for i := 1; i <= nb; i++ {
		if j := i + i&-i; j <= nb {
			x.fen[j] += x.fen[i]
		}
	}
}

func (x *Index) fenAdd(b int, d int32) {
	for i := b + 1; i < len(x.fen); i += i & -i {
		x.fen[i] += d
	}
}

// fenPrefix returns the number of entries in blocks before b.
func (x *Index) fenPrefix(b int) int {
	s := 0
	for i := b; i > 0; i &= i - 1 {
		s += int(x.fen[i])
	}
	return s
}

// fenFind returns the block holding the entry at 0-based position pos
// (pos < n) and its position inside that block.
func (x *Index) fenFind(pos int) (b, i int) {
	nb := len(x.fen) - 1
	idx := 0
	for step := 1 << (bits.Len(uint(nb)) - 1); step > 0; step >>= 1 {
		if next := idx + step; next <= nb && int(x.fen[next]) <= pos {
			idx = next
			pos -= int(x.fen[next])
		}
	}
	return idx, pos
}

// countBefore returns how many visible entries rank strictly before k.
func (x *Index) countBefore(k Key) int {
	b := x.blocksBefore(k, false) - 1
	if b < 0 {
		return 0
	}
	return x.fenPrefix(b) + x.lowerBound(x.blocks[b], k)
}

// Len returns the number of ranked (visible) entries: the leaderboard's
// total.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.n
}

// Rank returns a visible participant's 1-based rank; false when the
// participant is unknown or hidden, who has no public rank.
func (x *Index) Rank(pid int) (int, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	slot, ok := x.find(int64(pid))
	if !ok || x.isHidden(slot) {
		return 0, false
	}
	b, i := x.locateSlot(slot)
	return x.fenPrefix(b) + i + 1, true
}

// RankOf returns the rank k would have: 1 + the visible entries strictly
// before k, not counting k.PID's own entry. A caller that read a newer row
// from the database than the index has seen can still rank it correctly,
// since the participant's stale key is not counted against it.
func (x *Index) RankOf(k Key) int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	c := x.countBefore(k)
	if slot, ok := x.find(k.PID); ok && !x.isHidden(slot) && x.keys[slot].Less(k) {
		c--
	}
	return c + 1
}

// Page returns the keys at ranks offset+1 … offset+n, fewer at the end and
// none when offset >= Len; negative arguments count as 0. The keys carry
// everything a leaderboard row shows, so a page needs no other lookup.
func (x *Index) Page(offset, n int) []Key {
	x.mu.RLock()
	defer x.mu.RUnlock()
	offset = max(offset, 0)
	if n <= 0 || offset >= x.n {
		return []Key{}
	}
	n = min(n, x.n-offset)
	out := make([]Key, 0, n)
	b, i := x.fenFind(offset)
	for len(out) < n {
		blk := x.blocks[b]
		for _, s := range blk[i:min(len(blk), i+n-len(out))] {
			out = append(out, x.keys[s])
		}
		b, i = b+1, 0
	}
	return out
}

// Get returns what the index holds for a participant, hidden ones
// included, so a feed consumer can see which change it has reached.
func (x *Index) Get(pid int) (Row, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	slot, ok := x.find(int64(pid))
	if !ok {
		return Row{}, false
	}
	return Row{Key: x.keys[slot], Change: x.changes[slot], Hidden: x.isHidden(slot)}, true
}

// Version changes whenever the index does: readers cache what they
// computed from it under the version they saw.
func (x *Index) Version() uint64 {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.version
}

// MaxChange returns the largest Change applied or built: where a change
// feed consumer resumes after a snapshot.
func (x *Index) MaxChange() int64 {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.maxChange
}
