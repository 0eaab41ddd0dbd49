// Package bank manages question banks and their questions, and holds the
// one set of rules a question must satisfy however it arrives (API, import,
// demo seed).
package bank

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"prizequiz/ent"
	"prizequiz/ent/questionbank"
	"prizequiz/ent/schema/schematype"
	"prizequiz/internal/apperr"
	"prizequiz/internal/clock"
	"prizequiz/internal/store"
)

// Limits on a question, chosen to fit a phone screen and the import template
// (选项A…选项F).
const (
	MaxOptions     = 6
	MaxStemRunes   = 1000
	MaxOptionRunes = 200
	MaxExplRunes   = 2000
	MaxCategory    = 50
	MaxBankName    = 100
)

// Service creates banks and questions.
type Service struct {
	Client *ent.Client
	Clock  clock.Clock
}

// BankInput is CreateQuestionBankInput.
type BankInput struct {
	Name        string
	Description *string
}

// QuestionInput is CreateQuestionInput.
type QuestionInput struct {
	BankID      int
	Kind        schematype.QuestionKind
	Stem        string
	Options     []schematype.Option
	Answer      []string
	Explanation *string
	Category    *string
	Enabled     *bool
}

// TrueFalseOptions are the options of a true/false question that gives none.
var TrueFalseOptions = []schematype.Option{{Key: "A", Text: "正确"}, {Key: "B", Text: "错误"}}

var optionKey = regexp.MustCompile(`^[A-Z]$`)

// Validate checks and normalises a question: trimmed texts, the default
// true/false options, answer keys in option order. The error names the
// field at fault.
func Validate(in QuestionInput) (QuestionInput, error) {
	in.Stem = strings.TrimSpace(in.Stem)
	if !in.Kind.Valid() {
		return in, apperr.Invalidf("kind: must be SINGLE, MULTIPLE or TRUE_FALSE")
	}
	if in.Stem == "" {
		return in, apperr.Invalidf("stem: must not be empty (题干不能为空)")
	}
	if utf8.RuneCountInString(in.Stem) > MaxStemRunes {
		return in, apperr.Invalidf("stem: at most %d characters (题干最多%d字)", MaxStemRunes, MaxStemRunes)
	}
	if in.Kind == schematype.KindTrueFalse && len(in.Options) == 0 {
		in.Options = slices.Clone(TrueFalseOptions)
	}
	opts := make([]schematype.Option, len(in.Options))
	keys := map[string]bool{}
	texts := map[string]bool{}
	for i, o := range in.Options {
		o.Key, o.Text = strings.TrimSpace(o.Key), strings.TrimSpace(o.Text)
		switch {
		case !optionKey.MatchString(o.Key):
			return in, apperr.Invalidf("options[%d].key: must be one capital letter A–Z, got %q", i, o.Key)
		case keys[o.Key]:
			return in, apperr.Invalidf("options[%d].key: %q appears twice (选项字母重复)", i, o.Key)
		case o.Text == "":
			return in, apperr.Invalidf("options[%d].text: must not be empty (选项内容不能为空)", i)
		case utf8.RuneCountInString(o.Text) > MaxOptionRunes:
			return in, apperr.Invalidf("options[%d].text: at most %d characters", i, MaxOptionRunes)
		case texts[o.Text]:
			return in, apperr.Invalidf("options[%d].text: %q appears twice (选项内容重复)", i, o.Text)
		}
		keys[o.Key], texts[o.Text] = true, true
		opts[i] = o
	}
	in.Options = opts
	switch {
	case in.Kind == schematype.KindTrueFalse && len(opts) != 2:
		return in, apperr.Invalidf("options: a TRUE_FALSE question has exactly 2 options (判断题须有2个选项)")
	case len(opts) < 2:
		return in, apperr.Invalidf("options: at least 2 options (至少2个选项)")
	case len(opts) > MaxOptions:
		return in, apperr.Invalidf("options: at most %d options (最多%d个选项)", MaxOptions, MaxOptions)
	}
	chosen := map[string]bool{}
	for _, a := range in.Answer {
		a = strings.TrimSpace(a)
		if !keys[a] {
			return in, apperr.Invalidf("answer: %q is not one of the option keys (答案不在选项中)", a)
		}
		if chosen[a] {
			return in, apperr.Invalidf("answer: %q appears twice", a)
		}
		chosen[a] = true
	}
	switch {
	case len(chosen) == 0:
		return in, apperr.Invalidf("answer: must name at least one option key (答案不能为空)")
	case in.Kind != schematype.KindMultiple && len(chosen) != 1:
		return in, apperr.Invalidf("answer: a %s question has exactly one answer key (单选题和判断题只有一个答案)", in.Kind)
	}
	in.Answer = in.Answer[:0:0]
	for _, o := range opts {
		if chosen[o.Key] {
			in.Answer = append(in.Answer, o.Key)
		}
	}
	if in.Explanation != nil {
		e := strings.TrimSpace(*in.Explanation)
		if utf8.RuneCountInString(e) > MaxExplRunes {
			return in, apperr.Invalidf("explanation: at most %d characters", MaxExplRunes)
		}
		in.Explanation = &e
	}
	if in.Category != nil {
		c := strings.TrimSpace(*in.Category)
		if utf8.RuneCountInString(c) > MaxCategory {
			return in, apperr.Invalidf("category: at most %d characters", MaxCategory)
		}
		in.Category = &c
	}
	return in, nil
}

// CreateBank creates an empty question bank.
func (s *Service) CreateBank(ctx context.Context, in BankInput) (*ent.QuestionBank, error) {
	name := strings.TrimSpace(in.Name)
	if name == "" || utf8.RuneCountInString(name) > MaxBankName {
		return nil, apperr.Invalidf("name: 1 to %d characters (题库名称1至%d字)", MaxBankName, MaxBankName)
	}
	c := store.Client(ctx, s.Client).QuestionBank.Create().SetName(name).SetCreatedAt(s.Clock.Now())
	if in.Description != nil {
		c.SetDescription(strings.TrimSpace(*in.Description))
	}
	b, err := c.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("bank: create bank: %w", err)
	}
	return b, nil
}

// CreateQuestion validates and stores one question.
func (s *Service) CreateQuestion(ctx context.Context, in QuestionInput) (*ent.Question, error) {
	in, err := Validate(in)
	if err != nil {
		return nil, err
	}
	db := store.Client(ctx, s.Client)
	exists, err := db.QuestionBank.Query().Where(questionbank.ID(in.BankID)).Exist(ctx)
	if err != nil {
		return nil, fmt.Errorf("bank: find bank: %w", err)
	}
	if !exists {
		return nil, apperr.NotFoundf("question bank %d not found", in.BankID)
	}
	return s.create(ctx, db, in)
}

func (s *Service) create(ctx context.Context, c *ent.Client, in QuestionInput) (*ent.Question, error) {
	now := s.Clock.Now()
	q := c.Question.Create().
		SetBankID(in.BankID).
		SetKind(in.Kind).
		SetStem(in.Stem).
		SetOptions(in.Options).
		SetAnswer(in.Answer).
		SetNillableExplanation(in.Explanation).
		SetNillableCategory(in.Category).
		SetNillableEnabled(in.Enabled).
		SetCreatedAt(now).
		SetUpdatedAt(now)
	saved, err := q.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("bank: create question: %w", err)
	}
	return saved, nil
}
