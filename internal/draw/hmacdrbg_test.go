package draw

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"os"
	"strings"
	"testing"
)

type cavpCase struct {
	section                                   string
	entropy, nonce, personalization, returned []byte
}

// readCAVP parses the small .rsp subset kept in testdata: bracketed
// headers, then "Key = hex" lines; a case ends at ReturnedBits.
func readCAVP(t *testing.T, path string) []cavpCase {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var (
		cases  []cavpCase
		cur    cavpCase
		header string
	)
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
			continue
		case strings.HasPrefix(line, "["):
			// Only the personalization length tells our two cases apart.
			if strings.HasPrefix(line, "[PersonalizationStringLen") {
				header = strings.Trim(strings.ReplaceAll(line, " ", ""), "[]")
			}
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			t.Fatalf("bad line %q", line)
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		b, err := hex.DecodeString(v)
		if err != nil && k != "COUNT" {
			t.Fatalf("%s: %v", k, err)
		}
		switch k {
		case "COUNT":
			cur = cavpCase{section: header + ",COUNT=" + v}
		case "EntropyInput":
			cur.entropy = b
		case "Nonce":
			cur.nonce = b
		case "PersonalizationString":
			cur.personalization = b
		case "AdditionalInput":
			if len(b) != 0 {
				t.Fatal("additional input is not supported")
			}
		case "ReturnedBits":
			cur.returned = b
			cases = append(cases, cur)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cases
}

func TestHMACDRBGNISTVectors(t *testing.T) {
	cases := readCAVP(t, "testdata/hmac_drbg_sha256_no_reseed.rsp")
	if len(cases) != 2 {
		t.Fatalf("read %d CAVP cases, want 2", len(cases))
	}
	for _, c := range cases {
		t.Run(c.section, func(t *testing.T) {
			d := NewHMACDRBG(c.entropy, c.nonce, c.personalization)
			if _, err := d.Generate(len(c.returned)); err != nil {
				t.Fatal(err)
			}
			got, err := d.Generate(len(c.returned))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, c.returned) {
				t.Fatalf("ReturnedBits\n got %x\nwant %x", got, c.returned)
			}
		})
	}
}

// The shuffle reads 8-byte words; splitting output across calls must not
// equal one long call, because each Generate ends with an Update. This pins
// that the word size is part of the algorithm.
func TestHMACDRBGCallBoundariesMatter(t *testing.T) {
	a := NewHMACDRBG([]byte("entropy-entropy-entropy-entropy!"), []byte("nonce-nonce-nonc"), nil)
	b := NewHMACDRBG([]byte("entropy-entropy-entropy-entropy!"), []byte("nonce-nonce-nonc"), nil)
	long, _ := a.Generate(16)
	w1, _ := b.Generate(8)
	w2, _ := b.Generate(8)
	if !bytes.Equal(long[:8], w1) {
		t.Fatal("first 8 bytes should agree")
	}
	if bytes.Equal(long[8:], w2) {
		t.Fatal("second word should differ from the tail of one 16-byte call")
	}
}

func TestHMACDRBGRequestLimit(t *testing.T) {
	d := NewHMACDRBG(make([]byte, 32), make([]byte, 16), nil)
	if _, err := d.Generate(maxGenerateBytes + 1); err == nil {
		t.Fatal("oversized request accepted")
	}
	if _, err := d.Generate(0); err != nil {
		t.Fatalf("empty request: %v", err)
	}
}
