package play

import (
	"slices"
	"testing"

	"prizequiz/ent"
)

// TestUnstoredVersionsComeInOneOrder: whatever order starts drew their
// questions in, the versions they must store come once each, ordered by
// question and version, so that two groups storing the same versions at
// once take them in the same order and cannot deadlock; versions already
// stored are left out.
func TestUnstoredVersionsComeInOneOrder(t *testing.T) {
	q := func(id, version int) *ent.Question { return &ent.Question{ID: id, Version: version} }
	var v versions
	v.written([]*ent.Question{q(4, 1)})
	got := v.unstored(
		[]*ent.Question{q(9, 1), q(3, 2), q(4, 1), q(7, 1)},
		[]*ent.Question{q(3, 1), q(9, 1), q(1, 5)},
		[]*ent.Question{q(7, 1), q(3, 2)},
	)
	type key struct{ id, version int }
	var keys []key
	for _, g := range got {
		keys = append(keys, key{g.ID, g.Version})
	}
	want := []key{{1, 5}, {3, 1}, {3, 2}, {7, 1}, {9, 1}}
	if !slices.Equal(keys, want) {
		t.Fatalf("unstored = %v, want %v", keys, want)
	}
}
