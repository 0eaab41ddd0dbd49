package server_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"prizequiz/graph"
	"prizequiz/internal/clock"
	"prizequiz/internal/store/storetest"
)

// What reveals an answer key, in one place: a field whose name has a word
// starting with one of these (camelCase split: isCorrect, correctCount,
// answerKey, explanations …) or whose description has one of these
// phrases. A field added later under any of them is caught without
// editing the test.
var (
	answerKeyWords   = []string{"answer", "correct", "explanation", "solution", "rationale"}
	answerKeyPhrases = []string{"answer key", "correct answer", "correct option", "right answer", "explanation", "答案", "解析", "正确"}
)

var camelWord = regexp.MustCompile(`[A-Z]?[a-z0-9]+|[A-Z]+`)

func revealsAnswerKey(f *ast.FieldDefinition) bool {
	for _, w := range camelWord.FindAllString(f.Name, -1) {
		for _, prefix := range answerKeyWords {
			if strings.HasPrefix(strings.ToLower(w), prefix) {
				return true
			}
		}
	}
	d := strings.ToLower(f.Description)
	for _, p := range answerKeyPhrases {
		if strings.Contains(d, p) {
			return true
		}
	}
	return false
}

// answerGates are the public root fields through which an answer key is
// reachable by design, each with why nothing is revealed before
// submission. Each is proven through the real handler by
// TestNoAnswerKeyBeforeSubmissionThroughTheHandler; a new public root that
// reaches an answer key fails TestAnswerKeySchemaWalk until it is gated
// with @hasRole or added here with a probe.
var answerGates = map[string]string{
	"submitAttempt": "reviews only the caller's own attempt, and only once it is submitted",
	"node":          "resolves for admins only",
	"nodes":         "resolves for admins only",
}

// publicRoots are the Query, Mutation and Subscription fields an anonymous
// caller or a player may call: those without @hasRole.
func publicRoots(s *ast.Schema) []*ast.FieldDefinition {
	var out []*ast.FieldDefinition
	for _, root := range []*ast.Definition{s.Query, s.Mutation, s.Subscription} {
		if root == nil {
			continue
		}
		for _, f := range root.Fields {
			if !strings.HasPrefix(f.Name, "__") && f.Directives.ForName("hasRole") == nil {
				out = append(out, f)
			}
		}
	}
	return out
}

// answerKeyPaths walks every output type reachable from root through
// fields without @hasRole (interfaces and unions to each of their types)
// and returns the paths to fields that reveal an answer key.
func answerKeyPaths(s *ast.Schema, root *ast.FieldDefinition) []string {
	type step struct {
		typ  string
		path string
	}
	seen := map[string]bool{}
	queue := []step{{root.Type.Name(), root.Name}}
	var leaks []string
	for len(queue) > 0 {
		st := queue[0]
		queue = queue[1:]
		if seen[st.typ] {
			continue
		}
		seen[st.typ] = true
		def := s.Types[st.typ]
		switch def.Kind {
		case ast.Interface, ast.Union:
			for _, impl := range s.GetPossibleTypes(def) {
				queue = append(queue, step{impl.Name, st.path + " … on " + impl.Name})
			}
			continue
		case ast.Object:
		default:
			continue
		}
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "__") || f.Directives.ForName("hasRole") != nil {
				continue // @hasRole runs on every field it marks, nested ones too
			}
			path := st.path + " → " + def.Name + "." + f.Name
			if revealsAnswerKey(f) {
				leaks = append(leaks, path)
			}
			queue = append(queue, step{f.Type.Name(), path})
		}
	}
	return leaks
}

// TestAnswerKeySchemaWalk: from every operation a player or an anonymous
// caller may call, no answer key is reachable except through the gates of
// answerGates, which must each really lead to one.
func TestAnswerKeySchemaWalk(t *testing.T) {
	schema := graph.NewSchema(graph.NewResolver(storetest.SQLite(t), clock.Real{})).Schema()
	roots := publicRoots(schema)
	if len(roots) < 10 {
		t.Fatalf("only %d public roots found; the walk is broken", len(roots))
	}
	gated := map[string]bool{}
	for _, root := range roots {
		leaks := answerKeyPaths(schema, root)
		if _, ok := answerGates[root.Name]; ok {
			gated[root.Name] = true
			if len(leaks) == 0 {
				t.Errorf("%s is in answerGates but reaches no answer key: remove it", root.Name)
			}
			continue
		}
		for _, l := range leaks {
			t.Errorf("a player reaches an answer key before submission: %s", l)
		}
	}
	for name := range answerGates {
		if !gated[name] {
			t.Errorf("answerGates names %s, which is not a public root", name)
		}
	}
	// The detector itself: what a submitted attempt reveals must be found.
	var submit *ast.FieldDefinition
	for _, r := range roots {
		if r.Name == "submitAttempt" {
			submit = r
		}
	}
	got := strings.Join(answerKeyPaths(schema, submit), "\n")
	for _, want := range []string{"ReviewItem.correct", "ReviewItem.isCorrect", "ReviewItem.explanation"} {
		if !strings.Contains(got, want) {
			t.Errorf("the walk from submitAttempt misses %s:\n%s", want, got)
		}
	}
}

// TestAnswerKeyDetector: the name and description rules flag what they
// should, so a renamed or newly described field cannot slip by.
func TestAnswerKeyDetector(t *testing.T) {
	cases := []struct {
		name, desc string
		want       bool
	}{
		{"correct", "", true},
		{"isCorrect", "", true},
		{"correctCount", "", true},
		{"answer", "", true},
		{"answerKey", "", true},
		{"explanations", "", true},
		{"hint", "the correct answer, for testers", true},
		{"note", "题目解析", true},
		{"key", "", false},
		{"stem", "", false},
		{"deadline", "when the attempt ends", false},
	}
	for _, tc := range cases {
		f := &ast.FieldDefinition{Name: tc.name, Description: tc.desc}
		if got := revealsAnswerKey(f); got != tc.want {
			t.Errorf("%s %q: %v, want %v", tc.name, tc.desc, got, tc.want)
		}
	}
}

// hiddenKeys are JSON keys a response must not carry a value for before
// submission.
var hiddenKeys = []string{"answer", "correct", "isCorrect", "explanation", "correctCount", "review"}

// revealed returns the hidden keys with a value in a response's data, and
// which explanation markers its raw text contains.
func revealed(r response, markers []string) []string {
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, v := range x {
				if slices.Contains(hiddenKeys, k) && v != nil {
					out = append(out, k)
				}
				walk(v)
			}
		case []any:
			for _, v := range x {
				walk(v)
			}
		}
	}
	var data any
	_ = json.Unmarshal(r.Data, &data)
	walk(data)
	for _, m := range markers {
		if strings.Contains(r.raw, m) {
			out = append(out, m)
		}
	}
	return out
}

// fullSelection selects every field of a type that takes no required
// argument and is not admin-only, to depth levels: everything a player
// could ask of it.
func fullSelection(s *ast.Schema, typ string, depth int) string {
	def := s.Types[typ]
	if def.Kind != ast.Object || depth == 0 {
		return ""
	}
	var parts []string
	for _, f := range def.Fields {
		if strings.HasPrefix(f.Name, "__") || f.Directives.ForName("hasRole") != nil ||
			slices.ContainsFunc(f.Arguments, func(a *ast.ArgumentDefinition) bool { return a.Type.NonNull && a.DefaultValue == nil }) {
			continue
		}
		sub := s.Types[f.Type.Name()]
		switch sub.Kind {
		case ast.Object:
			if inner := fullSelection(s, sub.Name, depth-1); inner != "" {
				parts = append(parts, f.Name+"{"+inner+"}")
			}
		case ast.Scalar, ast.Enum:
			parts = append(parts, f.Name)
		}
	}
	return strings.Join(parts, " ")
}

// TestNoAnswerKeyBeforeSubmissionThroughTheHandler runs the probes of every
// gate in answerGates against the real handler: a player with an attempt
// in progress, another player, an anonymous caller and an admin ask every
// way the schema offers for the attempt's answers and get none, until the
// player submits.
func TestNoAnswerKeyBeforeSubmissionThroughTheHandler(t *testing.T) {
	db := storetest.SQLite(t)
	e := newEnv(t, db)
	admin := e.adminToken()
	schema := graph.NewSchema(e.res).Schema()

	var b struct{ CreateQuestionBank struct{ ID string } }
	e.must(admin, `mutation{createQuestionBank(input:{name:"答案探针"}){id}}`, nil, &b)
	var markers, questionIDs []string
	answers := map[string][]string{}
	for i := range 6 {
		marker := fmt.Sprintf("解析标记-%d-秘", i)
		markers = append(markers, marker)
		var q struct{ CreateQuestion struct{ ID string } }
		e.must(admin, `mutation($in:CreateQuestionInput!){createQuestion(input:$in){id}}`, map[string]any{"in": map[string]any{
			"bankID": b.CreateQuestionBank.ID, "kind": "SINGLE", "stem": fmt.Sprintf("题%d", i),
			"options": opts("A", "B", "C"), "answer": []string{"C"}, "explanation": marker,
		}}, &q)
		questionIDs = append(questionIDs, q.CreateQuestion.ID)
		answers[q.CreateQuestion.ID] = []string{"C"}
	}
	now := e.clock.Now()
	var c struct{ CreateCampaign struct{ ID string } }
	e.must(admin, `mutation($in:CreateCampaignInput!){createCampaign(input:$in){id}}`, map[string]any{"in": map[string]any{
		"name": "探针", "bankID": b.CreateQuestionBank.ID, "startsAt": now.Format(time.RFC3339), "endsAt": now.Add(time.Hour).Format(time.RFC3339),
		"timeLimitSeconds": 60, "graceSeconds": 1, "periodSeconds": 3600,
	}}, &c)
	cid := c.CreateCampaign.ID

	player, other := e.guest("答题者"), e.guest("旁观者")
	full := `mutation($c:ID!){startAttempt(campaignID:$c){` + fullSelection(schema, "Attempt", 4) + `}}`
	r := e.do(player, full, map[string]any{"c": cid}, nil)
	var st struct{ StartAttempt attempt }
	if err := decodeData(r, &st); err != nil {
		t.Fatal(err)
	}
	if leak := revealed(r, markers); len(leak) > 0 {
		t.Fatalf("startAttempt reveals %v: %s", leak, r.raw)
	}
	attemptID := st.StartAttempt.ID
	var theirs []string // the questions of the attempt, as the player sees their ids
	for _, q := range st.StartAttempt.Questions {
		theirs = append(theirs, q.ID)
	}
	ids := append(slices.Clone(questionIDs), attemptID, b.CreateQuestionBank.ID, cid)

	// probe asks as every caller but an admin, expecting refusal codes.
	callers := map[string]string{"the player": player, "another player": other, "anonymous": ""}
	probe := func(t *testing.T, name, query string, vars map[string]any, codes ...string) {
		t.Helper()
		for who, tok := range callers {
			r := e.do(tok, query, vars, nil)
			if leak := revealed(r, markers); len(leak) > 0 {
				t.Errorf("%s, as %s: reveals %v: %s", name, who, leak, r.raw)
			}
			if len(codes) > 0 && !slices.Contains(codes, r.code()) {
				t.Errorf("%s, as %s: code %q, want one of %v: %s", name, who, r.code(), codes, r.raw)
			}
		}
	}
	probes := map[string]func(t *testing.T){
		"node": func(t *testing.T) {
			q := `query($id:ID!){node(id:$id){id ... on Question{answer explanation stem}}}`
			for _, id := range ids {
				probe(t, "node "+id, q, map[string]any{"id": id}, "FORBIDDEN", "UNAUTHENTICATED")
			}
			// The control: an admin does get the key this way.
			if got := e.do(admin, q, map[string]any{"id": questionIDs[0]}, nil); !strings.Contains(got.raw, markers[0]) {
				t.Fatalf("the probe cannot see a key even as admin: %s", got.raw)
			}
		},
		"nodes": func(t *testing.T) {
			q := `query($ids:[ID!]!){nodes(ids:$ids){id ... on Question{answer explanation}}}`
			probe(t, "nodes", q, map[string]any{"ids": ids}, "FORBIDDEN", "UNAUTHENTICATED")
		},
		"submitAttempt": func(t *testing.T) {
			var right []map[string]any
			for _, id := range theirs {
				right = append(right, map[string]any{"questionID": id, "choices": answers[id]})
			}
			// Someone else's attempt, even with every answer right, is not found.
			for who, tok := range map[string]string{"another player": other, "anonymous": "", "an admin": admin} {
				r := e.do(tok, submitQ, map[string]any{"a": attemptID, "ans": right}, nil)
				if leak := revealed(r, markers); len(leak) > 0 || r.code() == "" {
					t.Errorf("submit as %s: %v %s", who, leak, r.raw)
				}
			}
			// The player's own malformed submissions are refused whole:
			// nothing reviewed, nothing settled.
			bad := map[string][]map[string]any{
				"a question not in the attempt": {{"questionID": "987654", "choices": []string{"A"}}},
				"an unknown option":             {{"questionID": theirs[0], "choices": []string{"Z"}}},
				"two options of a single":       {{"questionID": theirs[0], "choices": []string{"A", "C"}}},
				"a question twice":              {{"questionID": theirs[0], "choices": []string{"A"}}, {"questionID": theirs[0], "choices": []string{"B"}}},
			}
			for name, ans := range bad {
				r := e.do(player, submitQ, map[string]any{"a": attemptID, "ans": ans}, nil)
				if leak := revealed(r, markers); len(leak) > 0 || r.code() != "BAD_USER_INPUT" {
					t.Errorf("own submit with %s: %v %s", name, leak, r.raw)
				}
			}
			var again struct{ StartAttempt attempt }
			e.must(player, startQ, map[string]any{"c": cid}, &again)
			if again.StartAttempt.ID != attemptID || again.StartAttempt.Status != "IN_PROGRESS" {
				t.Fatalf("the probes settled the attempt: %+v", again.StartAttempt)
			}
			// An attempt that ran out of time never reveals its key, however
			// often it is submitted.
			late := e.guest("迟到者")
			var ls struct{ StartAttempt attempt }
			e.must(late, startQ, map[string]any{"c": cid}, &ls)
			e.clock.Advance(62 * time.Second)
			for range 2 {
				r := e.do(late, submitQ, map[string]any{"a": ls.StartAttempt.ID, "ans": []any{}}, nil)
				if leak := revealed(r, markers); len(leak) > 0 || r.code() != "ATTEMPT_EXPIRED" {
					t.Fatalf("late submit: %v %s", leak, r.raw)
				}
			}
		},
	}
	for _, name := range slices.Sorted(maps.Keys(answerGates)) {
		p, ok := probes[name]
		if !ok {
			t.Errorf("answerGates names %s but no probe proves it", name)
			continue
		}
		t.Run(name, p)
	}

	// Only now, with its own attempt submitted in time, does the player
	// see the key: the control that the checks above would have seen one.
	late := e.guest("重来")
	var fresh struct{ StartAttempt attempt }
	e.must(late, startQ, map[string]any{"c": cid}, &fresh)
	r = e.do(late, submitQ, map[string]any{"a": fresh.StartAttempt.ID, "ans": []any{}}, nil)
	if leak := revealed(r, markers); !slices.Contains(leak, "correct") || !slices.Contains(leak, "review") {
		t.Fatalf("a submitted attempt shows no review: %s", r.raw)
	}
}
