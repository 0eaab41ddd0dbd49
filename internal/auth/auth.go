// Package auth signs players and admins in, issues bearer tokens (stored
// only hashed) and resolves a token back to who holds it.
package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	entsql "entgo.io/ent/dialect/sql"
	"golang.org/x/crypto/bcrypt"

	"prizequiz/ent"
	"prizequiz/ent/admin"
	"prizequiz/ent/authtoken"
	"prizequiz/ent/participant"
	"prizequiz/internal/apperr"
	"prizequiz/internal/clock"
	"prizequiz/internal/randid"
	"prizequiz/internal/reqinfo"
	"prizequiz/internal/wechat"
)

// Token lifetimes. A player keeps a token for a campaign's weeks; an admin
// signs in again each working day.
const (
	ParticipantTokenTTL = 30 * 24 * time.Hour
	AdminTokenTTL       = 12 * time.Hour
	MaxNicknameRunes    = 20
	MinPasswordLen      = 8
)

// Service signs people in.
type Service struct {
	Client *ent.Client
	Clock  clock.Clock
	// WeChat is the official account players sign in with; unset, WeChat
	// sign-in is refused.
	WeChat *wechat.Client
	// PasswordFile is where BootstrapAdmin writes a password it generates
	// (mode 0600); a log is no place for a secret. Unset, BootstrapAdmin
	// refuses to generate one.
	PasswordFile string
	// CacheFor is how long a player's resolved token is kept in memory
	// (see Watch); 0 reads it on every request.
	CacheFor time.Duration

	kept kept
}

// DefaultPasswordFile is the PasswordFile of `prizequiz serve`, in its
// working directory.
const DefaultPasswordFile = "prizequiz-admin-password.txt"

// ParticipantSession is what signInGuest returns.
type ParticipantSession struct {
	Token       string
	ExpiresAt   time.Time
	Participant *ent.Participant
}

// AdminSession is what adminSignIn returns.
type AdminSession struct {
	Token     string
	ExpiresAt time.Time
	Admin     *ent.Admin
}

// NormalizeNickname trims a nickname and checks it is fit to show publicly.
func NormalizeNickname(s string) (string, error) {
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	if n == 0 {
		return "", apperr.Invalidf("nickname must not be empty (昵称不能为空)")
	}
	if n > MaxNicknameRunes || !utf8.ValidString(s) {
		return "", apperr.Invalidf("nickname must be at most %d characters (昵称最多%d个字)", MaxNicknameRunes, MaxNicknameRunes)
	}
	for _, r := range s {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return "", apperr.Invalidf("nickname contains characters that cannot be shown (昵称含有无法显示的字符)")
		}
	}
	return s, nil
}

// SignInGuest creates a guest participant and a token for it.
func (s *Service) SignInGuest(ctx context.Context, nickname string) (*ParticipantSession, error) {
	nick, err := NormalizeNickname(nickname)
	if err != nil {
		return nil, err
	}
	tx, err := s.Client.Tx(ctx)
	if err != nil {
		return nil, fmt.Errorf("auth: begin: %w", err)
	}
	defer tx.Rollback()
	p, err := tx.Participant.Create().
		SetPublicID(randid.PublicID("p", 12)).
		SetNickname(nick).
		SetProvider(participant.ProviderGUEST).
		SetSubject(randid.PublicID("guest-", 26)).
		SetFingerprint(reqinfo.From(ctx).DeviceHash()).
		SetCreatedAt(s.Clock.Now()).
		Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("auth: create guest: %w", err)
	}
	token, expires, err := s.issue(ctx, tx, ParticipantTokenTTL, func(c *ent.AuthTokenCreate) { c.SetParticipant(p) })
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("auth: commit guest: %w", err)
	}
	return &ParticipantSession{Token: token, ExpiresAt: expires, Participant: p}, nil
}

func (s *Service) issue(ctx context.Context, tx *ent.Tx, ttl time.Duration, owner func(*ent.AuthTokenCreate)) (string, time.Time, error) {
	token, hash := randid.Token()
	now := s.Clock.Now()
	c := tx.AuthToken.Create().SetTokenHash(hash).SetCreatedAt(now).SetExpiresAt(now.Add(ttl))
	owner(c)
	if err := c.Exec(ctx); err != nil {
		return "", time.Time{}, fmt.Errorf("auth: store token: %w", err)
	}
	return token, now.Add(ttl), nil
}

// dummyHash is compared against when the username is unknown, so a wrong
// username costs as much time as a wrong password.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("prizequiz-no-such-user"), bcrypt.DefaultCost)

// SignInAdmin checks an admin's password and issues a token.
func (s *Service) SignInAdmin(ctx context.Context, username, password string) (*AdminSession, error) {
	bad := apperr.New(apperr.Unauthenticated, "wrong username or password (用户名或密码错误)")
	a, err := s.Client.Admin.Query().Where(admin.Username(username)).Only(ctx)
	if ent.IsNotFound(err) {
		_ = bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
		return nil, bad
	}
	if err != nil {
		return nil, fmt.Errorf("auth: find admin: %w", err)
	}
	now := s.Clock.Now()
	if a.LockedUntil != nil && now.Before(*a.LockedUntil) {
		wait := int(a.LockedUntil.Sub(now).Seconds()) + 1
		return nil, apperr.Limited(a.LockedUntil.Sub(now),
			"too many failed sign-ins: try again in %d s (登录失败次数过多，请%d秒后再试)", wait, wait)
	}
	if bcrypt.CompareHashAndPassword([]byte(a.PasswordHash), []byte(password)) != nil || a.Disabled {
		if err := s.recordFailure(ctx, a, now); err != nil {
			return nil, err
		}
		return nil, bad
	}
	if a.FailedLogins > 0 || a.LockedUntil != nil {
		if err := s.Client.Admin.UpdateOne(a).SetFailedLogins(0).ClearLockedUntil().Exec(ctx); err != nil {
			return nil, fmt.Errorf("auth: reset failed sign-ins: %w", err)
		}
	}
	tx, err := s.Client.Tx(ctx)
	if err != nil {
		return nil, fmt.Errorf("auth: begin: %w", err)
	}
	defer tx.Rollback()
	token, expires, err := s.issue(ctx, tx, AdminTokenTTL, func(c *ent.AuthTokenCreate) { c.SetAdminID(a.ID) })
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("auth: commit admin token: %w", err)
	}
	return &AdminSession{Token: token, ExpiresAt: expires, Admin: a}, nil
}

// Sign-in throttling: after SlowDownAfter consecutive failures each further
// try must wait twice as long as the last (1 s, 2 s, 4 s …); after LockAfter
// failures the account is locked for LockFor. A success resets the count.
const (
	SlowDownAfter = 3
	LockAfter     = 10
	LockFor       = 15 * time.Minute
)

func (s *Service) recordFailure(ctx context.Context, a *ent.Admin, now time.Time) error {
	n := a.FailedLogins + 1
	u := s.Client.Admin.UpdateOne(a).SetFailedLogins(n)
	switch {
	case n >= LockAfter:
		u.SetLockedUntil(now.Add(LockFor))
	case n >= SlowDownAfter:
		u.SetLockedUntil(now.Add(time.Second << (n - SlowDownAfter)))
	}
	if err := u.Exec(ctx); err != nil {
		return fmt.Errorf("auth: record failed sign-in: %w", err)
	}
	return nil
}

// Authenticate resolves a bearer token. An unknown, expired or revoked
// token gives a Principal with BadToken set, not an error: public reads
// still work, and operations that need a sign-in say why they refuse.
func (s *Service) Authenticate(ctx context.Context, token string) (Principal, error) {
	if token == "" {
		return Principal{}, nil
	}
	key := randid.HashToken(token)
	now := s.Clock.Now()
	if s.CacheFor > 0 {
		if p, ok := s.kept.get(key, now); ok {
			return p, nil
		}
	}
	// One round trip for a player's token (every request of every player
	// comes here): the token, its owner and the owner's block.
	var rows []struct {
		ID          int        `json:"id"`
		ExpiresAt   time.Time  `json:"expires_at"`
		RevokedAt   *time.Time `json:"revoked_at"`
		Admin       *int       `json:"admin_tokens"`
		Participant *int       `json:"participant_tokens"`
		Blocked     *bool      `json:"blocked"`
	}
	err := s.Client.AuthToken.Query().
		Where(authtoken.TokenHash(key)).
		Modify(func(sel *entsql.Selector) {
			p := entsql.Table(participant.Table)
			sel.LeftJoin(p).On(sel.C(authtoken.ParticipantColumn), p.C(participant.FieldID)).
				Select(sel.C(authtoken.FieldID), sel.C(authtoken.FieldExpiresAt), sel.C(authtoken.FieldRevokedAt),
					sel.C(authtoken.AdminColumn), sel.C(authtoken.ParticipantColumn), p.C(participant.FieldBlocked))
		}).
		Scan(ctx, &rows)
	if err != nil {
		return Principal{}, fmt.Errorf("auth: find token: %w", err)
	}
	if len(rows) == 0 {
		return Principal{BadToken: true}, nil
	}
	t := rows[0]
	if t.RevokedAt != nil || !now.Before(t.ExpiresAt) {
		return Principal{BadToken: true}, nil
	}
	if t.Admin != nil {
		a, err := s.Client.Admin.Get(ctx, *t.Admin)
		if err != nil {
			return Principal{}, fmt.Errorf("auth: token owner: %w", err)
		}
		if a.Disabled {
			return Principal{BadToken: true}, nil
		}
		return Principal{Admin: a, TokenID: t.ID}, nil
	}
	if t.Participant == nil {
		return Principal{}, fmt.Errorf("auth: token %d has no owner", t.ID)
	}
	p := Principal{ParticipantID: *t.Participant, Blocked: t.Blocked != nil && *t.Blocked, TokenID: t.ID}
	if s.CacheFor > 0 {
		until := now.Add(s.CacheFor)
		if t.ExpiresAt.Before(until) {
			until = t.ExpiresAt
		}
		s.kept.put(key, p, until)
	}
	return p, nil
}

// HashPassword hashes an admin password with bcrypt.
func HashPassword(password string) (string, error) {
	if len(password) < MinPasswordLen {
		return "", apperr.Invalidf("password must be at least %d characters (密码至少%d位)", MinPasswordLen, MinPasswordLen)
	}
	if len(password) > 72 { // bcrypt's limit; longer input would be silently cut
		return "", apperr.Invalidf("password must be at most 72 bytes (密码最长72字节)")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return "", fmt.Errorf("auth: hash password: %w", err)
	}
	return string(h), nil
}

// BootstrapAdmin creates the OWNER account "admin" when no admin exists,
// with the given password or, when empty, a random one written to
// PasswordFile; the log names the file, never the password.
func (s *Service) BootstrapAdmin(ctx context.Context, password string, log *slog.Logger) error {
	n, err := s.Client.Admin.Query().Count(ctx)
	if err != nil {
		return fmt.Errorf("auth: count admins: %w", err)
	}
	if n > 0 {
		return nil
	}
	generated := password == ""
	if generated {
		password = randid.Password()
	}
	h, err := HashPassword(password)
	if err != nil {
		return fmt.Errorf("auth: PRIZEQUIZ_ADMIN_PASSWORD: %w", err)
	}
	if generated {
		// Written before the account exists: if the file cannot be
		// written, no account is left whose password nobody knows.
		if err := writeSecret(s.PasswordFile, password+"\n"); err != nil {
			return fmt.Errorf("auth: keep the generated admin password (set PRIZEQUIZ_ADMIN_PASSWORD instead): %w", err)
		}
	}
	err = s.Client.Admin.Create().SetUsername("admin").SetPasswordHash(h).SetRole(admin.RoleOWNER).
		SetCreatedAt(s.Clock.Now()).Exec(ctx)
	if err != nil {
		if generated {
			_ = os.Remove(s.PasswordFile)
		}
		return fmt.Errorf("auth: create admin: %w", err)
	}
	if generated {
		path, err := filepath.Abs(s.PasswordFile)
		if err != nil {
			path = s.PasswordFile
		}
		log.Warn("created admin account with a random password; read it from the file, then delete the file",
			"username", "admin", "file", path)
	} else {
		log.Info("created admin account with PRIZEQUIZ_ADMIN_PASSWORD", "username", "admin")
	}
	return nil
}

// writeSecret replaces path with text, readable by its owner only. The
// file is written under a temporary name and renamed, so an existing file
// with looser permissions is replaced, not rewritten in place.
func writeSecret(path, text string) error {
	if path == "" {
		return errors.New("no password file configured")
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".prizequiz-admin-*")
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	defer os.Remove(f.Name()) // after a successful rename, removes nothing
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return fmt.Errorf("chmod %s: %w", path, err)
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// SignInWeChat exchanges a WeChat web-authorization code for the player's
// openid and signs its participant in.
func (s *Service) SignInWeChat(ctx context.Context, code string) (*ParticipantSession, error) {
	id, err := s.WeChat.Exchange(ctx, code)
	if err != nil {
		return nil, err
	}
	return s.signInOpenID(ctx, id.OpenID, id.Nickname)
}

// signInOpenID signs in the participant of a WeChat openid, creating it on
// first sight: one WeChat identity is one participant.
func (s *Service) signInOpenID(ctx context.Context, openID, nickname string) (*ParticipantSession, error) {
	nick, err := NormalizeNickname(nickname)
	if err != nil {
		nick = "微信用户" + randid.PublicID("", 4)
	}
	for range 2 { // a concurrent first sign-in of the same openid loses the unique index once
		tx, err := s.Client.Tx(ctx)
		if err != nil {
			return nil, fmt.Errorf("auth: begin: %w", err)
		}
		p, err := tx.Participant.Query().
			Where(participant.ProviderEQ(participant.ProviderWECHAT), participant.Subject(openID)).Only(ctx)
		if ent.IsNotFound(err) {
			p, err = tx.Participant.Create().
				SetPublicID(randid.PublicID("p", 12)).
				SetNickname(nick).
				SetProvider(participant.ProviderWECHAT).
				SetSubject(openID).
				SetFingerprint(reqinfo.From(ctx).DeviceHash()).
				SetCreatedAt(s.Clock.Now()).
				Save(ctx)
		}
		if err != nil {
			_ = tx.Rollback()
			if ent.IsConstraintError(err) {
				continue
			}
			return nil, fmt.Errorf("auth: wechat participant: %w", err)
		}
		token, expires, err := s.issue(ctx, tx, ParticipantTokenTTL, func(c *ent.AuthTokenCreate) { c.SetParticipant(p) })
		if err != nil {
			_ = tx.Rollback()
			return nil, err
		}
		if err := tx.Commit(); err != nil {
			return nil, fmt.Errorf("auth: commit wechat sign-in: %w", err)
		}
		return &ParticipantSession{Token: token, ExpiresAt: expires, Participant: p}, nil
	}
	return nil, fmt.Errorf("auth: wechat sign-in kept conflicting")
}
