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
	people  *lru.Cache[int, *ent.Participant]

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
	if log == nil {
		log = slog.Default()
	}
	if changed == nil {
		changed = func(int) {}
	}
	return &Ranks{
		db: db, clock: clk, log: log, changed: changed, people: people,
		idx:     map[int]*Index{},
		loading: map[int][]Row{},
		feed:    newFeedState(),
		wake:    make(chan struct{}, 1),
	}
}

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
	r.Wrote()
	r.changed(w.CampaignID)
}

// Record writes a submitted attempt's standing inside tx (see the function
// Record); after the commit, pass what it returns to Written.
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

// Top returns entries offset+1 … offset+first of a campaign's ranking.
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
	return lb, nil
}

// Of returns a participant's standing with its exact rank, or nil when the
// participant has not been ranked in the campaign. The row comes from the
// database and its rank from the index, counted for the row's own values,
// so the two agree even while the index is a moment behind.
func (r *Ranks) Of(ctx context.Context, campaignID, participantID int) (*Standing, error) {
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
	people, err := r.publicNames(ctx, []Key{k})
	if err != nil {
		return nil, err
	}
	st := &Standing{
		Score:       s.Score,
		DurationMs:  s.DurationMs,
		Attempts:    s.Attempts,
		AchievedAt:  s.AchievedAt,
		Participant: people[participantID],
	}
	if s.Hidden {
		return st, nil // a blocked participant keeps a standing but no public rank
	}
	x, err := r.index(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	rank := x.RankOf(k)
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
	// On PostgreSQL the time travels as integer microseconds: parsing a
	// million timestamps as text would take most of the load.
	achieved := "achieved_at"
	if r.db.Dialect == dialect.Postgres {
		achieved = "(EXTRACT(EPOCH FROM achieved_at) * 1000000)::bigint"
	}
	q := Rebind(r.db.Dialect, `SELECT participant_id, score, duration_ms, `+achieved+`, hidden, change
		FROM standings WHERE campaign_id = ?`)
	rows, err := r.db.SQL.QueryContext(ctx, q, campaignID)
	if err != nil {
		return nil, fmt.Errorf("ranking: load campaign %d: %w", campaignID, err)
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
			return nil, fmt.Errorf("ranking: load campaign %d: %w", campaignID, err)
		}
		if row.Key, err = MakeKey(int(score), duration, at.t, int(pid)); err != nil {
			return nil, err
		}
		all = append(all, row)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("ranking: load campaign %d: %w", campaignID, err)
	}
	if r.loaded != nil {
		r.loaded()
	}
	x := BuildIndex(all)
	r.log.Info("rank index loaded", "campaign", campaignID, "rows", len(all), "took", time.Since(start).Round(time.Millisecond))
	return x, nil
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
			Where(participant.IDIn(ids...)).
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
