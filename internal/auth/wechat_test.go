package auth_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"prizequiz/internal/apperr"
	"prizequiz/internal/store"
	"prizequiz/internal/store/storetest"
	"prizequiz/internal/testfix"
	"prizequiz/internal/wechat"
)

// fakeWeChat answers the two OAuth2 endpoints the way WeChat does.
func fakeWeChat(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /sns/oauth2/access_token", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("appid") != "wx-app" || q.Get("secret") != "wx-secret" || q.Get("grant_type") != "authorization_code" {
			_ = json.NewEncoder(w).Encode(map[string]any{"errcode": 40013, "errmsg": "invalid appid"})
			return
		}
		switch q.Get("code") {
		case "used":
			_ = json.NewEncoder(w).Encode(map[string]any{"errcode": 40163, "errmsg": "code been used"})
		case "info":
			_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "at", "openid": "o-info", "scope": "snsapi_userinfo"})
		default:
			_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "at", "openid": "o-" + q.Get("code"), "scope": "snsapi_base"})
		}
	})
	mux.HandleFunc("GET /sns/userinfo", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{"openid": r.URL.Query().Get("openid"), "nickname": "南通老王"})
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestSignInWeChat(t *testing.T) {
	wx := fakeWeChat(t)
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := testfix.New(t, db)
		_, err := f.Auth.SignInWeChat(f.Ctx, "abc")
		if apperr.CodeOf(err) != apperr.BadUserInput {
			t.Fatalf("not configured: %v", err)
		}
		f.Auth.WeChat = &wechat.Client{AppID: "wx-app", Secret: "wx-secret", Base: wx.URL}
		s1, err := f.Auth.SignInWeChat(f.Ctx, "alice")
		if err != nil {
			t.Fatal(err)
		}
		s2, err := f.Auth.SignInWeChat(f.Ctx, "alice")
		if err != nil || s2.Participant.ID != s1.Participant.ID || s2.Token == s1.Token {
			t.Fatalf("second sign-in of one identity: %+v %v", s2, err)
		}
		if p, _ := f.Auth.Authenticate(f.Ctx, s2.Token); p.ParticipantID != s1.Participant.ID {
			t.Fatal("the WeChat token does not authenticate")
		}
		if s, err := f.Auth.SignInWeChat(f.Ctx, "info"); err != nil || s.Participant.Nickname != "南通老王" {
			t.Fatalf("userinfo nickname: %+v %v", s, err)
		}
		if _, err := f.Auth.SignInWeChat(f.Ctx, "used"); apperr.CodeOf(err) != apperr.Unauthenticated {
			t.Fatalf("a used code: %v", err)
		}
		// Ten first sign-ins at once make one participant.
		var wg sync.WaitGroup
		ids := make(chan int, 10)
		for range 10 {
			wg.Go(func() {
				s, err := f.Auth.SignInWeChat(f.Ctx, "bob")
				if err != nil {
					t.Error(err)
					return
				}
				ids <- s.Participant.ID
			})
		}
		wg.Wait()
		close(ids)
		first := <-ids
		for id := range ids {
			if id != first {
				t.Fatalf("one openid became participants %d and %d", first, id)
			}
		}
		f.Auth.WeChat.Base = "http://127.0.0.1:1" // nothing listens
		if _, err := f.Auth.SignInWeChat(f.Ctx, "carol"); err == nil || apperr.CodeOf(err) != apperr.Internal {
			t.Fatalf("unreachable WeChat: %v", err)
		}
	})
}
