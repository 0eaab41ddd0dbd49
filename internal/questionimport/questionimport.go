// Package questionimport loads a spreadsheet of questions into a bank, all
// rows or none, and exports a bank back to the same template.
package questionimport

import (
	"context"
	"fmt"
	"io"

	"prizequiz/ent"
	"prizequiz/ent/question"
	"prizequiz/ent/questionbank"
	"prizequiz/internal/apperr"
	"prizequiz/internal/audit"
	"prizequiz/internal/bankio"
	"prizequiz/internal/clock"
	"prizequiz/internal/store"
)

// Report is the outcome of an import: ImportReport in GraphQL.
type Report struct {
	// Imported is how many questions were written: 0 on a dry run or when
	// any row is bad.
	Imported int
	// Valid is how many rows passed every check.
	Valid  int
	DryRun bool
	Errors []bankio.RowError
}

// Service imports and exports questions.
type Service struct {
	Client *ent.Client
	Clock  clock.Clock
}

// Import reads a file of questions for a bank. Every row is checked, and
// its stem against the bank's questions; if any row is bad nothing is
// written, and a dry run never writes.
func (s *Service) Import(ctx context.Context, bankID int, file io.Reader, filename string, dryRun bool) (*Report, error) {
	db := store.Client(ctx, s.Client)
	b, err := db.QuestionBank.Query().Where(questionbank.ID(bankID)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, apperr.NotFoundf("question bank %d not found", bankID)
	}
	if err != nil {
		return nil, fmt.Errorf("questionimport: bank: %w", err)
	}
	if b.Archived {
		return nil, apperr.Invalidf("bankID: question bank %q is archived (题库已归档)", b.Name)
	}
	rows, rowErrs, err := bankio.Parse(file, filename)
	if err != nil {
		if _, ok := apperr.As(err); ok {
			return nil, err
		}
		return nil, fmt.Errorf("questionimport: read file: %w", err)
	}
	stems, err := db.Question.Query().
		Where(question.BankID(bankID), question.DeletedAtIsNil()).
		Select(question.FieldStem).Strings(ctx)
	if err != nil {
		return nil, fmt.Errorf("questionimport: existing stems: %w", err)
	}
	existing := make(map[string]bool, len(stems))
	for _, st := range stems {
		existing[st] = true
	}
	valid := rows[:0:0]
	for _, r := range rows {
		if existing[r.Input.Stem] {
			rowErrs = append(rowErrs, bankio.RowError{Row: r.Row, Column: "题干",
				Message: "题干与题库中已有题目重复 (the bank already has a question with this stem)"})
			continue
		}
		valid = append(valid, r)
	}
	sortErrors(rowErrs)
	rep := &Report{Valid: len(valid), DryRun: dryRun, Errors: rowErrs}
	subject := fmt.Sprintf("QuestionBank:%d", bankID)
	if len(rowErrs) > 0 || dryRun || len(valid) == 0 {
		// Audited too: which file was tried on which bank, and why nothing
		// was written.
		audit.Describe(ctx, subject, nil, map[string]any{"imported": 0, "dryRun": dryRun,
			"valid": rep.Valid, "rejectedRows": len(rowErrs), "file": filename})
		return rep, nil
	}
	now := s.Clock.Now()
	err = store.InTx(ctx, s.Client, func(ctx context.Context, tx *ent.Client) error {
		return store.InBatches(valid, func(batch []bankio.Row) error {
			creates := make([]*ent.QuestionCreate, len(batch))
			for i, r := range batch {
				in := r.Input
				creates[i] = tx.Question.Create().SetBankID(bankID).SetKind(in.Kind).SetStem(in.Stem).
					SetOptions(in.Options).SetAnswer(in.Answer).SetNillableExplanation(in.Explanation).
					SetNillableCategory(in.Category).SetNillableEnabled(in.Enabled).
					SetCreatedAt(now).SetUpdatedAt(now)
			}
			if err := tx.Question.CreateBulk(creates...).Exec(ctx); err != nil {
				return fmt.Errorf("questionimport: write questions: %w", err)
			}
			rep.Imported += len(batch)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	audit.Describe(ctx, subject, nil, map[string]any{"imported": rep.Imported, "file": filename})
	return rep, nil
}

func sortErrors(errs []bankio.RowError) {
	for i := 1; i < len(errs); i++ { // insertion sort: stable, and the list is nearly sorted
		for j := i; j > 0 && errs[j].Row < errs[j-1].Row; j-- {
			errs[j], errs[j-1] = errs[j-1], errs[j]
		}
	}
}

// Export returns a bank's questions (not deleted) in the import template's form.
func (s *Service) Export(ctx context.Context, bankID int) ([]bankio.ExportQuestion, *ent.QuestionBank, error) {
	b, err := s.Client.QuestionBank.Get(ctx, bankID)
	if ent.IsNotFound(err) {
		return nil, nil, apperr.NotFoundf("question bank %d not found", bankID)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("questionimport: bank: %w", err)
	}
	qs, err := s.Client.Question.Query().
		Where(question.BankID(bankID), question.DeletedAtIsNil()).
		Order(question.ByID()).All(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("questionimport: questions: %w", err)
	}
	out := make([]bankio.ExportQuestion, len(qs))
	for i, q := range qs {
		out[i] = bankio.ExportQuestion{Kind: q.Kind, Stem: q.Stem, Options: q.Options, Answer: q.Answer,
			Explanation: q.Explanation, Category: q.Category}
	}
	return out, b, nil
}
