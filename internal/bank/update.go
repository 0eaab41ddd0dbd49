package bank

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"prizequiz/ent"
	"prizequiz/ent/question"
	"prizequiz/ent/schema/schematype"
	"prizequiz/internal/apperr"
	"prizequiz/internal/audit"
	"prizequiz/internal/store"
)

// BankUpdate is UpdateQuestionBankInput: nil fields keep their value.
type BankUpdate struct {
	Name        *string
	Description *string
	Archived    *bool
}

// QuestionUpdate is UpdateQuestionInput: nil fields keep their value.
type QuestionUpdate struct {
	Kind        *schematype.QuestionKind
	Stem        *string
	Options     []schematype.Option
	Answer      []string
	Explanation *string
	Category    *string
	Enabled     *bool
}

func bankSummary(b *ent.QuestionBank) map[string]any {
	return map[string]any{"name": b.Name, "description": b.Description, "archived": b.Archived}
}

// UpdateBank renames, re-describes or (un)archives a bank. An archived bank
// keeps its questions and running campaigns but takes no new campaign.
func (s *Service) UpdateBank(ctx context.Context, id int, in BankUpdate) (*ent.QuestionBank, error) {
	db := store.Client(ctx, s.Client)
	b, err := db.QuestionBank.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, apperr.NotFoundf("question bank %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("bank: get bank: %w", err)
	}
	u := db.QuestionBank.UpdateOne(b)
	if in.Name != nil {
		name := strings.TrimSpace(*in.Name)
		if name == "" || utf8.RuneCountInString(name) > MaxBankName {
			return nil, apperr.Invalidf("name: 1 to %d characters (题库名称1至%d字)", MaxBankName, MaxBankName)
		}
		u.SetName(name)
	}
	if in.Description != nil {
		u.SetDescription(strings.TrimSpace(*in.Description))
	}
	if in.Archived != nil {
		u.SetArchived(*in.Archived)
	}
	after, err := u.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("bank: update bank: %w", err)
	}
	audit.Describe(ctx, fmt.Sprintf("QuestionBank:%d", id), bankSummary(b), bankSummary(after))
	return after, nil
}

// Get returns a question that is not deleted.
func (s *Service) Get(ctx context.Context, id int) (*ent.Question, error) {
	q, err := store.Client(ctx, s.Client).Question.Query().Where(question.ID(id), question.DeletedAtIsNil()).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, apperr.NotFoundf("question %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("bank: get question: %w", err)
	}
	return q, nil
}

func questionSummary(q *ent.Question) map[string]any {
	return map[string]any{
		"kind": q.Kind, "stem": q.Stem, "options": q.Options, "answer": q.Answer,
		"explanation": q.Explanation, "category": q.Category, "enabled": q.Enabled, "version": q.Version,
	}
}

// UpdateQuestion edits a question. A change of its content bumps its
// version; attempts already started keep the snapshot they showed.
func (s *Service) UpdateQuestion(ctx context.Context, id int, in QuestionUpdate) (*ent.Question, error) {
	q, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	merged := QuestionInput{
		BankID: q.BankID, Kind: q.Kind, Stem: q.Stem, Options: q.Options, Answer: q.Answer,
		Explanation: &q.Explanation, Category: &q.Category, Enabled: &q.Enabled,
	}
	if in.Kind != nil {
		merged.Kind = *in.Kind
	}
	if in.Stem != nil {
		merged.Stem = *in.Stem
	}
	if in.Options != nil {
		merged.Options = in.Options
	}
	if in.Answer != nil {
		merged.Answer = in.Answer
	}
	if in.Explanation != nil {
		merged.Explanation = in.Explanation
	}
	if in.Category != nil {
		merged.Category = in.Category
	}
	if in.Enabled != nil {
		merged.Enabled = in.Enabled
	}
	merged, err = Validate(merged)
	if err != nil {
		return nil, err
	}
	changed := merged.Kind != q.Kind || merged.Stem != q.Stem || !slices.Equal(merged.Options, q.Options) ||
		!slices.Equal(merged.Answer, q.Answer) || *merged.Explanation != q.Explanation || *merged.Category != q.Category
	u := store.Client(ctx, s.Client).Question.UpdateOne(q).
		SetKind(merged.Kind).
		SetStem(merged.Stem).
		SetOptions(merged.Options).
		SetAnswer(merged.Answer).
		SetExplanation(*merged.Explanation).
		SetCategory(*merged.Category).
		SetEnabled(*merged.Enabled).
		SetUpdatedAt(s.Clock.Now())
	if changed {
		u.AddVersion(1)
	}
	after, err := u.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("bank: update question: %w", err)
	}
	audit.Describe(ctx, fmt.Sprintf("Question:%d", id), questionSummary(q), questionSummary(after))
	return after, nil
}

// SetEnabled enables or disables a question: disabled questions are not drawn.
func (s *Service) SetEnabled(ctx context.Context, id int, enabled bool) (*ent.Question, error) {
	return s.UpdateQuestion(ctx, id, QuestionUpdate{Enabled: &enabled})
}

// DeleteQuestion removes a question from its bank. The row stays (soft
// delete), so attempts that used it keep their snapshot and statistics.
func (s *Service) DeleteQuestion(ctx context.Context, id int) (int, error) {
	q, err := s.Get(ctx, id)
	if err != nil {
		return 0, err
	}
	err = store.Client(ctx, s.Client).Question.UpdateOne(q).
		SetDeletedAt(s.Clock.Now()).SetEnabled(false).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("bank: delete question: %w", err)
	}
	audit.Describe(ctx, fmt.Sprintf("Question:%d", id), questionSummary(q), nil)
	return id, nil
}
