package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"

	"prizequiz/graph"
	"prizequiz/internal/clock"
	"prizequiz/internal/live"
	"prizequiz/internal/ranking"
	"prizequiz/internal/server"
	"prizequiz/internal/store/storetest"
)

// BenchmarkSubscribers10k: one server (the real handler on SQLite, rate
// limits off), 10,000 graphql-transport-ws clients subscribed to
// leaderboardUpdated(first: 10) of one campaign, and attempts being
// completed (startAttempt + submitAttempt over HTTP) at up to 500 a second.
// It reports how late each delivered update is.
//
// Every submit moves the top 10, so every throttle interval has a change
// to push to every subscriber: the campaign ranks by TOTAL_SCORE and has
// exactly ten players, who take turns, and each submit answers exactly one
// question right. It adds 20 points to one of the ten entries, so a page
// whose scores add up to 20k shows the first k submits to reach the ranking.
//
// Lag, soundly: for each update a subscriber receives, the submit that
// caused it is the oldest one it shows for the first time: number prev+1,
// prev being the count shown by that subscriber's previous value. Its lag
// is the update's arrival minus the moment submit prev+1 reached the
// ranking. That moment is bracketed from both sides: no earlier than the
// (prev+1)-th earliest submit request sent, nor than the last in-process
// sighting of a smaller count; no later than the (prev+1)-th earliest
// submit answered, nor than the first sighting of a count that large (a
// watcher on the same hub as the subscriptions, with no throttle, reads the
// page at each change). lag uses the earliest bound (so it may overstate,
// never understate); lag-lower uses the latest. Their difference is the
// measuring error. fan-out is how long after the first client to receive
// a value each other client received it: the cost of delivering one page
// to every subscriber.
//
// The clients run in the same process and share the CPUs with the server,
// so on a small machine part of the lag is theirs; and each costs this
// process two file descriptors (its socket and the server's), so with
// ulimit -n 20000 about 9,860 fit beside the load and the database: the
// count used is reported. With -short (as for a -benchtime=1x smoke run) it
// scales down to 200 subscribers for 2 s; -args -bench.subscribers=N and
// -bench.rate=R pick other sizes, to find where delivery gives out.
func BenchmarkSubscribers10k(b *testing.B) {
	subscribers, rate, window := 10_000, 500.0, 10*time.Second
	if testing.Short() {
		subscribers, rate, window = 200, 100.0, 2*time.Second
	}
	if *benchSubscribers > 0 {
		subscribers = *benchSubscribers
	}
	if *benchRate > 0 {
		rate = *benchRate
	}
	subscribers = fitOpenFiles(b, subscribers)

	db := storetest.SQLite(b)
	res := graph.NewResolver(db, clock.Real{})
	if err := res.Auth.BootstrapAdmin(b.Context(), adminPassword, slog.New(slog.DiscardHandler)); err != nil {
		b.Fatal(err)
	}
	cfg := server.DefaultConfig()
	cfg.RateLimits.Off = true // one address plays for thousands
	srv := httptest.NewServer(server.New(cfg, db, res, slog.New(slog.DiscardHandler)))
	b.Cleanup(srv.Close)
	// setUp reads the campaign's start from e.clock: now, on the real clock
	// the server runs on.
	e := &env{t: b, srv: srv, clock: clock.NewFake(time.Now()), db: db, res: res}
	cid, answers := e.setUpWith(e.adminToken(), map[string]any{
		"timeLimitSeconds": 300, "graceSeconds": 5, "periodSeconds": 24 * 3600, // slow answers under load still count
		"rankingMode": "TOTAL_SCORE",
	})
	id, _ := strconv.Atoi(cid)

	// One connection per player: file descriptors are counted.
	hc := &http.Client{Transport: &http.Transport{MaxConnsPerHost: players, MaxIdleConnsPerHost: players}, Timeout: time.Minute}
	defer hc.CloseIdleConnections()
	tokens := signInGuests(b, hc, srv.URL, players)

	subs := connectSubscribers(b, srv, cid, subscribers)
	defer func() {
		for _, s := range subs {
			_ = s.c.CloseNow()
		}
		for _, s := range subs {
			<-s.done
		}
	}()
	sightings := watchCount(b, res, id)

	var all load
	var loadTime time.Duration
	final := 0 // the campaign's total once the load is over
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		l := completeAttempts(hc, srv.URL, cid, answers, tokens, rate, window)
		loadTime += time.Since(start)
		all.sent, all.done = append(all.sent, l.sent...), append(all.done, l.done...)
		all.timedOut, all.errs = all.timedOut+l.timedOut, append(all.errs, l.errs...)
		// Every subscriber should come to show every submit: the last one
		// a throttle interval and a delivery after it. (A request that
		// timed out may still have committed: ask the ranking.)
		time.Sleep(time.Second)
		lb, err := res.Ranks.Top(b.Context(), id, players, 0)
		if err != nil {
			b.Fatal(err)
		}
		final = submitsShown(lb)
		waitFor(30*time.Second, func() bool {
			for _, s := range subs {
				if s.latest() < final {
					return false
				}
			}
			return true
		})
	}
	b.StopTimer()

	for _, err := range all.errs[:min(len(all.errs), 3)] {
		b.Errorf("submit: %v", err)
	}
	behind := 0
	for _, s := range subs {
		if s.latest() < final {
			behind++
		}
		select {
		case <-s.done:
			b.Fatalf("a subscriber was disconnected: %v", s.err)
		default:
		}
	}
	if final == 0 {
		b.Fatalf("no submit reached the ranking (%d answered, %d timed out)", len(all.done), all.timedOut)
	}
	lo, hi := reachedRanking(all.sent, all.done, final, sightings())
	var lags, lower, spread []time.Duration
	firstSeen := map[int]time.Time{} // by count: the first arrival of that value anywhere
	for _, s := range subs {
		prev := 0
		for _, u := range s.updates() {
			if u.count <= prev || u.count > final {
				continue // nothing new (or a count this run cannot explain)
			}
			lags = append(lags, u.at.Sub(lo[prev]))
			lower = append(lower, u.at.Sub(hi[prev]))
			if f, ok := firstSeen[u.count]; !ok || u.at.Before(f) {
				firstSeen[u.count] = u.at
			}
			prev = u.count
		}
	}
	for _, s := range subs {
		for _, u := range s.updates() {
			if f, ok := firstSeen[u.count]; ok {
				spread = append(spread, u.at.Sub(f))
			}
		}
	}
	if len(lags) == 0 {
		b.Fatalf("no update delivered for %d submits", final)
	}
	p := func(ds []time.Duration, q float64) float64 {
		slices.Sort(ds)
		return float64(ds[min(len(ds)-1, int(q*float64(len(ds))))]) / float64(time.Millisecond)
	}
	achieved := float64(len(all.done)) / loadTime.Seconds()
	b.ReportMetric(float64(len(subs)), "subscribers")
	b.ReportMetric(achieved, "submits/s")
	b.ReportMetric(float64(all.timedOut), "submits-timed-out")
	b.ReportMetric(float64(len(lags)), "updates")
	b.ReportMetric(p(lags, 0.50), "p50-lag-ms")
	b.ReportMetric(p(lags, 0.99), "p99-lag-ms")
	b.ReportMetric(p(lags, 1), "max-lag-ms")
	b.ReportMetric(p(lower, 0.99), "p99-lag-lower-ms")
	b.ReportMetric(p(spread, 0.99), "p99-fanout-ms")
	b.Logf("%d subscribers; %d submits answered in %v (%.0f/s, target %.0f/s; %d timed out), %d in the ranking; %d updates delivered, %d subscribers behind at the end; "+
		"lag p50 %.0f ms p99 %.0f ms max %.0f ms (target p99 <= 1000 ms), fan-out p99 %.0f ms; GOMAXPROCS %d",
		len(subs), len(all.done), loadTime.Round(time.Millisecond), achieved, rate, all.timedOut, final, len(lags), behind,
		p(lags, 0.5), p(lags, 0.99), p(lags, 1), p(spread, 0.99), runtime.GOMAXPROCS(0))
	if behind > 0 {
		b.Errorf("%d subscribers never showed the last submit: an update was lost, not late", behind)
	}
}

// sighting is one reading of how many submits the campaign's top 10
// shows, taken between before and after.
type sighting struct {
	before, after time.Time
	count         int
}

// watchCount reads the campaign's top 10 at every change notice of the
// hub, with no throttle, until the benchmark ends; it returns a function
// giving the sightings so far. A sighting skipped under load only widens
// the brackets of reachedRanking.
func watchCount(b *testing.B, res *graph.Resolver, campaignID int) func() []sighting {
	ctx, cancel := context.WithCancel(context.Background())
	b.Cleanup(cancel)
	ch, err := live.Stream(ctx, res.Live, campaignID, 0, 0, func(ctx context.Context) (sighting, error) {
		before := time.Now()
		lb, err := res.Ranks.Top(ctx, campaignID, players, 0)
		if err != nil {
			return sighting{}, err
		}
		return sighting{before: before, after: time.Now(), count: submitsShown(lb)}, nil
	}, func(a, b sighting) bool { return a.count == b.count })
	if err != nil {
		b.Fatal(err)
	}
	var mu sync.Mutex
	var seen []sighting
	go func() {
		for s := range ch {
			mu.Lock()
			seen = append(seen, s)
			mu.Unlock()
		}
	}()
	return func() []sighting {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(seen)
	}
}

// reachedRanking brackets when the k-th submit (k = i+1, up to n) reached
// the ranking: lo[i] is the latest moment known to be before it, hi[i] the
// earliest known to be after. A submit commits between its request and its
// answer, so by any moment no more submits have reached the ranking than
// were sent, nor fewer than were answered: the k-th arrival lies between the
// k-th earliest sent and the k-th earliest answered. Sightings narrow it.
func reachedRanking(sent, done []time.Time, n int, seen []sighting) (lo, hi []time.Time) {
	lo, hi = make([]time.Time, n), make([]time.Time, n)
	sent, done = slices.Clone(sent), slices.Clone(done)
	slices.SortFunc(sent, time.Time.Compare)
	slices.SortFunc(done, time.Time.Compare)
	for i := range n {
		if i < len(sent) {
			lo[i] = sent[i]
		}
		hi[i] = time.Now() // it is there now
		if i < len(done) {
			hi[i] = done[i]
		}
	}
	for _, s := range seen {
		for i := range n {
			if i+1 > s.count && s.before.After(lo[i]) {
				lo[i] = s.before // not there yet when this reading began
			}
			if i+1 <= s.count && s.after.Before(hi[i]) {
				hi[i] = s.after // there by the time it ended
			}
		}
	}
	return lo, hi
}

// Sizes for BenchmarkSubscribers10k, e.g.
// go test -run '^$' -bench Subscribers10k ./internal/server/ -args -bench.subscribers=2000
var (
	benchSubscribers = flag.Int("bench.subscribers", 0, "BenchmarkSubscribers10k: subscribers (0: 10,000, or 200 with -short)")
	benchRate        = flag.Float64("bench.rate", 0, "BenchmarkSubscribers10k: attempts a second (0: 500, or 100 with -short)")
)

// players is how many guests play, taking turns, each over its own HTTP
// connection: as many as the subscribed page shows, so every submit moves
// it.
const players = 10

// pointsPerSubmit is what each submit scores: one question of five right.
const pointsPerSubmit = 20

// submitsShown is how many submits a page of all the players adds up to.
func submitsShown(lb *ranking.Leaderboard) int {
	points := 0
	for _, e := range lb.Entries {
		points += e.Score
	}
	return points / pointsPerSubmit
}

// fitOpenFiles raises the open-file limit to what n connections need (a
// client and a server socket each, plus the load workers' connections and
// the database's files) as far as the hard limit allows, and scales n down
// when even that is not enough.
func fitOpenFiles(b *testing.B, n int) int {
	const spare = 2*players + 150
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		b.Logf("open-file limit unknown (%v): trying %d subscribers", err, n)
		return n
	}
	if need := uint64(2*n + spare); lim.Cur < need {
		lim.Cur = min(need, lim.Max)
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
			b.Logf("raise the open-file limit: %v", err)
			_ = syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim)
		}
	}
	if fit := (int(lim.Cur) - spare) / 2; fit < n {
		b.Logf("open-file limit %d: %d subscribers instead of %d", lim.Cur, fit, n)
		return max(fit, 1)
	}
	return n
}

type benchUpdate struct {
	at    time.Time // when the client read it
	count int       // submits shown
}

// benchSub is one subscribed client; its reader answers pings and notes
// what each value shows.
//
// The clients share the CPUs with the server, so their reading must cost
// little beside the delivery being measured: a "next" message, as gqlgen
// writes it, is read into a reused buffer and only its scores are summed,
// by a scan rather than a JSON decoder. Anything else is decoded in full.
type benchSub struct {
	c     *websocket.Conn
	mu    sync.Mutex
	ups   []benchUpdate // the values received after the first
	count int           // submits shown by the latest value
	done  chan struct{}
	err   error
}

func (s *benchSub) updates() []benchUpdate {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.ups)
}

// latest is how many submits the latest value received shows.
func (s *benchSub) latest() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count
}

func (s *benchSub) received(at time.Time, count int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ups = append(s.ups, benchUpdate{at: at, count: count})
	s.count = count
}

type benchMsg struct {
	Type    string `json:"type"`
	ID      string `json:"id"`
	Payload struct {
		Data struct {
			LeaderboardUpdated benchPage
		}
		Errors []gqlError
	}
}

type benchPage struct {
	Entries []struct{ Score int }
}

// count is how many submits the page shows (see submitsShown).
func (p benchPage) count() int {
	points := 0
	for _, e := range p.Entries {
		points += e.Score
	}
	return points / pointsPerSubmit
}

const benchBoardSub = `subscription($c:ID!){leaderboardUpdated(campaignID:$c,first:10){total updatedAt entries{rank score durationMs achievedAt participant{publicID nickname}}}}`

// connectSubscribers opens n subscriptions, a few dozen dials at a time,
// each through connection_init, connection_ack, subscribe and its first
// value.
func connectSubscribers(b *testing.B, srv *httptest.Server, cid string, n int) []*benchSub {
	subs := make([]*benchSub, n)
	next := atomic.Int64{}
	var firstErr error
	var errOnce sync.Once
	var wg sync.WaitGroup
	start := time.Now()
	for range 32 {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				s, err := subscribeOne(srv, cid)
				if err != nil {
					errOnce.Do(func() { firstErr = fmt.Errorf("subscriber %d: %w", i, err) })
					return
				}
				subs[i] = s
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		for _, s := range subs {
			if s != nil {
				_ = s.c.CloseNow()
			}
		}
		b.Fatal(firstErr)
	}
	b.Logf("%d subscribers connected in %v", n, time.Since(start).Round(time.Millisecond))
	return subs
}

func subscribeOne(srv *httptest.Server, cid string) (*benchSub, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, _, err := dialWS(ctx, wsURL(srv), transportWS, nil)
	if err != nil {
		return nil, err
	}
	read := func() (benchMsg, error) {
		var m benchMsg
		_, data, err := c.Read(ctx)
		if err == nil {
			err = json.Unmarshal(data, &m)
		}
		return m, err
	}
	write := func(m wsMsg) error {
		data, _ := json.Marshal(m)
		return c.Write(ctx, websocket.MessageText, data)
	}
	payload, _ := json.Marshal(map[string]any{"query": benchBoardSub, "variables": map[string]any{"c": cid}})
	if err := write(wsMsg{Type: "connection_init", Payload: json.RawMessage(`{}`)}); err != nil {
		return nil, errors.Join(err, c.CloseNow())
	}
	if m, err := read(); err != nil || m.Type != "connection_ack" {
		return nil, errors.Join(fmt.Errorf("connection_init answered %q: %v", m.Type, err), c.CloseNow())
	}
	if err := write(wsMsg{Type: "subscribe", ID: "1", Payload: payload}); err != nil {
		return nil, errors.Join(err, c.CloseNow())
	}
	first, err := read()
	if err != nil || first.Type != "next" || len(first.Payload.Errors) > 0 {
		return nil, errors.Join(fmt.Errorf("first value: %q %v %v", first.Type, first.Payload.Errors, err), c.CloseNow())
	}
	s := &benchSub{c: c, done: make(chan struct{}), count: first.Payload.Data.LeaderboardUpdated.count()}
	go s.read()
	return s, nil
}

func (s *benchSub) read() {
	defer close(s.done)
	var buf bytes.Buffer
	for {
		_, r, err := s.c.Reader(context.Background())
		if err == nil {
			buf.Reset()
			_, err = buf.ReadFrom(r)
		}
		at := time.Now()
		if err != nil {
			s.err = err
			return
		}
		data := buf.Bytes()
		if count, ok := scanScores(data); ok {
			s.received(at, count)
			continue
		}
		var m benchMsg
		if err := json.Unmarshal(data, &m); err != nil {
			s.err = err
			return
		}
		switch m.Type {
		case "ping": // the server drops clients that stop answering
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			err := s.c.Write(ctx, websocket.MessageText, []byte(`{"type":"pong"}`))
			cancel()
			if err != nil {
				s.err = err
				return
			}
		case "next":
			s.received(at, m.Payload.Data.LeaderboardUpdated.count())
		default:
			s.err = fmt.Errorf("unexpected %s: %s", m.Type, bytes.Clone(data))
			return
		}
	}
}

// scanScores sums the scores of a "next" message written as gqlgen writes
// it (compact, type last) and counts the submits they show; ok is false
// for anything else, which the caller then decodes.
func scanScores(data []byte) (count int, ok bool) {
	if !bytes.HasSuffix(data, []byte(`"type":"next"}`)) || bytes.Contains(data, []byte(`"errors"`)) {
		return 0, false
	}
	key := []byte(`"score":`)
	points := 0
	for {
		i := bytes.Index(data, key)
		if i < 0 {
			return points / pointsPerSubmit, true
		}
		data = data[i+len(key):]
		n := 0
		for len(data) > 0 && data[0] >= '0' && data[0] <= '9' {
			n = n*10 + int(data[0]-'0')
			data = data[1:]
		}
		points += n
	}
}

// signInGuests returns n fresh guest tokens.
func signInGuests(b *testing.B, hc *http.Client, url string, n int) []string {
	tokens := make([]string, n)
	next := atomic.Int64{}
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				var out struct{ SignInGuest struct{ Token string } }
				if err := postGQL(hc, url, "", `mutation($n:String!){signInGuest(nickname:$n){token}}`,
					map[string]any{"n": fmt.Sprintf("玩家%d", i)}, &out); err != nil {
					select {
					case errs <- err:
					default:
					}
					return
				}
				tokens[i] = out.SignInGuest.Token
			}
		})
	}
	wg.Wait()
	select {
	case err := <-errs:
		b.Fatal(err)
	default:
	}
	return tokens
}

// load is what completeAttempts did.
type load struct {
	sent     []time.Time // every submit request sent (one that timed out may still commit)
	done     []time.Time // every submit answered with a result
	timedOut int         // requests the server did not answer in time: overload
	errs     []error     // anything else: a bug
}

// completeAttempts has the players complete attempts, the i-th due at
// i/rate after the start, for window. Each player is a worker with one
// attempt at a time, taking the next due attempt when free, so when the
// server is slower than the rate the achieved rate drops rather than the
// requests piling up.
func completeAttempts(hc *http.Client, url, cid string, answers map[string][]string, tokens []string,
	rate float64, window time.Duration) load {
	jobs := make(chan struct{})
	var mu sync.Mutex
	var l load
	var wg sync.WaitGroup
	for _, token := range tokens {
		wg.Go(func() {
			for range jobs {
				s, d, err := completeOne(hc, url, cid, answers, token)
				var timeout interface{ Timeout() bool }
				mu.Lock()
				if !s.IsZero() {
					l.sent = append(l.sent, s)
				}
				switch {
				case err == nil:
					l.done = append(l.done, d)
				case errors.As(err, &timeout) && timeout.Timeout():
					l.timedOut++
				default:
					l.errs = append(l.errs, err)
				}
				mu.Unlock()
			}
		})
	}
	start := time.Now()
	end := time.NewTimer(window)
	defer end.Stop()
feed:
	for i := 0; ; i++ {
		due := start.Add(time.Duration(float64(i) / rate * float64(time.Second)))
		select {
		case <-time.After(time.Until(due)):
		case <-end.C:
			break feed
		}
		select {
		case jobs <- struct{}{}:
		case <-end.C: // the window is over, however far behind the workers are
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	return l
}

// completeOne plays one attempt with the first question answered right and
// the others wrong: it scores pointsPerSubmit.
func completeOne(hc *http.Client, url, cid string, answers map[string][]string, token string) (sent, done time.Time, err error) {
	var st struct{ StartAttempt attempt }
	if err := postGQL(hc, url, token, startQ, map[string]any{"c": cid}, &st); err != nil {
		return sent, done, err // no submit sent
	}
	var ans []map[string]any
	for i, q := range st.StartAttempt.Questions {
		choices := answers[q.ID]
		if i > 0 {
			choices = []string{"A"} // every kind has options A and B
			if slices.Equal(answers[q.ID], choices) {
				choices = []string{"B"}
			}
		}
		ans = append(ans, map[string]any{"questionID": q.ID, "choices": choices})
	}
	sent = time.Now()
	var out struct{ SubmitAttempt struct{ Score int } }
	err = postGQL(hc, url, token, `mutation($a:ID!,$ans:[AnswerInput!]!){submitAttempt(attemptID:$a,answers:$ans){score}}`,
		map[string]any{"a": st.StartAttempt.ID, "ans": ans}, &out)
	if err == nil && out.SubmitAttempt.Score != pointsPerSubmit {
		err = fmt.Errorf("a submit scored %d, not %d", out.SubmitAttempt.Score, pointsPerSubmit)
	}
	return sent, time.Now(), err
}

// postGQL is env.do for goroutines: it returns errors instead of failing.
func postGQL(hc *http.Client, url, token, query string, vars map[string]any, out any) error {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, err := http.NewRequest(http.MethodPost, url+"/graphql", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	var r response
	if err := json.Unmarshal(raw, &r); err != nil {
		return fmt.Errorf("%d %s: %w", resp.StatusCode, raw, err)
	}
	if len(r.Errors) > 0 {
		return fmt.Errorf("%s", raw)
	}
	if out != nil {
		return json.Unmarshal(r.Data, out)
	}
	return nil
}
