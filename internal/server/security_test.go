package server_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"prizequiz/internal/store/storetest"
)

// tripwire is a request body that records whether anyone read it.
type tripwire struct {
	r    io.Reader
	read bool
}

func (t *tripwire) Read(p []byte) (int, error) {
	t.read = true
	return t.r.Read(p)
}

// uploadBody is a GraphQL multipart request importing a small CSV.
func uploadBody(t *testing.T) ([]byte, string) {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	ops, _ := json.Marshal(map[string]any{
		"query":     `mutation($f:Upload!){importQuestions(bankID:"999999",file:$f,dryRun:true){imported}}`,
		"variables": map[string]any{"f": nil},
	})
	_ = w.WriteField("operations", string(ops))
	_ = w.WriteField("map", `{"0":["variables.f"]}`)
	part, _ := w.CreateFormFile("0", "x.csv")
	_, _ = part.Write([]byte("题型,题干\n"))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return body.Bytes(), w.FormDataContentType()
}

// TestCrossSiteFormsCannotActOrUpload: what a page on another site can
// send without a CORS preflight (a form POST, a multipart upload, a GET)
// carries no Authorization header, and the server refuses it before
// reading its body whenever it would do more than read public data.
func TestCrossSiteFormsCannotActOrUpload(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	admin, player := e.adminToken(), e.guest("p")
	upload, uploadType := uploadBody(t)
	signIn := `mutation{signInGuest(nickname:"csrf"){token}}`
	signInJSON, _ := json.Marshal(map[string]string{"query": signIn})
	cases := []struct {
		name        string
		contentType string
		token       string
		body        []byte
		status      int
		code        string
		mayRead     bool
		method      string // POST when empty
	}{
		{"upload without a token", uploadType, "", upload, 401, "UNAUTHENTICATED", false, ""},
		{"upload with a bad token", uploadType, "not-a-token", upload, 401, "UNAUTHENTICATED", false, ""},
		{"upload with a player's token", uploadType, player, upload, 403, "FORBIDDEN", false, ""},
		{"form post", "application/x-www-form-urlencoded", "", []byte("query=" + url.QueryEscape(signIn)), 415, "BAD_USER_INPUT", false, ""},
		{"text/plain post", "text/plain", "", signInJSON, 415, "BAD_USER_INPUT", false, ""},
		{"no content type", "", "", signInJSON, 415, "BAD_USER_INPUT", false, ""},
		// Other methods: a clear code, not gqlgen's code-less refusal.
		{"JSON put", "application/json", "", signInJSON, 405, "BAD_USER_INPUT", false, http.MethodPut},
		{"JSON delete", "application/json", "", signInJSON, 405, "BAD_USER_INPUT", false, http.MethodDelete},
		{"JSON patch", "application/json", "", signInJSON, 405, "BAD_USER_INPUT", false, http.MethodPatch},
		// The controls: an admin's upload is read, and a JSON POST works.
		{"upload with an admin's token", uploadType, admin, upload, 200, "NOT_FOUND", true, ""},
		{"JSON post", "application/json", "", signInJSON, 200, "", true, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := &tripwire{r: bytes.NewReader(tc.body)}
			method := http.MethodPost
			if tc.method != "" {
				method = tc.method
			}
			req := httptest.NewRequest(method, "/graphql", body)
			if tc.contentType != "" {
				req.Header.Set("Content-Type", tc.contentType)
			}
			if tc.token != "" {
				req.Header.Set("Authorization", "Bearer "+tc.token)
			}
			rec := httptest.NewRecorder()
			e.h.ServeHTTP(rec, req)
			var r response
			if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
				t.Fatalf("%d %s", rec.Code, rec.Body)
			}
			if rec.Code != tc.status || r.code() != tc.code {
				t.Fatalf("status %d code %q, want %d %q: %s", rec.Code, r.code(), tc.status, tc.code, rec.Body)
			}
			if body.read != tc.mayRead {
				t.Fatalf("body read: %v, want %v", body.read, tc.mayRead)
			}
		})
	}

	// Over GET only queries run; a mutation is refused before it runs, so
	// it signs nobody in.
	participants := func() int { return e.db.Client.Participant.Query().CountX(t.Context()) }
	get := func(params url.Values) (int, response) {
		resp, err := http.Get(e.srv.URL + "/graphql?" + params.Encode())
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var r response
		_ = json.Unmarshal(raw, &r)
		r.raw = string(raw)
		return resp.StatusCode, r
	}
	before := participants()
	for name, params := range map[string]url.Values{
		"mutation":          {"query": {signIn}},
		"named mutation":    {"query": {`query q{activeCampaigns{id}} mutation m{signInGuest(nickname:"csrf"){token}}`}, "operationName": {"m"}},
		"subscription":      {"query": {`subscription{leaderboardUpdated(campaignID:"1"){total}}`}},
		"mutation, comment": {"query": {"# a query\nmutation{signInGuest(nickname:\"csrf\"){token}}"}},
	} {
		status, r := get(params)
		if status != http.StatusMethodNotAllowed || r.code() != "BAD_USER_INPUT" {
			t.Errorf("GET %s: %d %s", name, status, r.raw)
		}
	}
	// A persisted mutation, registered by a POST, cannot be replayed by hash over GET.
	hash := sha256.Sum256([]byte(signIn))
	ext := `{"persistedQuery":{"version":1,"sha256Hash":"` + hex.EncodeToString(hash[:]) + `"}}`
	post, _ := json.Marshal(map[string]any{"query": signIn, "extensions": json.RawMessage(ext)})
	resp, err := http.Post(e.srv.URL+"/graphql", "application/json", bytes.NewReader(post))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	before++ // that POST signed one guest in
	if status, r := get(url.Values{"extensions": {ext}}); status == http.StatusOK || strings.Contains(r.raw, `"token"`) {
		t.Errorf("GET of a persisted mutation: %d %s", status, r.raw)
	}
	if n := participants(); n != before {
		t.Fatalf("GET requests signed in %d guests", n-before)
	}
	if status, r := get(url.Values{"query": {`query q{activeCampaigns{id}} mutation m{signInGuest(nickname:"x"){token}}`}, "operationName": {"q"}}); status != 200 || len(r.Errors) > 0 {
		t.Fatalf("GET query: %d %s", status, r.raw)
	}
}

// TestTokensNeverInURLs: a credential in a query string is refused on
// every path (GraphQL, websocket upgrade, downloads), never used, and not
// logged; the same token in the header works.
func TestTokensNeverInURLs(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	admin, player := e.adminToken(), e.guest("p")
	myPrizes := url.QueryEscape(`{myPrizes{id}}`)
	cases := []struct {
		name, path string
		header     map[string]string
	}{
		{"token", "/graphql?query=" + myPrizes + "&token=" + player, nil},
		{"access_token", "/graphql?query=" + myPrizes + "&access_token=" + player, nil},
		{"Authorization", "/graphql?query=" + myPrizes + "&Authorization=" + url.QueryEscape("Bearer "+player), nil},
		{"websocket", "/graphql?token=" + player, map[string]string{"Connection": "Upgrade", "Upgrade": "websocket",
			"Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Protocol": "graphql-transport-ws"}},
		{"download", "/api/export/banks/1/questions?format=csv&access_token=" + admin, nil},
		{"template", "/api/templates/questions?id_token=" + admin, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, e.srv.URL+tc.path, nil)
			for k, v := range tc.header {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(raw), "BAD_USER_INPUT") {
				t.Fatalf("%d %s", resp.StatusCode, raw)
			}
		})
	}
	// The controls: the same requests with the token in the header.
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/graphql?query="+myPrizes, nil)
	req.Header.Set("Authorization", "Bearer "+player)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(raw), `"myPrizes":[]`) {
		t.Fatalf("header token: %d %s", resp.StatusCode, raw)
	}
	for _, tok := range []string{admin, player} {
		if strings.Contains(e.logs.String(), tok) {
			t.Fatalf("a token reached the log: %s", e.logs.String())
		}
	}
}

// TestNoPersonalDataInLogs drives sign-ins, play, a draw, a prize claim
// with a name, phone and address, and the admin reads and export of it,
// failures included, through the handler with the production log chain,
// and finds none of the secrets or contact data in the log.
func TestNoPersonalDataInLogs(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	owner := e.adminToken()
	var b struct{ CreateQuestionBank struct{ ID string } }
	e.must(owner, `mutation{createQuestionBank(input:{name:"b"}){id}}`, nil, &b)
	for range 5 {
		e.must(owner, `mutation($b:ID!){createQuestion(input:{bankID:$b,kind:TRUE_FALSE,stem:"对吗",options:[],answer:["A"]}){id}}`,
			map[string]any{"b": b.CreateQuestionBank.ID}, nil)
	}
	now := e.clock.Now()
	var c struct {
		CreateCampaign struct {
			ID      string
			Periods []struct{ ID string }
		}
	}
	e.must(owner, `mutation($in:CreateCampaignInput!){createCampaign(input:$in){id periods{id}}}`, map[string]any{"in": map[string]any{
		"name": "日志", "bankID": b.CreateQuestionBank.ID, "startsAt": now.Format(time.RFC3339), "endsAt": now.Add(10 * time.Second).Format(time.RFC3339),
		"periodSeconds": 5, "timeLimitSeconds": 2, "poolSize": 3, "winnersPerPeriod": 2, "entropySource": "declared: 测试",
	}}, &c)
	pid := c.CreateCampaign.Periods[0].ID
	if _, err := e.res.Draws.Tick(t.Context()); err != nil {
		t.Fatal(err)
	}
	var s struct{ SignInGuest struct{ Token string } }
	e.must("", `mutation{signInGuest(nickname:"中奖者"){token}}`, nil, &s)
	winner := s.SignInGuest.Token
	var st struct{ StartAttempt attempt }
	e.must(winner, startQ, map[string]any{"c": c.CreateCampaign.ID}, &st)
	e.clock.Advance(time.Second)
	e.must(winner, submitQ, map[string]any{"a": st.StartAttempt.ID, "ans": []any{}}, nil)
	e.clock.Set(now.Add(5 * time.Second))
	e.must(owner, `mutation($p:ID!){runDraw(periodID:$p,externalEntropy:"123"){order}}`, map[string]any{"p": pid}, nil)
	e.must(owner, `mutation($p:ID!){publishWinners(periodID:$p){status}}`, map[string]any{"p": pid}, nil)
	var mine struct{ MyPrizes []struct{ ID string } }
	e.must(winner, `{myPrizes{id}}`, nil, &mine)
	if len(mine.MyPrizes) != 1 {
		t.Fatalf("myPrizes %+v", mine)
	}

	const (
		name    = "欧阳娜娜"
		phone   = "13912345678"
		address = "江苏省南通市崇川区濠河路88号"
	)
	claim := `mutation($w:ID!,$n:String!,$p:String!,$a:String){claimPrize(winnerID:$w,name:$n,phone:$p,address:$a){id claimedAt}}`
	vars := func(phone string) map[string]any {
		return map[string]any{"w": mine.MyPrizes[0].ID, "n": name, "p": phone, "a": address}
	}
	if r := e.do(winner, claim, vars("1391234567"), nil); r.code() != "BAD_USER_INPUT" {
		t.Fatalf("bad phone: %s", r.raw)
	}
	e.must(winner, claim, vars(phone), nil)
	e.do(winner, claim, vars(phone), nil)        // claimed twice
	e.do(e.guest("别人"), claim, vars(phone), nil) // not theirs
	if r := e.do(owner, `query($p:ID!){periodWinners(periodID:$p){claimName claimPhone claimAddress}}`, map[string]any{"p": pid}, nil); !strings.Contains(r.raw, name) {
		t.Fatalf("the owner cannot read the claim: %s", r.raw)
	}
	e.must(owner, `mutation($w:ID!){updateWinner(id:$w,prizeStatus:SENT,note:"已寄出"){id}}`, map[string]any{"w": mine.MyPrizes[0].ID}, nil)
	req, _ := http.NewRequest("GET", e.srv.URL+"/api/export/periods/"+pid+"/winners?format=csv", nil)
	req.Header.Set("Authorization", "Bearer "+owner)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	csv, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(csv), phone) {
		t.Fatalf("export without the phone: %s", csv)
	}
	// Failures log their causes: a request that fails inside the server
	// must not carry the data it was handling into the log either.
	e.do(owner, `mutation{adminSignIn(username:"admin",password:"wrong-password"){token}}`, nil, nil)
	e.do("Bearer-in-body "+winner, `{myPrizes{id}}`, nil, nil)
	_ = e.db.SQL.Close()
	e.do(winner, claim, vars(phone), nil)
	e.do("", `mutation($n:String!){adminSignIn(username:"admin",password:$n){token}}`, map[string]any{"n": adminPassword}, nil)

	logs := e.logs.String()
	if !strings.Contains(logs, "database is closed") {
		t.Fatalf("the failures were not logged, so the test proves nothing: %s", logs)
	}
	for what, secret := range map[string]string{
		"admin password": adminPassword, "admin token": owner, "player token": winner,
		"name": name, "phone": phone, "phone's middle digits": "9123456", "address": "崇川区", "+86 phone": "+86" + phone,
	} {
		if strings.Contains(logs, secret) {
			t.Errorf("the %s is in the log: %s", what, logs)
		}
	}
}
