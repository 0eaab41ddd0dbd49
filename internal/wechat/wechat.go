// Package wechat exchanges a WeChat official-account OAuth2 web
// authorization code for the player's openid (网页授权, sns/oauth2). The API
// base is configurable so tests run against a fake server on loopback.
package wechat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"prizequiz/internal/apperr"
)

// DefaultBase is WeChat's API.
const DefaultBase = "https://api.weixin.qq.com"

// Client talks to WeChat for one official account.
type Client struct {
	AppID  string
	Secret string
	Base   string // DefaultBase when empty
	HTTP   *http.Client
}

// Identity is who signed in.
type Identity struct {
	OpenID   string
	Nickname string // empty unless the user granted snsapi_userinfo
}

// Configured reports whether the account is set up.
func (c *Client) Configured() bool { return c != nil && c.AppID != "" && c.Secret != "" }

func (c *Client) get(ctx context.Context, path string, q url.Values, out any) error {
	base := c.Base
	if base == "" {
		base = DefaultBase
	}
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 5 * time.Second}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+path+"?"+q.Encode(), nil)
	if err != nil {
		return fmt.Errorf("wechat: request: %w", err)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return unreachable(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return unreachable(fmt.Errorf("status %s", resp.Status))
	}
	if err := json.NewDecoder(http.MaxBytesReader(nil, resp.Body, 1<<20)).Decode(out); err != nil {
		return unreachable(fmt.Errorf("decode: %w", err))
	}
	return nil
}

// errUnreachable is wrapped into every transport failure; its text, which
// may name hosts, is logged, never shown.
var errUnreachable = errors.New("wechat: api unreachable")

func unreachable(err error) error { return fmt.Errorf("%w: %v", errUnreachable, err) }

// Exchange trades a code for the player's identity.
func (c *Client) Exchange(ctx context.Context, code string) (Identity, error) {
	if !c.Configured() {
		return Identity{}, apperr.Invalidf("WeChat sign-in is not configured on this server (未配置微信登录)")
	}
	if code == "" || len(code) > 256 {
		return Identity{}, apperr.Invalidf("code: the WeChat authorization code is missing or malformed")
	}
	var tok struct {
		AccessToken string `json:"access_token"`
		OpenID      string `json:"openid"`
		Scope       string `json:"scope"`
		ErrCode     int    `json:"errcode"`
		ErrMsg      string `json:"errmsg"`
	}
	q := url.Values{"appid": {c.AppID}, "secret": {c.Secret}, "code": {code}, "grant_type": {"authorization_code"}}
	if err := c.get(ctx, "/sns/oauth2/access_token", q, &tok); err != nil {
		return Identity{}, err
	}
	switch {
	case tok.ErrCode == 40029 || tok.ErrCode == 40163 || tok.ErrCode == 41008:
		// invalid, already used, or missing code: the player must authorise again
		return Identity{}, apperr.New(apperr.Unauthenticated, "the WeChat authorization has expired or was used; sign in again (微信授权已失效，请重新进入)")
	case tok.ErrCode != 0:
		return Identity{}, fmt.Errorf("wechat: access_token errcode %d: %s", tok.ErrCode, tok.ErrMsg)
	case tok.OpenID == "":
		return Identity{}, errors.New("wechat: access_token without openid")
	}
	id := Identity{OpenID: tok.OpenID}
	if tok.Scope == "snsapi_userinfo" {
		var info struct {
			Nickname string `json:"nickname"`
			ErrCode  int    `json:"errcode"`
		}
		q := url.Values{"access_token": {tok.AccessToken}, "openid": {tok.OpenID}, "lang": {"zh_CN"}}
		if err := c.get(ctx, "/sns/userinfo", q, &info); err == nil && info.ErrCode == 0 {
			id.Nickname = info.Nickname
		} // a missing nickname is not worth failing the sign-in for
	}
	return id, nil
}
