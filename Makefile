# prizequiz — `make run` serves the quiz with its dashboard on the embedded
# SQLite file (with a demo campaign); `make test` runs every test.

GO ?= go
BIN := bin/prizequiz

.PHONY: run build test lint generate clean

run:
	$(GO) run ./cmd/prizequiz serve

build:
	$(GO) build -o $(BIN) ./cmd/prizequiz

# Storage tests run on SQLite, and on PostgreSQL too when
# PRIZEQUIZ_TEST_DATABASE_URL is set (.ci/run sets it).
test: lint
	$(GO) test -race -count=1 ./...

lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

generate:
	$(GO) generate ./...

clean:
	rm -rf bin prizequiz.db prizequiz.db-shm prizequiz.db-wal
