package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"prizequiz/internal/store/storetest"
)

// server is one `prizequiz serve` process.
type server struct {
	base string
	cmd  *exec.Cmd
}

// startServer runs the binary on dsn and waits until it is ready.
func startServer(t *testing.T, bin, dsn string) *server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, "serve", "--addr", addr, "--database-url", dsn, "--demo", "--rate-limits=false")
	cmd.Env = append(os.Environ(), "PRIZEQUIZ_ADMIN_PASSWORD=processes-test-password")
	var logs bytes.Buffer
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{base: "http://" + addr, cmd: cmd}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		if t.Failed() {
			t.Logf("server %s log:\n%s", addr, logs.String())
		}
	})
	for i := 0; ; i++ {
		resp, err := http.Get(s.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
		if i > 300 {
			t.Fatalf("server at %s not ready: %v", addr, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// gql posts a GraphQL request and decodes data into out; errors fail.
func (s *server) gql(t *testing.T, token, query string, vars map[string]any, out any) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, s.base+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r struct {
		Data   json.RawMessage
		Errors []json.RawMessage
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil || len(r.Errors) > 0 {
		t.Fatalf("%s: %v %s", query, err, r.Errors)
	}
	if out != nil {
		if err := json.Unmarshal(r.Data, out); err != nil {
			t.Fatal(err)
		}
	}
}

// TestTwoProcessesShareRankings runs two server processes on one
// PostgreSQL: a submit on A shows in B's leaderboardUpdated subscription
// and in B's myStanding within a second.
func TestTwoProcessesShareRankings(t *testing.T) {
	dsn := storetest.PostgresURL(t)
	bin := binary(t)
	a := startServer(t, bin, dsn)
	b := startServer(t, bin, dsn)

	var campaigns struct{ ActiveCampaigns []struct{ ID string } }
	a.gql(t, "", `{activeCampaigns{id}}`, nil, &campaigns)
	if len(campaigns.ActiveCampaigns) == 0 {
		t.Fatal("no demo campaign")
	}
	cid := campaigns.ActiveCampaigns[0].ID

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, "ws"+b.base[len("http"):]+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	type msg struct {
		ID      string          `json:"id,omitempty"`
		Type    string          `json:"type"`
		Payload json.RawMessage `json:"payload,omitempty"`
	}
	send := func(m any) {
		if err := wsjson.Write(ctx, conn, m); err != nil {
			t.Fatal(err)
		}
	}
	send(map[string]any{"type": "connection_init", "payload": map[string]any{}})
	send(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{
		"query":     `subscription($c:ID!){leaderboardUpdated(campaignID:$c,first:10){total entries{rank participant{nickname}}}}`,
		"variables": map[string]any{"c": cid},
	}})
	type board struct {
		Data struct {
			LeaderboardUpdated struct {
				Total   int
				Entries []struct {
					Rank        int
					Participant struct{ Nickname string }
				}
			}
		}
	}
	boards := make(chan board, 16)
	go func() {
		defer close(boards)
		for {
			var m msg
			if err := wsjson.Read(ctx, conn, &m); err != nil {
				return
			}
			switch m.Type {
			case "next":
				var v board
				if json.Unmarshal(m.Payload, &v) == nil {
					boards <- v
				}
			case "ping":
				_ = wsjson.Write(ctx, conn, map[string]any{"type": "pong"})
			case "error":
				t.Errorf("subscription error: %s", m.Payload)
				return
			}
		}
	}()
	if first, ok := <-boards; !ok || first.Data.LeaderboardUpdated.Total != 0 {
		t.Fatalf("first leaderboard on B: %+v", first)
	}

	var session struct{ SignInGuest struct{ Token string } }
	a.gql(t, "", `mutation{signInGuest(nickname:"跨进程"){token}}`, nil, &session)
	token := session.SignInGuest.Token
	var started struct {
		StartAttempt struct {
			ID        string
			Questions []struct{ ID string }
		}
	}
	a.gql(t, token, `mutation($c:ID!){startAttempt(campaignID:$c){id questions{id}}}`, map[string]any{"c": cid}, &started)
	var answers []map[string]any
	for _, q := range started.StartAttempt.Questions {
		answers = append(answers, map[string]any{"questionID": q.ID, "choices": []string{}})
	}
	submitted := time.Now()
	a.gql(t, token, `mutation($a:ID!,$ans:[AnswerInput!]!){submitAttempt(attemptID:$a,answers:$ans){score}}`,
		map[string]any{"a": started.StartAttempt.ID, "ans": answers}, nil)

	select {
	case v, ok := <-boards:
		if !ok {
			t.Fatal("subscription on B ended")
		}
		lb := v.Data.LeaderboardUpdated
		if lb.Total != 1 || lb.Entries[0].Participant.Nickname != "跨进程" {
			t.Fatalf("B's leaderboard after A's submit: %+v", lb)
		}
		t.Logf("B's subscriber saw A's submit after %v", time.Since(submitted).Round(time.Millisecond))
	case <-time.After(time.Second):
		t.Fatal("B's subscriber did not see A's submit within 1 s")
	}
	var mine struct{ MyStanding *struct{ Rank *int } }
	b.gql(t, token, `query($c:ID!){myStanding(campaignID:$c){rank}}`, map[string]any{"c": cid}, &mine)
	if mine.MyStanding == nil || mine.MyStanding.Rank == nil || *mine.MyStanding.Rank != 1 {
		t.Fatalf("B's myStanding: %+v", mine.MyStanding)
	}
}
