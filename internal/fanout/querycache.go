package fanout

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// QueryCache keeps the responses of public queries (root fields chosen at
// construction, nothing but them in the operation) and answers repeats
// from memory for as long as version returns what it returned when the
// response was computed.
//
// It is the query side of Shared: a leaderboard page of 100 asked by
// thousands of phones is the same bytes until the ranking changes, and
// gqlgen spends milliseconds resolving and encoding it each time.
type QueryCache struct {
	fields  map[string]bool
	version func() uint64
	cache   *lru.Cache[string, cachedResponse]
}

type cachedResponse struct {
	version uint64
	resp    *graphql.Response
}

// NewQueryCache caches queries of the given root fields of Query, up to
// size responses, valid while version stays the same: it must change
// whenever anything those fields read may have changed.
func NewQueryCache(size int, version func() uint64, fields ...string) *QueryCache {
	cache, err := lru.New[string, cachedResponse](size)
	if err != nil {
		panic(fmt.Sprintf("fanout: query cache of %d: %v", size, err))
	}
	q := &QueryCache{fields: map[string]bool{}, version: version, cache: cache}
	for _, f := range fields {
		q.fields[f] = true
	}
	return q
}

var (
	_ graphql.HandlerExtension     = (*QueryCache)(nil)
	_ graphql.OperationInterceptor = (*QueryCache)(nil)
)

// ExtensionName names the extension for gqlgen.
func (*QueryCache) ExtensionName() string { return "QueryCache" }

// Validate refuses fields whose answers may depend on the caller, as
// Shared.Validate does.
func (q *QueryCache) Validate(es graphql.ExecutableSchema) error {
	schema := es.Schema()
	for name := range q.fields {
		f := schema.Query.Fields.ForName(name)
		if f == nil {
			return fmt.Errorf("fanout: no query field %q", name)
		}
		if err := checkDirectives(schema, "Query."+name, f, map[string]bool{}); err != nil {
			return err
		}
	}
	return nil
}

// InterceptOperation answers a cacheable query from the cache when the
// version still matches, else runs it and keeps a response without errors.
func (q *QueryCache) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	key, ok := q.key(graphql.GetOperationContext(ctx))
	if !ok {
		return next(ctx)
	}
	// Read before running: a change during the run leaves the response
	// under the older version, which the next request no longer accepts.
	v := q.version()
	if c, ok := q.cache.Get(key); ok && c.version == v {
		return graphql.OneShot(c.resp)
	}
	responses := next(ctx)
	var once sync.Once
	return func(ctx context.Context) *graphql.Response {
		r := responses(ctx)
		once.Do(func() {
			if r != nil && len(r.Errors) == 0 && len(r.Extensions) == 0 {
				c := *r
				c.Data = bytes.Clone(r.Data)
				q.cache.Add(key, cachedResponse{version: v, resp: &c})
			}
		})
		return r
	}
}

// key identifies a cacheable query by its document, operation name and
// variables.
func (q *QueryCache) key(oc *graphql.OperationContext) (string, bool) {
	if oc == nil || oc.Operation == nil || oc.Operation.Operation != ast.Query {
		return "", false
	}
	fields := graphql.CollectFields(oc, oc.Operation.SelectionSet, []string{"Query"})
	if len(fields) == 0 {
		return "", false
	}
	for _, f := range fields {
		if !q.fields[f.Name] {
			return "", false
		}
	}
	vars, err := json.Marshal(oc.Variables)
	if err != nil {
		return "", false
	}
	return oc.RawQuery + "\x00" + oc.OperationName + "\x00" + string(vars), true
}
