// Package cose reads and writes the CBOR (RFC 8949) and COSE_Sign1
// (RFC 9052) structures of the SDK's compact signed card objects.
//
// Everything written uses the core deterministic encoding (RFC 8949
// section 4.2.1: shortest forms, definite lengths, sorted map keys).
// Everything read goes through one strict decoder: duplicate map keys,
// indefinite lengths, tags, containers larger than [MaxContainer] and
// nesting deeper than [MaxDepth] are errors, each reported as a
// *[DecodeError] wrapping a sentinel (errors.Is(err, cose.ErrDuplicateKey)).
// Tags are only accepted where a caller asks for one with [Cursor.Tag]
// (tag 18 for COSE_Sign1, tag 24 for encoded CBOR items).
//
// # Security
//
// Signatures and digests cover bytes as received: [Sign1] keeps the
// protected header and payload exactly as they arrived, and
// [Cursor.Bytes] returns the received slices, so nothing is re-encoded
// before hashing. Unknown critical headers (RFC 9052 section 3.1, label 2)
// and unknown unprotected headers are rejected, so no header a verifier
// does not understand can change the meaning of a message. Every length is
// checked against the bytes that remain before anything is allocated.
package cose
