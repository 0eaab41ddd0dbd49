// Package cli parses prizequiz's command line and runs its subcommands.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"prizequiz/graph"
	"prizequiz/internal/auth"
	"prizequiz/internal/clock"
	"prizequiz/internal/demo"
	"prizequiz/internal/logging"
	"prizequiz/internal/server"
	"prizequiz/internal/stats"
	"prizequiz/internal/store"
	"prizequiz/internal/wechat"
)

const usage = `prizequiz: a city-wide prize quiz (有奖竞答)

Usage:
  prizequiz serve    [flags]   run the server (GraphQL, playground, dashboard)
  prizequiz migrate  [flags]   create or update the database schema, then exit
  prizequiz verify-draw <proof.json | URL | ->
                               recompute a draw from its proof; exit 1 if any step fails
  prizequiz purge-contacts --campaign ID [--force]
                               erase winners' contact data after the contest
  prizequiz load     [flags]   drive virtual players against a running server and report
  prizequiz seed     [flags]   create ranked participants in bulk, for benchmarks

Run "prizequiz <command> -h" for the flags of a command.
`

// Main runs the command line args until done or interrupted, and returns
// the exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return Run(ctx, args, stdout, stderr)
}

// Run runs the command line args until done or ctx ends.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "serve":
		err = serve(ctx, args[1:], stderr)
	case "migrate":
		err = migrate(ctx, args[1:], stderr)
	case "verify-draw":
		err = verifyDraw(ctx, args[1:], stdout, stderr)
	case "purge-contacts":
		err = purgeContacts(ctx, args[1:], stdout, stderr)
	case "load":
		err = load(ctx, args[1:], stdout, stderr)
	case "seed":
		err = seed(ctx, args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "prizequiz %s: %v\n", args[0], err)
		return 1
	}
	return 0
}

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

func envBool(name string, def bool) bool {
	switch strings.ToLower(os.Getenv(name)) {
	case "1", "true", "yes", "on":
		return true
	case "0", "false", "no", "off":
		return false
	}
	return def
}

func databaseFlag(fs *flag.FlagSet) *string {
	return fs.String("database-url", env("PRIZEQUIZ_DATABASE_URL", ""),
		"postgres://… for PostgreSQL; empty for the embedded SQLite file "+store.DefaultSQLiteFile+" (env PRIZEQUIZ_DATABASE_URL)")
}

func migrate(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dsn := databaseFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := store.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	return db.Migrate(ctx)
}

func serve(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", env("PRIZEQUIZ_ADDR", ":8080"), "listen address (env PRIZEQUIZ_ADDR)")
	dsn := databaseFlag(fs)
	mode := fs.String("env", env("PRIZEQUIZ_ENV", "development"), "development or production: production turns the playground, introspection and field suggestions off by default (env PRIZEQUIZ_ENV)")
	pg := fs.Bool("playground", envBool("PRIZEQUIZ_PLAYGROUND", true), "serve the GraphQL playground at /playground; default off in production (env PRIZEQUIZ_PLAYGROUND)")
	intro := fs.Bool("introspection", envBool("PRIZEQUIZ_INTROSPECTION", true), "allow GraphQL introspection; default off in production (env PRIZEQUIZ_INTROSPECTION)")
	demoFlag := fs.Bool("demo", envBool("PRIZEQUIZ_DEMO", false), "seed the demo bank and campaign into an empty database; always done for an empty embedded SQLite file (env PRIZEQUIZ_DEMO)")
	limits := fs.Bool("rate-limits", envBool("PRIZEQUIZ_RATE_LIMITS", true), "limit sign-ins per client address and attempts per player; off only for load tests (env PRIZEQUIZ_RATE_LIMITS)")
	origins := fs.String("allowed-origins", env("PRIZEQUIZ_ALLOWED_ORIGINS", ""), "comma-separated host patterns (e.g. h5.example.com,*.example.org) whose pages may call the API from a browser: CORS and websockets (env PRIZEQUIZ_ALLOWED_ORIGINS)")
	drainDelay := fs.Duration("drain-delay", 0, "on SIGTERM, answer /readyz with 503 for this long before closing the listener, so a load balancer stops sending clients first (env PRIZEQUIZ_DRAIN_DELAY)")
	debugAddr := fs.String("debug-addr", env("PRIZEQUIZ_DEBUG_ADDR", ""), "serve Go's profiler (/debug/pprof/) on this address, e.g. 127.0.0.1:6060; never expose it publicly; empty: off (env PRIZEQUIZ_DEBUG_ADDR)")
	shutdownTimeout := fs.Duration("shutdown-timeout", 10*time.Second, "after the drain delay, how long requests in flight and subscriptions may take to finish before the process gives up on them and exits 1 (env PRIZEQUIZ_SHUTDOWN_TIMEOUT)")
	for name, v := range map[string]string{"drain-delay": "PRIZEQUIZ_DRAIN_DELAY", "shutdown-timeout": "PRIZEQUIZ_SHUTDOWN_TIMEOUT"} {
		if e, ok := os.LookupEnv(v); ok {
			if err := fs.Set(name, e); err != nil {
				return fmt.Errorf("%s: %w", v, err)
			}
		}
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(server.GCPercent)
	}
	log := logging.New(stderr)
	slog.SetDefault(log) // for the services that log on their own

	db, err := store.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	clk := clock.Real{}
	res := graph.NewResolver(db, clk)
	res.Auth.WeChat = &wechat.Client{
		AppID:  os.Getenv("PRIZEQUIZ_WECHAT_APPID"),
		Secret: os.Getenv("PRIZEQUIZ_WECHAT_SECRET"),
		Base:   env("PRIZEQUIZ_WECHAT_API_BASE", wechat.DefaultBase),
	}
	res.Auth.PasswordFile = env("PRIZEQUIZ_ADMIN_PASSWORD_FILE", auth.DefaultPasswordFile)
	if err := res.Auth.BootstrapAdmin(ctx, os.Getenv("PRIZEQUIZ_ADMIN_PASSWORD"), log); err != nil {
		return err
	}
	if *demoFlag || db.Dialect == "sqlite3" {
		seeded, err := demo.Seed(ctx, db.Client, res.Banks, res.CampaignSvc)
		if err != nil {
			return err
		}
		if seeded {
			log.Info("seeded demo question bank and campaign", "bank", demo.BankName, "campaign", demo.CampaignName)
		}
	}

	cfg := server.DefaultConfig()
	switch *mode {
	case "production":
		cfg = server.ProductionConfig()
	case "development":
	default:
		return fmt.Errorf("--env: development or production, not %q", *mode)
	}
	// An explicit flag or variable wins over the mode's default.
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["playground"] || os.Getenv("PRIZEQUIZ_PLAYGROUND") != "" {
		cfg.Playground = *pg
	}
	if set["introspection"] || os.Getenv("PRIZEQUIZ_INTROSPECTION") != "" {
		cfg.Introspection = *intro
	}
	cfg.RateLimits.Off = !*limits
	if *origins != "" {
		cfg.OriginPatterns = strings.Split(*origins, ",")
	}
	// Requests and background work outlive the signal: a submit in flight
	// when SIGTERM arrives commits and is answered, and the ranking feed
	// announces it, before work ends.
	work, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWork()
	h := server.New(cfg, db, res, log)
	srv := &http.Server{
		Addr:              *addr,
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return work },
	}
	// Background jobs, safe to run in several processes at once: expiry is
	// a conditional update; the draw scheduler and the folder take advisory
	// locks and write conditionally.
	go every(work, 30*time.Second, "expire overdue attempts", log,
		func(ctx context.Context) (int, error) { return res.Play.ExpireOverdue(ctx, 1000) })
	go every(work, time.Second, "draw scheduler", log, res.Draws.Tick)
	feedDone := make(chan struct{})
	go func() {
		defer close(feedDone)
		if err := res.Ranks.Run(work); err != nil {
			log.Error("ranking feed stopped", "err", err)
		}
	}()
	folder := &stats.Folder{DB: db, Clock: clk}
	go every(work, 2*time.Second, "fold statistics", log,
		func(ctx context.Context) (int, error) { return folder.Fold(ctx, 5000) })

	if *debugAddr != "" {
		if err := serveProfiler(work, *debugAddr, log); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", *addr, err)
	}
	log.Info("prizequiz serving", "addr", ln.Addr().String(), "database", db.Dialect, "env", *mode, "playground", cfg.Playground)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("draining", "delay", drainDelay.String())
	h.Drain()
	if *drainDelay > 0 {
		select {
		case err := <-errc:
			return err
		case <-time.After(*drainDelay):
		}
	}
	log.Info("shutting down", "timeout", shutdownTimeout.String())
	shut, cancel := context.WithTimeout(context.Background(), *shutdownTimeout)
	defer cancel()
	streams := make(chan error, 1)
	go func() { streams <- h.CloseStreams(shut) }()
	err = errors.Join(srv.Shutdown(shut), <-streams)
	stopWork()
	<-feedDone // its last announcement goes out before the database closes
	if err != nil {
		_ = srv.Close()
		return fmt.Errorf("shutdown: requests or subscriptions still open after %s: %w", *shutdownTimeout, err)
	}
	log.Info("stopped")
	return nil
}

// every runs job every d until ctx ends, logging its failures.
func every(ctx context.Context, d time.Duration, name string, log *slog.Logger, job func(context.Context) (int, error)) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := job(ctx); err != nil && ctx.Err() == nil {
				log.Error(name, "err", err)
			} else if n > 0 {
				log.Debug(name, "count", n)
			}
		}
	}
}
