package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"prizequiz/internal/bulkseed"
	"prizequiz/internal/cli"
	"prizequiz/internal/store/storetest"
)

// TestSeedThenServe seeds a database with `prizequiz seed`, serves it, and
// asks leaderboard and myStanding (with a seeded token) over GraphQL.
func TestSeedThenServe(t *testing.T) {
	t.Chdir(t.TempDir()) // where serve writes a generated admin password
	dbs := map[string]func(t *testing.T) string{
		"sqlite": func(t *testing.T) string { return filepath.Join(t.TempDir(), "seed.db") },
	}
	if os.Getenv(storetest.EnvPostgres) != "" {
		dbs["postgres"] = func(t *testing.T) string { return storetest.PostgresURL(t) }
	}
	for name, dsn := range dbs {
		t.Run(name, func(t *testing.T) {
			url := dsn(t)
			var out, errs bytes.Buffer
			args := []string{"seed", "--database-url", url, "--participants", "250", "--tokens", "2", "--blocked", "0.02", "--json"}
			if code := cli.Run(context.Background(), args, &out, &errs); code != 0 {
				t.Fatalf("seed exited %d: %s", code, errs.String())
			}
			var res bulkseed.Result
			if err := json.Unmarshal(out.Bytes(), &res); err != nil {
				t.Fatalf("seed output %q: %v", out.String(), err)
			}
			if res.Participants != 250 || len(res.Sessions) != 2 {
				t.Fatalf("seeded %+v", res)
			}
			addr := freeAddr(t)
			_, stop := serve(t, addr, "--addr", addr, "--database-url", url)
			defer stop()

			var board struct {
				Data struct {
					Leaderboard struct {
						Total   int
						Entries []struct{ Rank, Score int }
					}
				}
			}
			gql(t, addr, "", `query($c: ID!) { leaderboard(campaignID: $c, first: 100) { total entries { rank score } } }`, res.CampaignID, &board)
			if lb := board.Data.Leaderboard; lb.Total != res.Participants-res.Blocked || len(lb.Entries) != 100 || lb.Entries[0].Score < lb.Entries[99].Score {
				t.Fatalf("leaderboard of %d seeded (%d blocked): %+v", res.Participants, res.Blocked, lb)
			}
			var mine struct {
				Data struct {
					MyStanding *struct {
						Rank        *int
						Participant struct{ PublicID string }
					}
				}
			}
			s := res.Sessions[0]
			gql(t, addr, s.Token, `query($c: ID!) { myStanding(campaignID: $c) { rank participant { publicID } } }`, res.CampaignID, &mine)
			if m := mine.Data.MyStanding; m == nil || m.Rank == nil || m.Participant.PublicID != s.PublicID {
				t.Fatalf("myStanding of %s: %+v", s.PublicID, m)
			}
		})
	}
}

func gql(t *testing.T, addr, token, query string, campaignID int, into any) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": map[string]any{"c": fmt.Sprint(campaignID)}})
	req, _ := http.NewRequest("POST", "http://"+addr+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(resp.Body)
	if err := json.Unmarshal(b.Bytes(), into); err != nil || strings.Contains(b.String(), `"errors"`) {
		t.Fatalf("%s: %s (%v)", query, b.String(), err)
	}
}
