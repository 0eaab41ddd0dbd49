package ranking

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"entgo.io/ent/dialect"
	lru "github.com/hashicorp/golang-lru/v2"

	"prizequiz/ent"
	"prizequiz/ent/campaign"
	"prizequiz/ent/participant"
	"prizequiz/ent/standing"
	"prizequiz/internal/apperr"
	"prizequiz/internal/clock"
	"prizequiz/internal/store"
)

// peopleCached bounds the public names kept in memory for leaderboard
// pages; nicknames never change, so a cached one is never stale.
const peopleCached = 100_000

// Ranks answers leaderboard and rank queries from in-memory rank indexes,
// one per campaign, loaded from the Standing table on first use and kept
// current by this process's own writes and by the change feed (feed.go).
type Ranks struct {
	feedLag atomic.Pointer[func(time.Duration)]

	db      *store.DB
	clock   clock.Clock
	log     *slog.Logger
	changed func(campaignID int)
	// generation counts the changes announced through changed.
	generation atomic.Uint64
	people     *lru.Cache[int, *ent.Participant]
	// standings keeps the standings Of read or OfWritten wrote, each valid
	// while the index holds the same change of it.
	standings *lru.Cache[standingAt, standingValues]

	// loadMu serialises index loads with feed catch-ups, so no committed
	// row falls between a load's snapshot and the feed's cursor.
	loadMu sync.Mutex
	mu     sync.RWMutex // guards idx and loading
	idx    map[int]*Index
	// loading holds this process's writes to a campaign whose index is
	// being loaded: they may have committed after the load's snapshot.
	loading map[int][]Row
	feed    feedState // guarded by loadMu

	loaded func() // a test's hook between reading the rows and building

	topsMu sync.Mutex
	tops   map[topKey]topValue // first pages, shared by every subscriber

	wake    chan struct{} // a local write: catch up now
	written atomic.Bool   // a local write not yet announced to other processes
	resyncs atomic.Int64
}

// NewRanks returns the ranking service of one process. changed, when set,
// is told (without blocking) when a campaign's ranking changes, after the
// change is in the index.
func NewRanks(db *store.DB, clk clock.Clock, log *slog.Logger, changed func(campaignID int)) *Ranks {
	people, err := lru.New[int, *ent.Participant](peopleCached)
	if err != nil {
		panic(err) // only for a non-positive size
	}
	standings, err := lru.New[standingAt, standingValues](peopleCached)
	if err != nil {
		panic(err)
	}
	if log == nil {
		log = slog.Default()
	}
	if changed == nil {
		changed = func(int) {}
	}
	r := &Ranks{
		db: db, clock: clk, log: log, people: people, standings: standings,
		idx:     map[int]*Index{},
		tops:    map[topKey]topValue{},
		loading: map[int][]Row{},
		feed:    newFeedState(),
		wake:    make(chan struct{}, 1),
	}
	r.changed = func(campaignID int) {
		r.generation.Add(1)
		changed(campaignID)
	}
	return r
}

// Generation changes whenever any campaign's ranking does: what was read
// from the indexes under one generation holds until it changes.
func (r *Ranks) Generation() uint64 { return r.generation.Load() }

// Written takes a Standing write of this process after its commit: the
// index shows it at once, and the feed tells the other processes.
func (r *Ranks) Written(w Written) {
	r.mu.RLock()
	x := r.idx[w.CampaignID]
	r.mu.RUnlock()
	if x == nil {
		r.mu.Lock()
		if x = r.idx[w.CampaignID]; x == nil {
			if pending, ok := r.loading[w.CampaignID]; ok {
				r.loading[w.CampaignID] = append(pending, w.Row)
			}
		}
		r.mu.Unlock()
	}
	if x != nil {
		x.Apply(w.Row)
	}
	// Announce it to the other processes; this one needs no catch-up for
	// a row it has applied (or will, once the index is loaded).
	r.written.Store(true)
	r.changed(w.CampaignID)
}

// Record writes a submitted attempt's standing inside tx (see the function
// Record); after the commit, pass what it returns to Written.
// Dialect names the database the standings are in (entgo.io/ent/dialect).
func (r *Ranks) Dialect() string { return r.db.Dialect }

func (r *Ranks) Record(ctx context.Context, tx *ent.Tx, mode campaign.RankingMode, res Result) (Written, error) {
	return Record(ctx, tx, r.db.Dialect, mode, res)
}

// Wrote notes Standing writes of this process that the index has not
// seen (a block, a bulk change): the feed catches up with them now.
func (r *Ranks) Wrote() {
	r.written.Store(true)
	select {
	case r.wake <- struct{}{}:
	default: // a wake-up is already pending
	}
}

// SetFeedLag sets fn to be told, for each standing another process wrote,
// how long after its achievement time it reached this index. Writes that
// did not move the achievement time are not reported (their write time is
// unknown). fn must not block.
func (r *Ranks) SetFeedLag(fn func(time.Duration)) { r.feedLag.Store(&fn) }

// Size reports the loaded campaigns and the participants ranked in them.
func (r *Ranks) Size() (campaigns, ranked int) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, x := range r.idx {
		ranked += x.Len()
	}
	return len(r.idx), ranked
}

// Resyncs reports how many full resyncs the feed has made.
func (r *Ranks) Resyncs() int64 { return r.resyncs.Load() }

// Top returns entries offset+1 … offset+first of a campaign's ranking. The
// result is shared: callers must not change it.
func (r *Ranks) Top(ctx context.Context, campaignID, first, offset int) (*Leaderboard, error) {
	if first < 0 || first > MaxPage {
		return nil, apperr.Invalidf("first: must be between 0 and %d", MaxPage)
	}
	if offset < 0 {
		return nil, apperr.Invalidf("offset: must not be negative")
	}
	x, err := r.index(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	// The first page is what thousands of live subscribers ask for after
	// every change: computed once per version of the index. The version is
	// read before the page, so a cached page is never older than its key.
	version := x.Version()
	key := topKey{campaignID, first}
	if offset == 0 {
		r.topsMu.Lock()
		v, ok := r.tops[key]
		r.topsMu.Unlock()
		if ok && v.x == x && v.version == version {
			return v.lb, nil
		}
	}
	keys, total := x.Page(offset, first), x.Len()
	people, err := r.publicNames(ctx, keys)
	if err != nil {
		return nil, err
	}
	lb := &Leaderboard{Total: total, Entries: make([]Entry, len(keys)), UpdatedAt: r.clock.Now()}
	for i, k := range keys {
		lb.Entries[i] = Entry{
			Rank:        offset + i + 1,
			Participant: people[k.ParticipantID()],
			Score:       k.Score(),
			DurationMs:  k.DurationMs(),
			AchievedAt:  k.AchievedAt(),
		}
	}
	if offset == 0 {
		r.topsMu.Lock()
		r.tops[key] = topValue{x, version, lb}
		r.topsMu.Unlock()
	}
	return lb, nil
}

type topKey struct{ campaignID, first int }

type topValue struct {
	x       *Index // a resync replaces the index: its versions start anew
	version uint64
	lb      *Leaderboard
}

// Of returns a participant's standing with its exact rank, or nil when the
// participant has not been ranked in the campaign. The row comes from the
// database, or from memory when the index holds the very write it was read
// at (the same change number), and its rank from the index, counted for
// the row's own values, so the two agree even while the index is a moment
// behind.
func (r *Ranks) Of(ctx context.Context, campaignID, participantID int) (*Standing, error) {
	x, err := r.index(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	at := standingAt{campaignID, participantID}
	if row, ok := x.Get(participantID); ok {
		if v, ok := r.standings.Get(at); ok && v.change == row.Change {
			return r.standing(ctx, x, v)
		}
	}
	s, err := r.db.Client.Standing.Query().
		Where(standing.CampaignID(campaignID), standing.ParticipantID(participantID)).
		Only(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("ranking: find standing: %w", err)
	}
	k, err := MakeKey(s.Score, s.DurationMs, s.AchievedAt, participantID)
	if err != nil {
		return nil, err
	}
	v := standingValues{key: k, change: s.Change, hidden: s.Hidden, score: s.Score,
		durationMs: s.DurationMs, attempts: s.Attempts, achievedAt: s.AchievedAt}
	r.standings.Add(at, v)
	return r.standing(ctx, x, v)
}

// OfWritten is Of for the standing a write of this process has just
// recorded and applied (Written): its values are at hand, so only the rank
// comes from the index, and the participant's public name from the cache.
func (r *Ranks) OfWritten(ctx context.Context, w Written) (*Standing, error) {
	x, err := r.index(ctx, w.CampaignID)
	if err != nil {
		return nil, err
	}
	v := standingValues{key: w.Row.Key, change: w.Row.Change, hidden: w.Row.Hidden, score: w.Score,
		durationMs: w.DurationMs, attempts: w.Attempts, achievedAt: w.AchievedAt}
	r.standings.Add(standingAt{w.CampaignID, w.Row.Key.ParticipantID()}, v)
	return r.standing(ctx, x, v)
}

// standingAt names a participant's standing in a campaign.
type standingAt struct{ campaignID, participantID int }

// standingValues is a Standing row as read or written at one change.
type standingValues struct {
	key        Key
	change     int64
	hidden     bool
	score      int
	durationMs int64
	attempts   int
	achievedAt time.Time
}

// standing reports v with the participant's public name and, unless the
// participant is blocked, their rank in x.
func (r *Ranks) standing(ctx context.Context, x *Index, v standingValues) (*Standing, error) {
	people, err := r.publicNames(ctx, []Key{v.key})
	if err != nil {
		return nil, err
	}
	st := &Standing{
		Score:       v.score,
		DurationMs:  v.durationMs,
		Attempts:    v.attempts,
		AchievedAt:  v.achievedAt,
		Participant: people[v.key.ParticipantID()],
	}
	if v.hidden {
		return st, nil // a blocked participant keeps a standing but no public rank
	}
	rank := x.RankOf(v.key)
	st.Rank = &rank
	return st, nil
}

// index returns a campaign's rank index, loading it on first use.
func (r *Ranks) index(ctx context.Context, campaignID int) (*Index, error) {
	r.mu.RLock()
	x := r.idx[campaignID]
	r.mu.RUnlock()
	if x != nil {
		return x, nil
	}
	// The feed's cursor must predate the load's snapshot, or rows between
	// the two would be in neither.
	if err := r.start(ctx); err != nil {
		return nil, err
	}
	r.loadMu.Lock()
	defer r.loadMu.Unlock()
	r.mu.RLock()
	x = r.idx[campaignID]
	r.mu.RUnlock()
	if x != nil {
		return x, nil // loaded while this call waited
	}
	r.mu.Lock()
	r.loading[campaignID] = []Row{}
	r.mu.Unlock()
	x, err := r.load(ctx, campaignID)
	r.mu.Lock()
	defer r.mu.Unlock()
	pending := r.loading[campaignID]
	delete(r.loading, campaignID)
	if err != nil {
		return nil, err
	}
	for _, row := range pending { // newer than the snapshot or not: Apply keeps the newest
		x.Apply(row)
	}
	r.idx[campaignID] = x
	return x, nil
}

// load builds a campaign's index from its Standing rows. The caller holds
// loadMu.
func (r *Ranks) load(ctx context.Context, campaignID int) (*Index, error) {
	start := time.Now()
	read := r.readRows
	if r.db.Dialect == dialect.Postgres {
		read = r.readPacked
	}
	all, err := read(ctx, campaignID)
	if err != nil {
		return nil, fmt.Errorf("ranking: load campaign %d: %w", campaignID, err)
	}
	if r.loaded != nil {
		r.loaded()
	}
	x := BuildIndex(all)
	r.log.Info("rank index loaded", "campaign", campaignID, "rows", len(all), "took", time.Since(start).Round(time.Millisecond))
	return x, nil
}

// readRows reads a campaign's standings one row at a time.
func (r *Ranks) readRows(ctx context.Context, campaignID int) ([]Row, error) {
	rows, err := r.db.SQL.QueryContext(ctx, Rebind(r.db.Dialect, `SELECT participant_id, score, duration_ms, achieved_at, hidden, change
		FROM standings WHERE campaign_id = ?`), campaignID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var (
		all                  []Row
		row                  Row
		pid, score, duration int64 // int64s scan without a detour through strings
		at                   microsOrTime
	)
	for rows.Next() { // one set of scan targets: per-row ones would escape, a million times
		if err := rows.Scan(&pid, &score, &duration, &at, &row.Hidden, &row.Change); err != nil {
			return nil, err
		}
		if row.Key, err = MakeKey(int(score), duration, at.t, int(pid)); err != nil {
			return nil, err
		}
		all = append(all, row)
	}
	return all, rows.Err()
}

// readPacked reads a campaign's standings from PostgreSQL in four integer
// columns: score and time packed as the key's high word, the time as
// microseconds, the block as the change number's sign. lib/pq's cost is
// per value, and six columns with a parsed timestamp took over 2 s for a
// million rows.
func (r *Ranks) readPacked(ctx context.Context, campaignID int) ([]Row, error) {
	rows, err := r.db.SQL.QueryContext(ctx, `SELECT participant_id, (score::bigint << 40) | duration_ms,
			(EXTRACT(EPOCH FROM achieved_at) * 1000000)::bigint, CASE WHEN hidden THEN -change ELSE change END
		FROM standings WHERE campaign_id = $1`, campaignID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var (
		all                         []Row
		pid, packed, micros, change int64
	)
	for rows.Next() {
		if err := rows.Scan(&pid, &packed, &micros, &change); err != nil {
			return nil, err
		}
		k, err := MakeKey(int(packed>>40), packed&(1<<40-1), time.UnixMicro(micros), int(pid))
		if err != nil {
			return nil, err
		}
		all = append(all, Row{Key: k, Hidden: change < 0, Change: max(change, -change)})
	}
	return all, rows.Err()
}

// microsOrTime scans a time given as a time or as Unix microseconds.
type microsOrTime struct{ t time.Time }

func (m *microsOrTime) Scan(v any) error {
	switch v := v.(type) {
	case int64:
		m.t = time.UnixMicro(v)
	case time.Time:
		m.t = v
	default:
		return fmt.Errorf("ranking: a time of type %T", v)
	}
	return nil
}

// publicNames returns the participants of keys, with their public fields
// only, from the cache or in one query.
func (r *Ranks) publicNames(ctx context.Context, keys []Key) (map[int]*ent.Participant, error) {
	out := make(map[int]*ent.Participant, len(keys))
	var missing []int
	for _, k := range keys {
		id := k.ParticipantID()
		if p, ok := r.people.Get(id); ok {
			out[id] = p
		} else {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	err := store.InBatches(missing, func(ids []int) error {
		ps, err := r.db.Client.Participant.Query().
			Where(store.IntsIn(participant.FieldID, ids)).
			Select(participant.FieldPublicID, participant.FieldNickname).
			All(ctx)
		if err != nil {
			return fmt.Errorf("ranking: load participants: %w", err)
		}
		for _, p := range ps {
			r.people.Add(p.ID, p)
			out[p.ID] = p
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, id := range missing {
		if out[id] == nil {
			return nil, fmt.Errorf("ranking: participant %d of a standing not found", id)
		}
	}
	return out, nil
}
