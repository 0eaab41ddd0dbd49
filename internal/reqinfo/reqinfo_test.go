package reqinfo_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"testing"

	"prizequiz/internal/reqinfo"
)

func TestRequestIDKeptWhenSafeElseMade(t *testing.T) {
	cases := []struct {
		header string
		keep   bool
	}{
		{"", false},
		{"abc-123_X.y", true},
		{"bad id\nlevel=ERROR", false},
		{string(bytes.Repeat([]byte("a"), 65)), false},
	}
	for _, tc := range cases {
		r := httptest.NewRequest("GET", "/", nil)
		if tc.header != "" {
			r.Header.Set(reqinfo.RequestIDHeader, tc.header)
		}
		id := reqinfo.FromRequest(r).RequestID
		if tc.keep && id != tc.header || !tc.keep && (id == tc.header || len(id) != 16) {
			t.Errorf("header %q: id %q", tc.header, id)
		}
	}
}

func TestLogHandlerAddsTheRequestID(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(reqinfo.LogHandler(slog.NewJSONHandler(&buf, nil))).With("component", "test")
	ctx := reqinfo.With(context.Background(), reqinfo.Info{RequestID: "req-1"})
	log.InfoContext(ctx, "with")
	log.Info("without")
	dec := json.NewDecoder(&buf)
	for _, want := range []string{"req-1", ""} {
		var rec map[string]any
		if err := dec.Decode(&rec); err != nil {
			t.Fatal(err)
		}
		if got, _ := rec["request_id"].(string); got != want || rec["component"] != "test" {
			t.Errorf("record %v: request_id %q, want %q", rec, got, want)
		}
	}
}
