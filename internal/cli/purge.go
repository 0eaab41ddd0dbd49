package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"time"

	"prizequiz/ent"
	"prizequiz/ent/campaign"
	"prizequiz/internal/prizedraw"
	"prizequiz/internal/store"
)

// purgeContacts erases winners' contact data once a campaign is over.
func purgeContacts(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("purge-contacts", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dsn := databaseFlag(fs)
	id := fs.String("campaign", "", "the campaign's id or public id (required)")
	force := fs.Bool("force", false, "purge even though the campaign has not ended")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *id == "" {
		fs.Usage()
		return flag.ErrHelp
	}
	db, err := store.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	q := db.Client.Campaign.Query().Where(campaign.PublicID(*id))
	if n, err := strconv.Atoi(*id); err == nil {
		q = db.Client.Campaign.Query().Where(campaign.Or(campaign.ID(n), campaign.PublicID(*id)))
	}
	c, err := q.Only(ctx)
	if ent.IsNotFound(err) {
		return fmt.Errorf("campaign %s not found", *id)
	}
	if err != nil {
		return err
	}
	if time.Now().Before(c.EndsAt) && !*force {
		return errors.New("the campaign has not ended; prizes may still be sent (use --force to purge anyway)")
	}
	n, err := prizedraw.PurgeContacts(ctx, db.Client, c.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "erased the contact data of %d winners of %q\n", n, c.Name)
	return nil
}
