package server_test

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"

	"prizequiz/internal/store/storetest"
)

// TestMetricsCountWhatHappened: /metrics shows the operations served by
// root field, attempt events and the rank index; every response names its
// request id, which the request's log lines carry.
func TestMetricsCountWhatHappened(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	cid, _ := e.setUp(e.adminToken())
	player := e.guest("小吴")
	var st struct{ StartAttempt attempt }
	e.must(player, startQ, map[string]any{"c": cid}, &st)
	e.must(player, submitQ, map[string]any{"a": st.StartAttempt.ID, "ans": []any{}}, nil)
	e.must("", `query($c:ID!){leaderboard(campaignID:$c){total}}`, map[string]any{"c": cid}, nil)
	e.do("", `{nosuchfield}`, nil, nil)

	resp, err := http.Get(e.srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	text := string(body)
	for _, want := range []string{
		`prizequiz_graphql_operation_seconds_count{operation="leaderboard",outcome="ok",type="query"} 1`,
		`prizequiz_graphql_operation_seconds_count{operation="startAttempt",outcome="ok",type="mutation"} 1`,
		`prizequiz_graphql_operation_seconds_count{operation="submitAttempt",outcome="ok",type="mutation"} 1`,
		`prizequiz_attempts_total{event="started"} 1`,
		`prizequiz_attempts_total{event="submitted"} 1`,
		`prizequiz_attempts_total{event="expired"} 0`,
		`prizequiz_rank_index_participants 1`,
		`go_sql_max_open_connections{db_name="prizequiz"}`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if regexp.MustCompile(`operation="nosuchfield"`).MatchString(text) {
		t.Error("a document that failed validation got its own label")
	}

	// An open subscription is counted until it ends.
	sub := client.New(e.h, client.Path("/graphql")).WebsocketWithPayload(
		`subscription($c:ID!){leaderboardUpdated(campaignID:$c){total}}`, nil, client.Var("c", cid))
	var v struct{ LeaderboardUpdated struct{ Total int } }
	if err := sub.Next(&v); err != nil {
		t.Fatal(err)
	}
	open := func() string {
		resp, err := http.Get(e.srv.URL + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return regexp.MustCompile(`prizequiz_subscriptions_open\{operation="leaderboardUpdated"\} (\d+)`).FindStringSubmatch(string(body))[1]
	}
	if n := open(); n != "1" {
		t.Errorf("%s subscriptions open, want 1", n)
	}
	_ = sub.Close()
	deadline := time.Now().Add(5 * time.Second)
	for open() != "0" {
		if time.Now().After(deadline) {
			t.Fatal("a closed subscription is still counted")
		}
		time.Sleep(20 * time.Millisecond)
	}

	r, err := http.Get(e.srv.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if id := r.Header.Get("X-Request-ID"); len(id) != 16 {
		t.Errorf("request id %q", id)
	}
}
