package server_test

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"

	"prizequiz/internal/store/storetest"
)

func TestLiveRankings(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	owner := e.adminToken()
	cid, answers := e.setUp(owner)
	ws := client.New(e.h, client.Path("/graphql"))
	type lb struct {
		LeaderboardUpdated struct {
			Total   int
			Entries []struct {
				Rank        int
				Score       int
				Participant struct{ Nickname string }
			}
		}
	}
	board := ws.WebsocketWithPayload(`subscription($c:ID!){leaderboardUpdated(campaignID:$c,first:5){total entries{rank score participant{nickname}}}}`,
		nil, client.Var("c", cid))
	defer board.Close()
	var got lb
	if err := board.Next(&got); err != nil || got.LeaderboardUpdated.Total != 0 {
		t.Fatalf("first value: %+v %v", got, err)
	}
	player := e.guest("小周")
	mine := ws.WebsocketWithPayload(`subscription($c:ID!){myStandingUpdated(campaignID:$c){rank score attempts}}`,
		map[string]any{"authorization": "Bearer " + player}, client.Var("c", cid))
	defer mine.Close()
	var me struct {
		MyStandingUpdated struct {
			Rank            *int
			Score, Attempts int
		}
	}
	if err := mine.Next(&me); err != nil || me.MyStandingUpdated.Rank != nil {
		t.Fatalf("standing before playing: %+v %v", me, err)
	}

	var st struct{ StartAttempt attempt }
	e.must(player, startQ, map[string]any{"c": cid}, &st)
	var ans []map[string]any
	for _, q := range st.StartAttempt.Questions {
		ans = append(ans, map[string]any{"questionID": q.ID, "choices": answers[q.ID]})
	}
	e.must(player, submitQ, map[string]any{"a": st.StartAttempt.ID, "ans": ans}, nil)

	done := make(chan error, 2)
	go func() { done <- board.Next(&got) }()
	go func() { done <- mine.Next(&me) }()
	for range 2 {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("no update within 5 s of a submit")
		}
	}
	if got.LeaderboardUpdated.Total != 1 || got.LeaderboardUpdated.Entries[0].Score != 100 || me.MyStandingUpdated.Rank == nil || *me.MyStandingUpdated.Rank != 1 {
		t.Fatalf("after the submit: %+v %+v", got, me)
	}

	// campaignStats is for admins only.
	stats := ws.WebsocketWithPayload(`subscription($c:ID!){campaignStats(campaignID:$c){attempts}}`,
		map[string]any{"authorization": "Bearer " + player}, client.Var("c", cid))
	defer stats.Close()
	var s struct {
		CampaignStats struct{ Attempts, Completions int }
	}
	if err := stats.Next(&s); err == nil || !strings.Contains(err.Error(), "FORBIDDEN") {
		t.Fatalf("player opened campaignStats: %v", err)
	}
	admin := ws.WebsocketWithPayload(`subscription($c:ID!){campaignStats(campaignID:$c){attempts completions}}`,
		map[string]any{"authorization": "Bearer " + owner}, client.Var("c", cid))
	defer admin.Close()
	if err := admin.Next(&s); err != nil {
		t.Fatalf("admin campaignStats: %v", err)
	}
}

// TestSubscriptionsDoNotLeak: goroutines and hub registrations return to
// baseline after 1,000 subscribe/unsubscribe cycles over real websockets,
// run by concurrent clients, half ending a subscription with the protocol's
// stop on a connection that stays open and half by dropping the connection
// mid-stream, over both subprotocols.
func TestSubscriptionsDoNotLeak(t *testing.T) {
	const workers, cycles = 8, 1000
	e := newEnv(t, storetest.SQLite(t))
	cid, _ := e.setUpWith(e.adminToken(), oneHourPeriod)
	id, _ := strconv.Atoi(cid)
	vars := map[string]any{"c": cid}
	settle := func() int {
		time.Sleep(200 * time.Millisecond)
		return runtime.NumGoroutine()
	}
	base := settle()
	t.Run("cycles", func(t *testing.T) {
		for w := range workers {
			proto := wsProtos[w%len(wsProtos)]
			t.Run(fmt.Sprintf("%d-%s", w, proto.name), func(t *testing.T) {
				t.Parallel()
				kept := connectWS(t, e.srv, proto, true) // stays open across its cycles
				kept.init("")
				for i := range cycles / workers {
					var v boardValue
					sub := strconv.Itoa(i)
					if i%2 == 0 {
						kept.subscribe(sub, boardSub, vars)
						kept.next(sub, &v)
						kept.send(wsMsg{Type: proto.stop, ID: sub})
						if r := kept.result(sub); r.kind != "complete" {
							t.Fatalf("after %s: %s", proto.stop, r.kind)
						}
						continue
					}
					c := connectWS(t, e.srv, proto, true)
					c.init("")
					c.subscribe(sub, boardSub, vars)
					c.next(sub, &v)
					_ = c.c.CloseNow()
					<-c.done
				}
				_ = kept.c.CloseNow()
				<-kept.done
			})
		}
	})
	deadline := time.Now().Add(5 * time.Second)
	for settle() > base+5 {
		if time.Now().After(deadline) {
			t.Fatalf("goroutines: %d before, %d after", base, runtime.NumGoroutine())
		}
	}
	if n := e.res.Live.Subscribers(id); n != 0 {
		t.Fatalf("%d subscribers left", n)
	}
}
