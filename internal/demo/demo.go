// Package demo seeds an empty database with a sample question bank (示例题库)
// on China's basic medical insurance and an active campaign with the
// brief's rules, so `prizequiz serve` is playable at once.
package demo

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"time"

	"prizequiz/ent"
	"prizequiz/ent/schema/schematype"
	"prizequiz/internal/bank"
	"prizequiz/internal/campaigns"
)

//go:embed questions.json
var questionsJSON []byte

// BankName is the demo bank's name.
const BankName = "示例题库"

// CampaignName is the demo campaign's name.
const CampaignName = "医保政策全民普及有奖竞答（演示）"

// Duration is how long the demo campaign runs from the moment it is seeded.
const Duration = 14 * 24 * time.Hour

type question struct {
	Kind        schematype.QuestionKind `json:"kind"`
	Category    string                  `json:"category"`
	Stem        string                  `json:"stem"`
	Options     []schematype.Option     `json:"options"`
	Answer      []string                `json:"answer"`
	Explanation string                  `json:"explanation"`
}

// Questions returns the demo questions as question inputs for bankID.
func Questions(bankID int) ([]bank.QuestionInput, error) {
	var qs []question
	if err := json.Unmarshal(questionsJSON, &qs); err != nil {
		return nil, fmt.Errorf("demo: parse questions.json: %w", err)
	}
	out := make([]bank.QuestionInput, len(qs))
	for i, q := range qs {
		out[i] = bank.QuestionInput{
			BankID: bankID, Kind: q.Kind, Stem: q.Stem, Options: q.Options, Answer: q.Answer,
			Explanation: &q.Explanation, Category: &q.Category,
		}
	}
	return out, nil
}

// Seed creates the demo bank and campaign unless the database already holds
// a question bank or a campaign. It reports whether it seeded.
func Seed(ctx context.Context, client *ent.Client, banks *bank.Service, camps *campaigns.Service) (bool, error) {
	nb, err := client.QuestionBank.Query().Count(ctx)
	if err != nil {
		return false, fmt.Errorf("demo: count banks: %w", err)
	}
	nc, err := client.Campaign.Query().Count(ctx)
	if err != nil {
		return false, fmt.Errorf("demo: count campaigns: %w", err)
	}
	if nb > 0 || nc > 0 {
		return false, nil
	}
	desc := "医保政策知识题库：基本医疗保险参保缴费、待遇报销、异地就医、医保服务、基金监管、药品目录与集采。"
	b, err := banks.CreateBank(ctx, bank.BankInput{Name: BankName, Description: &desc})
	if err != nil {
		return false, err
	}
	qs, err := Questions(b.ID)
	if err != nil {
		return false, err
	}
	for i, q := range qs {
		if _, err := banks.CreateQuestion(ctx, q); err != nil {
			return false, fmt.Errorf("demo: question %d: %w", i+1, err)
		}
	}
	now := camps.Clock.Now()
	about := "系统每次从题库中随机抽取5道题，须在5分钟内完成答题，答对一题得20分。" +
		"系统根据得分高低及用时长短自动排名，每7天从累计排名前1000名的参赛者中抽取520名获奖者。"
	_, err = camps.Create(ctx, campaigns.Input{
		Name: CampaignName, Description: &about, BankID: b.ID, StartsAt: now, EndsAt: now.Add(Duration),
	})
	if err != nil {
		return false, fmt.Errorf("demo: campaign: %w", err)
	}
	return true, nil
}
