package play

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"

	lru "github.com/hashicorp/golang-lru/v2"

	"prizequiz/ent"
	"prizequiz/ent/questionversion"
	"prizequiz/internal/store"
)

// Attempt items name their question's version instead of copying its text
// (ent/schema/questionversion.go). The first start that uses a version
// writes it, in the same statement or transaction as the items, so an
// item never names a version that is not stored. Versions never change,
// so this process keeps the ones it has written or read.

// versionsKept bounds the versions kept: a bank holds hundreds of
// questions, each edited a few times.
const versionsKept = 16_384

type versions struct {
	once sync.Once
	kept *lru.Cache[questionVersion, *ent.QuestionVersion] // each one stored
}

func (v *versions) cache() *lru.Cache[questionVersion, *ent.QuestionVersion] {
	v.once.Do(func() {
		v.kept, _ = lru.New[questionVersion, *ent.QuestionVersion](versionsKept) // errors only on a size ≤ 0
	})
	return v.kept
}

// unstored returns, once each, the versions of the questions of starts
// that this process has not seen stored: the ones a start must write.
//
// They come in order of question and version, whatever order the starts
// drew them in. Two groups of starts written at once (a campaign's launch,
// a fresh bank) may both store the same versions; inserted in draw order,
// each could take one the other then waits for: a deadlock, which reaches
// players as "service temporarily unavailable". In one order the second
// waits for the first and then finds its versions stored.
func (v *versions) unstored(starts ...[]*ent.Question) []*ent.Question {
	var out []*ent.Question
	seen := map[questionVersion]bool{}
	for _, qs := range starts {
		for _, q := range qs {
			k := questionVersion{q.ID, q.Version}
			if !seen[k] && !v.cache().Contains(k) {
				seen[k] = true
				out = append(out, q)
			}
		}
	}
	slices.SortFunc(out, func(a, b *ent.Question) int {
		return cmp.Or(cmp.Compare(a.ID, b.ID), cmp.Compare(a.Version, b.Version))
	})
	return out
}

// written records versions a committed start wrote (or found written).
func (v *versions) written(qs []*ent.Question) {
	for _, q := range qs {
		qv := versionOf(q)
		v.cache().Add(questionVersion{q.ID, q.Version}, &qv)
	}
}

// versionOf is q's current version; a value, so that showing it costs a
// start no allocation.
func versionOf(q *ent.Question) ent.QuestionVersion {
	return ent.QuestionVersion{QuestionID: q.ID, Version: q.Version, Kind: q.Kind, Stem: q.Stem,
		Options: q.Options, Answer: q.Answer, Explanation: q.Explanation, Category: q.Category}
}

// show gives an item the content of its question's version.
func show(it *ent.AttemptItem, v *ent.QuestionVersion) {
	it.Kind, it.Stem, it.Options, it.Answer, it.Explanation, it.Category =
		v.Kind, v.Stem, v.Options, v.Answer, v.Explanation, v.Category
}

// fill gives items read from the database the content of their question's
// version. Items written before versions existed carry their own copy
// (a stem is never empty) and are left as they are.
func (s *Service) fill(ctx context.Context, items []*ent.AttemptItem) error {
	var missing []int
	for _, it := range items {
		if it.Stem != "" {
			continue
		}
		if v, ok := s.versions.cache().Get(questionVersion{it.QuestionID, it.QuestionVersion}); ok {
			show(it, v)
		} else {
			missing = append(missing, it.QuestionID)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	// Every version of these questions: a handful each, and one query.
	vs, err := s.Client.QuestionVersion.Query().Where(store.IntsIn(questionversion.FieldQuestionID, missing)).All(ctx)
	if err != nil {
		return fmt.Errorf("play: read question versions: %w", err)
	}
	for _, v := range vs {
		s.versions.cache().Add(questionVersion{v.QuestionID, v.Version}, v)
	}
	for _, it := range items {
		if it.Stem != "" {
			continue
		}
		v, ok := s.versions.cache().Get(questionVersion{it.QuestionID, it.QuestionVersion})
		if !ok {
			return fmt.Errorf("play: attempt item %d: question %d version %d is not stored", it.ID, it.QuestionID, it.QuestionVersion)
		}
		show(it, v)
	}
	return nil
}
