package auth

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"prizequiz/ent"
	"prizequiz/ent/admin"
	"prizequiz/ent/authtoken"
	"prizequiz/internal/apperr"
	"prizequiz/internal/audit"
	"prizequiz/internal/store"
)

// NewAdmin is CreateAdminInput.
type NewAdmin struct {
	Username string
	Password string
	Role     admin.Role
}

var usernameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{1,31}$`)

// adminSummary is what the audit log keeps of an account: never its hash.
func adminSummary(a *ent.Admin) map[string]any {
	return map[string]any{"username": a.Username, "role": a.Role, "disabled": a.Disabled}
}

// CreateAdmin creates an admin account.
func (s *Service) CreateAdmin(ctx context.Context, in NewAdmin) (*ent.Admin, error) {
	name := strings.TrimSpace(in.Username)
	if !usernameRE.MatchString(name) {
		return nil, apperr.Invalidf("username: 2 to 32 letters, digits, '.', '_' or '-' (用户名为2至32位字母、数字或 . _ -)")
	}
	if err := admin.RoleValidator(in.Role); err != nil {
		return nil, apperr.Invalidf("role: OWNER, EDITOR or VIEWER")
	}
	hash, err := HashPassword(in.Password)
	if err != nil {
		return nil, err
	}
	db := store.Client(ctx, s.Client)
	if exists, err := db.Admin.Query().Where(admin.Username(name)).Exist(ctx); err != nil {
		return nil, fmt.Errorf("auth: find admin: %w", err)
	} else if exists {
		return nil, apperr.Invalidf("username: %q is taken (用户名已存在)", name)
	}
	a, err := db.Admin.Create().SetUsername(name).SetPasswordHash(hash).SetRole(in.Role).SetCreatedAt(s.Clock.Now()).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("auth: create admin: %w", err)
	}
	audit.Describe(ctx, "Admin:"+a.Username, nil, adminSummary(a))
	return a, nil
}

func (s *Service) getAdmin(ctx context.Context, db *ent.Client, id int) (*ent.Admin, error) {
	a, err := db.Admin.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, apperr.NotFoundf("admin %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("auth: get admin: %w", err)
	}
	return a, nil
}

// keepAnOwner refuses a change that would leave no active OWNER: nobody
// could then manage accounts.
func keepAnOwner(ctx context.Context, db *ent.Client, a *ent.Admin) error {
	if a.Role != admin.RoleOWNER || a.Disabled {
		return nil
	}
	n, err := db.Admin.Query().Where(admin.RoleEQ(admin.RoleOWNER), admin.Disabled(false), admin.IDNEQ(a.ID)).Count(ctx)
	if err != nil {
		return fmt.Errorf("auth: count owners: %w", err)
	}
	if n == 0 {
		return apperr.Invalidf("this is the last active OWNER account (至少保留一个有效的所有者账号)")
	}
	return nil
}

func revokeAll(ctx context.Context, db *ent.Client, adminID int, at time.Time) error {
	err := db.AuthToken.Update().
		Where(authtoken.HasAdminWith(admin.ID(adminID)), authtoken.RevokedAtIsNil()).
		SetRevokedAt(at).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("auth: revoke tokens: %w", err)
	}
	return nil
}

// SetAdminDisabled disables or enables an account; disabling revokes its tokens.
func (s *Service) SetAdminDisabled(ctx context.Context, id int, disabled bool) (*ent.Admin, error) {
	db := store.Client(ctx, s.Client)
	a, err := s.getAdmin(ctx, db, id)
	if err != nil {
		return nil, err
	}
	if disabled {
		if err := keepAnOwner(ctx, db, a); err != nil {
			return nil, err
		}
		if err := revokeAll(ctx, db, id, s.Clock.Now()); err != nil {
			return nil, err
		}
	}
	after, err := db.Admin.UpdateOne(a).SetDisabled(disabled).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("auth: disable admin: %w", err)
	}
	audit.Describe(ctx, "Admin:"+a.Username, adminSummary(a), adminSummary(after))
	return after, nil
}

// ResetAdminPassword sets a new password, revokes the account's tokens and
// clears a sign-in lock.
func (s *Service) ResetAdminPassword(ctx context.Context, id int, password string) (*ent.Admin, error) {
	hash, err := HashPassword(password)
	if err != nil {
		return nil, err
	}
	db := store.Client(ctx, s.Client)
	a, err := s.getAdmin(ctx, db, id)
	if err != nil {
		return nil, err
	}
	if err := revokeAll(ctx, db, id, s.Clock.Now()); err != nil {
		return nil, err
	}
	after, err := db.Admin.UpdateOne(a).SetPasswordHash(hash).SetFailedLogins(0).ClearLockedUntil().Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("auth: reset password: %w", err)
	}
	audit.Describe(ctx, "Admin:"+a.Username, nil, map[string]any{"passwordReset": true})
	return after, nil
}

// SetAdminRole changes an account's role.
func (s *Service) SetAdminRole(ctx context.Context, id int, role admin.Role) (*ent.Admin, error) {
	if err := admin.RoleValidator(role); err != nil {
		return nil, apperr.Invalidf("role: OWNER, EDITOR or VIEWER")
	}
	db := store.Client(ctx, s.Client)
	a, err := s.getAdmin(ctx, db, id)
	if err != nil {
		return nil, err
	}
	if role != admin.RoleOWNER {
		if err := keepAnOwner(ctx, db, a); err != nil {
			return nil, err
		}
	}
	after, err := db.Admin.UpdateOne(a).SetRole(role).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("auth: set role: %w", err)
	}
	audit.Describe(ctx, "Admin:"+a.Username, adminSummary(a), adminSummary(after))
	return after, nil
}

// SignOut revokes the token of the current request.
func (s *Service) SignOut(ctx context.Context) error {
	p := PrincipalFrom(ctx)
	if p.TokenID == 0 {
		return apperr.New(apperr.Unauthenticated, "not signed in")
	}
	err := store.Client(ctx, s.Client).AuthToken.UpdateOneID(p.TokenID).SetRevokedAt(s.Clock.Now()).Exec(ctx)
	if err != nil {
		return fmt.Errorf("auth: sign out: %w", err)
	}
	return nil
}

// ChangeMyPassword changes the signed-in admin's own password after
// checking the old one; the admin's other tokens are revoked.
func (s *Service) ChangeMyPassword(ctx context.Context, oldPassword, newPassword string) error {
	p := PrincipalFrom(ctx)
	if p.Admin == nil {
		return apperr.New(apperr.Unauthenticated, "not signed in")
	}
	db := store.Client(ctx, s.Client)
	a, err := s.getAdmin(ctx, db, p.Admin.ID)
	if err != nil {
		return err
	}
	if bcrypt.CompareHashAndPassword([]byte(a.PasswordHash), []byte(oldPassword)) != nil {
		return apperr.Invalidf("oldPassword: wrong password (原密码错误)")
	}
	hash, err := HashPassword(newPassword)
	if err != nil {
		return err
	}
	err = db.AuthToken.Update().
		Where(authtoken.HasAdminWith(admin.ID(a.ID)), authtoken.RevokedAtIsNil(), authtoken.IDNEQ(p.TokenID)).
		SetRevokedAt(s.Clock.Now()).Exec(ctx)
	if err != nil {
		return fmt.Errorf("auth: revoke other tokens: %w", err)
	}
	if err := db.Admin.UpdateOne(a).SetPasswordHash(hash).Exec(ctx); err != nil {
		return fmt.Errorf("auth: change password: %w", err)
	}
	return nil
}
