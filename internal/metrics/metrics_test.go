package metrics_test

import (
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"prizequiz/internal/metrics"
)

func TestRootFieldsNameOperationsFromTheSchema(t *testing.T) {
	cases := []struct{ query, want string }{
		{`query Anything { leaderboard(campaignID: 1) { total } }`, "leaderboard"},
		{`mutation { submitAttempt(attemptID: 1, answers: []) { score } }`, "submitAttempt"},
		{`{ b: myStanding(campaignID: 1) { rank } a: leaderboard(campaignID: 1) { total } c: leaderboard(campaignID: 2) { total } }`, "leaderboard,myStanding"},
		{`{ d e f g }`, "d,e,f,…"},
		{`{ ...F } fragment F on Query { x }`, "other"},
	}
	for _, tc := range cases {
		doc, err := parser.ParseQuery(&ast.Source{Input: tc.query})
		if err != nil {
			t.Fatal(err)
		}
		if got := metrics.RootFields(doc.Operations[0]); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.query, got, tc.want)
		}
	}
}
