package auth_test

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"prizequiz/ent"
	"prizequiz/ent/admin"
	"prizequiz/internal/apperr"
	"prizequiz/internal/auth"
	"prizequiz/internal/randid"
	"prizequiz/internal/store"
	"prizequiz/internal/store/storetest"
	"prizequiz/internal/testfix"
)

func TestGuestTokenIsStoredHashedAndExpires(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := testfix.New(t, db)
		s, err := f.Auth.SignInGuest(f.Ctx, "  小王  ")
		if err != nil {
			t.Fatal(err)
		}
		if s.Participant.Nickname != "小王" || len(s.Token) < 40 || !s.ExpiresAt.Equal(f.Clock.Now().Add(auth.ParticipantTokenTTL)) {
			t.Fatalf("session %+v", s)
		}
		stored := f.Client.AuthToken.Query().OnlyX(f.Ctx)
		if stored.TokenHash == s.Token || stored.TokenHash != randid.HashToken(s.Token) {
			t.Fatal("token not stored as its hash")
		}
		p, err := f.Auth.Authenticate(f.Ctx, s.Token)
		if err != nil || p.ParticipantID != s.Participant.ID {
			t.Fatalf("authenticate: %+v %v", p, err)
		}
		if p, _ := f.Auth.Authenticate(f.Ctx, s.Token+"x"); !p.BadToken || p.ParticipantID != 0 {
			t.Fatalf("wrong token accepted: %+v", p)
		}
		f.Clock.Advance(auth.ParticipantTokenTTL)
		if p, _ := f.Auth.Authenticate(f.Ctx, s.Token); !p.BadToken {
			t.Fatalf("expired token accepted: %+v", p)
		}
	})
}

func TestNickname(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"小王", true}, {"  a  ", true}, {strings.Repeat("医", 20), true},
		{"", false}, {"   ", false}, {strings.Repeat("医", 21), false}, {"a\x00b", false}, {"a\nb", false}, {"\xff", false},
	} {
		_, err := auth.NormalizeNickname(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("%q: err %v", tc.in, err)
		}
	}
}

func TestAdminBootstrapAndSignIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := testfix.New(t, db)
		var logs bytes.Buffer
		log := slog.New(slog.NewJSONHandler(&logs, nil))
		file := filepath.Join(t.TempDir(), auth.DefaultPasswordFile)
		// A file left by an earlier database, readable by all, is replaced.
		if err := os.WriteFile(file, []byte("stale\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		f.Auth.PasswordFile = file
		if err := f.Auth.BootstrapAdmin(f.Ctx, "", log); err != nil {
			t.Fatal(err)
		}
		// The generated password is in the file, for its owner only; the
		// log names the file and not the password.
		st, err := os.Stat(file)
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("password file %v %v", st, err)
		}
		b, _ := os.ReadFile(file)
		pw := strings.TrimSpace(string(b))
		out := logs.String()
		if len(pw) < auth.MinPasswordLen || strings.Contains(out, pw) || strings.Contains(out, `"password"`) || !strings.Contains(out, file) {
			t.Fatalf("password %q, log %s", pw, out)
		}
		s, err := f.Auth.SignInAdmin(f.Ctx, "admin", pw)
		if err != nil || s.Admin.Role != admin.RoleOWNER {
			t.Fatalf("sign in: %+v %v", s, err)
		}
		p, _ := f.Auth.Authenticate(f.Ctx, s.Token)
		if p.Admin == nil || p.Admin.Username != "admin" {
			t.Fatalf("principal %+v", p)
		}
		// A second start creates nothing and prints nothing.
		logs.Reset()
		if err := f.Auth.BootstrapAdmin(f.Ctx, "", log); err != nil || logs.Len() != 0 || f.Client.Admin.Query().CountX(f.Ctx) != 1 {
			t.Fatalf("second bootstrap: %v %q", err, logs.String())
		}
		for _, tc := range []struct{ user, pw string }{{"admin", "wrong-password"}, {"nobody", pw}} {
			_, err := f.Auth.SignInAdmin(f.Ctx, tc.user, tc.pw)
			if apperr.CodeOf(err) != apperr.Unauthenticated {
				t.Errorf("%s: %v", tc.user, err)
			}
		}
		f.Clock.Advance(auth.AdminTokenTTL + time.Second)
		if p, _ := f.Auth.Authenticate(f.Ctx, s.Token); !p.BadToken {
			t.Fatal("expired admin token accepted")
		}
	})
}

// TestBootstrapWithoutAPlaceForThePassword: when the password file cannot
// be written, no admin is created whose password nobody could learn.
func TestBootstrapWithoutAPlaceForThePassword(t *testing.T) {
	f := testfix.New(t, storetest.SQLite(t))
	for _, file := range []string{"", filepath.Join(t.TempDir(), "missing-dir", "pw.txt")} {
		f.Auth.PasswordFile = file
		if err := f.Auth.BootstrapAdmin(f.Ctx, "", slog.New(slog.DiscardHandler)); err == nil {
			t.Fatalf("%q: bootstrap succeeded", file)
		}
		if n := f.Client.Admin.Query().CountX(f.Ctx); n != 0 {
			t.Fatalf("%q: %d admins created", file, n)
		}
	}
}

func TestBootstrapWithGivenPasswordLogsNoSecret(t *testing.T) {
	db := storetest.SQLite(t)
	f := testfix.New(t, db)
	var logs bytes.Buffer
	if err := f.Auth.BootstrapAdmin(context.Background(), "correct horse battery", slog.New(slog.NewJSONHandler(&logs, nil))); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(logs.String(), "correct horse") {
		t.Fatalf("password logged: %s", logs.String())
	}
	if _, err := f.Auth.SignInAdmin(f.Ctx, "admin", "correct horse battery"); err != nil {
		t.Fatal(err)
	}
}

func TestRequireRole(t *testing.T) {
	ctx := context.Background()
	editor := auth.WithPrincipal(ctx, auth.Principal{Admin: adminWith(admin.RoleEDITOR)})
	cases := []struct {
		name string
		ctx  context.Context
		min  admin.Role
		code apperr.Code
	}{
		{"anonymous", ctx, admin.RoleVIEWER, apperr.Unauthenticated},
		{"bad token", auth.WithPrincipal(ctx, auth.Principal{BadToken: true}), admin.RoleVIEWER, apperr.Unauthenticated},
		{"player", auth.WithPrincipal(ctx, auth.Principal{ParticipantID: 1}), admin.RoleVIEWER, apperr.Forbidden},
		{"editor below owner", editor, admin.RoleOWNER, apperr.Forbidden},
		{"editor as editor", editor, admin.RoleEDITOR, ""},
		{"editor as viewer", editor, admin.RoleVIEWER, ""},
	}
	for _, tc := range cases {
		_, err := auth.RequireRole(tc.ctx, tc.min)
		if tc.code == "" && err != nil || tc.code != "" && apperr.CodeOf(err) != tc.code {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

func adminWith(r admin.Role) *ent.Admin { return &ent.Admin{Username: "x", Role: r} }
