package draw

import (
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"hash"
)

// maxGenerateBytes is SP 800-90A Table 2's max_number_of_bits_per_request
// (2^19 bits) for HMAC_DRBG; larger requests are refused rather than split
// so that the output stays exactly what the standard defines.
const maxGenerateBytes = 1 << 16

// maxRequests is the standard's reseed_interval (2^48). A draw never gets
// near it, but honouring the limit keeps the construction within
// SP 800-90A; since this DRBG never reseeds, hitting it is an error.
const maxRequests = 1 << 48

// ErrDRBGExhausted is returned by Generate once the reseed interval is
// reached; this DRBG deliberately has no reseed function.
var ErrDRBGExhausted = errors.New("hmac_drbg: reseed required")

// HMACDRBG is HMAC_DRBG with SHA-256 (NIST SP 800-90A Rev. 1 §10.1.2)
// without reseeding, additional input or prediction resistance. It is not
// safe for concurrent use.
type HMACDRBG struct {
	k, v          []byte
	mac           hash.Hash
	reseedCounter uint64
}

// NewHMACDRBG runs HMAC_DRBG_Instantiate_algorithm (§10.1.2.3): the seed
// material is entropy || nonce || personalization, Key = 0x00…,
// V = 0x01…, then Update(seed material).
func NewHMACDRBG(entropy, nonce, personalization []byte) *HMACDRBG {
	d := &HMACDRBG{
		k: make([]byte, sha256.Size),
		v: make([]byte, sha256.Size),
	}
	for i := range d.v {
		d.v[i] = 0x01
	}
	d.mac = hmac.New(sha256.New, d.k)
	d.update(entropy, nonce, personalization)
	d.reseedCounter = 1
	return d
}

// update is HMAC_DRBG_Update (§10.1.2.2). The provided data is passed as
// parts rather than one concatenated slice to avoid copying; an empty
// total means the second round is skipped, exactly as the standard says.
func (d *HMACDRBG) update(provided ...[]byte) {
	empty := true
	for _, p := range provided {
		if len(p) > 0 {
			empty = false
			break
		}
	}
	for _, sep := range []byte{0x00, 0x01} {
		d.mac.Reset()
		d.mac.Write(d.v)
		d.mac.Write([]byte{sep})
		for _, p := range provided {
			d.mac.Write(p)
		}
		d.k = d.mac.Sum(d.k[:0])
		d.mac = hmac.New(sha256.New, d.k)
		d.v = d.hmacV()
		if empty {
			return
		}
	}
}

// hmacV returns HMAC(K, V) under the current key.
func (d *HMACDRBG) hmacV() []byte {
	d.mac.Reset()
	d.mac.Write(d.v)
	return d.mac.Sum(d.v[:0])
}

// Generate runs HMAC_DRBG_Generate_algorithm (§10.1.2.5) with no
// additional input and returns n pseudorandom bytes.
func (d *HMACDRBG) Generate(n int) ([]byte, error) {
	if n < 0 {
		return nil, errors.New("hmac_drbg: negative request length")
	}
	out := make([]byte, n)
	if err := d.GenerateInto(out); err != nil {
		return nil, err
	}
	return out, nil
}

// GenerateInto is Generate writing into out, so hot loops such as the
// shuffle need not allocate one slice per word.
func (d *HMACDRBG) GenerateInto(out []byte) error {
	if len(out) > maxGenerateBytes {
		return errors.New("hmac_drbg: request exceeds 2^19 bits")
	}
	if d.reseedCounter > maxRequests {
		return ErrDRBGExhausted
	}
	for filled := 0; filled < len(out); {
		d.v = d.hmacV()
		filled += copy(out[filled:], d.v)
	}
	// With no additional input the post-generate update is Update(null).
	d.update()
	d.reseedCounter++
	return nil
}
