package bulkseed_test

import (
	"log/slog"
	"slices"
	"testing"
	"time"

	"prizequiz/ent"
	"prizequiz/ent/campaign"
	"prizequiz/ent/standing"
	"prizequiz/internal/auth"
	"prizequiz/internal/bulkseed"
	"prizequiz/internal/campaigns"
	"prizequiz/internal/play"
	"prizequiz/internal/ranking"
	"prizequiz/internal/store"
	"prizequiz/internal/store/storetest"
	"prizequiz/internal/testfix"
)

// TestSeedAgreesWithRankIndex seeds a campaign, then plays one attempt the
// real way, and checks that a freshly loaded rank index ranks exactly the
// generated standings plus the played one, in the order the generated
// values give, and that seeded tokens sign their participants in.
func TestSeedAgreesWithRankIndex(t *testing.T) {
	for _, mode := range []campaign.RankingMode{campaign.RankingModeBEST_ATTEMPT, campaign.RankingModeTOTAL_SCORE} {
		t.Run(mode.String(), func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				const n, seed = 300, 42
				f := testfix.New(t, db)
				c := f.Campaign(f.Bank(5).ID, func(in *campaigns.Input) { in.RankingMode = &mode })
				now := testfix.Start.Add(48 * time.Hour)
				res, err := bulkseed.Seed(f.Ctx, db, bulkseed.Options{
					CampaignID: c.ID, Participants: n, Blocked: 0.1, Tokens: 3, Seed: seed, Now: now,
				})
				if err != nil {
					t.Fatal(err)
				}
				people := bulkseed.Generate(c, n, 0.1, now, seed)
				if res.Participants != n || res.Blocked == 0 || len(res.Sessions) != 3 {
					t.Fatalf("result %+v", res)
				}
				for _, p := range people {
					if p.Score%c.PointsPerQuestion != 0 || p.DurationMs < 10_000 || p.AchievedAt.Before(c.StartsAt) || p.AchievedAt.After(now) {
						t.Fatalf("unrealistic standing %+v", p)
					}
					if mode == campaign.RankingModeBEST_ATTEMPT && (p.Score > 100 || p.DurationMs > 300_000) {
						t.Fatalf("best attempt out of range %+v", p)
					}
				}

				// A real submit after the seeding takes a newer change number.
				pid := f.Player("real")
				a, err := f.Play.Start(f.Ctx, pid, c.ID)
				if err != nil {
					t.Fatal(err)
				}
				var answers []*play.Answer
				for _, q := range a.Questions {
					answers = append(answers, &play.Answer{QuestionID: q.ID, Choices: []string{"A"}})
				}
				if _, err := f.Play.Submit(f.Ctx, pid, a.ID, answers); err != nil {
					t.Fatal(err)
				}
				rows, err := db.Client.Standing.Query().Where(standing.CampaignID(c.ID)).All(f.Ctx)
				if err != nil {
					t.Fatal(err)
				}
				var real int64
				changes := map[int64]bool{}
				hidden := 0
				for _, s := range rows {
					changes[s.Change] = true
					if s.ParticipantID == pid {
						real = s.Change
					}
					if s.Hidden {
						hidden++
					}
				}
				if len(changes) != n+1 || hidden != res.Blocked {
					t.Fatalf("%d distinct change numbers and %d hidden rows, want %d and %d", len(changes), hidden, n+1, res.Blocked)
				}
				for ch := range changes {
					if ch > real {
						t.Fatalf("seeded change %d after the real write's %d", ch, real)
					}
				}

				// The expected ranking, from the generated values.
				ids := map[string]int{}
				ps, err := db.Client.Participant.Query().All(f.Ctx)
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range ps {
					ids[p.PublicID] = p.ID
				}
				type want struct {
					key      ranking.Key
					publicID string
				}
				var wants []want
				for _, p := range people {
					if p.Blocked {
						continue
					}
					k, err := ranking.MakeKey(p.Score, p.DurationMs, p.AchievedAt, ids[p.PublicID])
					if err != nil {
						t.Fatal(err)
					}
					wants = append(wants, want{k, p.PublicID})
				}
				st, err := db.Client.Standing.Query().Where(standing.ParticipantID(pid)).Only(f.Ctx)
				if err != nil {
					t.Fatal(err)
				}
				k, _ := ranking.MakeKey(st.Score, st.DurationMs, st.AchievedAt, pid)
				wants = append(wants, want{k, ps[slices.IndexFunc(ps, func(p *ent.Participant) bool { return p.ID == pid })].PublicID})
				slices.SortFunc(wants, func(a, b want) int {
					if a.key.Less(b.key) {
						return -1
					}
					return 1
				})

				ranks := ranking.NewRanks(db, f.Clock, slog.New(slog.DiscardHandler), nil)
				lb, err := ranks.Top(f.Ctx, c.ID, ranking.MaxPage, 0)
				if err != nil {
					t.Fatal(err)
				}
				if lb.Total != len(wants) || len(lb.Entries) != len(wants) {
					t.Fatalf("index ranks %d (%d entries), want %d", lb.Total, len(lb.Entries), len(wants))
				}
				for i, e := range lb.Entries {
					w := wants[i]
					if e.Participant.PublicID != w.publicID || e.Score != w.key.Score() || e.DurationMs != w.key.DurationMs() ||
						!e.AchievedAt.Equal(w.key.AchievedAt()) {
						t.Fatalf("rank %d: %s %d %d %v, want %s %d %d %v", i+1, e.Participant.PublicID, e.Score, e.DurationMs,
							e.AchievedAt, w.publicID, w.key.Score(), w.key.DurationMs(), w.key.AchievedAt())
					}
				}

				// Each seeded token signs its participant in, and myStanding's
				// rank is the place the generated values give.
				authn := &auth.Service{Client: db.Client, Clock: f.Clock}
				for _, s := range res.Sessions {
					who, err := authn.Authenticate(f.Ctx, s.Token)
					if err != nil || who.ParticipantID != s.ParticipantID {
						t.Fatalf("token of %s signs in %+v: %v", s.PublicID, who, err)
					}
					mine, err := ranks.Of(f.Ctx, c.ID, s.ParticipantID)
					if err != nil || mine == nil || mine.Rank == nil {
						t.Fatalf("standing of %s: %+v %v", s.PublicID, mine, err)
					}
					if at := slices.IndexFunc(wants, func(w want) bool { return w.publicID == s.PublicID }); *mine.Rank != at+1 {
						t.Fatalf("%s ranked %d, want %d", s.PublicID, *mine.Rank, at+1)
					}
				}
			})
		})
	}
}

// TestSeedCreatesCampaign: without a campaign, one is created on the demo
// bank, active now, and seeding twice adds to the same database.
func TestSeedCreatesCampaign(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := testfix.New(t, db)
		first, err := bulkseed.Seed(f.Ctx, db, bulkseed.Options{Participants: 50, Mode: campaign.RankingModeTOTAL_SCORE})
		if err != nil {
			t.Fatal(err)
		}
		second, err := bulkseed.Seed(f.Ctx, db, bulkseed.Options{Participants: 20})
		if err != nil {
			t.Fatal(err)
		}
		if first.CampaignID == second.CampaignID || first.RankingMode != "TOTAL_SCORE" || second.RankingMode != "BEST_ATTEMPT" {
			t.Fatalf("campaigns %+v %+v", first, second)
		}
		banks, err := db.Client.QuestionBank.Query().Count(f.Ctx)
		if err != nil || banks != 1 {
			t.Fatalf("%d banks (%v), want the one demo bank", banks, err)
		}
		c, err := db.Client.Campaign.Get(f.Ctx, first.CampaignID)
		if err != nil {
			t.Fatal(err)
		}
		if now := time.Now(); c.StartsAt.After(now) || c.EndsAt.Before(now) {
			t.Fatalf("campaign %v–%v is not active now", c.StartsAt, c.EndsAt)
		}
		if _, err := bulkseed.Seed(f.Ctx, db, bulkseed.Options{CampaignID: first.CampaignID, Participants: 1,
			Mode: campaign.RankingModeBEST_ATTEMPT}); err == nil {
			t.Fatal("seeding a TOTAL_SCORE campaign as BEST_ATTEMPT: no error")
		}
	})
}
