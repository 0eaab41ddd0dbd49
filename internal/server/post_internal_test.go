package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/testserver"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// TestPostTransportAnswersAsGqlgens: for GraphQL requests good and bad,
// postTransport answers with the status, media type and bytes of gqlgen's
// transport.POST. (A body that is not one is
// TestABodyThatIsNotAGraphQLRequestGetsBadUserInput's.)
func TestPostTransportAnswersAsGqlgens(t *testing.T) {
	cases := []struct {
		name, body, accept string
		failing            bool // a server whose resolvers fail
	}{
		{name: "a query", body: `{"query":"{ name }"}`},
		{name: "a mutation", body: `{"query":"mutation { name }"}`},
		{name: "variables and an operation name", body: `{"query":"query Q($id: Int!) { find(id: $id) }","operationName":"Q","variables":{"id":1}}`},
		{name: "Accept: application/json", body: `{"query":"{ name }"}`, accept: "application/json"},
		{name: "Accept: graphql-response+json", body: `{"query":"{ name }"}`, accept: "application/graphql-response+json"},
		{name: "Accept: anything", body: `{"query":"{ name }"}`, accept: "text/html, */*;q=0.8"},
		{name: "Accept: application/*", body: `{"query":"{ name }"}`, accept: "application/*"},
		{name: "Accept: nothing it serves", body: `{"query":"{ name }"}`, accept: "text/html"},
		{name: "a query that does not parse", body: `{"query":"{"}`},
		{name: "a parse error, graphql-response+json", body: `{"query":"{"}`, accept: "application/graphql-response+json"},
		{name: "a field that does not exist", body: `{"query":"{ nope }"}`},
		{name: "a variable missing", body: `{"query":"query Q($id: Int!) { find(id: $id) }"}`},
		{name: "a resolver's error", body: `{"query":"{ name }"}`, failing: true},
	}
	for _, tc := range cases {
		answer := func(tr graphql.Transport) *httptest.ResponseRecorder {
			srv := testserver.New()
			if tc.failing {
				srv = testserver.NewError()
			}
			srv.AddTransport(tr)
			r := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewBufferString(tc.body))
			r.Header.Set("Content-Type", "application/json")
			if tc.accept != "" {
				r.Header.Set("Accept", tc.accept)
			}
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, r)
			return w
		}
		want, got := answer(transport.POST{}), answer(postTransport{})
		if got.Code != want.Code || got.Header().Get("Content-Type") != want.Header().Get("Content-Type") ||
			got.Body.String() != want.Body.String() {
			t.Errorf("%s: %d %s %s; gqlgen: %d %s %s", tc.name,
				got.Code, got.Header().Get("Content-Type"), got.Body,
				want.Code, want.Header().Get("Content-Type"), want.Body)
		}
	}
}

// TestWriteResponseMeansWhatJSONMarshalWrites: every response is written as
// JSON meaning what json.Marshal's encoding means, byte for byte where
// json.Marshal has nothing to escape for HTML.
func TestWriteResponseMeansWhatJSONMarshalWrites(t *testing.T) {
	hasNext := true
	cases := []struct {
		name      string
		r         *graphql.Response
		sameBytes bool
	}{
		{"data", &graphql.Response{Data: json.RawMessage(`{"startAttempt":{"id":"a1","questions":[{"stem":"医保\"报销\"比例？","options":["70%","80%"]}]}}`)}, true},
		{"data with characters json.Marshal escapes for HTML", &graphql.Response{Data: json.RawMessage(`{"s":"<b>A&B</b>` + "\u2028" + `"}`)}, false},
		{"no data", &graphql.Response{}, true},
		{"null data", &graphql.Response{Data: json.RawMessage(`null`)}, true},
		{"errors and data", &graphql.Response{Data: json.RawMessage(`{"a":null}`), Errors: gqlerror.List{{Message: "no", Extensions: map[string]any{"code": "NOT_FOUND"}}}}, true},
		{"extensions", &graphql.Response{Data: json.RawMessage(`{}`), Extensions: map[string]any{"n": 1}}, true},
		{"an incremental part", &graphql.Response{Data: json.RawMessage(`{}`), Label: "l", HasNext: &hasNext}, true},
		{"nil", nil, true},
	}
	for _, tc := range cases {
		want, err := json.Marshal(tc.r)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		writeResponse(&buf, tc.r)
		var got, wanted any
		if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
			t.Errorf("%s: %s is not JSON: %v", tc.name, buf.Bytes(), err)
			continue
		}
		if err := json.Unmarshal(want, &wanted); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, wanted) || (tc.sameBytes && buf.String() != string(want)) {
			t.Errorf("%s: %s; json.Marshal: %s", tc.name, buf.Bytes(), want)
		}
	}
}
