package benchreport

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// markdown is the whole report: generated figures, then history verbatim.
func (r *Results) markdown(history string) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	c, m := r.Config, r.Machine

	p("# Benchmarks\n\n")
	p("<!-- Written by `make bench` (cmd/benchreport). Do not edit by hand: the figures are\n")
	p("     rewritten on every run; hand-written notes go in docs/benchmarks-history.md,\n")
	p("     which is copied verbatim at the end. -->\n\n")
	if c.Quick {
		p("> **Quick mode** (`make bench QUICK=1`): tiny sizes and a few seconds a step, to check\n")
		p("> the pipeline. These figures mean nothing; do not commit this file.\n\n")
	}
	p("Speed targets of SPEC §6 are checked by benchmarks, never by timed tests.\n")
	p("Each figure is reported next to a reference figure taken in the same run on\n")
	p("the same machine, so a slower or busier machine shows in both.\n\n")

	p("## Machine\n\n")
	p("| | |\n|---|---|\n")
	p("| date | %s |\n", m.Date.Format("2006-01-02 15:04 MST"))
	p("| CPU | %s |\n| cores | %d |\n| memory | %.1f GiB |\n", m.CPU, m.Cores, m.MemoryGiB)
	p("| OS | %s (kernel %s) |\n| Go | %s |\n| PostgreSQL | %s, on %s |\n| pgbench | %s |\n",
		m.OS, m.Kernel, m.Go, m.Postgres, pgHost(c.Postgres), m.Pgbench)
	p("| load average before the run | %s |\n", m.LoadAvg)
	p("| the run | %s, %s |\n\n", mode(c), r.Took.Round(time.Second))

	p("## Against SPEC §6\n\n")
	p("| what | figure | reference, same run | target |\n|---|---|---|---|\n")
	att, ref := "failed", "failed"
	if a := r.Attempts; a != nil {
		att = fmt.Sprintf("**%.0f attempts/s**, p99 %s", a.PerSecond, ms(a.Attempt.P99))
	}
	if g := r.Pgbench; g != nil {
		ref = fmt.Sprintf("pgbench simple-update %.0f tps", g.TPS)
		if a := r.Attempts; a != nil && g.TPS > 0 {
			ref += fmt.Sprintf("; **ratio %.3f**", a.PerSecond/g.TPS)
		}
	}
	p("| completed attempts (start + submit, GraphQL over HTTP), PostgreSQL | %s | %s | ≥ 1,500/s, p99 < 100 ms |\n", att, ref)
	if l := r.Latency; l != nil {
		p("| `leaderboard(first: 100)` at %s participants | at %s requests/s: p50 %s, **p99 %s**; %d clients back to back: p50 %s, p99 %s | SQL top 100 with names: p50 %s, p99 %s | p99 < 5 ms |\n",
			thousands(l.Participants), thousands(l.Rate), ms(l.LeaderboardPaced.P50), ms(l.LeaderboardPaced.P99),
			l.WorkersPerRun, ms(l.Leaderboard.P50), ms(l.Leaderboard.P99), ms(l.SQLTop100.P50), ms(l.SQLTop100.P99))
		p("| `myStanding` at %s participants | at %s requests/s: p50 %s, **p99 %s**; %d clients back to back: p50 %s, p99 %s | SQL `1 + count(*)` rank: p50 %s, p99 %s | p99 < 2 ms |\n",
			thousands(l.Participants), thousands(l.Rate), ms(l.MyStandingPaced.P50), ms(l.MyStandingPaced.P99),
			l.WorkersPerRun, ms(l.MyStanding.P50), ms(l.MyStanding.P99), ms(l.SQLRank.P50), ms(l.SQLRank.P99))
	} else {
		p("| `leaderboard(first: 100)`, `myStanding` | failed | | p99 < 5 ms, < 2 ms |\n")
	}
	if sub := first(r.Subscribers); sub != nil {
		p("| `leaderboardUpdated` subscribers | %s | | 10,000 on one process, p99 ≤ 1 s at 500 attempts/s |\n", metrics(sub, true))
	} else {
		p("| `leaderboardUpdated` subscribers | failed | | 10,000, p99 ≤ 1 s |\n")
	}
	if d := first(r.Draw); d != nil {
		ns, _ := d.Get("ns/op")
		refMs, _ := d.Get("ref-count-ms/op")
		p("| pool and draw at %s | **%s** | `SELECT count(*) FROM attempts`: %s | < 2 s |\n",
			drawSize(c), ms(time.Duration(ns)), ms(time.Duration(refMs*float64(time.Millisecond))))
	} else {
		p("| pool and draw | failed | | < 2 s |\n")
	}
	p("\n")

	p("## Completed attempts per second\n\n")
	p("`prizequiz load --mode closed --concurrency %d --duration %v --warmup %v --correct 0.8` against\n", c.Concurrency, c.Duration, c.Warmup)
	p("`prizequiz serve --rate-limits=false` on a fresh database holding the demo campaign\n")
	p("(answers from the admin answer key). The reference is `pgbench -b simple-update -c %d -T %d`\n", c.Concurrency, int(c.Duration.Seconds()))
	p("on a scratch database of the same PostgreSQL (`pgbench -i -s %d`), run just after; the\n", c.PgbenchScale)
	p("ratio is attempts/s ÷ pgbench tps. An attempt is two GraphQL requests and, on the\n")
	p("server, several transactions. Peak RSS is the server's VmHWM at the end of the run.\n\n")
	p("| database | attempts/s | completed | attempt p50 / p99 | startAttempt p99 | submitAttempt p99 | errors | server peak RSS |\n")
	p("|---|---|---|---|---|---|---|---|\n")
	for _, row := range []struct {
		name string
		run  *LoadRun
		err  error
	}{{"PostgreSQL", r.Attempts, r.AttemptsErr}, {"SQLite (the embedded default)", r.SQLite, r.SQLiteErr}} {
		if row.run == nil {
			p("| %s | failed: %s | | | | | | |\n", row.name, oneLine(row.err))
			continue
		}
		a := row.run
		p("| %s | **%.0f** | %d | %s / %s | %s | %s | %d | %.0f MiB |\n", row.name, a.PerSecond, a.Completed,
			ms(a.Attempt.P50), ms(a.Attempt.P99), ms(a.Start.P99), ms(a.Submit.P99), a.Errors, a.PeakRSSMiB)
	}
	if g := r.Pgbench; g != nil {
		p("| reference: pgbench simple-update | **%.0f tps** | | latency average %.2f ms | | | | |\n", g.TPS, g.LatencyMs)
	} else {
		p("| reference: pgbench simple-update | failed: %s | | | | | | |\n", oneLine(r.PgbenchErr))
	}
	p("\nThe load tool's `leaderboardUpdated` lag is not reported: a total whose top N did\n")
	p("not change is pushed at most every 5 s, so lag measured from the growth of `total`\n")
	p("no longer means anything. The subscriber benchmark below measures delivery.\n\n")

	p("## leaderboard and myStanding at scale\n\n")
	if l := r.Latency; l != nil {
		p("`prizequiz seed --participants %s --tokens %d --blocked 0.001` on a fresh PostgreSQL\n", thousands(l.Participants), c.Tokens)
		p("database (%.1f s), then `prizequiz serve` on it. Each query is driven twice for %v\n", l.SeedSeconds, c.Duration)
		p("(after %v of warm-up): **paced**, %s requests a second, each sent on time whether or not\n", min(c.Warmup, 2*time.Second), thousands(l.Rate))
		p("the earlier ones were answered, as independent players send them (a city's peak: 1,500\n")
		p("attempts a second, each followed by a look at the board or\n")
		p("one's standing); and **back to back** from %d clients, which saturates the two cores the\n", l.WorkersPerRun)
		p("clients share with the server, so its latency is mostly queueing and its requests/s is the\n")
		p("capacity. `leaderboard(first: 100)` with public names; `myStanding` as a random one of the\n")
		p("seeded players. Latency is the client's, HTTP included. The references run the SQL that\n")
		p("answers the same question without the rank index, one at a time, %d times each, on the same database.\n\n", c.SQLSamples)
		p("| query | how | requests | p50 | p99 | max | reference (SQL) p50 / p99 |\n|---|---|---|---|---|---|---|\n")
		row := func(name, how string, q Percentiles, bold bool, ref string) {
			p99 := ms(q.P99)
			if bold {
				p99 = "**" + p99 + "**"
			}
			p("| %s | %s | %d | %s | %s | %s | %s |\n", name, how, q.Count, ms(q.P50), p99, ms(q.Max), ref)
		}
		paced := fmt.Sprintf("paced, %s/s", thousands(l.Rate))
		closed := fmt.Sprintf("%d back to back (%.0f/s)", l.WorkersPerRun, float64(l.Leaderboard.Count)/c.Duration.Seconds())
		row("`leaderboard(first: 100)`", paced, l.LeaderboardPaced, true,
			fmt.Sprintf("top 100 by `standing_rank_order` joined with names: %s / %s", ms(l.SQLTop100.P50), ms(l.SQLTop100.P99)))
		row("", closed, l.Leaderboard, false, "")
		closed = fmt.Sprintf("%d back to back (%.0f/s)", l.WorkersPerRun, float64(l.MyStanding.Count)/c.Duration.Seconds())
		row("`myStanding`", paced, l.MyStandingPaced, true,
			fmt.Sprintf("`1 + count(*)` of the rows ranked ahead: %s / %s", ms(l.SQLRank.P50), ms(l.SQLRank.P99)))
		row("", closed, l.MyStanding, false, "")
		p("\n")
		p("The first `leaderboard` (loading the rank index from the table) took %s; failed\n", ms(l.FirstLoad))
		p("requests: %d; the server's peak RSS with the index loaded: %.0f MiB.\n\n", l.Failed, l.PeakRSSMiB)
	} else {
		p("Failed: %s\n\n", oneLine(r.LatencyErr))
	}

	p("## Cost of an attempt in the server\n\n")
	p("```sh\nPRIZEQUIZ_TEST_DATABASE_URL=… go test -run '^$' -bench 'Attempts$' ./internal/server/\n```\n\n")
	p("32 players completing attempts through the real handler in process, on PostgreSQL: the statements sent and the " +
		"CPU used per attempt by this process (server and clients) and by the machine's postgres processes, which " +
		"say what throughput alone cannot on a busy machine.\n\n")
	writeGoBench(&b, r.AttemptCost, r.AttemptCostErr)

	p("## Live subscribers (target: 10,000 on one process, each update within 1 s at p99, while 500 attempts/s complete)\n\n")
	p("```sh\nPRIZEQUIZ_TEST_DATABASE_URL=… go test -run '^$' -bench Subscribers10k -benchtime 1x%s ./internal/server/\n```\n\n", short(c))
	p("One server on PostgreSQL; the subscribers in a second process on the same machine; the attempts offered at 500/s, " +
		"so attempts/s is what the server completed beside the fan-out. The benchmark's own metrics, as printed " +
		"(see its comment for what each means):\n\n")
	writeGoBench(&b, r.Subscribers, r.SubscribersErr)

	p("## Pool and draw\n\n")
	p("```sh\nPRIZEQUIZ_TEST_DATABASE_URL=… go test -run '^$' -bench PoolAndDraw1M -benchtime %dx%s ./internal/prizedraw/\n```\n\n", c.DrawRuns, short(c))
	p("The pool (top 1,000 eligible at the cutoff, from the submitted attempts) and 520\n")
	p("winners drawn with `prizequiz-draw-v1`; the reference is a full `count(*)` of the\n")
	p("same attempts table in the same run.\n\n")
	writeGoBench(&b, r.Draw, r.DrawErr)

	p("## How to run\n\n")
	p("```sh\nmake bench                 # the full run: about 10 minutes on the 2-core machine; rewrites this file\n")
	p("make bench QUICK=1         # tiny sizes, about a minute: checks the pipeline only\n")
	p("make bench-smoke           # every Go benchmark once at -short sizes (part of make test)\n```\n\n")
	p("`make bench` needs PostgreSQL (`PRIZEQUIZ_BENCH_DATABASE_URL`, default\n")
	p("`postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable`; it creates and drops\n")
	p("scratch databases there) and `pgbench`. Run it on a quiet machine: every figure\n")
	p("shares the two cores with the load generator.\n\n")

	p("---\n\n")
	p("%s", strings.TrimLeft(history, "\n"))
	if !strings.HasSuffix(history, "\n") {
		p("\n")
	}
	return b.String()
}

func writeGoBench(b *strings.Builder, res []GoBench, err error) {
	if err != nil {
		fmt.Fprintf(b, "Failed: %s\n\n", oneLine(err))
		return
	}
	fmt.Fprintf(b, "| benchmark | runs | metrics |\n|---|---|---|\n")
	for _, r := range res {
		fmt.Fprintf(b, "| %s | %d | %s |\n", r.Name, r.N, metrics(&r, false))
	}
	b.WriteString("\n")
}

// metrics prints a result's metrics; brief leaves out ns/op, which for a
// one-iteration run is just the run's length.
func metrics(r *GoBench, brief bool) string {
	var parts []string
	for _, m := range r.Metrics {
		if brief && m.Unit == "ns/op" {
			continue
		}
		v := fmt.Sprintf("%.4g", m.Value)
		if m.Unit == "ns/op" {
			v = ms(time.Duration(m.Value))
			parts = append(parts, v+"/op")
			continue
		}
		parts = append(parts, v+" "+m.Unit)
	}
	return strings.Join(parts, ", ")
}

func first(r []GoBench) *GoBench {
	if len(r) == 0 {
		return nil
	}
	return &r[0]
}

func ms(d time.Duration) string {
	switch {
	case d == 0:
		return "—"
	case d < time.Millisecond:
		return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond))
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
	case d < 10*time.Second:
		return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

func thousands(n int) string {
	s := fmt.Sprint(n)
	var out []string
	for len(s) > 3 {
		out = append([]string{s[len(s)-3:]}, out...)
		s = s[:len(s)-3]
	}
	return strings.Join(append([]string{s}, out...), ",")
}

func mode(c Config) string {
	if c.Quick {
		return "quick mode"
	}
	return "full run"
}

func short(c Config) string {
	if c.Quick {
		return " -short"
	}
	return ""
}

func drawSize(c Config) string {
	if c.Quick {
		return "the -short size"
	}
	return "1,000,000"
}

func oneLine(err error) string {
	if err == nil {
		return ""
	}
	s := strings.Join(strings.Fields(err.Error()), " ")
	s = strings.ReplaceAll(s, "|", "\\|")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// pgHost names the PostgreSQL server without its credentials.
func pgHost(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "?"
	}
	return u.Host
}
