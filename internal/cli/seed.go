package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"prizequiz/ent/campaign"
	"prizequiz/internal/bulkseed"
	"prizequiz/internal/store"
)

// seed runs `prizequiz seed`: ranked participants in bulk, for benchmarks.
func seed(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: prizequiz seed [flags]

Creates participants with standings in a campaign directly in the database
(COPY on PostgreSQL, batched INSERTs on SQLite), as the ranking benchmarks
need: a million takes seconds, not the hours of a million sign-ins and
submits. The rows are what submitAttempt would have left, so the rank index,
leaderboard and myStanding see them; no attempts are created, so a period's
pool does not. Not for a production database.

Flags:
`)
		fs.PrintDefaults()
	}
	dsn := databaseFlag(fs)
	campaignID := fs.Int("campaign", 0, "campaign to fill; 0 creates one on the demo bank (示例题库), started 3 days ago")
	n := fs.Int("participants", 1_000_000, "participants to create, each with a standing")
	mode := fs.String("mode", "best", "ranking mode of a new campaign: best (BEST_ATTEMPT) or total (TOTAL_SCORE); with --campaign it must match")
	blocked := fs.Float64("blocked", 0, "share (0..1) of participants created blocked, their standings hidden")
	tokens := fs.Int("tokens", 0, "issue session tokens to this many sampled unblocked participants (for myStanding runs)")
	seedFlag := fs.Uint64("seed", 0, "random seed of the generated scores and times; 0 picks one")
	asJSON := fs.Bool("json", false, "print the result, tokens included, as JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	o := bulkseed.Options{CampaignID: *campaignID, Participants: *n, Blocked: *blocked, Tokens: *tokens, Seed: *seedFlag,
		Progress: func(msg string) { fmt.Fprintf(stderr, "seed: %s\n", msg) }}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	switch *mode {
	case "best":
		o.Mode = campaign.RankingModeBEST_ATTEMPT
	case "total":
		o.Mode = campaign.RankingModeTOTAL_SCORE
	default:
		return fmt.Errorf("--mode: best or total, not %q", *mode)
	}
	if *campaignID != 0 && !set["mode"] {
		o.Mode = "" // the campaign's own
	}

	db, err := store.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	res, err := bulkseed.Seed(ctx, db, o)
	if err != nil {
		return err
	}
	if *asJSON {
		b, err := json.MarshalIndent(res, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(stdout, "%s\n", b)
		return err
	}
	fmt.Fprintf(stdout, "seeded %d participants (%d blocked) with standings into campaign %d (%s) in %.1fs\n",
		res.Participants, res.Blocked, res.CampaignID, res.RankingMode, res.Seconds)
	if len(res.Sessions) == 0 {
		fmt.Fprintln(stdout, "seed with --tokens K for K seeded players' session tokens (myStanding runs)")
		return nil
	}
	fmt.Fprintln(stdout, "session tokens (Authorization: Bearer <token>):")
	for _, s := range res.Sessions {
		fmt.Fprintf(stdout, "%s\t%s\n", s.PublicID, s.Token)
	}
	return nil
}
