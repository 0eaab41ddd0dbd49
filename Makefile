# prizequiz — `make run` serves the quiz with its dashboard and player page on the embedded
# SQLite file (with a demo campaign); `make test` runs every test.

GO ?= go
BIN := bin/prizequiz
# The dashboard is rebuilt when its sources or the GraphQL schema change.
DASHBOARD_SRC := $(shell find dashboard/src dashboard/index.html dashboard/package.json dashboard/vite.config.ts dashboard/codegen.ts \
	-type f -not -path 'dashboard/src/gql/*' 2>/dev/null) $(wildcard graph/*.graphqls)
# The player's page (/play, /proof/{periodID}) likewise.
PLAYER_SRC := $(shell find player/src player/index.html player/package.json player/vite.config.ts player/codegen.ts \
	-type f -not -path 'player/src/gql/*' 2>/dev/null) $(wildcard graph/*.graphqls)

.PHONY: run build dashboard player test test-go test-fuzz test-dashboard test-player test-e2e test-player-e2e lint generate clean \
	bench bench-smoke

run: dashboard/dist/index.html player/dist/index.html
	$(GO) run ./cmd/prizequiz serve

build: dashboard/dist/index.html player/dist/index.html
	$(GO) build -o $(BIN) ./cmd/prizequiz

dashboard: dashboard/dist/index.html

dashboard/node_modules/.package-lock.json: dashboard/package-lock.json
	cd dashboard && npm ci --no-audit --no-fund

dashboard/dist/index.html: dashboard/node_modules/.package-lock.json $(DASHBOARD_SRC)
	cd dashboard && npm run build

player: player/dist/index.html

player/node_modules/.package-lock.json: player/package-lock.json
	cd player && npm ci --no-audit --no-fund

player/dist/index.html: player/node_modules/.package-lock.json $(PLAYER_SRC)
	cd player && npm run build

# Storage tests run on SQLite, and on PostgreSQL too when
# PRIZEQUIZ_TEST_DATABASE_URL is set (.ci/run sets it).
test: lint bench-smoke test-dashboard test-player test-go test-fuzz test-e2e test-player-e2e

test-go:
	$(GO) test -race -count=1 ./...

# Each fuzz target for FUZZTIME, beyond its seed corpus in the package's
# testdata/fuzz/ (which test-go already runs). A failing input is written
# there too: commit it with the fix.
FUZZTIME ?= 8s
FUZZ_TARGETS := internal/bankio:FuzzParseCSV internal/bankio:FuzzParseXLSX internal/play:FuzzGrade \
	internal/draw:FuzzVerifyProof internal/server:FuzzPlayMutations

test-fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; fn=$${t##*:}; \
		echo "fuzz $$fn in ./$$pkg for $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$$fn$$" -fuzztime $(FUZZTIME) ./$$pkg; \
	done

test-dashboard: dashboard/node_modules/.package-lock.json
	cd dashboard && npm test

# The player page's unit tests, and its draw verifier against internal/draw/testdata.
test-player: player/node_modules/.package-lock.json
	cd player && npm test

# The dashboard in headless Chromium against a real server on a fresh SQLite
# file; screenshots of every page land in dashboard/e2e/screenshots/.
test-e2e: dashboard/dist/index.html
	cd dashboard && npm run e2e

# The player's page in headless Chromium at a phone viewport against a real
# server on a fresh SQLite file; screenshots land in player/e2e/screenshots/.
test-player-e2e: player/dist/index.html
	cd player && npm run e2e

# Every Go benchmark once at its -short size, so none can rot unnoticed;
# the PostgreSQL ones run too when PRIZEQUIZ_TEST_DATABASE_URL is set.
bench-smoke:
	$(GO) test -run '^$$' -bench . -benchtime=1x -short ./...

# The benchmark suite against reference figures (SPEC §6); rewrites
# docs/BENCHMARKS.md, keeping docs/benchmarks-history.md verbatim. QUICK=1:
# tiny sizes, to check the pipeline (do not commit what it writes). Needs
# PostgreSQL at PRIZEQUIZ_BENCH_DATABASE_URL and pgbench.
PRIZEQUIZ_BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable
bench:
	PRIZEQUIZ_BENCH_DATABASE_URL='$(PRIZEQUIZ_BENCH_DATABASE_URL)' $(GO) run ./cmd/benchreport $(if $(QUICK),--quick)

lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

generate:
	$(GO) generate ./...

clean:
	rm -rf bin prizequiz.db prizequiz.db-shm prizequiz.db-wal prizequiz-admin-password.txt dashboard/dist/assets dashboard/dist/index.html \
		player/dist/assets player/dist/index.html
