package auth_test

import (
	"fmt"
	"testing"
	"time"

	"prizequiz/ent/authtoken"
	"prizequiz/ent/participant"
	"prizequiz/internal/auth"
	"prizequiz/internal/store"
	"prizequiz/internal/store/storetest"
	"prizequiz/internal/testfix"
)

// TestKeptTokensFollowThisProcesssChanges: with players' tokens kept
// (CacheFor), a sign-out or a block made through the watched client takes
// effect at the next request; one the cache cannot see (another process's)
// takes effect once CacheFor has passed, never later.
func TestKeptTokensFollowThisProcesssChanges(t *testing.T) {
	changes := []struct {
		name  string
		apply func(f *testfix.Fix, participantID int)
		took  func(p auth.Principal) bool
	}{
		{"signed out", func(f *testfix.Fix, id int) {
			f.Client.AuthToken.Update().Where(authtoken.HasParticipantWith(participant.ID(id))).
				SetRevokedAt(f.Clock.Now()).ExecX(f.Ctx)
		}, func(p auth.Principal) bool { return p.BadToken }},
		{"blocked", func(f *testfix.Fix, id int) {
			f.Client.Participant.UpdateOneID(id).SetBlocked(true).ExecX(f.Ctx)
		}, func(p auth.Principal) bool { return p.Blocked }},
	}
	const keep = 2 * time.Second
	for _, ch := range changes {
		for _, watched := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s, watched %v", ch.name, watched), func(t *testing.T) {
				storetest.Each(t, func(t *testing.T, db *store.DB) {
					f := testfix.New(t, db)
					a := &auth.Service{Client: f.Client, Clock: f.Clock, CacheFor: keep}
					if watched {
						a.Watch(f.Client)
					}
					s, err := a.SignInGuest(f.Ctx, "小李")
					if err != nil {
						t.Fatal(err)
					}
					authenticate := func() auth.Principal {
						t.Helper()
						p, err := a.Authenticate(f.Ctx, s.Token)
						if err != nil {
							t.Fatal(err)
						}
						return p
					}
					if p := authenticate(); p.ParticipantID != s.Participant.ID || p.BadToken || p.Blocked {
						t.Fatalf("before the change: %+v", p)
					}
					ch.apply(f, s.Participant.ID)
					p := authenticate()
					if watched != ch.took(p) {
						t.Fatalf("right after the change (watched %v): %+v", watched, p)
					}
					f.Clock.Advance(keep)
					if p := authenticate(); !ch.took(p) {
						t.Fatalf("the change did not take effect after CacheFor: %+v", p)
					}
				})
			})
		}
	}
}

// TestKeptTokenNeverOutlivesItsExpiry: a token kept just before it expires
// is refused at its expiry, not CacheFor later.
func TestKeptTokenNeverOutlivesItsExpiry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := testfix.New(t, db)
		a := &auth.Service{Client: f.Client, Clock: f.Clock, CacheFor: time.Hour}
		s, err := a.SignInGuest(f.Ctx, "小赵")
		if err != nil {
			t.Fatal(err)
		}
		f.Clock.Advance(auth.ParticipantTokenTTL - time.Minute)
		if p, err := a.Authenticate(f.Ctx, s.Token); err != nil || p.BadToken {
			t.Fatalf("a minute before expiry: %+v %v", p, err)
		}
		f.Clock.Advance(time.Minute)
		if p, err := a.Authenticate(f.Ctx, s.Token); err != nil || !p.BadToken {
			t.Fatalf("at expiry: %+v %v", p, err)
		}
	})
}
