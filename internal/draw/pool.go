package draw

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Entry is one line of a period's frozen pool (SPEC §4.2).
type Entry struct {
	Rank       int
	PublicID   string
	Score      int
	DurationMs int64
}

// PoolFile returns the canonical pool file: one
// "rank\tpublicID\tscore\tdurationMs\n" line per entry, in the given
// order. Callers pass entries in rank order; ValidatePool checks that.
func PoolFile(entries []Entry) []byte {
	var b bytes.Buffer
	for _, e := range entries {
		b.WriteString(strconv.Itoa(e.Rank))
		b.WriteByte('\t')
		b.WriteString(e.PublicID)
		b.WriteByte('\t')
		b.WriteString(strconv.Itoa(e.Score))
		b.WriteByte('\t')
		b.WriteString(strconv.FormatInt(e.DurationMs, 10))
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// PoolDigest returns P = hex SHA-256 of the canonical pool file.
func PoolDigest(entries []Entry) string { return hexSHA256(PoolFile(entries)) }

// ValidatePool checks what the draw relies on: ranks are exactly 1..n in
// order and public IDs are non-empty, unique and free of TAB and LF (which
// would corrupt the file), so that rank i names one participant.
func ValidatePool(entries []Entry) error {
	seen := make(map[string]int, len(entries))
	for i, e := range entries {
		if e.Rank != i+1 {
			return fmt.Errorf("pool line %d: rank %d, want %d", i+1, e.Rank, i+1)
		}
		if e.PublicID == "" || strings.ContainsAny(e.PublicID, "\t\n\r") {
			return fmt.Errorf("pool rank %d: public id %q is empty or contains TAB/CR/LF", e.Rank, e.PublicID)
		}
		if prev, dup := seen[e.PublicID]; dup {
			return fmt.Errorf("pool rank %d: public id %q already at rank %d", e.Rank, e.PublicID, prev)
		}
		seen[e.PublicID] = e.Rank
		if e.Score < 0 || e.DurationMs < 0 {
			return fmt.Errorf("pool rank %d: negative score or duration", e.Rank)
		}
	}
	return nil
}

// ParsePoolFile is the verifier's strict reader of a pool file: four
// TAB-separated fields per LF-terminated line, canonical integers,
// ranks 1..n consecutive, and bytes identical to PoolFile of the result.
// An empty file is an empty pool.
func ParsePoolFile(file []byte) ([]Entry, error) {
	if len(file) == 0 {
		return nil, nil
	}
	if !bytes.HasSuffix(file, []byte("\n")) {
		return nil, errors.New("pool file: must end with LF")
	}
	lines := strings.Split(strings.TrimSuffix(string(file), "\n"), "\n")
	entries := make([]Entry, 0, len(lines))
	for i, line := range lines {
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			return nil, fmt.Errorf("pool file line %d: %d fields, want 4", i+1, len(f))
		}
		rank, err := parseCount(f[0])
		if err != nil {
			return nil, fmt.Errorf("pool file line %d rank: %w", i+1, err)
		}
		score, err := parseCount(f[2])
		if err != nil {
			return nil, fmt.Errorf("pool file line %d score: %w", i+1, err)
		}
		dur, err := strconv.ParseInt(f[3], 10, 64)
		if err != nil || dur < 0 || strconv.FormatInt(dur, 10) != f[3] {
			return nil, fmt.Errorf("pool file line %d durationMs: %q is not a canonical non-negative integer", i+1, f[3])
		}
		entries = append(entries, Entry{Rank: rank, PublicID: f[1], Score: score, DurationMs: dur})
	}
	if err := ValidatePool(entries); err != nil {
		return nil, fmt.Errorf("pool file: %w", err)
	}
	return entries, nil
}
