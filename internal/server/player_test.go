package server_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"prizequiz/internal/store/storetest"
	"prizequiz/internal/wechat"
)

// The player's app answers at /play, under /play/ (its own routes survive a
// reload) and at /proof/{periodID}, built or not, with a CSP of its own.
func TestPlayerPages(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	for _, path := range []string{"/play", "/play/", "/play/anything", "/proof/42"} {
		resp, err := http.Get(e.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "<html") {
			t.Errorf("GET %s: %d %.200s", path, resp.StatusCode, body)
		}
		csp := resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe") ||
			!strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("GET %s: CSP %q", path, csp)
		}
	}
}

// /api/play-config tells the page the official account's AppID, and only
// when WeChat sign-in is fully configured (AppID and secret).
func TestPlayConfig(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	get := func() map[string]string {
		t.Helper()
		resp, err := http.Get(e.srv.URL + "/api/play-config")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			t.Fatalf("status %d, content type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		var out map[string]string
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	if got := get(); got["wechatAppID"] != "" || len(got) != 1 {
		t.Fatalf("not configured: %v", got)
	}
	e.res.Auth.WeChat = &wechat.Client{AppID: "wx0123456789abcdef"}
	if got := get(); got["wechatAppID"] != "" {
		t.Fatalf("AppID without a secret: %v", got)
	}
	e.res.Auth.WeChat = &wechat.Client{AppID: "wx0123456789abcdef", Secret: "s3cret"}
	got := get()
	if got["wechatAppID"] != "wx0123456789abcdef" {
		t.Fatalf("configured: %v", got)
	}
	for _, v := range got {
		if strings.Contains(v, "s3cret") {
			t.Fatal("the secret leaked")
		}
	}
}
