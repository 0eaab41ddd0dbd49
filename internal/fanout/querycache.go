package fanout

import (
	"bytes"
	"context"
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
	roots   roots
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
	return &QueryCache{roots: newRoots(ast.Query, fields), version: version, cache: cache}
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
	return q.roots.validate(es.Schema())
}

// InterceptOperation answers a cacheable query from the cache when the
// version still matches, else runs it and keeps a response without errors.
func (q *QueryCache) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	key, ok := q.roots.key(graphql.GetOperationContext(ctx))
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
