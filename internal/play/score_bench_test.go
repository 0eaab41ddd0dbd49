package play

import (
	"testing"

	"prizequiz/ent"
	"prizequiz/ent/schema/schematype"
)

// BenchmarkScore checks and scores the answers of a five-question attempt
// in process (match and sameSet, as Submit runs them before it writes):
// the part of a submit that is not the database.
func BenchmarkScore(b *testing.B) {
	four := []schematype.Option{{Key: "A", Text: "a"}, {Key: "B", Text: "b"}, {Key: "C", Text: "c"}, {Key: "D", Text: "d"}}
	tf := []schematype.Option{{Key: "A", Text: "正确"}, {Key: "B", Text: "错误"}}
	items := []*ent.AttemptItem{
		{QuestionID: 11, Kind: schematype.KindSingle, Options: four, Answer: []string{"B"}},
		{QuestionID: 12, Kind: schematype.KindMultiple, Options: four, Answer: []string{"A", "C", "D"}},
		{QuestionID: 13, Kind: schematype.KindTrueFalse, Options: tf, Answer: []string{"A"}},
		{QuestionID: 14, Kind: schematype.KindSingle, Options: four, Answer: []string{"D"}},
		{QuestionID: 15, Kind: schematype.KindMultiple, Options: four, Answer: []string{"B", "C"}},
	}
	answers := []*Answer{
		{QuestionID: 15, Choices: []string{"C", "B"}},
		{QuestionID: 11, Choices: []string{"B"}},
		{QuestionID: 12, Choices: []string{"D", "A"}}, // wrong: not the exact set
		{QuestionID: 13, Choices: []string{"A"}},
		{QuestionID: 14, Choices: []string{"A"}}, // wrong
	}
	for b.Loop() {
		chosen, err := match(items, answers)
		if err != nil {
			b.Fatal(err)
		}
		right := 0
		for i, it := range items {
			if sameSet(chosen[i], it.Answer) {
				right++
			}
		}
		if right != 3 {
			b.Fatalf("%d right, want 3", right)
		}
	}
}
