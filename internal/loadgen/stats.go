package loadgen

import (
	"encoding/json"
	"maps"
	"math"
	"sort"
	"sync"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
)

// Histograms hold microseconds from 1 µs to 1 hour at 3 significant digits.
const (
	histMin    = 1
	histMax    = int64(time.Hour / time.Microsecond)
	histDigits = 3
)

func newHist() *hdrhistogram.Histogram { return hdrhistogram.New(histMin, histMax, histDigits) }

// record adds d to h in microseconds, clamped into the histogram's range.
func record(h *hdrhistogram.Histogram, d time.Duration) {
	us := d.Microseconds()
	if us < histMin {
		us = histMin
	}
	if us > histMax {
		us = histMax
	}
	_ = h.RecordValue(us)
}

// opRec counts one operation: the latencies of its successes (those that
// belong to the measured window) and its failures by code.
type opRec struct {
	mu   sync.Mutex
	h    *hdrhistogram.Histogram
	errs map[string]int64
}

func newOpRec() *opRec { return &opRec{h: newHist(), errs: map[string]int64{}} }

func (o *opRec) ok(d time.Duration) {
	o.mu.Lock()
	record(o.h, d)
	o.mu.Unlock()
}

func (o *opRec) fail(code string) {
	o.mu.Lock()
	o.errs[code]++
	o.mu.Unlock()
}

func (o *opRec) report() OpReport {
	o.mu.Lock()
	defer o.mu.Unlock()
	return OpReport{Latency: summarize(o.h), Errors: maps.Clone(o.errs)}
}

// Latency summarises a histogram of durations.
type Latency struct {
	Count              int64
	P50, P90, P99, Max time.Duration
	Mean               time.Duration
}

func summarize(h *hdrhistogram.Histogram) Latency {
	if h.TotalCount() == 0 {
		return Latency{}
	}
	us := func(v int64) time.Duration { return time.Duration(v) * time.Microsecond }
	return Latency{
		Count: h.TotalCount(),
		P50:   us(h.ValueAtQuantile(50)),
		P90:   us(h.ValueAtQuantile(90)),
		P99:   us(h.ValueAtQuantile(99)),
		Max:   us(h.Max()),
		Mean:  time.Duration(h.Mean() * float64(time.Microsecond)),
	}
}

// MarshalJSON writes the count and the durations in milliseconds.
func (l Latency) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Count int64   `json:"count"`
		P50   float64 `json:"p50Ms"`
		P90   float64 `json:"p90Ms"`
		P99   float64 `json:"p99Ms"`
		Max   float64 `json:"maxMs"`
		Mean  float64 `json:"meanMs"`
	}{l.Count, ms(l.P50), ms(l.P90), ms(l.P99), ms(l.Max), ms(l.Mean)})
}

func ms(d time.Duration) float64 { return math.Round(float64(d)/float64(time.Millisecond)*1000) / 1000 }

// countAt is a count a subscription showed and when it arrived.
type countAt struct {
	n  int
	at time.Time
}

// standingTracker follows one player session that subscribes to its own
// standing: the ack time of each of its submits, keyed by the attempts
// count the submit returned, and the arrival of each standing whose
// attempts count went up. Lag correlation is exact: the k-th submit's
// standing is the first one showing attempts ≥ k.
type standingTracker struct {
	mu      sync.Mutex
	acks    []countAt // (k, ack time), in k order
	seen    []countAt // (attempts, arrival), attempts strictly increasing
	updates int64
	sub     *subscription
}

func (t *standingTracker) ack(k int, at time.Time) {
	t.mu.Lock()
	t.acks = append(t.acks, countAt{k, at})
	t.mu.Unlock()
}

func (t *standingTracker) saw(n int, at time.Time) {
	t.mu.Lock()
	t.updates++
	if len(t.seen) == 0 || n > t.seen[len(t.seen)-1].n {
		t.seen = append(t.seen, countAt{n, at})
	}
	t.mu.Unlock()
}

// caughtUp reports whether every acknowledged submit has been seen.
func (t *standingTracker) caughtUp() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.acks) == 0 {
		return true
	}
	return len(t.seen) > 0 && t.seen[len(t.seen)-1].n >= t.acks[len(t.acks)-1].n
}

// boardTracker follows one leaderboardUpdated subscriber: the total it
// showed first (before the run) and each later total that went up.
type boardTracker struct {
	mu      sync.Mutex
	base    int
	seen    []countAt // totals strictly increasing
	updates int64
	sub     *subscription
}

func (t *boardTracker) saw(total int, at time.Time) {
	t.mu.Lock()
	t.updates++
	if len(t.seen) == 0 || total > t.seen[len(t.seen)-1].n {
		t.seen = append(t.seen, countAt{total, at})
	}
	t.mu.Unlock()
}

func (t *boardTracker) max() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.seen) == 0 {
		return t.base
	}
	return t.seen[len(t.seen)-1].n
}

// lagRec accumulates delivery lags.
type lagRec struct {
	h      *hdrhistogram.Histogram
	early  int64 // the update arrived before the HTTP ack (recorded as 0)
	missed int64 // no update showed it before the subscriptions closed
}

func newLagRec() *lagRec { return &lagRec{h: newHist()} }

func (l *lagRec) add(d time.Duration) {
	if d < 0 {
		l.early++
		d = 0
	}
	record(l.h, d)
}

// standingLags correlates each tracker's acks (from the window start on)
// with the first standing that reflected them.
func standingLags(ts []*standingTracker, from time.Time) *lagRec {
	l := newLagRec()
	for _, t := range ts {
		t.mu.Lock()
		j := 0
		for _, a := range t.acks {
			for j < len(t.seen) && t.seen[j].n < a.n {
				j++
			}
			if a.at.Before(from) {
				continue
			}
			if j == len(t.seen) {
				l.missed++
				continue
			}
			l.add(t.seen[j].at.Sub(a.at))
		}
		t.mu.Unlock()
	}
	return l
}

// maxBoardSamples bounds the (subscriber, player) pairs boardLags records;
// beyond it every stride-th new player is sampled.
const maxBoardSamples = 2_000_000

// boardLags estimates leaderboard delivery lag. acks are the ack times of
// each new player's first submit, in any order.
//
// The server does not tell which participant made `total` grow, so the
// correlation is approximate: the N-th distinct player whose first submit
// we saw acknowledged is taken to be the one that brought the total to
// base+N, and the lag is the arrival of the first update showing
// total ≥ base+N minus that ack time. This is exact when submits do not
// overlap; when they do, the server may commit them in another order than
// their acks reach us, so one sample can be off by the spread of the
// overlapping submits (typically a submit latency), in either direction —
// an update can then even arrive before "its" ack, which is counted as
// early and recorded as 0. It also assumes nobody but this run adds
// ranked participants to the campaign meanwhile (others would make lags
// look shorter). Throttling (one update per 500 ms per subscriber) is part
// of what is measured.
func boardLags(ts []*boardTracker, acks []time.Time, from time.Time) *lagRec {
	l := newLagRec()
	acks = append([]time.Time(nil), acks...)
	sort.Slice(acks, func(i, j int) bool { return acks[i].Before(acks[j]) })
	stride := 1
	if pairs := len(acks) * len(ts); pairs > maxBoardSamples {
		stride = (pairs + maxBoardSamples - 1) / maxBoardSamples
	}
	for _, t := range ts {
		t.mu.Lock()
		j := 0
		for i := stride - 1; i < len(acks); i += stride {
			want := t.base + i + 1
			for j < len(t.seen) && t.seen[j].n < want {
				j++
			}
			if acks[i].Before(from) {
				continue
			}
			if j == len(t.seen) {
				l.missed++
				continue
			}
			l.add(t.seen[j].at.Sub(acks[i]))
		}
		t.mu.Unlock()
	}
	return l
}
