// Package compact signs and verifies compact card objects: the holder data
// of a CCCD as CBOR items under a COSE_Sign1 (RFC 9052) Ed25519 signature,
// in the style of the mobile security object of ISO/IEC 18013-5, for QR
// codes, offline tokens and service-to-service transfer.
//
// An object is the CBOR map
//
//	{ "issuerAuth": 18([protected, unprotected, payload, signature]),
//	  "nameSpaces": { "vn.gov.cccd.1": [ 24(<< IssuerSignedItem >>), ... ] } }
//
// where each IssuerSignedItem is {digestID, random (16 bytes), elementIdentifier,
// elementValue}, and the payload is the signed object
//
//	{ "version": "1.0", "digestAlgorithm": "SHA-256", "docType": "vn.gov.cccd.1",
//	  "valueDigests": { "vn.gov.cccd.1": { digestID: SHA-256(24(<< item >>)), ... } },
//	  "validityInfo": { "signed": t, "validFrom": t, "validUntil": t } }
//
// with times in seconds since the Unix epoch. Unlike 18013-5 the payload is
// the bare map (not wrapped in tag 24) and times are integers, so nothing
// inside the signed data carries a tag. The element identifiers are listed
// in [Identifiers].
//
// [Sign] makes an object from a [chip.Holder]; [Disclose] lets a holder
// drop items; [Verify] and [VerifyBatch] check objects against a
// [TrustStore] of issuer keys. Batch verification uses
// internal/ed25519z, where the signatures of one issuer cost far less than
// one by one.
//
// # Security
//
// Decoding is strict (internal/cose): duplicate keys, indefinite lengths,
// tags other than 18 and 24 where the format puts them, unknown headers or
// fields, oversize containers and excess nesting are errors. Item digests
// are computed over the tag-24 bytes exactly as received. Signatures are
// checked with the ZIP-215 rules; the trust store refuses small-order,
// mixed-order and non-canonical keys, and a kid that names no trusted key
// is an error even when the store holds a single key. Every single-bit
// change of an object is rejected (tested). Each item has its own 16-byte
// random salt, so the digest of an item that was not disclosed says
// nothing about its value. [VerifyBatch] accepts exactly what [Verify]
// accepts: its coefficients are derived from a hash of the whole batch,
// so an all-zero, constant, short or failing VerifyOptions.Rand cannot
// let a forged object through. A verified [Card] holds personal data and
// prints masked.
package compact
