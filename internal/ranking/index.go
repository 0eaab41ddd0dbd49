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
// insert's memmove and a rank's binary search short while leaving only about
// 2,000 blocks at a million entries, so block-level searches stay in cache.
const defaultBlockSize = 512

// Index is an in-memory order-statistic index over one campaign's
// standings. It answers a participant's exact rank and a page at any offset
// in O(log n) without touching the database, which cannot count ranks at a
// million participants within a request's budget.
//
// Entries live in slot arrays (key, change, hidden bit) addressed by a
// uint32 slot number, found from a participant id through an open-addressing
// table of slot numbers. The ranking is a list of sorted blocks of slot
// numbers, each block's first key kept inline for a cache-friendly binary
// search, and a Fenwick tree over block sizes turns a block number into the
// count of entries before it and an offset into a block.
//
// An Index is safe for concurrent use; readers share a read lock.
type Index struct {
	mu sync.RWMutex

	// per participant, by slot
	keys    []Key
	changes []int64
	hidden  []uint64 // bit per slot

	// participant id → slot+1 (0 = empty), linear probing, at most half full
	table []uint32
	seed  uint64

	// ranking order
	blockSize int
	blocks    [][]uint32 // slot numbers in key order, never empty
	firsts    []Key      // firsts[b] == keys[blocks[b][0]]
	fen       []int32    // Fenwick tree over len(blocks[b]), 1-based
	spare     [][]uint32 // emptied block buffers kept for the next split
	n         int        // visible entries

	maxChange int64
}

// NewIndex returns an empty index, to be filled through Apply.
func NewIndex() *Index { return newIndex(defaultBlockSize) }

func newIndex(blockSize int) *Index {
	if blockSize < 4 {
		panic("ranking: block size below 4")
	}
	return &Index{blockSize: blockSize, seed: rand.Uint64(), fen: make([]int32, 1)}
}

// BuildIndex builds an index from a snapshot in one sort, which is far
// cheaper than a million Applies. Rows may come in any order; should a
// participant appear twice, the row with the larger Change wins.
func BuildIndex(rows []Row) *Index { return buildIndex(rows, defaultBlockSize) }

func buildIndex(rows []Row, blockSize int) *Index {
	x := newIndex(blockSize)

	// Deduplicate into work, keyed by participant id.
	table := make([]uint32, tableSize(len(rows)))
	mask := uint64(len(table) - 1)
	work := make([]Row, 0, len(rows))
	for _, r := range rows {
		x.maxChange = max(x.maxChange, r.Change)
		h := x.hash(r.Key.PID) & mask
		for {
			v := table[h]
			if v == 0 {
				if len(work) >= maxSlots {
					panic("ranking: too many participants")
				}
				work = append(work, r)
				table[h] = uint32(len(work))
				break
			}
			if w := &work[v-1]; w.Key.PID == r.Key.PID {
				if r.Change > w.Change {
					*w = r
				}
				break
			}
			h = (h + 1) & mask
		}
	}

	// Visible rows first, in ranking order, so that slot order starts out
	// as rank order and the searches of a fresh index read memory in
	// sequence.
	visible := 0
	for i := range work {
		if !work[i].Hidden {
			work[visible], work[i] = work[i], work[visible]
			visible++
		}
	}
	slices.SortFunc(work[:visible], func(a, b Row) int { return compareKeys(a.Key, b.Key) })

	n := len(work)
	x.keys = make([]Key, n)
	x.changes = make([]int64, n)
	x.hidden = make([]uint64, (n+63)/64)
	clear(table)
	for i := range work {
		x.keys[i] = work[i].Key
		x.changes[i] = work[i].Change
		if work[i].Hidden {
			x.hidden[i/64] |= 1 << (i % 64)
		}
		h := x.hash(work[i].Key.PID) & mask
		for table[h] != 0 {
			h = (h + 1) & mask
		}
		table[h] = uint32(i + 1)
	}
	x.table = table

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

// maxSlots keeps slot+1 representable in the uint32 table.
const maxSlots = 1<<32 - 2

// tableSize returns a power of two at least twice n, so that linear probing
// stays short: every probe costs a read of the slot's key.
func tableSize(n int) int {
	return max(16, 1<<bits.Len(uint(2*n)))
}

func (x *Index) hash(pid int64) uint64 {
	// murmur3's finalizer: ids are sequential within a type, and the
	// table masks off low bits, so they must be mixed.
	h := uint64(pid) ^ x.seed
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

// find returns the slot holding pid, or the empty table position where it
// would go.
func (x *Index) find(pid int64) (pos uint64, slot uint32, ok bool) {
	if len(x.table) == 0 {
		return 0, 0, false
	}
	mask := uint64(len(x.table) - 1)
	h := x.hash(pid) & mask
	for {
		v := x.table[h]
		if v == 0 {
			return h, 0, false
		}
		if x.keys[v-1].PID == pid {
			return h, v - 1, true
		}
		h = (h + 1) & mask
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
	pos, slot, ok := x.find(r.Key.PID)
	if !ok {
		x.add(pos, r)
		return true
	}
	if r.Change <= x.changes[slot] {
		return false
	}
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

// add gives a new participant a slot; pos is where find stopped.
func (x *Index) add(pos uint64, r Row) {
	slot := len(x.keys)
	if slot >= maxSlots {
		panic("ranking: too many participants")
	}
	if 2*(slot+1) > len(x.table) {
		x.growTable(slot + 1)
		pos, _, _ = x.find(r.Key.PID)
	}
	x.keys = append(x.keys, r.Key)
	x.changes = append(x.changes, r.Change)
	if slot/64 >= len(x.hidden) {
		x.hidden = append(x.hidden, 0)
	}
	x.maxChange = max(x.maxChange, r.Change)
	x.table[pos] = uint32(slot + 1)
	x.setHidden(uint32(slot), r.Hidden)
	if !r.Hidden {
		x.insert(uint32(slot))
	}
}

// growTable makes room for n participants.
func (x *Index) growTable(n int) {
	x.table = make([]uint32, tableSize(n))
	mask := uint64(len(x.table) - 1)
	for i := range x.keys {
		h := x.hash(x.keys[i].PID) & mask
		for x.table[h] != 0 {
			h = (h + 1) & mask
		}
		x.table[h] = uint32(i + 1)
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
	blk := x.blocks[b]
	i = x.lowerBound(blk, k)
	if i >= len(blk) || blk[i] != slot {
		panic("ranking: visible entry not in ranking")
	}
	return b, i
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
	_, slot, ok := x.find(int64(pid))
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
	if _, slot, ok := x.find(k.PID); ok && !x.isHidden(slot) && x.keys[slot].Less(k) {
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
	_, slot, ok := x.find(int64(pid))
	if !ok {
		return Row{}, false
	}
	return Row{Key: x.keys[slot], Change: x.changes[slot], Hidden: x.isHidden(slot)}, true
}

// MaxChange returns the largest Change applied or built: where a change
// feed consumer resumes after a snapshot.
func (x *Index) MaxChange() int64 {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.maxChange
}
