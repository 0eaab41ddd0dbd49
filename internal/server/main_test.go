package server_test

import (
	"fmt"
	"os"
	"testing"
)

// TestMain runs the tests, or, when BenchmarkSubscribers10k starts this
// binary as its subscribers' process, that process instead.
func TestMain(m *testing.M) {
	if spec := os.Getenv(envSubscriberProcess); spec != "" {
		if err := runSubscriberProcess(spec); err != nil {
			fmt.Fprintln(os.Stderr, "subscribers' process:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}
