package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"prizequiz/internal/draw"
)

// verifyDraw recomputes every step of a draw from its proof and prints
// which step fails. The proof is a file, a URL, or "-" for stdin, in the
// JSON of the GraphQL DrawProof, bare or as {"data":{"drawProof":…}}.
func verifyDraw(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("verify-draw", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: prizequiz verify-draw <proof.json | https://… | ->")
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return flag.ErrHelp
	}
	raw, err := readProof(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	proof, err := draw.DecodeProof(raw)
	if err != nil {
		return err
	}
	steps := draw.Verify(proof)
	for _, s := range steps {
		status := "ok"
		switch {
		case errors.Is(s.Err, draw.ErrSkipped):
			status = "skipped"
		case s.Err != nil:
			status = "FAILED: " + s.Err.Error()
		}
		line := fmt.Sprintf("%-12s %s", s.Step, status)
		if s.Note != "" {
			line += " (" + s.Note + ")"
		}
		fmt.Fprintln(stdout, line)
	}
	if err := draw.FirstFailure(steps); err != nil {
		return fmt.Errorf("the draw does not verify: %w", err)
	}
	fmt.Fprintf(stdout, "verified: %d winners of a pool of %d, winners digest %s\n",
		proof.WinnersCount, len(proof.Order), proof.WinnersDigest)
	return nil
}

func readProof(ctx context.Context, src string) ([]byte, error) {
	switch {
	case src == "-":
		return io.ReadAll(io.LimitReader(os.Stdin, 64<<20))
	case strings.HasPrefix(src, "http://") || strings.HasPrefix(src, "https://"):
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, src, nil)
		if err != nil {
			return nil, err
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, fmt.Errorf("fetch proof: %w", err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("fetch proof: %s", resp.Status)
		}
		return io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	}
	return os.ReadFile(src)
}
