package logging_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"prizequiz/internal/logging"
	"prizequiz/internal/reqinfo"
)

type claim struct {
	Name    string `json:"name"`
	Phone   string `json:"phone"`
	Address string `json:"address"`
	Prize   int    `json:"prize"`
}

// TestMaskWhateverTheCallSite logs personal data and secrets every way slog
// offers and checks the JSON line keeps none of it in the clear, while
// what is not personal stays readable.
func TestMaskWhateverTheCallSite(t *testing.T) {
	const (
		phoneNo = "13812341234"
		token   = "tok_AbCdEf0123456789xyz"
		pw      = "hunter2-secret-pw"
	)
	cases := []struct {
		name string
		log  func(*slog.Logger)
		want []string // substrings of the line
		gone []string // must not appear
	}{
		{"phone key", func(l *slog.Logger) { l.Info("claim", "phone", phoneNo) },
			[]string{`"phone":"138****1234"`}, []string{phoneNo}},
		{"phone with country code", func(l *slog.Logger) { l.Info("claim", "claim_phone", "+86"+phoneNo) },
			[]string{`"claim_phone":"+86138****1234"`}, []string{phoneNo}},
		{"name key", func(l *slog.Logger) { l.Info("claim", "name", "张三") },
			[]string{`"name":"张*"`}, []string{"张三"}},
		{"claimName key", func(l *slog.Logger) { l.Info("claim", "claimName", "欧阳娜娜") },
			[]string{`"claimName":"欧***"`}, []string{"欧阳娜娜"}},
		{"address key", func(l *slog.Logger) { l.Info("claim", "address", "江苏省南通市崇川区") },
			[]string{`"address":"江苏省***"`}, []string{"南通"}},
		{"password key", func(l *slog.Logger) { l.Warn("admin", "password", pw) },
			[]string{`"password":"[REDACTED]"`}, []string{pw}},
		{"token key", func(l *slog.Logger) { l.Info("signin", "token", token) },
			[]string{`"token":"[REDACTED]"`}, []string{token}},
		{"authorization header", func(l *slog.Logger) { l.Info("req", "Authorization", "Bearer "+token) },
			nil, []string{token}},
		{"in a group", func(l *slog.Logger) {
			l.Info("claim", slog.Group("winner", "name", "李四", "phone", phoneNo, slog.Group("ship", "address", "北京市朝阳区")))
		}, []string{`"name":"李*"`, `"address":"北京市***"`}, []string{"李四", phoneNo, "朝阳"}},
		{"sensitive group", func(l *slog.Logger) { l.Info("x", slog.Group("password", "value", pw)) },
			nil, []string{pw}},
		{"WithGroup", func(l *slog.Logger) { l.WithGroup("secret").Info("x", "v", pw) },
			nil, []string{pw}},
		{"With", func(l *slog.Logger) { l.With("phone", phoneNo, "token", token).Info("x") },
			nil, []string{phoneNo, token}},
		{"LogValuer", func(l *slog.Logger) { l.Info("x", "c", claimValuer{"王五", phoneNo}) },
			[]string{`"name":"王*"`}, []string{"王五", phoneNo}},
		{"struct by JSON keys", func(l *slog.Logger) {
			l.Info("x", "claim", claim{Name: "赵六", Phone: phoneNo, Address: "广东省深圳市", Prize: 3})
		}, []string{`"prize":3`, `"name":"赵*"`}, []string{"赵六", phoneNo, "深圳"}},
		{"map", func(l *slog.Logger) { l.Info("x", "m", map[string]any{"password": pw, "mobile": phoneNo}) },
			nil, []string{pw, phoneNo}},
		{"phone in a message", func(l *slog.Logger) { l.Info("claim from " + phoneNo + " refused") },
			[]string{"138****1234"}, []string{phoneNo}},
		{"phone in an error", func(l *slog.Logger) {
			l.Error("failed", "err", fmt.Errorf("claim %s: %w", phoneNo, errors.New("boom")))
		},
			[]string{"boom"}, []string{phoneNo}},
		{"bearer in free text", func(l *slog.Logger) { l.Info("x", "detail", "header was Bearer "+token) },
			[]string{"Bearer [REDACTED]"}, []string{token}},
		{"not personal stays", func(l *slog.Logger) {
			l.Info("prizequiz serving", "addr", ":8080", "username", "admin", "nickname", "小王", "count", 12, "id", "20260101123456789")
		}, []string{`"addr":":8080"`, `"username":"admin"`, `"nickname":"小王"`, `"count":12`, `"id":"20260101123456789"`}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			tc.log(logging.New(&buf))
			line := buf.String()
			if line == "" {
				t.Fatal("nothing logged")
			}
			for _, w := range tc.want {
				if !strings.Contains(line, w) {
					t.Errorf("missing %s in %s", w, line)
				}
			}
			for _, g := range tc.gone {
				if strings.Contains(line, g) {
					t.Errorf("%q in the clear: %s", g, line)
				}
			}
		})
	}
}

type claimValuer struct{ name, phone string }

func (c claimValuer) LogValue() slog.Value {
	return slog.GroupValue(slog.String("name", c.name), slog.String("phone", c.phone))
}

// TestNewKeepsTheRequestID: masking sits inside the request-id handler, so
// lines about a request still name it.
func TestNewKeepsTheRequestID(t *testing.T) {
	var buf bytes.Buffer
	ctx := reqinfo.With(context.Background(), reqinfo.Info{RequestID: "req-7"})
	logging.New(&buf).InfoContext(ctx, "x", "phone", "13912345678")
	if !strings.Contains(buf.String(), `"request_id":"req-7"`) || strings.Contains(buf.String(), "13912345678") {
		t.Fatalf("line %s", buf.String())
	}
}

func TestMaskFunctions(t *testing.T) {
	cases := []struct {
		f       func(string) string
		in, out string
	}{
		{logging.MaskPhone, "13812341234", "138****1234"},
		{logging.MaskPhone, "+8613812341234", "+86138****1234"},
		{logging.MaskPhone, "021-6212-3456", "021****3456"},
		{logging.MaskPhone, "1234", "****"},
		{logging.MaskPhone, "", "****"},
		{logging.MaskName, "张三", "张*"},
		{logging.MaskName, "张", "*"},
		{logging.MaskName, "Zhang San", "Z********"},
		{logging.MaskAddress, "江苏省南通市", "江苏省***"},
		{logging.MaskAddress, "北京", "***"},
	}
	for _, tc := range cases {
		if got := tc.f(tc.in); got != tc.out {
			t.Errorf("%q → %q, want %q", tc.in, got, tc.out)
		}
	}
}
