package ranking

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	"github.com/lib/pq"
)

// The change feed of SPEC §5. Every Standing write takes a change number;
// each process reads the rows after the last number it applied. Numbers
// come from a PostgreSQL sequence, so a smaller one can commit after a
// larger one has been read: the feed remembers such gaps ("holes") for a
// while and asks for them again, so a late commit is applied, not lost.
const (
	// NotifyChannel is the PostgreSQL channel that wakes other processes.
	NotifyChannel = "prizequiz_standings"
	// ListenerName is the application_name of the listener's connection,
	// so an operator (or a test) can find it in pg_stat_activity.
	ListenerName = "prizequiz-feed"

	// NOTIFY serialises commits cluster-wide, so it is sent from a ticker,
	// at most this often, never inside a submit.
	notifyEvery = 100 * time.Millisecond
	// A missed NOTIFY only delays a change by this much.
	pollEvery = 2 * time.Second
	// No submit transaction stays open this long (statement timeouts are
	// shorter), so a hole this old is a rolled-back or superseded number.
	holeTTL  = 30 * time.Second
	maxHoles = 1000
	// At start-up, numbers this close below the largest may belong to
	// transactions still in flight.
	startMargin  = 256
	catchUpBatch = 5000
)

type feedState struct {
	started bool
	maxSeen int64               // the largest change number read
	holes   map[int64]time.Time // numbers below maxSeen not yet read, and since when
}

func newFeedState() feedState { return feedState{holes: map[int64]time.Time{}} }

// Run keeps this process's indexes current until ctx ends: it catches up
// after local writes the index has not applied (blocks), on NOTIFY from
// other processes, and on a slow poll, and resyncs fully when the
// PostgreSQL listener reconnects.
func (r *Ranks) Run(ctx context.Context) error {
	for { // the database may not be up yet
		err := r.start(ctx)
		if err == nil {
			break
		}
		r.log.Warn("ranking feed: start", "err", err)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(pollEvery):
		}
	}
	var notes <-chan *pq.Notification
	if r.db.Dialect == dialect.Postgres {
		dsn, err := listenerDSN(r.db.DSN)
		if err != nil {
			return err
		}
		l := pq.NewListener(dsn, 100*time.Millisecond, 5*time.Second, func(ev pq.ListenerEventType, err error) {
			switch ev {
			case pq.ListenerEventDisconnected:
				r.log.Warn("ranking feed: listener disconnected", "err", err)
			case pq.ListenerEventReconnected:
				r.log.Info("ranking feed: listener reconnected")
			case pq.ListenerEventConnectionAttemptFailed:
				r.log.Warn("ranking feed: listener connection failed", "err", err)
			}
		})
		defer l.Close()
		if err := l.Listen(NotifyChannel); err != nil {
			// The listener keeps reconnecting and listens once it can; the
			// poll covers the meantime.
			r.log.Warn("ranking feed: listen", "err", err)
		}
		notes = l.NotificationChannel()
		go each(ctx, notifyEvery, func() { r.announce(ctx) })
		// Writes of a draining server's last requests reach the other
		// processes at once, not at their next poll.
		defer func() {
			last, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
			defer cancel()
			r.announce(last)
		}()
		go each(ctx, 30*time.Second, func() { _ = l.Ping() }) // a dead connection shows only when used
	}
	poll := time.NewTicker(pollEvery)
	defer poll.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case n := <-notes:
			if n == nil {
				// pq sends nil after a reconnect: notifications may have
				// been lost while the connection was down.
				if err := r.resync(ctx); err != nil {
					r.log.Warn("ranking feed: resync", "err", err)
				}
			}
		case <-r.wake:
		case <-poll.C:
		}
		if err := r.CatchUp(ctx); err != nil && ctx.Err() == nil {
			r.log.Warn("ranking feed: catch up", "err", err)
		}
	}
}

// start sets the feed's cursor at the newest change, treating the numbers
// just below it that are missing as holes.
func (r *Ranks) start(ctx context.Context) error {
	r.loadMu.Lock()
	defer r.loadMu.Unlock()
	if r.feed.started {
		return nil
	}
	var newest int64
	if err := r.db.SQL.QueryRowContext(ctx, "SELECT COALESCE(MAX(change), 0) FROM standings").Scan(&newest); err != nil {
		return fmt.Errorf("ranking: feed start: %w", err)
	}
	rows, err := r.db.SQL.QueryContext(ctx, Rebind(r.db.Dialect, "SELECT change FROM standings WHERE change > ?"), newest-startMargin)
	if err != nil {
		return fmt.Errorf("ranking: feed start: %w", err)
	}
	defer rows.Close()
	present := map[int64]bool{}
	for rows.Next() {
		var c int64
		if err := rows.Scan(&c); err != nil {
			return fmt.Errorf("ranking: feed start: %w", err)
		}
		present[c] = true
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("ranking: feed start: %w", err)
	}
	now := time.Now()
	for c := max(1, newest-startMargin+1); c <= newest; c++ {
		if !present[c] {
			r.feed.holes[c] = now
		}
	}
	r.feed.maxSeen = newest
	r.feed.started = true
	return nil
}

// announce tells the other processes that this one has written standings
// since the last announcement; Run calls it every notifyEvery.
func (r *Ranks) announce(ctx context.Context) {
	if !r.written.Swap(false) {
		return
	}
	if _, err := r.db.SQL.ExecContext(ctx, "SELECT pg_notify($1, '')", NotifyChannel); err != nil {
		r.written.Store(true) // try again on the next tick
		if ctx.Err() == nil {
			r.log.Warn("ranking feed: notify", "err", err)
		}
	}
}

// each runs fn every d until ctx ends.
func each(ctx context.Context, d time.Duration, fn func()) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			fn()
		}
	}
}

// CatchUp applies every Standing row written since the last catch-up, and
// the late commits of earlier holes, to the loaded indexes.
func (r *Ranks) CatchUp(ctx context.Context) error {
	if err := r.start(ctx); err != nil {
		return err
	}
	touched := map[int]bool{}
	defer func() {
		for c := range touched {
			r.changed(c)
		}
	}()
	r.loadMu.Lock()
	defer r.loadMu.Unlock()
	for {
		n, err := r.catchUpBatch(ctx, touched)
		if err != nil {
			return err
		}
		if n < catchUpBatch {
			return nil
		}
	}
}

func (r *Ranks) catchUpBatch(ctx context.Context, touched map[int]bool) (int, error) {
	f := &r.feed
	now := time.Now()
	for c, since := range f.holes {
		if now.Sub(since) > holeTTL {
			delete(f.holes, c)
		}
	}
	holes := make([]int64, 0, len(f.holes))
	for c := range f.holes {
		holes = append(holes, c)
	}
	q, args := catchUpQuery(r.db.Dialect, f.maxSeen, holes)
	rows, err := r.db.SQL.QueryContext(ctx, q, args...)
	if err != nil {
		return 0, fmt.Errorf("ranking: catch up: %w", err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var (
			campaignID, pid, score int
			duration               int64
			at                     time.Time
			row                    Row
		)
		if err := rows.Scan(&campaignID, &pid, &score, &duration, &at, &row.Hidden, &row.Change); err != nil {
			return n, fmt.Errorf("ranking: catch up: %w", err)
		}
		n++
		if row.Key, err = MakeKey(score, duration, at, pid); err != nil {
			return n, err
		}
		if row.Change <= f.maxSeen {
			delete(f.holes, row.Change) // a late commit
		} else {
			for c := max(f.maxSeen+1, row.Change-maxHoles); c < row.Change; c++ {
				f.holes[c] = now
			}
			f.maxSeen = row.Change
		}
		r.mu.RLock()
		x := r.idx[campaignID]
		r.mu.RUnlock()
		applied := x != nil && x.Apply(row) // this process's own writes are in already
		if x == nil || applied {
			touched[campaignID] = true
		}
		if fn := r.feedLag.Load(); applied && fn != nil {
			if lag := now.Sub(row.Key.AchievedAt()); lag >= 0 && lag < time.Minute {
				(*fn)(lag)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("ranking: catch up: %w", err)
	}
	for len(f.holes) > maxHoles { // keep the newest: old ones are the likeliest dead
		oldest := f.maxSeen
		for c := range f.holes {
			oldest = min(oldest, c)
		}
		delete(f.holes, oldest)
	}
	return n, nil
}

// catchUpQuery selects the rows written after maxSeen, and those of holes,
// in change order; the change index serves it.
func catchUpQuery(dialectName string, maxSeen int64, holes []int64) (string, []any) {
	var q strings.Builder
	args := []any{maxSeen}
	q.WriteString(`SELECT campaign_id, participant_id, score, duration_ms, achieved_at, hidden, change
		FROM standings WHERE change > ?`)
	switch {
	case len(holes) == 0:
	case dialectName == dialect.Postgres:
		// One array, not a list: the same statement for any number of
		// holes, prepared and planned once.
		q.WriteString(" OR change = ANY(?)")
		args = append(args, pq.Array(holes))
	default:
		q.WriteString(" OR change IN (?" + strings.Repeat(", ?", len(holes)-1) + ")")
		for _, c := range holes {
			args = append(args, c)
		}
	}
	q.WriteString(" ORDER BY change LIMIT ?")
	args = append(args, catchUpBatch)
	return Rebind(dialectName, q.String()), args
}

// resync rebuilds every loaded index from the Standing table: after the
// listener lost its connection, nothing the feed may have missed remains
// missed.
func (r *Ranks) resync(ctx context.Context) error {
	r.resyncs.Add(1)
	r.loadMu.Lock()
	defer r.loadMu.Unlock()
	r.mu.RLock()
	ids := make([]int, 0, len(r.idx))
	for c := range r.idx {
		ids = append(ids, c)
	}
	r.mu.RUnlock()
	for _, c := range ids {
		x, err := r.load(ctx, c)
		if err != nil {
			return err
		}
		r.mu.Lock()
		r.idx[c] = x
		r.mu.Unlock()
		r.changed(c)
	}
	return nil
}

// listenerDSN names the listener's connection.
func listenerDSN(dsn string) (string, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", fmt.Errorf("ranking: database URL does not parse") // never echo it: it may hold a password
	}
	q := u.Query()
	q.Set("application_name", ListenerName)
	u.RawQuery = q.Encode()
	return u.String(), nil
}
