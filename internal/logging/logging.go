// Package logging builds the process's logger: JSON lines on a writer,
// each request's id on the lines logged about it, and personal data and
// secrets masked whatever the call site wrote.
package logging

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"reflect"
	"regexp"
	"strings"
	"unicode/utf8"

	"prizequiz/internal/reqinfo"
)

// New returns the logger `prizequiz serve` writes to w.
func New(w io.Writer) *slog.Logger {
	return slog.New(reqinfo.LogHandler(Mask(slog.NewJSONHandler(w, nil))))
}

// Mask wraps h so that no record reaches it with a secret or a person's
// contact data in the clear. Attributes are judged by key, in groups too
// (a group's key applies to everything inside it):
//   - passwords, secrets, tokens, authorization and cookie headers are
//     replaced by "[REDACTED]";
//   - phones keep their first three and last four digits (138****1234);
//   - real names keep their first character (张*);
//   - postal addresses keep their first three characters (江苏省***).
//
// Whatever the key, a mainland mobile number or a "Bearer …" credential
// inside any string (messages and errors included) is masked too: a call
// site that formats one into a message must not leak it either.
func Mask(h slog.Handler) slog.Handler { return maskHandler{next: h} }

type maskHandler struct {
	next slog.Handler
	// kind applies to every attribute added inside a group whose key is
	// sensitive (WithGroup("password")).
	kind kind
}

func (m maskHandler) Enabled(ctx context.Context, l slog.Level) bool { return m.next.Enabled(ctx, l) }

func (m maskHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, scrub(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(mask(a, m.kind))
		return true
	})
	return m.next.Handle(ctx, out)
}

func (m maskHandler) WithAttrs(as []slog.Attr) slog.Handler {
	masked := make([]slog.Attr, len(as))
	for i, a := range as {
		masked[i] = mask(a, m.kind)
	}
	return maskHandler{next: m.next.WithAttrs(masked), kind: m.kind}
}

func (m maskHandler) WithGroup(name string) slog.Handler {
	return maskHandler{next: m.next.WithGroup(name), kind: m.kind.or(kindOf(name))}
}

// kind is how an attribute's value is masked.
type kind int

const (
	plain kind = iota
	secret
	phone
	name
	address
)

// or keeps an enclosing group's kind: inside a "password" group every
// value is a secret, whatever its own key.
func (k kind) or(inner kind) kind {
	if k != plain {
		return k
	}
	return inner
}

// kindOf classifies a key by the words in it, case, "_", "-" and "."
// ignored: claim_phone, ClaimPhone and claim.phone are all phones.
func kindOf(key string) kind {
	k := strings.ToLower(key)
	k = strings.NewReplacer("_", "", "-", "", ".", "", " ", "").Replace(k)
	switch {
	case containsAny(k, "password", "passwd", "secret", "token", "authorization", "cookie", "bearer", "credential", "密码"):
		return secret
	case containsAny(k, "phone", "mobile", "手机", "电话") || k == "tel":
		return phone
	case containsAny(k, "address", "地址"):
		// "addr" (a listen or client network address) is not a postal
		// address and stays readable.
		return address
	case k == "name" || k == "姓名" || containsAny(k, "realname", "fullname", "claimname", "contactname", "recipient", "receiver"):
		// username and nickname are not real names: admins' accounts and
		// the public ranking show them anyway.
		return name
	}
	return plain
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func mask(a slog.Attr, inherited kind) slog.Attr {
	k := inherited.or(kindOf(a.Key))
	v := a.Value.Resolve()
	if v.Kind() == slog.KindGroup {
		group := v.Group()
		out := make([]slog.Attr, len(group))
		for i, g := range group {
			out[i] = mask(g, k)
		}
		return slog.Attr{Key: a.Key, Value: slog.GroupValue(out...)}
	}
	switch k {
	case plain:
		return slog.Attr{Key: a.Key, Value: scrubValue(v)}
	case secret:
		return slog.String(a.Key, Redacted)
	}
	s := v.String()
	if v.Kind() == slog.KindAny && v.Any() == nil {
		return a
	}
	switch k {
	case phone:
		s = MaskPhone(s)
	case name:
		s = MaskName(s)
	case address:
		s = MaskAddress(s)
	}
	return slog.String(a.Key, s)
}

// Redacted replaces a secret.
const Redacted = "[REDACTED]"

// scrubValue masks what scrub finds in string values and errors; other
// values pass unchanged so numbers stay numbers.
func scrubValue(v slog.Value) slog.Value {
	switch v.Kind() {
	case slog.KindString:
		if s := scrub(v.String()); s != v.String() {
			return slog.StringValue(s)
		}
	case slog.KindAny:
		switch x := v.Any().(type) {
		case nil:
		case error:
			if s := scrub(x.Error()); s != x.Error() {
				return slog.StringValue(s)
			}
		default:
			if composite(x) {
				return slog.AnyValue(maskComposite(x))
			}
		}
	}
	return v
}

// composite reports whether x is a struct, map or list: a JSON handler
// would print its fields, so they are masked by their keys first.
func composite(x any) bool {
	t := reflect.TypeOf(x)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map, reflect.Slice, reflect.Array:
		return true
	}
	return false
}

// maskComposite masks x as its JSON form: each field by its JSON key.
func maskComposite(x any) any {
	raw, err := json.Marshal(x)
	if err != nil {
		return scrub(fmt.Sprintf("%+v", x))
	}
	var tree any
	if err := json.Unmarshal(raw, &tree); err != nil {
		return scrub(string(raw))
	}
	return maskTree(tree, plain)
}

func maskTree(x any, k kind) any {
	switch t := x.(type) {
	case map[string]any:
		for key, v := range t {
			t[key] = maskTree(v, k.or(kindOf(key)))
		}
		return t
	case []any:
		for i, v := range t {
			t[i] = maskTree(v, k)
		}
		return t
	case nil:
		return nil
	}
	s := fmt.Sprint(x)
	switch k {
	case secret:
		return Redacted
	case phone:
		return MaskPhone(s)
	case name:
		return MaskName(s)
	case address:
		return MaskAddress(s)
	}
	if str, ok := x.(string); ok {
		return scrub(str)
	}
	return x
}

var bearerRE = regexp.MustCompile(`(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+`)

// scrub masks mobile numbers and bearer credentials inside free text.
func scrub(s string) string {
	if strings.ContainsAny(s, "0123456789") {
		s = scrubMobiles(s)
	}
	if strings.Contains(strings.ToLower(s), "bearer") {
		s = bearerRE.ReplaceAllString(s, "${1}"+Redacted)
	}
	return s
}

// scrubMobiles masks every run of digits that is a mainland mobile number
// (11 digits from 13…19, or 13 digits with 86 before them); longer or
// shorter runs (ids, timestamps, amounts) stay.
func scrubMobiles(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] < '0' || s[i] > '9' {
			b.WriteByte(s[i])
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		run := s[i:j]
		switch {
		case isMobile(run):
			b.WriteString(MaskPhone(run))
		case len(run) == 13 && strings.HasPrefix(run, "86") && isMobile(run[2:]):
			b.WriteString("86" + MaskPhone(run[2:]))
		default:
			b.WriteString(run)
		}
		i = j
	}
	return b.String()
}

func isMobile(d string) bool { return len(d) == 11 && d[0] == '1' && d[1] >= '3' }

// MaskPhone keeps a phone number's country code, first three and last four
// digits: 13812341234 → 138****1234, +8613812341234 → +86138****1234.
// Anything too short to keep digits of is masked whole.
func MaskPhone(s string) string {
	prefix := ""
	for _, cc := range []string{"+86", "86"} {
		if rest, ok := strings.CutPrefix(s, cc); ok && len(digits(rest)) == 11 {
			prefix, s = cc, strings.TrimLeft(rest, " -")
			break
		}
	}
	d := digits(s)
	if len(d) < 8 {
		return strings.Repeat("*", max(len(d), 4))
	}
	return prefix + d[:3] + strings.Repeat("*", len(d)-7) + d[len(d)-4:]
}

func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// MaskName keeps a name's first character: 张三 → 张*, 欧阳娜娜 → 欧***.
func MaskName(s string) string {
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	if n <= 1 {
		return "*"
	}
	first, _ := utf8.DecodeRuneInString(s)
	return string(first) + strings.Repeat("*", n-1)
}

// MaskAddress keeps an address's first three characters, usually the
// province: 江苏省南通市崇川区 → 江苏省***.
func MaskAddress(s string) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) <= 3 {
		return "***"
	}
	r := []rune(s)
	return string(r[:3]) + "***"
}
