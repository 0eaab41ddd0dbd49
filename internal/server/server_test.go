package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"prizequiz/graph"
	"prizequiz/internal/clock"
	"prizequiz/internal/logging"
	"prizequiz/internal/ratelimit"
	"prizequiz/internal/server"
	"prizequiz/internal/store"
	"prizequiz/internal/store/storetest"
	"prizequiz/internal/testfix"
)

const adminPassword = "test-admin-password"

type env struct {
	t     testing.TB
	srv   *httptest.Server
	clock *clock.Fake
	db    *store.DB
	logs  *bytes.Buffer
	res   *graph.Resolver
	h     http.Handler
}

func newEnv(t *testing.T, db *store.DB) *env { return newEnvWith(t, db, nil) }

// newEnvWith is newEnv with the test's changes to the configuration.
func newEnvWith(t testing.TB, db *store.DB, tweak func(*server.Config)) *env {
	clk := clock.NewFake(testfix.Start)
	logs := &bytes.Buffer{}
	log := logging.New(logs) // the production chain: request ids, personal data masked
	res := graph.NewResolver(db, clk)
	if err := res.Auth.BootstrapAdmin(t.Context(), adminPassword, log); err != nil {
		t.Fatal(err)
	}
	cfg := server.DefaultConfig()
	cfg.RateLimits.Off = true // TestRateLimits checks them; other tests sign in often from one address
	if tweak != nil {
		tweak(&cfg)
	}
	h := server.New(cfg, db, res, log)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &env{t: t, srv: srv, clock: clk, db: db, logs: logs, res: res, h: h}
}

type gqlError struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions"`
}

type response struct {
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
	raw    string
}

func (r response) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

// do posts a GraphQL request and decodes data into out (when non-nil).
func (e *env) do(token, query string, vars map[string]any, out any) response {
	e.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest("POST", e.srv.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var r response
	if err := json.Unmarshal(raw, &r); err != nil {
		e.t.Fatalf("decode %s: %v", raw, err)
	}
	r.raw = string(raw)
	if out != nil && len(r.Data) > 0 && string(r.Data) != "null" {
		if err := json.Unmarshal(r.Data, out); err != nil {
			e.t.Fatalf("decode data %s: %v", r.Data, err)
		}
	}
	return r
}

// must is do that fails the test on any GraphQL error.
func (e *env) must(token, query string, vars map[string]any, out any) {
	e.t.Helper()
	if r := e.do(token, query, vars, out); len(r.Errors) > 0 {
		e.t.Fatalf("%s\n→ %s", query, r.raw)
	}
}

func (e *env) adminToken() string {
	var out struct{ AdminSignIn struct{ Token string } }
	e.must("", `mutation($u:String!,$p:String!){adminSignIn(username:$u,password:$p){token expiresAt admin{username role}}}`,
		map[string]any{"u": "admin", "p": adminPassword}, &out)
	return out.AdminSignIn.Token
}

func (e *env) guest(nick string) string {
	var out struct{ SignInGuest struct{ Token string } }
	e.must("", `mutation($n:String!){signInGuest(nickname:$n){token expiresAt participant{publicID nickname}}}`, map[string]any{"n": nick}, &out)
	return out.SignInGuest.Token
}

type question struct {
	ID     string
	Kind   string
	Answer []string
}

// setUp creates, through the API, a bank of six questions and a campaign
// with a 2-second time limit and 5-second periods.
func (e *env) setUp(admin string) (campaignID string, answers map[string][]string) {
	return e.setUpWith(admin, nil)
}

// setUpWith is setUp with rules of CreateCampaignInput set or overridden.
func (e *env) setUpWith(admin string, rules map[string]any) (campaignID string, answers map[string][]string) {
	var b struct{ CreateQuestionBank struct{ ID string } }
	e.must(admin, `mutation{createQuestionBank(input:{name:"医保题库",description:"测试"}){id name}}`, nil, &b)
	qs := []map[string]any{
		{"kind": "SINGLE", "stem": "职工医保和居民医保是两大基本医保制度吗？", "options": opts("A", "B", "C"), "answer": []string{"A"}, "category": "参保缴费", "explanation": "是"},
		{"kind": "SINGLE", "stem": "12393 是什么热线？", "options": opts("A", "B", "C", "D"), "answer": []string{"C"}},
		{"kind": "MULTIPLE", "stem": "下列哪些属于基本医保？", "options": opts("A", "B", "C", "D"), "answer": []string{"A", "B"}},
		{"kind": "MULTIPLE", "stem": "哪些行为属于欺诈骗保？", "options": opts("A", "B", "C"), "answer": []string{"B", "C"}},
		{"kind": "TRUE_FALSE", "stem": "医保个人账户可以提现。", "options": []any{}, "answer": []string{"B"}},
		{"kind": "TRUE_FALSE", "stem": "异地就医需要备案。", "options": []any{}, "answer": []string{"A"}},
	}
	answers = map[string][]string{}
	for _, q := range qs {
		q["bankID"] = b.CreateQuestionBank.ID
		var out struct{ CreateQuestion question }
		e.must(admin, `mutation($in:CreateQuestionInput!){createQuestion(input:$in){id kind answer options{key text} version enabled}}`,
			map[string]any{"in": q}, &out)
		answers[out.CreateQuestion.ID] = out.CreateQuestion.Answer
	}
	now := e.clock.Now()
	in := map[string]any{
		"name": "测试活动", "bankID": b.CreateQuestionBank.ID,
		"startsAt": now.Format(time.RFC3339Nano), "endsAt": now.Add(time.Hour).Format(time.RFC3339Nano),
		"timeLimitSeconds": 2, "periodSeconds": 5, "graceSeconds": 1,
	}
	maps.Copy(in, rules)
	var c struct{ CreateCampaign struct{ ID string } }
	e.must(admin, `mutation($in:CreateCampaignInput!){createCampaign(input:$in){id publicID timeLimitSeconds periodSeconds periods{index status}}}`,
		map[string]any{"in": in}, &c)
	return c.CreateCampaign.ID, answers
}

func opts(keys ...string) []map[string]string {
	var out []map[string]string
	for _, k := range keys {
		out = append(out, map[string]string{"key": k, "text": "选项" + k})
	}
	return out
}

type attempt struct {
	ID        string
	Status    string
	Deadline  time.Time
	Questions []struct {
		ID       string
		Position int
		Kind     string
		Stem     string
		Options  []struct{ Key, Text string }
	}
}

const startQ = `mutation($c:ID!){startAttempt(campaignID:$c){id status startedAt deadline questions{id position kind stem options{key text}}}}`
const submitQ = `mutation($a:ID!,$ans:[AnswerInput!]!){submitAttempt(attemptID:$a,answers:$ans){
	score correctCount durationMs attempt{id status}
	standing{rank score durationMs attempts participant{publicID nickname}}
	review{questionID chosen correct isCorrect explanation}}}`

func TestPlayEndToEnd(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin := e.adminToken()
		cid, answers := e.setUp(admin)

		var camp struct {
			Campaign struct {
				TimeLimitSeconds, PeriodSeconds, QuestionsPerAttempt, PointsPerQuestion int
				Periods                                                                 []struct{ Status string }
			}
		}
		e.must("", `query($id:ID!){campaign(id:$id){name timeLimitSeconds periodSeconds questionsPerAttempt pointsPerQuestion rankingMode entropySource periods{id index status startsAt endsAt commitmentRecord}}}`,
			map[string]any{"id": cid}, &camp)
		if c := camp.Campaign; c.TimeLimitSeconds != 2 || c.PeriodSeconds != 5 || c.QuestionsPerAttempt != 5 || len(c.Periods) != 720 || c.Periods[0].Status != "OPEN" {
			t.Fatalf("campaign %+v", c)
		}

		player := e.guest("小李")
		var st struct{ StartAttempt attempt }
		e.must(player, startQ, map[string]any{"c": cid}, &st)
		a := st.StartAttempt
		if len(a.Questions) != 5 || a.Status != "IN_PROGRESS" {
			t.Fatalf("attempt %+v", a)
		}
		e.clock.Advance(1500 * time.Millisecond)
		var ans []map[string]any
		for _, q := range a.Questions {
			ans = append(ans, map[string]any{"questionID": q.ID, "choices": answers[q.ID]})
		}
		var sub struct {
			SubmitAttempt struct {
				Score, CorrectCount, DurationMs int
				Standing                        struct{ Rank, Score, Attempts int }
				Review                          []struct{ IsCorrect bool }
			}
		}
		e.must(player, submitQ, map[string]any{"a": a.ID, "ans": ans}, &sub)
		if s := sub.SubmitAttempt; s.Score != 100 || s.CorrectCount != 5 || s.DurationMs != 1500 || s.Standing.Rank != 1 || len(s.Review) != 5 {
			t.Fatalf("result %+v", s)
		}

		// A second player runs out of time: 2 s limit + 1 s grace.
		late := e.guest("小张")
		e.must(late, startQ, map[string]any{"c": cid}, &st)
		e.clock.Advance(3001 * time.Millisecond)
		r := e.do(late, submitQ, map[string]any{"a": st.StartAttempt.ID, "ans": []any{}}, nil)
		if r.code() != "ATTEMPT_EXPIRED" {
			t.Fatalf("late submit: %s", r.raw)
		}
		third := e.guest("小赵")
		e.must(third, startQ, map[string]any{"c": cid}, &st)
		e.must(third, submitQ, map[string]any{"a": st.StartAttempt.ID, "ans": []any{}}, nil)

		var lb struct {
			Leaderboard struct {
				Total   int
				Entries []struct {
					Rank        int
					Score       int
					Participant struct{ Nickname string }
				}
			}
		}
		e.must("", `query($c:ID!){leaderboard(campaignID:$c,first:10){total updatedAt entries{rank score durationMs achievedAt participant{publicID nickname}}}}`,
			map[string]any{"c": cid}, &lb)
		if l := lb.Leaderboard; l.Total != 2 || l.Entries[0].Participant.Nickname != "小李" || l.Entries[1].Score != 0 {
			t.Fatalf("leaderboard %+v", l)
		}
		var me struct {
			MyStanding struct{ Rank, Score, Attempts int }
		}
		e.must(third, `query($c:ID!){myStanding(campaignID:$c){rank score durationMs attempts participant{nickname}}}`, map[string]any{"c": cid}, &me)
		if me.MyStanding.Rank != 2 || me.MyStanding.Attempts != 1 {
			t.Fatalf("myStanding %+v", me.MyStanding)
		}
		var none struct{ MyStanding *struct{ Rank int } }
		e.must(late, `query($c:ID!){myStanding(campaignID:$c){rank}}`, map[string]any{"c": cid}, &none)
		if none.MyStanding != nil {
			t.Fatalf("a player with no submitted attempt has standing %+v", none.MyStanding)
		}
	})
}

// TestNoAnswerBeforeSubmit: nothing a player can reach names the answer
// of an attempt in progress.
func TestNoAnswerBeforeSubmit(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	admin := e.adminToken()
	cid, _ := e.setUp(admin)
	player := e.guest("p")
	r := e.do(player, startQ, map[string]any{"c": cid}, nil)
	for _, leak := range []string{"answer", "correct", "explanation", "isCorrect"} {
		if strings.Contains(r.raw, leak) {
			t.Fatalf("startAttempt response mentions %q: %s", leak, r.raw)
		}
	}
	var typ struct {
		Type struct{ Fields []struct{ Name string } } `json:"__type"`
	}
	e.must(player, `{__type(name:"AttemptQuestion"){fields{name}}}`, nil, &typ)
	for _, f := range typ.Type.Fields {
		if f.Name != "id" && f.Name != "position" && f.Name != "kind" && f.Name != "stem" && f.Name != "options" {
			t.Fatalf("AttemptQuestion has field %q", f.Name)
		}
	}
	// The admin-only ways to questions refuse players.
	for _, q := range []string{
		`{questions(first:5){edges{node{id answer}}}}`,
		`query($c:ID!){campaign(id:$c){bank{id}}}`,
	} {
		if r := e.do(player, q, map[string]any{"c": cid}, nil); r.code() != "FORBIDDEN" || strings.Contains(r.raw, `"answer":[`) {
			t.Fatalf("%s as player: %s", q, r.raw)
		}
	}
	var qs struct {
		Questions struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	e.must(admin, `{questions(first:1){edges{node{id answer}}}}`, nil, &qs)
	if r := e.do(player, `query($id:ID!){node(id:$id){id ... on Question{answer}}}`, map[string]any{"id": qs.Questions.Edges[0].Node.ID}, nil); r.code() != "FORBIDDEN" {
		t.Fatalf("node as player: %s", r.raw)
	}
}

func TestErrorCodes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin := e.adminToken()
		cid, _ := e.setUp(admin)
		player := e.guest("p")
		var st struct{ StartAttempt attempt }
		e.must(player, startQ, map[string]any{"c": cid}, &st)
		other := e.guest("other")
		cases := []struct {
			name  string
			token string
			query string
			vars  map[string]any
			code  string
		}{
			{"start without token", "", startQ, map[string]any{"c": cid}, "UNAUTHENTICATED"},
			{"start with a bad token", "not-a-token", startQ, map[string]any{"c": cid}, "UNAUTHENTICATED"},
			{"admin operation with player token", player, `mutation{createQuestionBank(input:{name:"x"}){id}}`, nil, "FORBIDDEN"},
			{"admin operation without token", "", `{campaigns{id}}`, nil, "UNAUTHENTICATED"},
			{"unknown campaign id", "", `query($id:ID!){campaign(id:$id){id}}`, map[string]any{"id": "999999"}, "NOT_FOUND"},
			{"malformed id", "", `query($id:ID!){campaign(id:$id){id}}`, map[string]any{"id": "abc'; DROP TABLE x"}, "NOT_FOUND"},
			{"malformed id literal", "", `{leaderboard(campaignID:"-1"){total}}`, nil, "NOT_FOUND"},
			{"another player's attempt", other, submitQ, map[string]any{"a": st.StartAttempt.ID, "ans": []any{}}, "NOT_FOUND"},
			{"question not in attempt", player, submitQ, map[string]any{"a": st.StartAttempt.ID, "ans": []any{map[string]any{"questionID": "424242", "choices": []string{"A"}}}}, "BAD_USER_INPUT"},
			{"unknown option key", player, submitQ, map[string]any{"a": st.StartAttempt.ID, "ans": []any{map[string]any{"questionID": st.StartAttempt.Questions[0].ID, "choices": []string{"Q"}}}}, "BAD_USER_INPUT"},
			{"bad time", admin, `mutation{createCampaign(input:{name:"x",bankID:"1",startsAt:"tomorrow",endsAt:"2030-01-01T00:00:00Z"}){id}}`, nil, "BAD_USER_INPUT"},
			{"bad rule", admin, `mutation($b:ID!){createCampaign(input:{name:"x",bankID:$b,startsAt:"2030-01-01T00:00:00Z",endsAt:"2029-01-01T00:00:00Z"}){id}}`, map[string]any{"b": "1"}, "BAD_USER_INPUT"},
			{"wrong admin password", "", `mutation{adminSignIn(username:"admin",password:"nope-nope"){token}}`, nil, "UNAUTHENTICATED"},
			{"empty nickname", "", `mutation{signInGuest(nickname:" "){token}}`, nil, "BAD_USER_INPUT"},
			{"bad first", "", `query($c:ID!){leaderboard(campaignID:$c,first:100000){total}}`, map[string]any{"c": cid}, "BAD_USER_INPUT"},
			{"parse error", "", `{activeCampaigns{id}`, nil, "GRAPHQL_PARSE_FAILED"},
			{"unknown field", "", `{activeCampaigns{answer}}`, nil, "GRAPHQL_VALIDATION_FAILED"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				r := e.do(tc.token, tc.query, tc.vars, nil)
				if r.code() != tc.code {
					t.Fatalf("want %s, got %s", tc.code, r.raw)
				}
				if msg := r.Errors[0].Message; msg == "" || strings.Contains(msg, "strconv") || strings.Contains(msg, "sql") || strings.Contains(msg, "ent:") {
					t.Fatalf("message leaks internals or is empty: %q", msg)
				}
			})
		}
		// The attempt survived all of it.
		var again struct{ StartAttempt attempt }
		e.must(player, startQ, map[string]any{"c": cid}, &again)
		if again.StartAttempt.ID != st.StartAttempt.ID {
			t.Fatal("bad input lost the attempt in progress")
		}
	})
}

func TestInternalErrorsDoNotLeak(t *testing.T) {
	db := storetest.SQLite(t)
	e := newEnv(t, db)
	db.SQL.Close() // every query now fails inside the driver
	r := e.do("", `{activeCampaigns{id}}`, nil, nil)
	if r.code() != "INTERNAL" || r.Errors[0].Message != "internal error" {
		t.Fatalf("got %s", r.raw)
	}
	if !strings.Contains(e.logs.String(), "database is closed") {
		t.Fatalf("the cause was not logged: %s", e.logs.String())
	}
}

func TestHTTPEndpoints(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	get := func(path string) (int, string) {
		resp, err := http.Get(e.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, tc := range []struct {
		path, want string
	}{
		{"/healthz", "ok"},
		{"/readyz", "ready"},
		{"/playground", "GraphiQL"},
		{"/", "<html"}, // redirected to /admin/: the app, or the page saying how to build it
		{"/admin/campaigns/42", "<html"},
		{"/graphql?query=" + url.QueryEscape("{activeCampaigns{id}}"), `"activeCampaigns":[]`},
	} {
		code, body := get(tc.path)
		if code != 200 || !strings.Contains(body, tc.want) {
			t.Errorf("GET %s: %d %.200s", tc.path, code, body)
		}
	}
	// A multipart request (with its larger upload limit) first: the JSON
	// limit must hold for the requests after it.
	small, err := http.Post(e.srv.URL+"/graphql", "multipart/form-data; boundary=x", strings.NewReader("--x--"))
	if err != nil {
		t.Fatal(err)
	}
	small.Body.Close()
	big := strings.Repeat("x", 2<<20)
	resp, err := http.Post(e.srv.URL+"/graphql", "application/json", strings.NewReader(big))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("oversized body after a multipart request: %d", resp.StatusCode)
	}
}

func TestPlaygroundCanBeSwitchedOff(t *testing.T) {
	db := storetest.SQLite(t)
	cfg := server.DefaultConfig()
	cfg.Playground = false
	srv := httptest.NewServer(server.New(cfg, db, graph.NewResolver(db, clock.Real{}), slog.New(slog.DiscardHandler)))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/playground")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("playground off: %d", resp.StatusCode)
	}
}

func decodeData(r response, out any) error {
	if len(r.Errors) > 0 {
		return fmt.Errorf("%s", r.raw)
	}
	return json.Unmarshal(r.Data, out)
}

func TestProductionConfig(t *testing.T) {
	db := storetest.SQLite(t)
	srv := httptest.NewServer(server.New(server.ProductionConfig(), db, graph.NewResolver(db, clock.Real{}), slog.New(slog.DiscardHandler)))
	defer srv.Close()
	post := func(q string) string {
		resp, err := http.Post(srv.URL+"/graphql", "application/json", strings.NewReader(`{"query":`+strconvQuote(q)+`}`))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	if out := post(`{__schema{types{name}}}`); !strings.Contains(out, "FORBIDDEN") || strings.Contains(out, "OBJECT") {
		t.Fatalf("introspection in production: %s", out)
	}
	if out := post(`{activeCampaign{id}}`); strings.Contains(out, "Did you mean") {
		t.Fatalf("suggestions in production: %s", out)
	}
	resp, err := http.Get(srv.URL + "/playground")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("playground in production: %d", resp.StatusCode)
	}
	if out := post(`{activeCampaigns{id}}`); !strings.Contains(out, `"activeCampaigns":[]`) {
		t.Fatalf("production serves queries: %s", out)
	}
}

func strconvQuote(s string) string { b, _ := json.Marshal(s); return string(b) }

func TestQueryShapeLimits(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	deep := "{activeCampaigns{" + strings.Repeat("periods{campaign{", 8) + "id" + strings.Repeat("}}", 8) + "}}"
	var aliases []string
	for i := range 40 {
		aliases = append(aliases, fmt.Sprintf("a%d:activeCampaigns{id}", i))
	}
	// About 40 fields an alias, 28 aliases: complexity about 1,100.
	complex := `fragment C on Campaign{id publicID name description startsAt endsAt timezone questionsPerAttempt
		timeLimitSeconds graceSeconds pointsPerQuestion rankingMode periodSeconds poolSize winnersPerPeriod
		excludePreviousWinners maxAttemptsPerDay entropySource}
		fragment P on Period{id campaign{...C}} query{`
	for i := range 28 {
		complex += fmt.Sprintf(" c%d:activeCampaigns{...C periods{...P}}", i)
	}
	complex += "}"
	cases := []struct {
		name, query, code string
	}{
		{"deep", deep, "GRAPHQL_VALIDATION_FAILED"},
		{"aliases", "{" + strings.Join(aliases, " ") + "}", "GRAPHQL_VALIDATION_FAILED"},
		// Within the depth and alias limits, but over the complexity limit
		// (1000): refused with a code of SPEC §3, not gqlgen's own.
		{"complex", complex, "GRAPHQL_VALIDATION_FAILED"},
		{"fragment cycle guard", `query{activeCampaigns{...A}} fragment A on Campaign{periods{campaign{id}}}`, ""},
		{"introspection still fits", `{__schema{types{name fields{name type{name ofType{name ofType{name ofType{name}}}}}}}}`, ""},
	}
	for _, tc := range cases {
		if got := e.do("", tc.query, nil, nil); got.code() != tc.code {
			t.Errorf("%s: %s", tc.name, got.raw[:min(len(got.raw), 300)])
		}
	}
}

func TestSecurityHeadersAndCORS(t *testing.T) {
	db := storetest.SQLite(t)
	cfg := server.DefaultConfig()
	cfg.OriginPatterns = []string{"h5.example.com"}
	srv := httptest.NewServer(server.New(cfg, db, graph.NewResolver(db, clock.Real{}), slog.New(slog.DiscardHandler)))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/admin/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Fatalf("headers %v", resp.Header)
	}
	for origin, allowed := range map[string]bool{"https://h5.example.com": true, "https://evil.example.net": false} {
		req, _ := http.NewRequest(http.MethodOptions, srv.URL+"/graphql", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Access-Control-Allow-Origin") == origin; got != allowed {
			t.Errorf("%s: allowed %v, want %v", origin, got, allowed)
		}
	}
}

func TestRateLimits(t *testing.T) {
	db := storetest.SQLite(t)
	clk := clock.NewFake(testfix.Start)
	res := graph.NewResolver(db, clk)
	if err := res.Auth.BootstrapAdmin(t.Context(), adminPassword, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	cfg := server.DefaultConfig()
	cfg.RateLimits.AdminSignIn = ratelimit.Policy{PerMinute: 6, Burst: 2}
	cfg.RateLimits.Play = ratelimit.Policy{PerMinute: 60, Burst: 3}
	srv := httptest.NewServer(server.New(cfg, db, res, slog.New(slog.DiscardHandler)))
	defer srv.Close()
	e := &env{t: t, srv: srv, clock: clk, db: db, res: res}
	// Admin sign-in: two, then refused with a retry hint, whatever the password.
	for i := range 2 {
		if code := e.signIn("admin", "wrong-password").code(); code != "UNAUTHENTICATED" {
			t.Fatalf("sign-in %d: %s", i+1, code)
		}
	}
	r := e.signIn("admin", adminPassword)
	if r.code() != "RATE_LIMITED" || r.Errors[0].Extensions["retryAfterSeconds"] == nil {
		t.Fatalf("third sign-in: %s", r.raw)
	}
	clk.Advance(10 * time.Second)
	if r := e.signIn("admin", adminPassword); len(r.Errors) > 0 {
		t.Fatalf("after the refill: %s", r.raw)
	}
	// Play: a burst of starts for one participant, then refused; another player is unaffected.
	clk.Advance(10 * time.Second)
	owner := e.adminToken()
	cid, _ := e.setUp(owner)
	p, q := e.guest("p"), e.guest("q")
	for i := range 3 {
		if r := e.do(p, startQ, map[string]any{"c": cid}, nil); len(r.Errors) > 0 {
			t.Fatalf("start %d: %s", i+1, r.raw)
		}
	}
	if r := e.do(p, startQ, map[string]any{"c": cid}, nil); r.code() != "RATE_LIMITED" {
		t.Fatalf("fourth start: %s", r.raw)
	}
	if r := e.do(q, startQ, map[string]any{"c": cid}, nil); len(r.Errors) > 0 {
		t.Fatalf("another player: %s", r.raw)
	}
}

// TestLeaderboardQueryFollowsEverySubmit: leaderboard answers repeat from
// memory (fanout.QueryCache) only while no ranking changed; a submit shows
// in the very next query.
func TestLeaderboardQueryFollowsEverySubmit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		cid, answers := e.setUpWith(e.adminToken(), oneHourPeriod)
		const q = `query($c:ID!){leaderboard(campaignID:$c,first:10){total entries{rank score participant{nickname}}}}`
		var lb struct {
			Leaderboard struct {
				Total   int
				Entries []struct{ Participant struct{ Nickname string } }
			}
		}
		for i := range 3 {
			e.must("", q, map[string]any{"c": cid}, &lb)
			e.must("", q, map[string]any{"c": cid}, &lb) // a repeat, from memory
			if lb.Leaderboard.Total != i {
				t.Fatalf("after %d submits the leaderboard shows %d", i, lb.Leaderboard.Total)
			}
			e.playAll(e.guest(fmt.Sprintf("玩家%d", i)), cid, answers, 0)
		}
		e.must("", q, map[string]any{"c": cid}, &lb)
		if lb.Leaderboard.Total != 3 || len(lb.Leaderboard.Entries) != 3 {
			t.Fatalf("after 3 submits: %+v", lb.Leaderboard)
		}
	})
}

// TestABodyThatIsNotAGraphQLRequestGetsBadUserInput: a body that is not
// JSON, or is too large without saying so in Content-Length, gets
// BAD_USER_INPUT with what to send, and nothing of the body reaches the
// answer or the log (it may hold a password).
func TestABodyThatIsNotAGraphQLRequestGetsBadUserInput(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	const secret = "s3cret-in-a-broken-body"
	cases := []struct {
		name   string
		body   io.Reader
		status int
	}{
		{"JSON cut short", strings.NewReader(`{"query":"mutation { adminSignIn(username: \"admin\", password: \"` + secret), http.StatusBadRequest},
		{"not JSON", strings.NewReader("query=" + secret), http.StatusBadRequest},
		// A reader of unknown length: sent chunked, so only reading finds it too large.
		{"too large, chunked", io.MultiReader(strings.NewReader(`{"query":"`+secret), strings.NewReader(strings.Repeat("x", 2<<20))), http.StatusRequestEntityTooLarge},
	}
	for _, tc := range cases {
		resp, err := http.Post(e.srv.URL+"/graphql", "application/json", tc.body)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var r response
		if err := json.Unmarshal(raw, &r); err != nil {
			t.Fatalf("%s: %s: %v", tc.name, raw, err)
		}
		if resp.StatusCode != tc.status || r.code() != "BAD_USER_INPUT" || strings.Contains(string(raw), secret) {
			t.Errorf("%s: %d %s", tc.name, resp.StatusCode, raw)
		}
	}
	if strings.Contains(e.logs.String(), secret) {
		t.Errorf("the body reached the log: %s", e.logs.String())
	}
}

// TestTransportErrorsCarryACode: what gqlgen's GET and multipart transports
// refuse themselves (not through the error presenter) still carries a code
// from SPEC §3; what went through the presenter keeps its own; answers
// that are not errors are untouched.
func TestTransportErrorsCarryACode(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	admin := e.adminToken()
	send := func(req *http.Request) (int, response) {
		t.Helper()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var r response
		if err := json.Unmarshal(raw, &r); err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		r.raw = string(raw)
		return resp.StatusCode, r
	}
	get := func(rawQuery string) *http.Request {
		req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/graphql?"+rawQuery, nil)
		return req
	}
	// An upload whose first part is not "operations".
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("map", `{}`)
	_ = mw.Close()
	upload, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/graphql", &body)
	upload.Header.Set("Content-Type", mw.FormDataContentType())
	upload.Header.Set("Authorization", "Bearer "+admin)
	q := url.QueryEscape("{activeCampaigns{id}}")
	cases := []struct {
		name   string
		req    *http.Request
		status int
		code   string
	}{
		{"GET, variables that are not JSON", get("query=" + q + "&variables=" + url.QueryEscape("{nope")), http.StatusBadRequest, "BAD_USER_INPUT"},
		{"GET, a query string that does not parse", get("query=%zz"), http.StatusBadRequest, "BAD_USER_INPUT"},
		{"GET, a document that does not parse", get("query=" + url.QueryEscape("{")), http.StatusUnprocessableEntity, "GRAPHQL_PARSE_FAILED"},
		{"an upload without its operations part", upload, http.StatusUnprocessableEntity, "BAD_USER_INPUT"},
		{"GET, a good query", get("query=" + q), http.StatusOK, ""},
	}
	for _, tc := range cases {
		status, r := send(tc.req)
		if status != tc.status || r.code() != tc.code || (tc.code == "" && string(r.Data) != `{"activeCampaigns":[]}`) {
			t.Errorf("%s: %d %s; want %d and code %q", tc.name, status, r.raw, tc.status, tc.code)
		}
	}
}
