package prizedraw

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"prizequiz/ent"
	"prizequiz/ent/participant"
)

// exportHeader is the winners sheet's header row, in Chinese for organisers.
var exportHeader = []string{"抽取顺序", "状态", "参赛编号", "昵称", "领奖姓名", "手机号", "地址", "登记时间", "奖品状态", "备注", "取消原因"}

// ExportRows returns a period's draw as rows under exportHeader, contact
// data included: for admins only. Times are in loc.
func (s *Service) ExportRows(ctx context.Context, periodID int, loc *time.Location) ([][]string, error) {
	ws, err := s.ForAdmins(ctx, periodID)
	if err != nil {
		return nil, err
	}
	ids := make([]int, len(ws))
	for i, w := range ws {
		ids[i] = w.ParticipantID
	}
	ps, err := s.DB.Client.Participant.Query().Where(participant.IDIn(ids...)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("prizedraw: export names: %w", err)
	}
	nick := map[int]string{}
	for _, p := range ps {
		nick[p.ID] = p.Nickname
	}
	rows := [][]string{exportHeader}
	for _, w := range ws {
		rows = append(rows, []string{
			strconv.Itoa(w.DrawOrder), placeLabel(w), w.PublicID, nick[w.ParticipantID],
			deref(w.ClaimName), deref(w.ClaimPhone), deref(w.ClaimAddress), timeIn(w.ClaimedAt, loc),
			string(w.PrizeStatus), deref(w.Note), deref(w.DisqualifyReason),
		})
	}
	return rows, nil
}

func placeLabel(w *ent.Winner) string {
	switch {
	case w.Disqualified:
		return "已取消资格"
	case w.Alternate:
		return "候补"
	case w.PromotedAt != nil:
		return "获奖（候补递补）"
	}
	return "获奖"
}

func timeIn(t *time.Time, loc *time.Location) string {
	if t == nil {
		return ""
	}
	return t.In(loc).Format("2006-01-02 15:04:05")
}

// XLSX renders rows as a spreadsheet with a bold, frozen header.
func XLSX(sheet string, rows [][]string) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		vals := make([]any, len(row))
		for j, v := range row {
			vals[j] = v
		}
		if err := f.SetSheetRow(sheet, cell, &vals); err != nil {
			return nil, fmt.Errorf("prizedraw: xlsx row: %w", err)
		}
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err == nil && len(rows) > 0 {
		last, _ := excelize.CoordinatesToCellName(len(rows[0]), 1)
		_ = f.SetCellStyle(sheet, "A1", last, bold)
	}
	_ = f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	_ = f.SetColWidth(sheet, "A", "K", 16)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, fmt.Errorf("prizedraw: xlsx: %w", err)
	}
	return buf.Bytes(), nil
}

// CSV renders rows as UTF-8 CSV with a byte-order mark, so Excel opens it
// in the right encoding.
func CSV(rows [][]string) []byte {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	_ = w.WriteAll(rows) // writes to memory cannot fail
	return buf.Bytes()
}
