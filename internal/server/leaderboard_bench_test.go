package server_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"prizequiz/graph"
	"prizequiz/internal/bulkseed"
	"prizequiz/internal/clock"
	"prizequiz/internal/server"
	"prizequiz/internal/store/storetest"
)

// BenchmarkLeaderboardGraphQL serves leaderboard(first: 100) with every
// field through the real handler, in process (no network): parsing from
// the query cache, the resolver reading the shared first page of the rank
// index, and the generated marshaller writing the JSON. The campaign has
// 1,000 seeded players on SQLite; the page is the same whatever the size.
func BenchmarkLeaderboardGraphQL(b *testing.B) {
	db := storetest.SQLite(b)
	res := graph.NewResolver(db, clock.Real{})
	seeded, err := bulkseed.Seed(b.Context(), db, bulkseed.Options{Participants: 1000, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	cfg := server.DefaultConfig()
	cfg.RateLimits.Off = true
	h := server.New(cfg, db, res, slog.New(slog.DiscardHandler))
	body, _ := json.Marshal(map[string]any{
		"query": `query($c: ID!) { leaderboard(campaignID: $c, first: 100) { total updatedAt
			entries { rank score durationMs achievedAt participant { publicID nickname } } } }`,
		"variables": map[string]any{"c": strconv.Itoa(seeded.CampaignID)},
	})
	serve := func() *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	first := serve() // loads the index and caches the page and the query
	var got struct {
		Data struct {
			Leaderboard struct {
				Total   int
				Entries []json.RawMessage
			}
		}
		Errors []json.RawMessage
	}
	if err := json.Unmarshal(first.Body.Bytes(), &got); err != nil || len(got.Errors) > 0 ||
		got.Data.Leaderboard.Total != 1000 || len(got.Data.Leaderboard.Entries) != 100 {
		b.Fatalf("leaderboard: %v %.300s", err, first.Body.String())
	}
	b.ReportAllocs()
	for b.Loop() {
		// gqlgen writes "errors" before "data".
		if rec := serve(); rec.Code != http.StatusOK || !bytes.HasPrefix(rec.Body.Bytes(), []byte(`{"data"`)) {
			b.Fatalf("status %d: %.300s", rec.Code, rec.Body.String())
		}
	}
	b.ReportMetric(float64(first.Body.Len()), "bytes/response")
}
