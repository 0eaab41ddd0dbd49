package play_test

import (
	"fmt"
	"testing"
	"time"

	"prizequiz/ent/question"
	"prizequiz/internal/apperr"
	"prizequiz/internal/store"
	"prizequiz/internal/store/storetest"
	"prizequiz/internal/testfix"
)

// TestKeptRulesFollowThisProcesssChanges: with campaigns and questions kept
// in memory (CacheFor), a change made through the watched client takes
// effect at the next start; one the cache cannot see (another process's)
// shows only after CacheFor.
func TestKeptRulesFollowThisProcesssChanges(t *testing.T) {
	changes := []struct {
		name   string
		change func(f *testfix.Fix, campaignID, bankID int)
	}{
		{"a question disabled: too few left", func(f *testfix.Fix, _, bankID int) {
			f.Client.Question.Update().Where(question.BankID(bankID), question.Stem("Q1")).SetEnabled(false).ExecX(f.Ctx)
		}},
		{"the campaign ended", func(f *testfix.Fix, campaignID, _ int) {
			f.Client.Campaign.UpdateOneID(campaignID).SetEndsAt(f.Clock.Now().Add(-time.Minute)).ExecX(f.Ctx)
		}},
	}
	for _, ch := range changes {
		for _, watched := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s, watched %v", ch.name, watched), func(t *testing.T) {
				storetest.Each(t, func(t *testing.T, db *store.DB) {
					f := testfix.New(t, db)
					f.Play.CacheFor = time.Hour
					if watched {
						f.Play.Watch(f.Client)
					}
					b := f.Bank(5)
					c := f.Campaign(b.ID, nil)
					if _, err := f.Play.Start(f.Ctx, f.Player("先"), c.ID); err != nil {
						t.Fatal(err)
					}
					ch.change(f, c.ID, b.ID)
					_, err := f.Play.Start(f.Ctx, f.Player("后"), c.ID)
					if watched {
						wantCode(t, err, apperr.CampaignNotActive)
					} else if err != nil {
						t.Fatalf("an unseen change took effect before CacheFor: %v", err)
					}
				})
			})
		}
	}
}
