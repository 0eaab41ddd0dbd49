// Package draw implements the database-free part of the verifiable prize
// draw "prizequiz-draw-v1" (SPEC §4): the commitment record, the canonical
// pool file, drand quicknet entropy, the HMAC_DRBG-driven Fisher–Yates
// selection, and a verifier that recomputes every step of a published proof.
//
// Everything here is deterministic given its inputs so that anyone can
// re-run a draw offline and obtain the byte-identical result.
//
// Choices made where SPEC §4 is silent:
//   - The record's cutoff is printed at second precision in UTC; a
//     sub-second cutoff is truncated.
//   - A drand record must name exactly RoundAt(cutoff + 10 min): a record
//     naming any other round fails the "commitment" step, because an
//     earlier, already public round would let the operator foresee the
//     result while the pool can still be influenced.
//   - For declared entropy, the record holds the description of the public
//     result ("declared: <what>") and the draw's entropy is the result text
//     itself, hashed exactly as given (no trimming or Unicode
//     normalisation). Software cannot check that the text is the real
//     result; Verify passes the step with a note for a human.
//   - A pool may be smaller than pool_size but never larger; public IDs
//     must be unique and contain no TAB, CR or LF.
//   - Digests and the server seed are lowercase hex; a drand signature is
//     accepted in either case (ρ hashes the decoded bytes) and published in
//     lowercase.
package draw
