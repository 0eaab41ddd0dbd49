// Package benchreport runs prizequiz's benchmark suite and writes
// docs/BENCHMARKS.md: every figure next to a reference figure taken in the
// same run on the same machine (SPEC §6), the machine's details, and the
// hand-written history copied from docs/benchmarks-history.md.
//
// It drives the real binary: `prizequiz serve` on fresh databases,
// `prizequiz load` and `prizequiz seed` against them, pgbench on a scratch
// database of the same PostgreSQL, and `go test -bench` for the benchmarks
// that live beside their code.
package benchreport

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	_ "github.com/lib/pq" // the reference queries and scratch databases

	"prizequiz/internal/bulkseed"
	"prizequiz/internal/randid"
)

// Config is what to run, and how big.
type Config struct {
	Root     string // the module's directory
	Out      string // the report, relative to Root
	History  string // the hand-written section, relative to Root
	Postgres string // a database URL on the server to create scratch databases on
	Pgbench  string
	Quick    bool

	Participants int           // seeded for the latency runs
	Duration     time.Duration // each measured load or latency window
	Warmup       time.Duration
	Concurrency  int // load players, pgbench clients
	Workers      int // latency driver's concurrent requests
	Rate         int // latency driver's paced requests per second
	Tokens       int // seeded sessions myStanding picks from
	SQLSamples   int // runs of each SQL reference query
	PgbenchScale int
	DrawRuns     int // -benchtime of PoolAndDraw1M

	Log io.Writer
}

// Defaults are the full run's sizes; Quick's are tiny.
func (c *Config) defaults() {
	if c.Quick {
		c.Participants, c.Duration, c.Warmup, c.Concurrency, c.Workers, c.Rate = 2_000, 3*time.Second, time.Second, 8, 4, 200
		c.Tokens, c.SQLSamples, c.PgbenchScale, c.DrawRuns = 50, 5, 1, 1
		return
	}
	c.Participants, c.Duration, c.Warmup, c.Concurrency, c.Workers = 1_000_000, 30*time.Second, 5*time.Second, 32, 8
	// A city's peak: 1,500 attempts a second, each followed by a look at
	// the leaderboard or at one's standing.
	c.Rate = 2_000
	c.Tokens, c.SQLSamples, c.PgbenchScale, c.DrawRuns = 1_000, 50, 10, 3
}

// Main runs `benchreport` with args and returns the exit code.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("benchreport", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := Config{Log: stderr}
	fs.StringVar(&c.Root, "root", ".", "the prizequiz module's directory")
	fs.StringVar(&c.Out, "out", "docs/BENCHMARKS.md", "report to write (whole file)")
	fs.StringVar(&c.History, "history", "docs/benchmarks-history.md", "hand-written section copied verbatim at the end")
	fs.StringVar(&c.Postgres, "database-url", envOr("PRIZEQUIZ_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"),
		"a PostgreSQL database URL; scratch databases are created (and dropped) beside it (env PRIZEQUIZ_BENCH_DATABASE_URL)")
	fs.StringVar(&c.Pgbench, "pgbench", "pgbench", "the pgbench command")
	fs.BoolVar(&c.Quick, "quick", false, "tiny sizes and a few seconds a step, to check the pipeline; its figures mean nothing")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	c.defaults()
	if err := Run(ctx, c); err != nil {
		fmt.Fprintf(stderr, "benchreport: %v\n", err)
		return 1
	}
	return 0
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// Results are the figures of one run; a failed step leaves its error.
type Results struct {
	Config  Config
	Machine Machine
	Took    time.Duration

	Attempts       *LoadRun // PostgreSQL
	AttemptsErr    error
	Pgbench        *PgbenchRun
	PgbenchErr     error
	SQLite         *LoadRun
	SQLiteErr      error
	Latency        *LatencyRun
	LatencyErr     error
	Subscribers    []GoBench
	SubscribersErr error
	AttemptCost    []GoBench // BenchmarkAttempts: the server's cost per attempt
	AttemptCostErr error
	Draw           []GoBench
	DrawErr        error
}

// LoadRun is `prizequiz load` against a `prizequiz serve`.
type LoadRun struct {
	PerSecond              float64
	Completed              int64
	Attempt, Start, Submit Percentiles
	Errors                 int64
	PeakRSSMiB             float64
}

// PgbenchRun is `pgbench -b simple-update`.
type PgbenchRun struct {
	TPS       float64
	LatencyMs float64
	Clients   int
	Scale     int
}

// LatencyRun is leaderboard and myStanding through GraphQL at scale, with
// their SQL references.
type LatencyRun struct {
	Participants int
	SeedSeconds  float64
	FirstLoad    time.Duration // the first leaderboard: the index loads
	Leaderboard  Percentiles   // closed loop: WorkersPerRun clients back to back
	MyStanding   Percentiles
	// Paced: Rate requests a second whatever the answers, as players send
	// them; latency from when each was due.
	LeaderboardPaced Percentiles
	MyStandingPaced  Percentiles
	Rate             int
	Failed           int
	SQLTop100        Percentiles
	SQLRank          Percentiles
	PeakRSSMiB       float64
	WorkersPerRun    int
}

// Run runs every step and writes the report. Steps that fail are reported
// as failed in the file, and make Run return an error after it is written.
func Run(ctx context.Context, c Config) error {
	start := time.Now()
	root, err := filepath.Abs(c.Root)
	if err != nil {
		return err
	}
	c.Root = root
	history, err := os.ReadFile(filepath.Join(root, c.History))
	if err != nil {
		return fmt.Errorf("read the hand-written section: %w", err)
	}
	tmp, err := os.MkdirTemp("", "benchreport-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	logf := func(format string, args ...any) { fmt.Fprintf(c.Log, "bench: "+format+"\n", args...) }

	admin, err := sql.Open("postgres", c.Postgres)
	if err != nil {
		return err
	}
	defer admin.Close()
	if err := admin.PingContext(ctx); err != nil {
		return fmt.Errorf("PostgreSQL at --database-url: %w", err)
	}
	r := &Results{Config: c, Machine: readMachine(ctx, admin, c.Pgbench)}

	bin := filepath.Join(tmp, "prizequiz")
	logf("building prizequiz")
	if out, err := goCmd(ctx, root, nil, "build", "-o", bin, "./cmd/prizequiz").CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %v: %s", err, out)
	}
	s := &suite{c: c, bin: bin, tmp: tmp, admin: admin, logf: logf}

	logf("attempts/s on PostgreSQL (%v, %d players)", c.Duration, c.Concurrency)
	r.Attempts, r.AttemptsErr = s.attemptsPostgres(ctx)
	logf("pgbench -b simple-update (%v, %d clients)", c.Duration, c.Concurrency)
	r.Pgbench, r.PgbenchErr = s.pgbench(ctx)
	logf("attempts/s on SQLite")
	r.SQLite, r.SQLiteErr = s.attemptsSQLite(ctx)
	logf("leaderboard and myStanding at %d participants", c.Participants)
	r.Latency, r.LatencyErr = s.latency(ctx)
	logf("cost per attempt (go test -bench Attempts)")
	attempts := "3000x"
	if c.Quick {
		attempts = "100x"
	}
	r.AttemptCost, r.AttemptCostErr = s.goBench(ctx, "./internal/server/", "Attempts", attempts, true)
	logf("subscribers (go test -bench Subscribers10k)")
	r.Subscribers, r.SubscribersErr = s.goBench(ctx, "./internal/server/", "Subscribers10k", "1x", true)
	logf("pool and draw (go test -bench PoolAndDraw1M)")
	r.Draw, r.DrawErr = s.goBench(ctx, "./internal/prizedraw/", "PoolAndDraw1M", fmt.Sprintf("%dx", c.DrawRuns), true)
	r.Took = time.Since(start)

	out := filepath.Join(root, c.Out)
	if err := os.WriteFile(out, []byte(r.markdown(string(history))), 0o644); err != nil {
		return err
	}
	logf("wrote %s in %v", out, r.Took.Round(time.Second))
	var failed []string
	for name, err := range map[string]error{"attempts": r.AttemptsErr, "pgbench": r.PgbenchErr, "sqlite": r.SQLiteErr,
		"latency": r.LatencyErr, "subscribers": r.SubscribersErr, "attempt cost": r.AttemptCostErr, "draw": r.DrawErr} {
		if err != nil {
			failed = append(failed, name+": "+err.Error())
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("steps failed (the report says so):\n  %s", strings.Join(failed, "\n  "))
	}
	return nil
}

type suite struct {
	c     Config
	bin   string
	tmp   string
	admin *sql.DB
	logf  func(string, ...any)
}

func goCmd(ctx context.Context, dir string, env []string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	return cmd
}

// scratchDB creates an empty database beside c.Postgres and returns its URL
// and a function that drops it.
func (s *suite) scratchDB(ctx context.Context, kind string) (string, func(), error) {
	name := "benchreport_" + kind + "_" + randid.PublicID("", 8)
	if _, err := s.admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		return "", nil, fmt.Errorf("create database: %w", err)
	}
	u, err := url.Parse(s.c.Postgres)
	if err != nil {
		return "", nil, err
	}
	u.Path = "/" + name
	drop := func() {
		_, _ = s.admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	}
	return u.String(), drop, nil
}

// server is a running `prizequiz serve`.
type server struct {
	cmd  *exec.Cmd
	url  string
	done chan error
}

func (s *suite) serve(ctx context.Context, password string, args ...string) (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	logFile, err := os.CreateTemp(s.tmp, "serve-*.log")
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	cmd := exec.CommandContext(ctx, s.bin, append([]string{"serve", "--addr", addr, "--rate-limits=false", "--playground=false"}, args...)...)
	cmd.Env = append(os.Environ(), "PRIZEQUIZ_ADMIN_PASSWORD="+password)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	srv := &server{cmd: cmd, url: "http://" + addr, done: make(chan error, 1)}
	go func() { srv.done <- cmd.Wait() }()
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(srv.url + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return srv, nil
			}
		}
		select {
		case err := <-srv.done:
			return nil, fmt.Errorf("serve exited (%v); its log: %s", err, logFile.Name())
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			srv.stop()
			return nil, fmt.Errorf("serve not ready after 60 s; its log: %s", logFile.Name())
		}
	}
}

// stop ends the server and returns its peak resident set in MiB, read
// before it exits.
func (srv *server) stop() float64 {
	rss := peakRSS(srv.cmd.Process.Pid)
	_ = srv.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-srv.done:
	case <-time.After(15 * time.Second):
		_ = srv.cmd.Process.Kill()
		<-srv.done
	}
	return rss
}

func (s *suite) attemptsPostgres(ctx context.Context) (*LoadRun, error) {
	dsn, drop, err := s.scratchDB(ctx, "load")
	if err != nil {
		return nil, err
	}
	defer drop()
	return s.loadRun(ctx, "--database-url", dsn, "--demo")
}

func (s *suite) attemptsSQLite(ctx context.Context) (*LoadRun, error) {
	return s.loadRun(ctx, "--database-url", filepath.Join(s.tmp, "load.db"))
}

// loadRun serves the demo campaign with serveArgs and runs `prizequiz
// load` against it, the answers from the admin answer key.
func (s *suite) loadRun(ctx context.Context, serveArgs ...string) (*LoadRun, error) {
	password := randid.Password()
	srv, err := s.serve(ctx, password, serveArgs...)
	if err != nil {
		return nil, err
	}
	rss := 0.0
	defer func() {
		if rss == 0 {
			srv.stop()
		}
	}()
	cmd := exec.CommandContext(ctx, s.bin, "load", "--url", srv.url, "--mode", "closed",
		"--concurrency", strconv.Itoa(s.c.Concurrency), "--duration", s.c.Duration.String(), "--warmup", s.c.Warmup.String(),
		"--correct", "0.8", "--admin-password", password, "--json", "--quiet")
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("prizequiz load: %v: %s", err, stderrOf(err))
	}
	var rep struct {
		PerSecond float64 `json:"perSecond"`
		Completed int64   `json:"completed"`
		Ops       map[string]struct {
			Latency struct {
				Count int     `json:"count"`
				P50   float64 `json:"p50Ms"`
				P99   float64 `json:"p99Ms"`
				Max   float64 `json:"maxMs"`
			} `json:"latency"`
			Errors map[string]int64 `json:"errors"`
		} `json:"ops"`
		RateLimited bool `json:"rateLimited"`
	}
	if err := json.Unmarshal(out, &rep); err != nil {
		return nil, fmt.Errorf("load report: %w", err)
	}
	if rep.RateLimited {
		return nil, errors.New("the server rate-limited the load: its figures measure the limiter")
	}
	run := &LoadRun{PerSecond: rep.PerSecond, Completed: rep.Completed}
	for name, o := range rep.Ops {
		p := Percentiles{Count: o.Latency.Count, P50: msDur(o.Latency.P50), P99: msDur(o.Latency.P99), Max: msDur(o.Latency.Max)}
		switch name {
		case "attempt":
			run.Attempt = p
		case "startAttempt":
			run.Start = p
		case "submitAttempt":
			run.Submit = p
		}
		for _, n := range o.Errors {
			run.Errors += n
		}
	}
	rss = srv.stop()
	run.PeakRSSMiB = rss
	return run, nil
}

func msDur(ms float64) time.Duration { return time.Duration(ms * float64(time.Millisecond)) }

func stderrOf(err error) string {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return strings.TrimSpace(string(ee.Stderr))
	}
	return ""
}

var tpsLine = regexp.MustCompile(`tps = ([0-9.]+) \(without initial connection time\)`)
var latencyLine = regexp.MustCompile(`latency average = ([0-9.]+) ms`)

// pgbench initialises its tables in a scratch database and runs the
// built-in simple-update script with as many clients as the load has
// players.
func (s *suite) pgbench(ctx context.Context) (*PgbenchRun, error) {
	dsn, drop, err := s.scratchDB(ctx, "pgbench")
	if err != nil {
		return nil, err
	}
	defer drop()
	if out, err := exec.CommandContext(ctx, s.c.Pgbench, "-i", "-q", "-s", strconv.Itoa(s.c.PgbenchScale), dsn).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("pgbench -i: %v: %s", err, out)
	}
	secs := max(1, int(s.c.Duration.Seconds()))
	out, err := exec.CommandContext(ctx, s.c.Pgbench, "-b", "simple-update", "-n", "-c", strconv.Itoa(s.c.Concurrency),
		"-j", strconv.Itoa(max(1, min(s.c.Concurrency, s.c.Workers))), "-T", strconv.Itoa(secs), dsn).CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("pgbench: %v: %s", err, out)
	}
	m := tpsLine.FindSubmatch(out)
	if m == nil {
		return nil, fmt.Errorf("pgbench printed no tps: %s", out)
	}
	run := &PgbenchRun{Clients: s.c.Concurrency, Scale: s.c.PgbenchScale}
	run.TPS, _ = strconv.ParseFloat(string(m[1]), 64)
	if m := latencyLine.FindSubmatch(out); m != nil {
		run.LatencyMs, _ = strconv.ParseFloat(string(m[1]), 64)
	}
	return run, nil
}

// latency seeds a fresh PostgreSQL database, serves it, and times
// leaderboard(first: 100) and myStanding (as seeded players) through
// GraphQL, then the SQL answering the same questions without the index.
func (s *suite) latency(ctx context.Context) (*LatencyRun, error) {
	dsn, drop, err := s.scratchDB(ctx, "latency")
	if err != nil {
		return nil, err
	}
	defer drop()
	out, err := exec.CommandContext(ctx, s.bin, "seed", "--database-url", dsn, "--participants", strconv.Itoa(s.c.Participants),
		"--tokens", strconv.Itoa(s.c.Tokens), "--blocked", "0.001", "--json").Output()
	if err != nil {
		return nil, fmt.Errorf("prizequiz seed: %v: %s", err, stderrOf(err))
	}
	var seeded bulkseed.Result
	if err := json.Unmarshal(out, &seeded); err != nil {
		return nil, fmt.Errorf("seed output: %w", err)
	}
	if len(seeded.Sessions) == 0 {
		return nil, errors.New("seed issued no tokens")
	}
	run := &LatencyRun{Participants: seeded.Participants, SeedSeconds: seeded.Seconds, WorkersPerRun: s.c.Workers, Rate: s.c.Rate}
	srv, err := s.serve(ctx, randid.Password(), "--database-url", dsn)
	if err != nil {
		return nil, err
	}
	stopped := false
	defer func() {
		if !stopped {
			srv.stop()
		}
	}()
	hc := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	defer hc.CloseIdleConnections()
	endpoint := srv.url + "/graphql"
	cid := strconv.Itoa(seeded.CampaignID)
	board := gqlBody(`query($c: ID!) { leaderboard(campaignID: $c, first: 100) { total updatedAt entries { rank score durationMs achievedAt participant { publicID nickname } } } }`,
		map[string]any{"c": cid})
	mine := gqlBody(`query($c: ID!) { myStanding(campaignID: $c) { rank score durationMs attempts participant { publicID nickname } } }`,
		map[string]any{"c": cid})

	t0 := time.Now()
	if err := post(ctx, hc, endpoint, query{body: board}); err != nil {
		return nil, err
	}
	run.FirstLoad = time.Since(t0)
	warm := min(s.c.Warmup, 2*time.Second)
	for _, step := range []struct {
		into, paced *Percentiles
		next        func(*rand.Rand) query
	}{
		{&run.Leaderboard, &run.LeaderboardPaced, func(*rand.Rand) query { return query{body: board} }},
		{&run.MyStanding, &run.MyStandingPaced, func(rng *rand.Rand) query {
			return query{body: mine, token: seeded.Sessions[rng.IntN(len(seeded.Sessions))].Token}
		}},
	} {
		if _, _, err := drive(ctx, hc, endpoint, s.c.Workers, warm, step.next); err != nil {
			return nil, err
		}
		d, failed, err := drive(ctx, hc, endpoint, s.c.Workers, s.c.Duration, step.next)
		if err != nil {
			return nil, err
		}
		*step.into, run.Failed = percentiles(d), run.Failed+failed
		d, failed, err = pace(ctx, hc, endpoint, s.c.Rate, s.c.Duration, step.next)
		if err != nil {
			return nil, err
		}
		*step.paced, run.Failed = percentiles(d), run.Failed+failed
	}
	run.PeakRSSMiB = srv.stop()
	stopped = true

	db, err := sql.Open("postgres", dsn)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	run.SQLTop100, err = timeSQL(ctx, s.c.SQLSamples, func(int) error {
		rows, err := db.QueryContext(ctx, `SELECT s.score, s.duration_ms, s.achieved_at, p.public_id, p.nickname
			FROM standings s JOIN participants p ON p.id = s.participant_id
			WHERE s.campaign_id = $1 AND NOT s.hidden
			ORDER BY s.score DESC, s.duration_ms, s.achieved_at, s.participant_id LIMIT 100`, seeded.CampaignID)
		if err != nil {
			return err
		}
		n := 0
		for rows.Next() {
			n++
		}
		rows.Close()
		if n != min(100, seeded.Participants-1) && n != min(100, seeded.Participants) {
			return fmt.Errorf("top 100 returned %d rows", n)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("SQL top 100: %w", err)
	}
	run.SQLRank, err = timeSQL(ctx, s.c.SQLSamples, func(i int) error {
		var rank int
		return db.QueryRowContext(ctx, `SELECT 1 + count(*) FROM standings o, standings s
			WHERE s.campaign_id = $1 AND s.participant_id = $2 AND o.campaign_id = s.campaign_id AND NOT o.hidden AND
			(o.score > s.score OR (o.score = s.score AND (o.duration_ms < s.duration_ms OR (o.duration_ms = s.duration_ms AND
			(o.achieved_at < s.achieved_at OR (o.achieved_at = s.achieved_at AND o.participant_id < s.participant_id))))))`,
			seeded.CampaignID, seeded.Sessions[i%len(seeded.Sessions)].ParticipantID).Scan(&rank)
	})
	if err != nil {
		return nil, fmt.Errorf("SQL rank: %w", err)
	}
	return run, nil
}

func timeSQL(ctx context.Context, n int, fn func(i int) error) (Percentiles, error) {
	d := make([]time.Duration, 0, n)
	for i := range n {
		if ctx.Err() != nil {
			return Percentiles{}, ctx.Err()
		}
		t0 := time.Now()
		if err := fn(i); err != nil {
			return Percentiles{}, err
		}
		d = append(d, time.Since(t0))
	}
	return percentiles(d), nil
}

// goBench runs one benchmark of pkg with go test; quick mode adds -short,
// which every benchmark scales down for.
func (s *suite) goBench(ctx context.Context, pkg, name, benchtime string, postgres bool) ([]GoBench, error) {
	args := []string{"test", "-run", "^$", "-bench", "^Benchmark" + name + "$", "-benchtime", benchtime, "-count", "1"}
	if s.c.Quick {
		args = append(args, "-short")
	}
	args = append(args, pkg)
	var env []string
	if postgres {
		env = append(env, "PRIZEQUIZ_TEST_DATABASE_URL="+s.c.Postgres)
	}
	out, err := goCmd(ctx, s.c.Root, env, args...).CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("go %s: %v: %s", strings.Join(args, " "), err, lastLines(string(out), 20))
	}
	res := parseGoBench(string(out))
	if len(res) == 0 {
		return nil, fmt.Errorf("go %s printed no result: %s", strings.Join(args, " "), lastLines(string(out), 20))
	}
	return res, nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
