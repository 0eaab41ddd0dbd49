// Package metrics holds the Prometheus metrics of one server process:
// GraphQL operations by root field, attempts, open subscriptions, the rank
// index and the database pool. Domain packages never import it; they
// expose plain hooks that the server wires to these metrics.
package metrics

import (
	"context"
	"database/sql"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/vektah/gqlparser/v2/ast"
)

// Attempt events counted by Attempt.
const (
	AttemptStarted   = "started"
	AttemptSubmitted = "submitted"
	AttemptExpired   = "expired"
)

// Metrics is one process's registry and the metrics in it.
type Metrics struct {
	reg      *prometheus.Registry
	ops      *prometheus.HistogramVec
	attempts *prometheus.CounterVec
	subs     *prometheus.GaugeVec
	feedLag  prometheus.Histogram
}

// New returns the metrics with the Go runtime and process collectors.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		ops: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "prizequiz_graphql_operation_seconds",
			Help: "Time to answer a GraphQL query or mutation, by root fields, operation type and outcome.",
			// From a cached rank lookup to a slow import.
			Buckets: []float64{.0005, .001, .002, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"operation", "type", "outcome"}),
		attempts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "prizequiz_attempts_total",
			Help: "Attempts started, submitted and expired by this process.",
		}, []string{"event"}),
		subs: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "prizequiz_subscriptions_open",
			Help: "Open GraphQL subscriptions, by root field.",
		}, []string{"operation"}),
		feedLag: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "prizequiz_rank_feed_lag_seconds",
			Help:    "From a standing's write to its arrival in this process's rank index through the change feed.",
			Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}),
	}
	m.reg.MustRegister(m.ops, m.attempts, m.subs, m.feedLag,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, e := range []string{AttemptStarted, AttemptSubmitted, AttemptExpired} {
		m.attempts.WithLabelValues(e) // show zeros before the first attempt
	}
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// DB adds the connection pool statistics of db.
func (m *Metrics) DB(db *sql.DB) { m.reg.MustRegister(collectors.NewDBStatsCollector(db, "prizequiz")) }

// Gauge adds a gauge read from fn at each scrape.
func (m *Metrics) Gauge(name, help string, fn func() float64) {
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, fn))
}

// Attempt counts n attempt events.
func (m *Metrics) Attempt(event string, n int) { m.attempts.WithLabelValues(event).Add(float64(n)) }

// FeedLag records how long a standing took to reach the index.
func (m *Metrics) FeedLag(d time.Duration) { m.feedLag.Observe(d.Seconds()) }

// Extension is the gqlgen extension that times operations and counts open
// subscriptions.
func (m *Metrics) Extension() graphql.HandlerExtension { return extension{m} }

type extension struct{ m *Metrics }

func (extension) ExtensionName() string                   { return "Metrics" }
func (extension) Validate(graphql.ExecutableSchema) error { return nil }
func (e extension) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	oc := graphql.GetOperationContext(ctx)
	if oc.Operation == nil || oc.Operation.Operation != ast.Subscription {
		return e.timed(ctx, oc, next)
	}
	g := e.m.subs.WithLabelValues(RootFields(oc.Operation))
	g.Inc()
	responses := next(ctx)
	done := false
	return func(ctx context.Context) *graphql.Response {
		r := responses(ctx)
		if r == nil && !done { // the stream has ended
			done = true
			g.Dec()
		}
		return r
	}
}

// timed observes a query or mutation from the start of its execution to
// its response.
func (e extension) timed(ctx context.Context, oc *graphql.OperationContext, next graphql.OperationHandler) graphql.ResponseHandler {
	start := time.Now()
	responses := next(ctx)
	return func(ctx context.Context) *graphql.Response {
		r := responses(ctx)
		outcome := "ok"
		if r == nil || len(r.Errors) > 0 {
			outcome = "error"
		}
		typ, name := "invalid", "invalid"
		if oc.Operation != nil {
			typ, name = string(oc.Operation.Operation), RootFields(oc.Operation)
		}
		e.m.ops.WithLabelValues(name, typ, outcome).Observe(time.Since(start).Seconds())
		return r
	}
}

// RootFields names an operation by its root fields, sorted: unlike client
// operation names, they come from the schema, so the label stays bounded.
func RootFields(op *ast.OperationDefinition) string {
	var names []string
	for _, s := range op.SelectionSet {
		if f, ok := s.(*ast.Field); ok && !slices.Contains(names, f.Name) {
			names = append(names, f.Name)
		}
	}
	if len(names) == 0 {
		return "other" // fragments only
	}
	slices.Sort(names)
	if len(names) > 3 {
		names = append(names[:3], "…")
	}
	return strings.Join(names, ",")
}
