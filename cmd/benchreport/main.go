// Command benchreport runs the benchmark suite and rewrites
// docs/BENCHMARKS.md (see internal/benchreport); `make bench` runs it.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"prizequiz/internal/benchreport"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := benchreport.Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
