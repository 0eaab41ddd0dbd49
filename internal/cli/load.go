package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"strconv"
	"time"

	"prizequiz/internal/loadgen"
)

// load runs `prizequiz load`: virtual players against a running server.
func load(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: prizequiz load [flags]

Drives virtual players against a running server (start it with
--rate-limits=false) over HTTP and websockets, and reports completed
attempts per second, latency percentiles, errors by code and live-ranking
delivery lag.

Flags:
`)
		fs.PrintDefaults()
	}
	cfg := loadgen.Config{}
	fs.StringVar(&cfg.URL, "url", env("PRIZEQUIZ_LOAD_URL", "http://127.0.0.1:8080"), "the server's address (env PRIZEQUIZ_LOAD_URL)")
	fs.StringVar(&cfg.CampaignID, "campaign", env("PRIZEQUIZ_LOAD_CAMPAIGN", ""), "campaign id to play; default the first of activeCampaigns (env PRIZEQUIZ_LOAD_CAMPAIGN)")
	fs.StringVar(&cfg.Mode, "mode", env("PRIZEQUIZ_LOAD_MODE", loadgen.ModeClosed), "closed: --concurrency players playing back to back; open: --rate attempts started per second whatever the server's speed (env PRIZEQUIZ_LOAD_MODE)")
	fs.Float64Var(&cfg.Rate, "rate", loadEnvFloat("PRIZEQUIZ_LOAD_RATE", 100), "open loop: attempts started per second (env PRIZEQUIZ_LOAD_RATE)")
	fs.StringVar(&cfg.Arrival, "arrival", env("PRIZEQUIZ_LOAD_ARRIVAL", loadgen.ArrivalPoisson), "open loop: poisson (exponential gaps) or fixed (even interval) arrivals (env PRIZEQUIZ_LOAD_ARRIVAL)")
	fs.IntVar(&cfg.MaxInFlight, "max-in-flight", 10000, "open loop: attempts in flight at most; later arrivals wait, and the wait counts in their latency")
	fs.IntVar(&cfg.Concurrency, "concurrency", loadEnvInt("PRIZEQUIZ_LOAD_CONCURRENCY", 32), "closed loop: virtual players (env PRIZEQUIZ_LOAD_CONCURRENCY)")
	fs.DurationVar(&cfg.Duration, "duration", loadEnvDuration("PRIZEQUIZ_LOAD_DURATION", 30*time.Second), "measured window (env PRIZEQUIZ_LOAD_DURATION)")
	fs.DurationVar(&cfg.Warmup, "warmup", loadEnvDuration("PRIZEQUIZ_LOAD_WARMUP", 0), "unmeasured time before the window (env PRIZEQUIZ_LOAD_WARMUP)")
	fs.DurationVar(&cfg.Think, "think", loadEnvDuration("PRIZEQUIZ_LOAD_THINK", 0), "time between a player's start and its submit (env PRIZEQUIZ_LOAD_THINK)")
	fs.Float64Var(&cfg.Correct, "correct", loadEnvFloat("PRIZEQUIZ_LOAD_CORRECT", 0.8), "share (0..1) of questions answered correctly; needs --admin-password for the answer key, else answers are random (env PRIZEQUIZ_LOAD_CORRECT)")
	fs.StringVar(&cfg.AdminUser, "admin-user", env("PRIZEQUIZ_ADMIN_USER", "admin"), "admin account that reads the answer key (env PRIZEQUIZ_ADMIN_USER)")
	// Not defaulted from the environment: -h would print the password.
	fs.StringVar(&cfg.AdminPassword, "admin-password", "", "password of --admin-user (env PRIZEQUIZ_ADMIN_PASSWORD)")
	fs.IntVar(&cfg.AttemptsPerPlayer, "attempts-per-player", loadEnvInt("PRIZEQUIZ_LOAD_ATTEMPTS_PER_PLAYER", 0), "sign in as a new guest after this many attempts (real traffic is mostly new players); 0: each player keeps its first session (env PRIZEQUIZ_LOAD_ATTEMPTS_PER_PLAYER)")
	fs.IntVar(&cfg.Subscribers, "subscribers", loadEnvInt("PRIZEQUIZ_LOAD_SUBSCRIBERS", 0), "leaderboardUpdated(first:10) websocket subscribers opened before the run (env PRIZEQUIZ_LOAD_SUBSCRIBERS)")
	fs.Float64Var(&cfg.StandingSample, "standing-sample", loadEnvFloat("PRIZEQUIZ_LOAD_STANDING_SAMPLE", 0), "share (0..1) of players that also follow their own myStandingUpdated (env PRIZEQUIZ_LOAD_STANDING_SAMPLE)")
	fs.DurationVar(&cfg.Timeout, "timeout", 30*time.Second, "bound on each request and websocket setup")
	fs.DurationVar(&cfg.Drain, "drain", 10*time.Second, "time after the window for attempts in flight, then for subscriptions, to finish")
	seed := fs.Uint64("seed", 0, "random seed for answers and arrivals; 0 picks one")
	asJSON := fs.Bool("json", false, "print the report as JSON (for make bench)")
	quiet := fs.Bool("quiet", false, "no progress lines on stderr")
	cpuProfile := fs.String("cpuprofile", "", "write the load tool's own CPU profile to this file: on one machine it shares the cores with the server it measures")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	cfg.Seed = *seed
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if !set["admin-password"] {
		cfg.AdminPassword = os.Getenv("PRIZEQUIZ_ADMIN_PASSWORD")
	}
	if cfg.AdminPassword == "" && !set["correct"] && os.Getenv("PRIZEQUIZ_LOAD_CORRECT") == "" {
		cfg.Correct = 0 // the default share needs the key; random answers then, without a warning
	}
	if !*quiet {
		cfg.Progress = func(msg string) { fmt.Fprintf(stderr, "load: %s\n", msg) }
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	rep, err := loadgen.Run(ctx, cfg)
	if err != nil {
		return err
	}
	if *asJSON {
		b, err := rep.JSON()
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(stdout, "%s\n", b); err != nil {
			return err
		}
	} else if err := rep.WriteText(stdout); err != nil {
		return err
	}
	if rep.Completed == 0 {
		return errors.New("no attempt completed")
	}
	return nil
}

func loadEnvFloat(name string, def float64) float64 {
	if v, err := strconv.ParseFloat(os.Getenv(name), 64); err == nil {
		return v
	}
	return def
}

func loadEnvInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

func loadEnvDuration(name string, def time.Duration) time.Duration {
	if v, err := time.ParseDuration(os.Getenv(name)); err == nil {
		return v
	}
	return def
}
