package prizedraw_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"prizequiz/ent"
	"prizequiz/ent/period"
	"prizequiz/ent/winner"
	"prizequiz/internal/apperr"
	"prizequiz/internal/campaigns"
	"prizequiz/internal/draw"
	"prizequiz/internal/events"
	"prizequiz/internal/play"
	"prizequiz/internal/prizedraw"
	"prizequiz/internal/store"
	"prizequiz/internal/store/storetest"
	"prizequiz/internal/testfix"
)

type fix struct {
	*testfix.Fix
	draws *prizedraw.Service
}

func newFix(t *testing.T, db *store.DB) *fix {
	f := testfix.New(t, db)
	return &fix{f, &prizedraw.Service{DB: db, Clock: f.Clock, Revealed: events.NewBroker[*prizedraw.Proof]()}}
}

// play has a new player submit an attempt with n right answers after took.
func (f *fix) play(t *testing.T, c *ent.Campaign, nick string, right int, took time.Duration) int {
	t.Helper()
	p := f.Player(nick)
	a, err := f.Play.Start(f.Ctx, p, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	f.Clock.Advance(took)
	var ans []*play.Answer
	for i, q := range a.Questions {
		choice := "B"
		if i < right {
			choice = "A"
		}
		ans = append(ans, &play.Answer{QuestionID: q.ID, Choices: []string{choice}})
	}
	if _, err := f.Play.Submit(f.Ctx, p, a.ID, ans); err != nil {
		t.Fatal(err)
	}
	return p
}

func (f *fix) periods(t *testing.T, c *ent.Campaign) []*ent.Period {
	ps, err := f.Campaigns.PeriodsOf(f.Ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

func (f *fix) tick(t *testing.T) {
	t.Helper()
	if _, err := f.draws.Tick(f.Ctx); err != nil {
		t.Fatal(err)
	}
}

func code(err error) apperr.Code { return apperr.CodeOf(err) }

// TestDrawEndToEnd: two 5-second periods with a declared entropy source,
// commitments at opening, the pool at the cutoff, one draw per period,
// earlier winners excluded, blocked players never in a pool, the proof
// verifying, disqualification and claims.
func TestDrawEndToEnd(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFix(t, db)
		now := f.Clock.Now()
		c := f.Campaign(f.Bank(5).ID, func(in *campaigns.Input) {
			in.EndsAt = now.Add(10 * time.Second)
			in.PeriodSeconds = testfix.Ptr(5)
			in.TimeLimitSeconds = testfix.Ptr(2)
			in.PoolSize, in.WinnersPerPeriod = testfix.Ptr(4), testfix.Ptr(2)
			in.EntropySource = testfix.Ptr("declared: 2026年9月21日福彩3D开奖号码")
		})
		f.tick(t)
		ps := f.periods(t, c)
		if ps[0].CommitmentRecord == nil || ps[1].CommitmentRecord != nil {
			t.Fatalf("commitments after opening: %v %v", ps[0].CommitmentRecord, ps[1].CommitmentRecord)
		}
		cm, err := draw.ParseRecord([]byte(*ps[0].CommitmentRecord))
		if err != nil || cm.Campaign != c.PublicID || cm.Period != 1 || !cm.Cutoff.Equal(ps[0].EndsAt) || cm.PoolSize != 4 || cm.Winners != 2 {
			t.Fatalf("record %+v (%v)", cm, err)
		}
		// Seven players in period 1; one is blocked.
		var players []int
		for i := range 7 {
			players = append(players, f.play(t, c, fmt.Sprintf("p%d", i), 5-i%6, 300*time.Millisecond))
		}
		ps_ := &participantsSvc{f}
		ps_.block(t, players[0]) // the best of them
		_, err = f.draws.Run(f.Ctx, ps[0].ID, "123")
		if code(err) != apperr.DrawNotReady {
			t.Fatalf("before the cutoff: %v", err)
		}
		f.Clock.Set(ps[0].EndsAt)
		late := f.play(t, c, "late", 5, 100*time.Millisecond) // submitted after the cutoff: not in pool 1
		f.tick(t)
		pool, err := f.draws.Pool(f.Ctx, ps[0].ID)
		if err != nil || len(pool) != 4 {
			t.Fatalf("pool %v (%v)", pool, err)
		}
		inPool := map[string]bool{}
		for _, e := range pool {
			inPool[e.PublicID] = true
		}
		pub := func(id int) string { return f.Client.Participant.GetX(f.Ctx, id).PublicID }
		if inPool[pub(players[0])] || inPool[pub(late)] {
			t.Fatal("blocked or late player in the pool")
		}
		if pool[0].PublicID != pub(players[6]) || pool[1].PublicID != pub(players[1]) || pool[0].Score < pool[3].Score {
			t.Fatalf("pool order %+v", pool)
		}

		// Ten concurrent draws produce exactly one.
		sub, cancel := f.draws.Revealed.Subscribe(prizedraw.Topic(ps[0].ID), 1)
		defer cancel()
		var wg sync.WaitGroup
		var mu sync.Mutex
		var ok, done int
		for range 10 {
			wg.Go(func() {
				_, err := f.draws.Run(f.Ctx, ps[0].ID, "483")
				mu.Lock()
				defer mu.Unlock()
				switch code(err) {
				case "":
					ok++
				case apperr.DrawAlreadyDone:
					done++
				default:
					t.Errorf("concurrent draw: %v", err)
				}
			})
		}
		wg.Wait()
		if ok != 1 || done != 9 {
			t.Fatalf("%d draws succeeded, %d refused", ok, done)
		}
		revealed := <-sub
		proof, err := f.draws.ProofOf(f.Ctx, ps[0].ID)
		if err != nil || !revealed.Proof.Equal(proof.Proof) {
			t.Fatalf("proof %v", err)
		}
		if err := draw.VerifyProof(proof.Proof); err != nil {
			t.Fatalf("the published proof does not verify: %v", err)
		}
		if proof.Entropy != "483" || proof.WinnersCount != 2 || len(proof.Order) != 4 {
			t.Fatalf("proof %+v", proof.Proof)
		}

		// Nothing is public before publishing.
		if ws, _ := f.draws.Public(f.Ctx, ps[0].ID, false); len(ws) != 0 {
			t.Fatal("winners public before publishing")
		}
		if _, err := f.draws.Publish(f.Ctx, ps[0].ID); err != nil {
			t.Fatal(err)
		}
		ws, _ := f.draws.Public(f.Ctx, ps[0].ID, false)
		if len(ws) != 2 || ws[0].Participant.PublicID != proof.Order[0] || ws[0].Participant.Nickname != "p*" {
			t.Fatalf("public winners %+v", ws)
		}

		// Disqualifying the first winner promotes the first alternate.
		first := f.Client.Winner.Query().Where(winner.HasPeriodWith(period.ID(ps[0].ID)), winner.DrawOrder(1)).OnlyX(f.Ctx)
		if _, err := f.draws.Disqualify(f.Ctx, first.ID, "代答"); err != nil {
			t.Fatal(err)
		}
		ws, _ = f.draws.Public(f.Ctx, ps[0].ID, false)
		if len(ws) != 2 || ws[0].DrawOrder != 2 || ws[1].DrawOrder != 3 {
			t.Fatalf("after disqualification %+v", ws)
		}
		proof, _ = f.draws.ProofOf(f.Ctx, ps[0].ID)
		if len(proof.Disqualifications) != 1 || *proof.Disqualifications[0].ReplacedBy != proof.Order[2] {
			t.Fatalf("disqualifications %+v", proof.Disqualifications)
		}

		// The winner claims once; nobody else can.
		second := f.Client.Winner.Query().Where(winner.HasPeriodWith(period.ID(ps[0].ID)), winner.DrawOrder(2)).OnlyX(f.Ctx)
		other := players[6]
		if other == second.ParticipantID {
			other = players[5]
		}
		if _, err := f.draws.Claim(f.Ctx, other, second.ID, "张三", "13812345678", nil); code(err) != apperr.NotFound {
			t.Fatalf("claim by someone else: %v", err)
		}
		for _, phone := range []string{"12345", "010-62345678", "+1 650 253 0000"} {
			if _, err := f.draws.Claim(f.Ctx, second.ParticipantID, second.ID, "张三", phone, nil); code(err) != apperr.BadUserInput {
				t.Fatalf("phone %q: %v", phone, err)
			}
		}
		w, err := f.draws.Claim(f.Ctx, second.ParticipantID, second.ID, "张三", "138 1234 5678", testfix.Ptr("南通市崇川区"))
		if err != nil || *w.ClaimPhone != "+8613812345678" {
			t.Fatalf("claim: %v %+v", err, w)
		}
		if _, err := f.draws.Claim(f.Ctx, second.ParticipantID, second.ID, "张三", "13812345678", nil); code(err) != apperr.BadUserInput {
			t.Fatalf("second claim: %v", err)
		}

		// Period 2 excludes period 1's winners, including the promoted alternate.
		f.Clock.Set(ps[1].StartsAt)
		f.tick(t)
		f.Clock.Set(ps[1].EndsAt)
		pool2, err := f.draws.Pool(f.Ctx, ps[1].ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range pool2 {
			if slices.Contains(proof.Order[1:3], e.PublicID) {
				t.Fatalf("period 1 winner %s in pool 2", e.PublicID)
			}
		}
		if !slices.ContainsFunc(pool2, func(e draw.Entry) bool { return e.PublicID == proof.Order[0] }) {
			t.Fatal("the disqualified winner did not win, and may enter pool 2")
		}

		n, err := prizedraw.PurgeContacts(f.Ctx, f.Client, c.ID)
		if err != nil || n != 1 || f.Client.Winner.GetX(f.Ctx, second.ID).ClaimPhone != nil {
			t.Fatalf("purge: %d %v", n, err)
		}
	})
}

// TestDrandDraw runs a period whose committed round is quicknet round 123,
// whose signature is known, on a clock set back to 2023.
func TestDrandDraw(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFix(t, db)
		cutoff := draw.RoundTime(123).Add(-draw.EntropyDelay)
		f.Clock.Set(cutoff.Add(-time.Minute))
		c := f.Campaign(f.Bank(5).ID, func(in *campaigns.Input) {
			in.StartsAt, in.EndsAt = f.Clock.Now(), cutoff
			in.PoolSize, in.WinnersPerPeriod = testfix.Ptr(3), testfix.Ptr(1)
		})
		f.tick(t)
		for i := range 3 {
			f.play(t, c, fmt.Sprintf("p%d", i), i+1, time.Second)
		}
		p := f.periods(t, c)[0]
		if src, at := prizedraw.EntropyOf(p, c); src != "drand-quicknet round 123" || !at.Equal(draw.RoundTime(123)) {
			t.Fatalf("entropy %s at %v", src, at)
		}
		const sig123 = "b75c69d0b72a5d906e854e808ba7e2accb1542ac355ae486d591aa9d43765482e26cd02df835d3546d23c4b13e0dfc92"
		f.Clock.Set(cutoff.Add(time.Minute))
		if _, err := f.draws.Run(f.Ctx, p.ID, sig123); code(err) != apperr.DrawNotReady {
			t.Fatalf("before the round is out: %v", err)
		}
		f.Clock.Set(draw.RoundTime(123))
		flipped := "c" + sig123[1:]
		if _, err := f.draws.Run(f.Ctx, p.ID, flipped); code(err) != apperr.BadUserInput {
			t.Fatalf("a wrong signature: %v", err)
		}
		proof, err := f.draws.Run(f.Ctx, p.ID, sig123)
		if err != nil {
			t.Fatal(err)
		}
		if err := draw.VerifyProof(proof.Proof); err != nil {
			t.Fatal(err)
		}
		if _, err := f.draws.Run(f.Ctx, p.ID, sig123); code(err) != apperr.DrawAlreadyDone {
			t.Fatalf("second draw: %v", err)
		}
	})
}

func TestMaskNickname(t *testing.T) {
	for in, want := range map[string]string{"": "*", "王": "*", "小王": "小*", "张三丰": "张*丰", "Alice": "A***e"} {
		if got := prizedraw.MaskNickname(in); got != want {
			t.Errorf("%q → %q, want %q", in, got, want)
		}
	}
}

// TestCommitOnceAcrossProcesses: two processes' schedulers on one
// PostgreSQL commit each period exactly once, with the S that was stored.
func TestCommitOnceAcrossProcesses(t *testing.T) {
	url := storetest.PostgresURL(t)
	var dbs []*store.DB
	for range 2 {
		db, err := store.Open(t.Context(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if err := db.Migrate(t.Context()); err != nil {
			t.Fatal(err)
		}
		dbs = append(dbs, db)
	}
	f := newFix(t, dbs[0])
	c := f.Campaign(f.Bank(5).ID, func(in *campaigns.Input) { in.PeriodSeconds = testfix.Ptr(3600) })
	var wg sync.WaitGroup
	for i := range 8 {
		s := &prizedraw.Service{DB: dbs[i%2], Clock: f.Clock}
		wg.Go(func() {
			if _, err := s.Tick(t.Context()); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	ps := f.periods(t, c)
	cm, err := draw.ParseRecord([]byte(*ps[0].CommitmentRecord))
	if err != nil {
		t.Fatal(err)
	}
	if cm.ServerSeedSHA256 != draw.SeedDigest(*ps[0].ServerSeed) || cm.Digest() != *ps[0].CommitmentDigest {
		t.Fatal("the stored S does not match the published commitment")
	}
	if ps[1].CommitmentRecord != nil {
		t.Fatal("an upcoming period was committed")
	}
}
