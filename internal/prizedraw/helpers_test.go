package prizedraw_test

import (
	"testing"

	"prizequiz/internal/participants"
)

type participantsSvc struct{ f *fix }

func (p *participantsSvc) block(t *testing.T, id int) {
	t.Helper()
	if _, err := (&participants.Service{DB: p.f.DB}).Block(p.f.Ctx, id, "test"); err != nil {
		t.Fatal(err)
	}
}
