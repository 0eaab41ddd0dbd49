package draw_test

import (
	"os"
	"testing"
	"time"

	"prizequiz/internal/draw"
)

// FuzzVerifyProof feeds `prizequiz verify-draw`'s decoding and every
// verification step arbitrary bytes: never a panic, always a verdict for
// each step, and nothing verifies but a genuine proof (DrawnAt, which no
// step covers, aside).
func FuzzVerifyProof(f *testing.F) {
	var golden []draw.Proof
	for _, name := range []string{"testdata/proof_pool10.json", "testdata/proof_pool1000.json"} {
		raw, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		p, err := draw.DecodeProof(raw)
		if err != nil {
			f.Fatal(err)
		}
		p.DrawnAt = time.Time{}
		golden = append(golden, p)
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := draw.DecodeProof(data)
		if err != nil {
			if p.Algorithm != "" || p.Order != nil {
				t.Fatalf("an error with a partly decoded proof: %+v", p)
			}
			return
		}
		steps := draw.Verify(p)
		if len(steps) != 6 {
			t.Fatalf("%d steps", len(steps))
		}
		if draw.FirstFailure(steps) != nil {
			return
		}
		p.DrawnAt = time.Time{}
		for _, g := range golden {
			if p.Equal(g) {
				return
			}
		}
		t.Fatalf("a proof that is none of the genuine ones verifies: %+v", p)
	})
}
