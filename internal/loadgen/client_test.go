package loadgen

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestClientDecodesEachAnswer: the client reads data, GraphQL errors,
// HTTP failures and malformed bodies apart, decoding each response once.
func TestClientDecodesEachAnswer(t *testing.T) {
	cases := []struct {
		name   string
		status int
		body   string
		code   string // "" for success
		score  int
	}{
		{"data", 200, `{"data":{"submitAttempt":{"score":80}}}`, "", 80},
		{"a GraphQL error", 200, `{"errors":[{"message":"no","extensions":{"code":"ATTEMPT_EXPIRED"}}],"data":null}`, "ATTEMPT_EXPIRED", 0},
		{"an error without a code", 200, `{"errors":[{"message":"odd"}],"data":null}`, CodeNoCode, 0},
		{"an error over a failed status", 422, `{"errors":[{"message":"bad","extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}}]}`, "GRAPHQL_VALIDATION_FAILED", 0},
		{"a failed status without errors", 503, `{"data":null}`, "HTTP_503", 0},
		{"not JSON, failed status", 502, `<html>bad gateway</html>`, "HTTP_502", 0},
		{"not JSON", 200, `<html>`, CodeBadResponse, 0},
		{"data of the wrong shape", 200, `{"data":{"submitAttempt":{"score":"eighty"}}}`, CodeBadResponse, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			}))
			defer srv.Close()
			c := newGQLClient(srv.URL, 1, 5*time.Second)
			var out struct{ SubmitAttempt struct{ Score int } }
			err := c.do(context.Background(), "", "{x}", nil, &out)
			var ce *callError
			switch {
			case tc.code == "" && err != nil:
				t.Fatalf("error %v", err)
			case tc.code != "" && (!errors.As(err, &ce) || ce.Code != tc.code):
				t.Fatalf("error %v, want code %s", err, tc.code)
			case out.SubmitAttempt.Score != tc.score:
				t.Fatalf("score %d, want %d", out.SubmitAttempt.Score, tc.score)
			}
		})
	}
}
