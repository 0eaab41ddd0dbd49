package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"prizequiz/ent/schema/schematype"
	"prizequiz/internal/bankio"
	"prizequiz/internal/store/storetest"
)

// upload posts importQuestions as a GraphQL multipart request.
func (e *env) upload(token, bankID, filename string, file []byte, dryRun bool) response {
	e.t.Helper()
	return e.multipart(token,
		`mutation($b:ID!,$f:Upload!,$d:Boolean){importQuestions(bankID:$b,file:$f,dryRun:$d){imported valid dryRun errors{row column message}}}`,
		"f", filename, file, map[string]any{"b": bankID, "d": dryRun})
}

// multipart posts a GraphQL operation whose variable fileVar is a file.
func (e *env) multipart(token, query, fileVar, filename string, file []byte, vars ...map[string]any) response {
	e.t.Helper()
	variables := map[string]any{fileVar: nil}
	for _, v := range vars {
		for k, x := range v {
			variables[k] = x
		}
	}
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	ops, _ := json.Marshal(map[string]any{"query": query, "variables": variables})
	_ = w.WriteField("operations", string(ops))
	_ = w.WriteField("map", `{"0":["variables.`+fileVar+`"]}`)
	part, _ := w.CreateFormFile("0", filename)
	_, _ = part.Write(file)
	_ = w.Close()
	req, _ := http.NewRequest("POST", e.srv.URL+"/graphql", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var r response
	if err := json.Unmarshal(raw, &r); err != nil {
		e.t.Fatalf("decode %s: %v", raw, err)
	}
	r.raw = string(raw)
	return r
}

func TestImportThroughTheAPI(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	owner := e.adminToken()
	var b struct{ CreateQuestionBank struct{ ID string } }
	e.must(owner, `mutation{createQuestionBank(input:{name:"导入"}){id}}`, nil, &b)
	opts := []schematype.Option{{Key: "A", Text: "正确做法"}, {Key: "B", Text: "错误做法"}}
	qs := []bankio.ExportQuestion{
		{Kind: schematype.KindSingle, Stem: "一", Options: opts, Answer: []string{"A"}},
		{Kind: schematype.KindSingle, Stem: "二", Options: opts, Answer: []string{"A", "B"}}, // two answers on a single-choice row
	}
	bad, _ := bankio.ExportXLSX(qs)
	r := e.upload(owner, b.CreateQuestionBank.ID, "bank.xlsx", bad, false)
	if len(r.Errors) > 0 || !strings.Contains(r.raw, `"imported":0`) || !strings.Contains(r.raw, `"row":3`) || !strings.Contains(r.raw, `"column":"答案"`) {
		t.Fatalf("bad file: %s", r.raw)
	}
	good, _ := bankio.ExportXLSX(qs[:1])
	if r := e.upload(owner, b.CreateQuestionBank.ID, "bank.xlsx", good, true); !strings.Contains(r.raw, `"imported":0,"valid":1,"dryRun":true`) {
		t.Fatalf("dry run: %s", r.raw)
	}
	if r := e.upload(owner, b.CreateQuestionBank.ID, "bank.xlsx", good, false); !strings.Contains(r.raw, `"imported":1`) {
		t.Fatalf("import: %s", r.raw)
	}
	if r := e.upload(e.guest("p"), b.CreateQuestionBank.ID, "bank.xlsx", good, false); r.code() != "FORBIDDEN" {
		t.Fatalf("player import: %s", r.raw)
	}
	get := func(path, token string) (int, []byte) {
		req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, body
	}
	if code, body := get("/api/templates/questions", ""); code != 200 || !bytes.HasPrefix(body, []byte("PK")) {
		t.Fatalf("template: %d", code)
	}
	if code, body := get("/api/templates/questions?format=csv", ""); code != 200 || !strings.Contains(string(body), "题干") {
		t.Fatalf("csv template: %d", code)
	}
	if code, body := get("/api/export/banks/"+b.CreateQuestionBank.ID+"/questions?format=csv", owner); code != 200 || !strings.Contains(string(body), "正确做法") {
		t.Fatalf("export: %d %s", code, body)
	}
	if code, _ := get("/api/export/banks/"+b.CreateQuestionBank.ID+"/questions", ""); code != http.StatusUnauthorized {
		t.Fatalf("anonymous export: %d", code)
	}
}
