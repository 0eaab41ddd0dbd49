package play

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"

	"prizequiz/ent"
	"prizequiz/ent/schema/schematype"
	"prizequiz/internal/apperr"
)

// fuzzItems builds three attempt items as the bank allows them: kinds from
// two bits each, options A-D (single), A-E (multiple) or A-B (true/false),
// and an answer key from five bits each (one key unless multiple choice).
func fuzzItems(kinds uint8, keyBits uint16) []*ent.AttemptItem {
	var items []*ent.AttemptItem
	for i := range 3 {
		kind := []schematype.QuestionKind{schematype.KindSingle, schematype.KindMultiple, schematype.KindTrueFalse}[int(kinds>>(2*i)&3)%3]
		n := map[schematype.QuestionKind]int{schematype.KindSingle: 4, schematype.KindMultiple: 5, schematype.KindTrueFalse: 2}[kind]
		var opts []schematype.Option
		var answer []string
		bits := int(keyBits >> (5 * i) & 0x1f)
		for k := range n {
			key := string(rune('A' + k))
			opts = append(opts, schematype.Option{Key: key, Text: key})
			if bits&(1<<k) != 0 && (kind == schematype.KindMultiple || len(answer) == 0) {
				answer = append(answer, key)
			}
		}
		if len(answer) == 0 {
			answer = []string{"A"}
		}
		items = append(items, &ent.AttemptItem{QuestionID: 100 + i, Position: i + 1, Kind: kind, Options: opts, Answer: answer})
	}
	return items
}

// fuzzAnswers reads "q:keys;q:keys…": q is an item's index (a digit; any
// other text is a question of no item), each character after ':' a key.
func fuzzAnswers(spec string) []*Answer {
	var out []*Answer
	for part := range strings.SplitSeq(spec, ";") {
		q, keys, _ := strings.Cut(part, ":")
		id := 999
		if d, err := strconv.Atoi(q); err == nil && d >= 0 && d < 10 {
			id = 100 + d
		}
		a := &Answer{QuestionID: id, Choices: []string{}}
		for _, r := range keys {
			a.Choices = append(a.Choices, string(r))
		}
		out = append(out, a)
	}
	return out
}

// expect grades by sets, independently of grade: whether the answers are
// acceptable, and which items are fully correct.
func expect(items []*ent.AttemptItem, answers []*Answer) (ok bool, correct []bool) {
	correct = make([]bool, len(items))
	answered := map[int]bool{}
	for _, a := range answers {
		i := slices.IndexFunc(items, func(it *ent.AttemptItem) bool { return it.QuestionID == a.QuestionID })
		if i < 0 || answered[i] {
			return false, nil
		}
		answered[i] = true
		it := items[i]
		chosen := map[string]bool{}
		for _, k := range a.Choices {
			if chosen[k] || !slices.ContainsFunc(it.Options, func(o schematype.Option) bool { return o.Key == k }) {
				return false, nil
			}
			chosen[k] = true
		}
		if it.Kind != schematype.KindMultiple && len(chosen) > 1 {
			return false, nil
		}
		key := map[string]bool{}
		for _, k := range it.Answer {
			key[k] = true
		}
		correct[i] = len(chosen) > 0 && maps.Equal(chosen, key)
	}
	return true, correct
}

// FuzzGrade: whatever a player sends, grading never panics, refuses bad
// answers with BAD_USER_INPUT only, scores a question only for exactly its
// answer key, and ignores the order of answers and of keys.
func FuzzGrade(f *testing.F) {
	f.Add(uint8(0b100100), uint16(0b00001_00110_00010), "0:B;1:BC;2:A")
	f.Add(uint8(0b010101), uint16(0b11111_11111_11111), "0:ABCDE;1:EDCBA;2:")
	f.Add(uint8(0), uint16(0), "0:A;0:A")
	f.Fuzz(func(t *testing.T, kinds uint8, keyBits uint16, spec string) {
		items := fuzzItems(kinds, keyBits)
		answers := fuzzAnswers(spec)
		chosen, correct, count, err := grade(items, answers)
		ok, want := expect(items, answers)
		if !ok {
			if err == nil || apperr.CodeOf(err) != apperr.BadUserInput {
				t.Fatalf("%q: want BAD_USER_INPUT, got %v", spec, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("%q refused: %v", spec, err)
		}
		if !slices.Equal(correct, want) {
			t.Fatalf("%q: correct %v, want %v (keys %v %v %v)", spec, correct, want, items[0].Answer, items[1].Answer, items[2].Answer)
		}
		if n := len(slices.DeleteFunc(slices.Clone(correct), func(c bool) bool { return !c })); count != n {
			t.Fatalf("count %d for %v", count, correct)
		}
		for i, c := range chosen {
			if !slices.IsSorted(c) {
				t.Fatalf("chosen %v not sorted", c)
			}
			if c == nil && correct[i] {
				t.Fatal("an unanswered question scored")
			}
		}
		// The same answers in reverse, keys reversed too, grade the same.
		var rev []*Answer
		for _, a := range slices.Backward(answers) {
			keys := slices.Clone(a.Choices)
			slices.Reverse(keys)
			rev = append(rev, &Answer{QuestionID: a.QuestionID, Choices: keys})
		}
		chosen2, correct2, count2, err := grade(items, rev)
		if err != nil || count2 != count || !slices.Equal(correct2, correct) || !slices.EqualFunc(chosen2, chosen, slices.Equal) {
			t.Fatalf("order changed the grade: %v %v %v", err, correct2, correct)
		}
	})
}
