package main

// Fault tests (SPEC §6: no acknowledged submission lost across kill -9 of
// the server or a PostgreSQL restart), run against real `prizequiz serve`
// processes:
//
//   - TestKill9LosesNoAcknowledgedSubmit: kill -9 during a load of submits,
//     on SQLite and on PostgreSQL;
//   - TestPostgresRestartDuringLoad: a private PostgreSQL cluster is
//     crash-stopped and started again under load; the servers are not;
//   - TestSIGTERMDrainsGracefully: a submit in flight at SIGTERM is
//     answered and stored, subscriptions close cleanly, the exit is 0.
//
// The assertions are exact: every player's acknowledged attempts, by id,
// with their scores and times, against the standing, the leaderboard and a
// resubmission after the fault. A submit whose outcome the fault left
// unknown is sent again once the server is back, as a client would: the
// server's answer (stored or scored now) then makes it acknowledged too.

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"prizequiz/internal/store/storetest"
)

var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
)

// binary builds prizequiz once for every test of the package.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		if buildDir, buildErr = os.MkdirTemp("", "prizequiz-bin-"); buildErr != nil {
			return
		}
		build := exec.Command("go", "build", "-o", filepath.Join(buildDir, "prizequiz"), ".")
		var out bytes.Buffer
		build.Stdout, build.Stderr = &out, &out
		if err := build.Run(); err != nil {
			buildErr = fmt.Errorf("%v\n%s", err, out.String())
		}
	})
	if buildErr != nil {
		t.Fatalf("build: %v", buildErr)
	}
	return filepath.Join(buildDir, "prizequiz")
}

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// lockedBuffer is a process's log, read while the process writes it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// proc is one `prizequiz serve` process that a test may kill.
type proc struct {
	base string
	cmd  *exec.Cmd
	logs *lockedBuffer
	done chan struct{} // closed when the process has exited
	err  error         // Wait's result, once done
}

// launch runs `prizequiz serve` on dsn with extra flags and waits until
// /readyz answers. The process is stopped (SIGINT, then SIGKILL) when the
// test ends, and its log shown if the test failed.
func launch(t *testing.T, dsn string, extra ...string) *proc {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	args := append([]string{"serve", "--addr", addr, "--database-url", dsn, "--demo", "--rate-limits=false"}, extra...)
	cmd := exec.Command(binary(t), args...)
	cmd.Env = append(os.Environ(), "PRIZEQUIZ_ADMIN_PASSWORD=faults-test-password")
	p := &proc{base: "http://" + addr, cmd: cmd, logs: &lockedBuffer{}, done: make(chan struct{})}
	cmd.Stderr = p.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case <-p.done:
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
			<-p.done
		}
		if t.Failed() {
			t.Logf("server %s log:\n%s", addr, p.logs.String())
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		if status(p.base+"/readyz") == http.StatusOK {
			return p
		}
		select {
		case <-p.done:
			t.Fatalf("server at %s exited: %v\n%s", addr, p.err, p.logs.String())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("server at %s not ready after 30 s", addr)
		}
	}
}

// kill9 kills the process the way a crash or the OOM killer would.
func (p *proc) kill9(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-p.done
}

// status GETs url and returns the status code, 0 when nothing answers.
func status(url string) int {
	c := http.Client{Timeout: 3 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// waitFor polls cond every 50 ms until it holds or d passes.
func waitFor(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// gqlError is one GraphQL error as a client reads it.
type gqlError struct {
	Message    string
	Extensions map[string]any
}

func (e gqlError) code() string       { s, _ := e.Extensions["code"].(string); return s }
func (e gqlError) retryable() bool    { b, _ := e.Extensions["retryable"].(bool); return b }
func (e gqlError) String() string     { b, _ := json.Marshal(e); return string(b) }
func firstError(es []gqlError) string { return es[0].String() }

// reply is a GraphQL response with its HTTP status.
type reply struct {
	Status int
	Data   json.RawMessage
	Errors []gqlError
}

var client = &http.Client{Timeout: 20 * time.Second}

// post sends a GraphQL request; the error is a transport failure (nothing
// or garbage came back): the request's outcome is unknown.
func post(base, token, query string, vars map[string]any) (reply, error) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, base+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := client.Do(req)
	if err != nil {
		return reply{}, err
	}
	defer resp.Body.Close()
	r := reply{Status: resp.StatusCode}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return reply{}, fmt.Errorf("HTTP %d: %w", resp.StatusCode, err)
	}
	return r, nil
}

// must sends a GraphQL request that must succeed and decodes its data.
func must(t *testing.T, base, token, query string, vars map[string]any, out any) {
	t.Helper()
	r, err := post(base, token, query, vars)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	if len(r.Errors) > 0 {
		t.Fatalf("%s: %s", query, firstError(r.Errors))
	}
	if out != nil {
		if err := json.Unmarshal(r.Data, out); err != nil {
			t.Fatal(err)
		}
	}
}

func campaignID(t *testing.T, base string) string {
	t.Helper()
	var c struct{ ActiveCampaigns []struct{ ID string } }
	must(t, base, "", `{activeCampaigns{id}}`, nil, &c)
	if len(c.ActiveCampaigns) == 0 {
		t.Fatal("no demo campaign")
	}
	return c.ActiveCampaigns[0].ID
}

const (
	startQ  = `mutation($c:ID!){startAttempt(campaignID:$c){id questions{id kind options{key}}}}`
	submitQ = `mutation($a:ID!,$ans:[AnswerInput!]!){submitAttempt(attemptID:$a,answers:$ans){score durationMs}}`
)

// result is what an acknowledged submit said.
type result struct{ Score, DurationMs int }

// better orders results as the BEST_ATTEMPT ranking does.
func (r result) better(o result) bool {
	return r.Score > o.Score || r.Score == o.Score && r.DurationMs < o.DurationMs
}

// player is one virtual player: its acknowledged attempts and the one
// submit whose outcome is unknown, if any.
type player struct {
	nick, token string
	acked       map[string]result // attempt id → result
	pendingID   string            // an attempt whose submit got no answer
	pendingAns  []map[string]any
	failures    []string // answers a client could not act on
}

func signIn(t *testing.T, base string, n int, prefix string) []*player {
	t.Helper()
	ps := make([]*player, n)
	for i := range ps {
		var s struct{ SignInGuest struct{ Token string } }
		nick := fmt.Sprintf("%s%02d", prefix, i)
		must(t, base, "", `mutation($n:String!){signInGuest(nickname:$n){token}}`, map[string]any{"n": nick}, &s)
		ps[i] = &player{nick: nick, token: s.SignInGuest.Token, acked: map[string]result{}}
	}
	return ps
}

// answers picks options at random, so scores differ.
func answers(questions []struct {
	ID      string
	Kind    string
	Options []struct{ Key string }
}) []map[string]any {
	var out []map[string]any
	for _, q := range questions {
		var keys []string
		for _, o := range q.Options {
			keys = append(keys, o.Key)
		}
		rand.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
		n := 1
		if q.Kind == "MULTIPLE" {
			n = 1 + rand.IntN(len(keys))
		}
		out = append(out, map[string]any{"questionID": q.ID, "choices": keys[:n]})
	}
	return out
}

// errorLog collects the errors clients saw during a fault.
type errorLog struct {
	mu        sync.Mutex
	retryable []gqlError
}

func (l *errorLog) add(e gqlError) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.retryable = append(l.retryable, e)
}

// call sends one request of a player's session and decodes its data into
// out. With a log, a GraphQL error that says retryable is logged and the
// request sent again after a pause, as a client should. Without one (the
// server is about to be killed) a transport failure returns false with no
// failure noted: the outcome is unknown, for settle to learn.
func (p *player) call(base, query string, vars map[string]any, log *errorLog, out any) (ok bool) {
	for {
		r, err := post(base, p.token, query, vars)
		if err != nil {
			if log == nil {
				return false // the server is gone: outcome unknown
			}
			p.failures = append(p.failures, "transport: "+err.Error())
			return false
		}
		if len(r.Errors) == 0 {
			if err := json.Unmarshal(r.Data, out); err != nil {
				p.failures = append(p.failures, err.Error())
				return false
			}
			return true
		}
		e := r.Errors[0]
		if log == nil || !e.retryable() {
			p.failures = append(p.failures, fmt.Sprintf("HTTP %d %s", r.Status, e))
			return false
		}
		// Retried until the outage ends, even once the test says stop:
		// an attempt left half done would be unknown.
		log.add(e)
		time.Sleep(50 * time.Millisecond)
	}
}

// play runs attempts (start, then submit) on base until stop closes,
// checking stop only between attempts, and counts acknowledgements in
// acks. With log nil it expects the server to die: it returns at the first
// transport failure, leaving the submit in flight, if any, pending.
func (p *player) play(base, cid string, log *errorLog, stop <-chan struct{}, acks *atomic.Int64) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		var st struct {
			StartAttempt struct {
				ID        string
				Questions []struct {
					ID      string
					Kind    string
					Options []struct{ Key string }
				}
			}
		}
		if !p.call(base, startQ, map[string]any{"c": cid}, log, &st) {
			return
		}
		id, ans := st.StartAttempt.ID, answers(st.StartAttempt.Questions)
		p.pendingID, p.pendingAns = id, ans
		var sub struct{ SubmitAttempt result }
		if !p.call(base, submitQ, map[string]any{"a": id, "ans": ans}, log, &sub) {
			return
		}
		p.pendingID, p.pendingAns = "", nil
		p.acked[id] = sub.SubmitAttempt
		acks.Add(1)
	}
}

// settle finishes what a fault interrupted, as the player's client would
// once the server answers again: it sends the unanswered submit again (the
// server returns the stored result or scores it now), then submits
// whatever attempt is still in progress (a start whose answer was lost).
func (p *player) settle(t *testing.T, base, cid string) {
	t.Helper()
	if p.pendingID != "" {
		var sub struct{ SubmitAttempt result }
		must(t, base, p.token, submitQ, map[string]any{"a": p.pendingID, "ans": p.pendingAns}, &sub)
		p.acked[p.pendingID] = sub.SubmitAttempt
		p.pendingID, p.pendingAns = "", nil
	}
	var st struct {
		StartAttempt struct {
			ID        string
			Questions []struct {
				ID      string
				Kind    string
				Options []struct{ Key string }
			}
		}
	}
	must(t, base, p.token, startQ, map[string]any{"c": cid}, &st)
	var sub struct{ SubmitAttempt result }
	must(t, base, p.token, submitQ, map[string]any{"a": st.StartAttempt.ID, "ans": answers(st.StartAttempt.Questions)}, &sub)
	p.acked[st.StartAttempt.ID] = sub.SubmitAttempt
}

// best is the standing a player's acknowledged attempts make.
func (p *player) best() result {
	var b result
	first := true
	for _, r := range p.acked {
		if first || r.better(b) {
			b, first = r, false
		}
	}
	return b
}

// expectedBoard is every player's best result by nickname.
func expectedBoard(players []*player) map[string]result {
	want := map[string]result{}
	for _, p := range players {
		if len(p.acked) > 0 {
			want[p.nick] = p.best()
		}
	}
	return want
}

type board struct {
	Total   int
	Entries []struct {
		Score, DurationMs int
		Participant       struct{ Nickname string }
	}
}

func (b board) byNick() map[string]result {
	m := map[string]result{}
	for _, e := range b.Entries {
		m[e.Participant.Nickname] = result{e.Score, e.DurationMs}
	}
	return m
}

func sameBoard(b board, want map[string]result) bool {
	got := b.byNick()
	if b.Total != len(want) || len(got) != len(want) {
		return false
	}
	for k, v := range want {
		if got[k] != v {
			return false
		}
	}
	return true
}

const boardQ = `query($c:ID!){leaderboard(campaignID:$c,first:100){total entries{score durationMs participant{nickname}}}}`

// verify checks on base that every acknowledged attempt is stored once
// and ranked: each player's standing counts exactly its acknowledged
// attempts and shows the best of them, the leaderboard shows every player
// so, and submitting each acknowledged attempt again returns its result.
func verify(t *testing.T, base, cid string, players []*player) {
	t.Helper()
	total := 0
	for _, p := range players {
		if len(p.failures) > 0 {
			t.Errorf("%s: %d failed requests, first: %s", p.nick, len(p.failures), p.failures[0])
		}
		var mine struct {
			MyStanding *struct {
				Rank                        *int
				Score, DurationMs, Attempts int
			}
		}
		must(t, base, p.token, `query($c:ID!){myStanding(campaignID:$c){rank score durationMs attempts}}`, map[string]any{"c": cid}, &mine)
		st, want := mine.MyStanding, p.best()
		if st == nil || st.Rank == nil || st.Attempts != len(p.acked) || st.Score != want.Score || st.DurationMs != want.DurationMs {
			t.Errorf("%s: standing %+v, want %d attempts, best %+v", p.nick, st, len(p.acked), want)
		}
		for id, r := range p.acked {
			var sub struct{ SubmitAttempt result }
			must(t, base, p.token, submitQ, map[string]any{"a": id, "ans": []any{}}, &sub)
			if sub.SubmitAttempt != r {
				t.Errorf("%s: attempt %s resubmitted gives %+v, was acknowledged as %+v", p.nick, id, sub.SubmitAttempt, r)
			}
		}
		total += len(p.acked)
	}
	var lb struct{ Leaderboard board }
	must(t, base, "", boardQ, map[string]any{"c": cid}, &lb)
	if want := expectedBoard(players); !sameBoard(lb.Leaderboard, want) {
		t.Errorf("leaderboard %+v, want %v", lb.Leaderboard, want)
	}
	t.Logf("%d acknowledged attempts of %d players verified", total, len(players))
}

// TestKill9LosesNoAcknowledgedSubmit kills the server with SIGKILL while
// players start and submit attempts, restarts it on the same database, and
// checks that every acknowledged submit is stored and ranked exactly once.
func TestKill9LosesNoAcknowledgedSubmit(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		kill9DuringLoad(t, filepath.Join(t.TempDir(), "prizequiz.db"))
	})
	t.Run("postgres", func(t *testing.T) {
		kill9DuringLoad(t, storetest.PostgresURL(t))
	})
}

func kill9DuringLoad(t *testing.T, dsn string) {
	s := launch(t, dsn)
	cid := campaignID(t, s.base)
	players := signIn(t, s.base, 8, "kill9-")
	var acks atomic.Int64
	var wg sync.WaitGroup
	stop := make(chan struct{}) // never closed: the kill stops them
	for _, p := range players {
		wg.Go(func() { p.play(s.base, cid, nil, stop, &acks) })
	}
	// Kill mid-stream, once the load is well under way.
	if !waitFor(20*time.Second, func() bool { return acks.Load() >= 60 }) {
		t.Fatalf("only %d submits acknowledged in 20 s", acks.Load())
	}
	s.kill9(t)
	wg.Wait()
	pending := 0
	for _, p := range players {
		if p.pendingID != "" {
			pending++
		}
	}
	t.Logf("killed after %d acknowledged submits; %d submits unanswered", acks.Load(), pending)

	s2 := launch(t, dsn)
	for _, p := range players {
		p.failures = nil // the killed server's transport errors
		p.settle(t, s2.base, cid)
	}
	verify(t, s2.base, cid, players)
}

// pgCluster is a PostgreSQL cluster of this test alone, which it may stop
// and start: the shared server other tests use must never restart.
type pgCluster struct {
	dsn            string
	start, stop    func() error // stop is immediate: a crash, as far as clients can tell
	stopForCleanup func()
}

// privatePostgres creates and starts a private cluster: with Debian's
// pg_createcluster when running as root (as CI does), else with initdb and
// pg_ctl as the current user. Missing tools fail the test, saying what to
// install.
func privatePostgres(t *testing.T) *pgCluster {
	t.Helper()
	versions, _ := filepath.Glob("/usr/lib/postgresql/*/bin/postgres")
	if len(versions) == 0 {
		t.Fatal("PostgreSQL's server binaries are missing (no /usr/lib/postgresql/<version>/bin/postgres): " +
			"install the postgresql package (apt-get install postgresql) to run the restart test")
	}
	sort.Slice(versions, func(i, j int) bool { return pgVersion(versions[i]) < pgVersion(versions[j]) })
	binDir := filepath.Dir(versions[len(versions)-1])
	version := strconv.Itoa(pgVersion(binDir))
	port := freePort(t)
	dsn := fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
	run := func(name string, args ...string) error {
		out, err := exec.Command(name, args...).CombinedOutput()
		if err != nil {
			return fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
		return nil
	}
	c := &pgCluster{dsn: dsn}
	if u, err := user.Current(); err == nil && u.Uid == "0" {
		if _, err := exec.LookPath("pg_createcluster"); err != nil {
			t.Fatal("running as root needs Debian's postgresql-common tools (pg_createcluster, pg_ctlcluster): apt-get install postgresql")
		}
		dropAbandoned(t, run)
		name := fmt.Sprintf("%s%d_%d", clusterPrefix, os.Getpid(), rand.IntN(1_000_000))
		ctl := func(args ...string) error {
			return run("pg_ctlcluster", append([]string{"--skip-systemctl-redirect", version, name}, args...)...)
		}
		c.start = func() error { return ctl("start") }
		c.stop = func() error { return ctl("stop", "-m", "immediate") }
		t.Cleanup(func() {
			if err := run("pg_dropcluster", "--stop", version, name); err != nil {
				t.Logf("drop the test's cluster: %v", err)
			}
		})
		if err := run("pg_createcluster", "--start-conf=manual", "-p", strconv.Itoa(port), version, name,
			"--", "--auth=trust", "--no-sync"); err != nil {
			t.Fatal(err)
		}
	} else {
		dir := t.TempDir()
		data := filepath.Join(dir, "data")
		ctl := func(args ...string) error {
			return run(filepath.Join(binDir, "pg_ctl"), append([]string{"-D", data, "-w", "-l", filepath.Join(dir, "log")}, args...)...)
		}
		c.start = func() error {
			return ctl("-o", fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1", port, dir), "start")
		}
		c.stop = func() error { return ctl("-m", "immediate", "stop") }
		if err := run(filepath.Join(binDir, "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "--no-sync"); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = ctl("-m", "immediate", "stop") })
	}
	if err := c.start(); err != nil {
		t.Fatal(err)
	}
	return c
}

// clusterPrefix names the clusters of these tests; the process id after it
// tells whose they are.
const clusterPrefix = "pqfault_"

// dropAbandoned drops the clusters of test processes that died before
// their cleanup ran (a test binary killed at its timeout).
func dropAbandoned(t *testing.T, run func(string, ...string) error) {
	out, err := exec.Command("pg_lsclusters", "--no-header").Output()
	if err != nil {
		return
	}
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 || !strings.HasPrefix(f[1], clusterPrefix) {
			continue
		}
		pid, err := strconv.Atoi(strings.Split(strings.TrimPrefix(f[1], clusterPrefix), "_")[0])
		if err != nil || syscall.Kill(pid, 0) != syscall.ESRCH {
			continue // alive: another test run's
		}
		if err := run("pg_dropcluster", "--stop", f[0], f[1]); err != nil {
			t.Logf("drop abandoned cluster %s: %v", f[1], err)
		}
	}
}

// pgVersion reads the major version from a path under /usr/lib/postgresql.
func pgVersion(path string) int {
	m := regexp.MustCompile(`/postgresql/(\d+)/`).FindStringSubmatch(path + "/")
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// wsSub is a graphql-transport-ws (or legacy graphql-ws) subscription.
type wsSub struct {
	mu     sync.Mutex
	latest json.RawMessage // the last payload received
	got    chan struct{}   // a payload arrived (capacity 1)
	ended  chan struct{}   // closed when the connection ended
	end    error           // why: the read error
	events []string        // message types other than data, in order
}

// subscribe opens a websocket on base and subscribes with query.
func subscribe(t *testing.T, base, protocol, token, query string, vars map[string]any) (*wsSub, *websocket.Conn) {
	t.Helper()
	ctx := context.Background()
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(base, "http")+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{protocol}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.CloseNow() })
	init := map[string]any{}
	if token != "" {
		init["authorization"] = "Bearer " + token
	}
	start := "subscribe"
	if protocol == "graphql-ws" {
		start = "start"
	}
	for _, m := range []map[string]any{
		{"type": "connection_init", "payload": init},
		{"id": "1", "type": start, "payload": map[string]any{"query": query, "variables": vars}},
	} {
		if err := wsjson.Write(ctx, conn, m); err != nil {
			t.Fatal(err)
		}
	}
	s := &wsSub{got: make(chan struct{}, 1), ended: make(chan struct{})}
	go func() {
		defer close(s.ended)
		for {
			var m struct {
				Type    string
				Payload json.RawMessage
			}
			if err := wsjson.Read(ctx, conn, &m); err != nil {
				s.mu.Lock()
				s.end = err
				s.mu.Unlock()
				return
			}
			switch m.Type {
			case "next", "data":
				s.mu.Lock()
				s.latest = m.Payload
				s.mu.Unlock()
				select {
				case s.got <- struct{}{}:
				default:
				}
			case "ping":
				_ = wsjson.Write(ctx, conn, map[string]any{"type": "pong"})
			case "ka", "pong", "connection_ack":
			default:
				s.mu.Lock()
				s.events = append(s.events, m.Type+" "+string(m.Payload))
				s.mu.Unlock()
			}
		}
	}()
	select {
	case <-s.got:
	case <-s.ended:
		t.Fatalf("subscription ended before its first value: %v %v", s.end, s.events)
	case <-time.After(10 * time.Second):
		t.Fatal("no first value within 10 s")
	}
	return s, conn
}

func (s *wsSub) payload() json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.latest
}

// TestPostgresRestartDuringLoad crash-stops (pg_ctl stop -m immediate) and
// restarts a private PostgreSQL cluster while players submit through
// server A and server B watches the leaderboard. Neither server restarts.
// Meanwhile clients get INTERNAL errors marked retryable with no driver
// text and /readyz says 503; afterwards both servers are ready again, every
// acknowledged submit is stored and ranked once, and B's subscription,
// which lived through the outage, shows the submits made after it.
func TestPostgresRestartDuringLoad(t *testing.T) {
	if os.Getenv(storetest.EnvPostgres) == "" {
		t.Skip(storetest.EnvPostgres + " not set") // as every PostgreSQL test: no PostgreSQL expected here
	}
	began := time.Now()
	phase := func(what string) { t.Logf("%6.2fs %s", time.Since(began).Seconds(), what) }
	pg := privatePostgres(t)
	phase("private cluster up")
	a := launch(t, pg.dsn)
	b := launch(t, pg.dsn)
	cid := campaignID(t, a.base)
	players := signIn(t, a.base, 6, "restart-")
	sub, _ := subscribe(t, b.base, "graphql-transport-ws", "",
		`subscription($c:ID!){leaderboardUpdated(campaignID:$c,first:100){total entries{score durationMs participant{nickname}}}}`,
		map[string]any{"c": cid})

	var (
		acks atomic.Int64
		errs errorLog
		wg   sync.WaitGroup
		stop = make(chan struct{})
	)
	for _, p := range players {
		wg.Go(func() { p.play(a.base, cid, &errs, stop, &acks) })
	}
	if !waitFor(20*time.Second, func() bool { return acks.Load() >= 30 }) {
		t.Fatalf("only %d submits acknowledged in 20 s", acks.Load())
	}
	phase("load running; stopping PostgreSQL")
	if err := pg.stop(); err != nil {
		t.Fatal(err)
	}
	phase("PostgreSQL stopped")
	down := acks.Load()
	for _, s := range []*proc{a, b} {
		if !waitFor(5*time.Second, func() bool { return status(s.base+"/readyz") == http.StatusServiceUnavailable }) {
			t.Errorf("%s/readyz does not report the outage", s.base)
		}
		if status(s.base+"/healthz") != http.StatusOK {
			t.Errorf("%s/healthz fails during the outage: the process should live on", s.base)
		}
	}
	// Clients run into the outage before it ends.
	if !waitFor(5*time.Second, func() bool {
		errs.mu.Lock()
		defer errs.mu.Unlock()
		return len(errs.retryable) >= len(players)
	}) {
		t.Error("clients saw no retryable errors during the outage")
	}
	phase("starting PostgreSQL")
	if err := pg.start(); err != nil {
		t.Fatal(err)
	}
	phase("PostgreSQL started")
	restarted := time.Now()
	for _, s := range []*proc{a, b} {
		if !waitFor(20*time.Second, func() bool { return status(s.base+"/readyz") == http.StatusOK }) {
			t.Fatalf("%s/readyz not ready 20 s after PostgreSQL came back", s.base)
		}
	}
	t.Logf("servers ready again %v after PostgreSQL started", time.Since(restarted).Round(time.Millisecond))
	// Load goes on after the restart before it stops.
	if !waitFor(20*time.Second, func() bool { return acks.Load() >= down+30 }) {
		t.Fatalf("only %d submits acknowledged after the restart", acks.Load()-down)
	}
	close(stop)
	wg.Wait()
	phase("load stopped")

	errs.mu.Lock()
	leak := regexp.MustCompile(`(?i)pq:|sql:|dial tcp|connection refused|broken pipe|EOF|SQLSTATE|postgres`)
	for _, e := range errs.retryable {
		if e.code() != "INTERNAL" || leak.MatchString(e.Message) {
			t.Errorf("error during the outage: %s", e)
		}
	}
	t.Logf("%d retryable errors during the outage, e.g. %s", len(errs.retryable), errs.retryable[0])
	errs.mu.Unlock()
	for _, p := range players {
		p.settle(t, a.base, cid) // nothing is pending; this adds one submit after the load
	}
	verify(t, a.base, cid, players)
	phase("verified on A")

	// B's own rank index and its subscription, fed only by the change
	// feed across the outage, show every acknowledged submit.
	want := expectedBoard(players)
	var lb struct{ Leaderboard board }
	if !waitFor(10*time.Second, func() bool {
		must(t, b.base, "", boardQ, map[string]any{"c": cid}, &lb)
		return sameBoard(lb.Leaderboard, want)
	}) {
		t.Errorf("B's leaderboard %+v, want %v", lb.Leaderboard, want)
	}
	var pushed struct{ LeaderboardUpdated board }
	if !waitFor(10*time.Second, func() bool {
		var v struct{ Data json.RawMessage }
		_ = json.Unmarshal(sub.payload(), &v)
		_ = json.Unmarshal(v.Data, &pushed)
		return sameBoard(pushed.LeaderboardUpdated, want)
	}) {
		sub.mu.Lock()
		t.Errorf("B's subscription shows %+v, want %v (ended: %v, events %v)", pushed.LeaderboardUpdated, want, sub.end, sub.events)
		sub.mu.Unlock()
	}
	if !waitFor(15*time.Second, func() bool { return metric(b.base, "prizequiz_rank_feed_resyncs") >= 1 }) {
		t.Error("B's feed did not resync after its listener lost PostgreSQL")
	}
	phase("verified on B")
}

// metric reads one unlabelled value from /metrics, -1 when absent.
func metric(base, name string) float64 {
	resp, err := client.Get(base + "/metrics")
	if err != nil {
		return -1
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) == 2 && f[0] == name {
			v, _ := strconv.ParseFloat(f[1], 64)
			return v
		}
	}
	return -1
}

// TestSIGTERMDrainsGracefully sends SIGTERM while a submit is held in
// flight (its UPDATE waits for a table lock this test holds) and three
// subscriptions are open. During the drain delay /readyz says 503 and
// requests are still served; then the subscriptions close cleanly (a
// websocket close frame with a normal status, an SSE response that ends),
// the held submit is answered once the lock goes, the process exits 0
// within its shutdown timeout, and the submit is stored.
func TestSIGTERMDrainsGracefully(t *testing.T) {
	dsn := storetest.PostgresURL(t)
	const drainDelay, shutdownTimeout = 2 * time.Second, 10 * time.Second
	s := launch(t, dsn, "--drain-delay", drainDelay.String(), "--shutdown-timeout", shutdownTimeout.String())
	cid := campaignID(t, s.base)
	p := signIn(t, s.base, 1, "sigterm-")[0]
	var st struct {
		StartAttempt struct {
			ID        string
			Questions []struct {
				ID      string
				Kind    string
				Options []struct{ Key string }
			}
		}
	}
	must(t, s.base, p.token, startQ, map[string]any{"c": cid}, &st)
	boardSub := `subscription($c:ID!){leaderboardUpdated(campaignID:$c,first:10){total}}`
	ws, _ := subscribe(t, s.base, "graphql-transport-ws", "", boardSub, map[string]any{"c": cid})
	legacy, _ := subscribe(t, s.base, "graphql-ws", p.token,
		`subscription($c:ID!){myStandingUpdated(campaignID:$c){attempts}}`, map[string]any{"c": cid})
	sse := openSSE(t, s.base, boardSub, map[string]any{"c": cid})

	db, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	lock, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Rollback()
	// Reads go on; the submit's UPDATE of its attempt waits.
	if _, err := lock.Exec("LOCK TABLE attempts IN EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	type answer struct {
		r   reply
		err error
	}
	submitted := make(chan answer, 1)
	go func() {
		r, err := post(s.base, p.token, submitQ, map[string]any{"a": st.StartAttempt.ID, "ans": answers(st.StartAttempt.Questions)})
		submitted <- answer{r, err}
	}()
	if !waitFor(10*time.Second, func() bool {
		var n int
		_ = db.QueryRow(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
			AND wait_event_type = 'Lock' AND query LIKE '%UPDATE%attempts%submitted_at%'`).Scan(&n)
		return n == 1
	}) {
		t.Fatal("the submit never waited for the lock")
	}

	term := time.Now()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if !waitFor(drainDelay/2, func() bool { return status(s.base+"/readyz") == http.StatusServiceUnavailable }) {
		t.Error("/readyz does not say 503 while draining")
	}
	if status(s.base+"/healthz") != http.StatusOK {
		t.Error("/healthz fails while draining")
	}
	if r, err := post(s.base, "", `{activeCampaigns{id}}`, nil); err != nil || len(r.Errors) > 0 {
		t.Errorf("a request during the drain delay: %v %v", err, r.Errors)
	}

	for name, sub := range map[string]*wsSub{"graphql-transport-ws": ws, "graphql-ws": legacy} {
		select {
		case <-sub.ended:
			if c := websocket.CloseStatus(sub.end); c != websocket.StatusNormalClosure && c != websocket.StatusGoingAway {
				t.Errorf("%s subscription ended with %v, not a normal close", name, sub.end)
			}
		case <-time.After(drainDelay + 5*time.Second):
			t.Errorf("%s subscription still open %v after SIGTERM", name, time.Since(term))
		}
	}
	select {
	case err := <-sse:
		if err != nil {
			t.Errorf("SSE stream did not end cleanly: %v", err)
		}
	case <-time.After(drainDelay + 5*time.Second):
		t.Errorf("SSE stream still open %v after SIGTERM", time.Since(term))
	}
	select {
	case a := <-submitted:
		t.Fatalf("the held submit was answered before its lock went: %+v %v", a.r, a.err)
	case <-s.done:
		t.Fatalf("the server exited with a submit in flight: %v", s.err)
	default:
	}

	if err := lock.Rollback(); err != nil {
		t.Fatal(err)
	}
	var acked result
	select {
	case a := <-submitted:
		if a.err != nil || a.r.Status != http.StatusOK || len(a.r.Errors) > 0 {
			t.Fatalf("the submit in flight at SIGTERM: %v HTTP %d %v", a.err, a.r.Status, a.r.Errors)
		}
		var sub struct{ SubmitAttempt result }
		if err := json.Unmarshal(a.r.Data, &sub); err != nil {
			t.Fatal(err)
		}
		acked = sub.SubmitAttempt
	case <-time.After(5 * time.Second):
		t.Fatal("the submit in flight at SIGTERM was not answered")
	}
	select {
	case <-s.done:
		if code := s.cmd.ProcessState.ExitCode(); code != 0 {
			t.Errorf("exit code %d after SIGTERM", code)
		}
		if took := time.Since(term); took > drainDelay+shutdownTimeout {
			t.Errorf("exit took %v, over the drain delay and shutdown timeout", took)
		}
		t.Logf("exited %v after SIGTERM", time.Since(term).Round(time.Millisecond))
	case <-time.After(drainDelay + shutdownTimeout):
		t.Fatal("still running after the drain delay and shutdown timeout")
	}

	s2 := launch(t, dsn)
	p.acked[st.StartAttempt.ID] = acked
	verify(t, s2.base, cid, []*player{p})
}

// openSSE starts a subscription over server-sent events, waits for its
// first event, and then reports how the stream ended: nil for a response
// that ended properly, else the read error (a reset, a cut chunked body).
func openSSE(t *testing.T, base, query string, vars map[string]any) <-chan error {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, base+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("SSE: HTTP %d", resp.StatusCode)
	}
	r := bufio.NewReader(resp.Body)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("SSE before its first event: %v", err)
		}
		if strings.HasPrefix(line, "data:") {
			break
		}
	}
	ended := make(chan error, 1)
	go func() {
		_, err := io.Copy(io.Discard, r)
		ended <- err // io.Copy reports a clean end as nil
	}()
	return ended
}
