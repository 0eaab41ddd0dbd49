package server_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"prizequiz/internal/store/storetest"
)

// fuzzCodes are the codes a play mutation may answer with, whatever it is
// sent: SPEC §3's, and gqlgen's for documents that do not parse or
// validate. INTERNAL is left out on purpose: it means the server failed,
// and no input may make it fail.
var fuzzCodes = []string{
	"UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND", "BAD_USER_INPUT", "CAMPAIGN_NOT_ACTIVE",
	"ATTEMPT_EXPIRED", "ATTEMPT_LIMIT_REACHED", "DRAW_NOT_READY", "DRAW_ALREADY_DONE", "RATE_LIMITED",
	"GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED",
}

// FuzzPlayMutations sends startAttempt and submitAttempt arbitrary IDs and
// answers, as variables and spliced into the document, through the real
// handler on SQLite, for a player who has an attempt in progress: never a
// panic or a 500, every error with a code of fuzzCodes, and every result
// scored within the rules.
//
// In id and answers, $A stands for the attempt in progress, $C for the
// campaign and $Q0…$Q4 for the attempt's questions, so the fuzzer reaches
// the scoring code and not only "not found". op picks the form:
// 0 startAttempt(campaignID: $c), 1 submitAttempt with variables,
// 2 submitAttempt with id and answers spliced into the document,
// 3 startAttempt with id spliced. An odd late first lets the attempt run
// out of time.
func FuzzPlayMutations(f *testing.F) {
	f.Add(uint8(1), "$A", `[{"questionID":"$Q0","choices":["A"]},{"questionID":"$Q1","choices":["A","B"]}]`, uint8(0))
	f.Add(uint8(2), `"$A"`, `[{questionID:"$Q2",choices:["B","A"]}]`, uint8(0))
	f.Add(uint8(0), "$C", ``, uint8(0))
	f.Add(uint8(1), "$A", `[]`, uint8(1))
	f.Add(uint8(3), `"-1"`, ``, uint8(0))

	e := newEnvWith(f, storetest.SQLite(f), nil)
	admin := e.adminToken()
	cid, _ := e.setUpWith(admin, map[string]any{
		"endsAt": e.clock.Now().Add(90 * 24 * time.Hour).Format(time.RFC3339), "periodSeconds": 7 * 24 * 3600,
	})
	player := e.guest("fuzz")

	post := func(query string, vars json.RawMessage) (int, []byte) {
		body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+player)
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, req)
		return rec.Code, rec.Body.Bytes()
	}

	f.Fuzz(func(t *testing.T, op uint8, id, answers string, late uint8) {
		if late&1 == 1 {
			e.clock.Advance(3 * time.Second) // past the 2 s limit and 1 s grace
		}
		// The attempt in progress, started now if none is.
		_, raw := post(startQ, json.RawMessage(`{"c":`+strconvQuote(cid)+`}`))
		var cur struct {
			Data struct{ StartAttempt *attempt }
		}
		_ = json.Unmarshal(raw, &cur)
		subst := map[string]string{"$C": cid}
		if a := cur.Data.StartAttempt; a != nil {
			subst["$A"] = a.ID
			for i, q := range a.Questions {
				subst["$Q"+string(rune('0'+i))] = q.ID
			}
		}
		replace := func(s string) string {
			for k, v := range subst {
				s = strings.ReplaceAll(s, k, v)
			}
			return s
		}
		id, answers = replace(id), replace(answers)
		ans := json.RawMessage(answers)
		if !json.Valid(ans) {
			ans, _ = json.Marshal(answers)
		}
		const result = `{score correctCount durationMs attempt{id status} review{questionID chosen correct isCorrect}}`
		var status int
		switch op % 4 {
		case 0:
			status, raw = post(startQ, json.RawMessage(`{"c":`+strconvQuote(id)+`}`))
		case 1:
			vars, _ := json.Marshal(map[string]any{"a": id, "ans": ans})
			status, raw = post(`mutation($a:ID!,$ans:[AnswerInput!]!){submitAttempt(attemptID:$a,answers:$ans)`+result+`}`, vars)
		case 2:
			status, raw = post(`mutation{submitAttempt(attemptID:`+id+`,answers:`+answers+`)`+result+`}`, nil)
		case 3:
			status, raw = post(`mutation{startAttempt(campaignID:`+id+`){id status questions{id options{key}}}}`, nil)
		}
		if status >= 500 {
			t.Fatalf("HTTP %d: %s", status, raw)
		}
		var r struct {
			Data   map[string]json.RawMessage `json:"data"`
			Errors []gqlError                 `json:"errors"`
		}
		if err := json.Unmarshal(raw, &r); err != nil {
			t.Fatalf("HTTP %d, not JSON: %s", status, raw)
		}
		for _, e := range r.Errors {
			code, _ := e.Extensions["code"].(string)
			if !slices.Contains(fuzzCodes, code) {
				t.Fatalf("error without an allowed code: %s", raw)
			}
		}
		if sub, ok := r.Data["submitAttempt"]; ok && string(sub) != "null" {
			var res struct {
				Score, CorrectCount, DurationMs int
				Review                          []struct{ IsCorrect bool }
			}
			if err := json.Unmarshal(sub, &res); err != nil {
				t.Fatal(err)
			}
			correct := 0
			for _, it := range res.Review {
				if it.IsCorrect {
					correct++
				}
			}
			if len(res.Review) != 5 || res.CorrectCount != correct || res.Score != 20*correct || res.DurationMs < 0 || res.DurationMs > 3000 {
				t.Fatalf("result out of the rules: %s", sub)
			}
		}
	})
}
