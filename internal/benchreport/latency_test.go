package benchreport

import (
	"context"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// TestPaceKeepsItsRateAndCountsWaiting: the paced driver sends at its rate
// whatever the server does (an open loop), and a slow answer counts in
// full.
func TestPaceKeepsItsRateAndCountsWaiting(t *testing.T) {
	cases := []struct {
		name  string
		delay time.Duration
	}{
		{"fast answers", 0},
		{"answers slower than the interval", 30 * time.Millisecond},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var served atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				served.Add(1)
				time.Sleep(tc.delay)
				_, _ = w.Write([]byte(`{"data":{}}`))
			}))
			defer srv.Close()
			const rate, d = 200, 250 * time.Millisecond
			took, failed, err := pace(context.Background(), srv.Client(), srv.URL, rate, d,
				func(*rand.Rand) query { return query{body: []byte(`{}`)} })
			if err != nil || failed != 0 {
				t.Fatalf("pace: %v, %d failed", err, failed)
			}
			if want := int(d / (time.Second / rate)); len(took) != want || served.Load() != int64(want) {
				t.Fatalf("%d answered, %d served; want %d", len(took), served.Load(), want)
			}
			for _, x := range took {
				if x < tc.delay {
					t.Fatalf("a latency of %v is shorter than the server's %v", x, tc.delay)
				}
			}
		})
	}
}
