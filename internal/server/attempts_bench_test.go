package server_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"prizequiz/graph"
	"prizequiz/internal/clock"
	"prizequiz/internal/server"
	"prizequiz/internal/store"
	"prizequiz/internal/store/storetest"
)

// BenchmarkAttempts: completed attempts (startAttempt + submitAttempt over
// HTTP through the real handler, rate limits off) by 32 players playing
// back to back, on PostgreSQL when PRIZEQUIZ_TEST_DATABASE_URL is set,
// else on SQLite. The client runs in this process. It is the server's side
// of SPEC §6's 1,500 attempts/s; `prizequiz load` measures the same over
// the network against a separate process.
func BenchmarkAttempts(b *testing.B) {
	const players = 32
	quietDefaultLog(b)
	e, _ := benchServer(b)
	srv, db := e.srv, e.db
	cid, answers := e.setUpWith(e.adminToken(), map[string]any{"timeLimitSeconds": 300, "periodSeconds": 24 * 3600})
	hc := &http.Client{Transport: &http.Transport{MaxConnsPerHost: players, MaxIdleConnsPerHost: players}, Timeout: time.Minute}
	defer hc.CloseIdleConnections()
	tokens := signInGuests(b, hc, srv.URL, "玩家", players)

	var left atomic.Int64
	left.Store(int64(b.N))
	var mu sync.Mutex
	var took []time.Duration
	var firstErr error
	b.ResetTimer()
	cpu0, pg0, st0 := processCPU(), postgresCPU(), db.Statements()
	start := time.Now()
	var wg sync.WaitGroup
	for _, token := range tokens {
		wg.Go(func() {
			for left.Add(-1) >= 0 {
				t0 := time.Now()
				_, _, err := completeOne(hc, srv.URL, cid, answers, token, 5)
				mu.Lock()
				took = append(took, time.Since(t0))
				if err != nil && firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	cpu, pg, statements := processCPU()-cpu0, postgresCPU()-pg0, db.Statements()-st0
	b.StopTimer()
	if firstErr != nil {
		b.Fatalf("%v\nthe server's warnings:\n%s", firstErr, e.logs)
	}
	slices.Sort(took)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "attempts/s")
	b.ReportMetric(float64(took[len(took)/2])/1e6, "p50-ms")
	b.ReportMetric(float64(took[len(took)*99/100])/1e6, "p99-ms")
	// CPU per attempt says what throughput cannot on a busy machine: the
	// cost, whoever else is running.
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "go-cpu-µs/attempt")
	if os.Getenv(storetest.EnvPostgres) != "" {
		b.ReportMetric(float64(pg.Microseconds())/float64(b.N), "pg-cpu-µs/attempt")
		b.ReportMetric(float64(statements)/float64(b.N), "statements/attempt")
	}
}

// processCPU is the CPU time this process has used (user and system): the
// server and its in-process clients.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// postgresCPU is the CPU time used by the machine's postgres processes, read
// from /proc (0 where that is not possible): the database's share of an
// attempt, when it runs on this machine. Backends that end in between are
// missed, so it may understate, never overstate.
func postgresCPU() time.Duration {
	dirs, _ := os.ReadDir("/proc")
	var ticks int64
	for _, d := range dirs {
		if _, err := strconv.Atoi(d.Name()); err != nil {
			continue
		}
		comm, err := os.ReadFile("/proc/" + d.Name() + "/comm")
		if err != nil || strings.TrimSpace(string(comm)) != "postgres" {
			continue
		}
		stat, err := os.ReadFile("/proc/" + d.Name() + "/stat")
		if err != nil {
			continue
		}
		// Fields after the command name, which is in parentheses: utime
		// and stime are the 12th and 13th.
		f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		if len(f) > 12 {
			u, _ := strconv.ParseInt(f[11], 10, 64)
			s, _ := strconv.ParseInt(f[12], 10, 64)
			ticks += u + s
		}
	}
	return time.Duration(ticks) * time.Second / 100 // USER_HZ is 100 on Linux
}

// benchServer is the real handler with rate limits off (one address plays
// for thousands) on PostgreSQL when PRIZEQUIZ_TEST_DATABASE_URL is set, else
// on SQLite, and the name of the database. The env's clock starts at now,
// on the real clock the server runs on, for setUpWith's campaign.
func benchServer(b *testing.B) (e *env, dbName string) {
	var db *store.DB
	dbName = "SQLite"
	if os.Getenv(storetest.EnvPostgres) != "" {
		db, dbName = storetest.Postgres(b), "PostgreSQL"
	} else {
		db = storetest.SQLite(b)
	}
	res := graph.NewResolver(db, clock.Real{})
	if err := res.Auth.BootstrapAdmin(b.Context(), adminPassword, slog.New(slog.DiscardHandler)); err != nil {
		b.Fatal(err)
	}
	cfg := server.DefaultConfig()
	cfg.RateLimits.Off = true
	// Warnings and errors only, so that a failed run can say why (the
	// database's own error behind a retryable INTERNAL, say) without
	// logging costing the run anything while it goes well.
	logs := &bytes.Buffer{}
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv := httptest.NewServer(server.New(cfg, db, res, log))
	b.Cleanup(srv.Close)
	return &env{t: b, srv: srv, clock: clock.NewFake(time.Now()), db: db, res: res, logs: logs}, dbName
}

// quietDefaultLog silences the default logger (the rank index logs its
// loads there) for the benchmark: a line printed between a benchmark's name
// and its figures breaks the output that make bench reads.
func quietDefaultLog(b *testing.B) {
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.DiscardHandler))
	b.Cleanup(func() { slog.SetDefault(prev) })
}
