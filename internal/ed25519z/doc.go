// Package ed25519z verifies Ed25519 signatures under the ZIP-215 rules, one at
// a time or in batches, on filippo.io/edwards25519.
//
// ZIP-215 (Zcash, https://zips.z.cash/zip-0215) fixes what RFC 8032 leaves
// open so that single and batch verification accept exactly the same
// signatures:
//
//   - A and R are decoded accepting every non-canonical encoding (y >= p is
//     reduced mod p; x = 0 with the sign bit set is accepted);
//   - S must be canonical (S < L);
//   - the cofactored equation [8][S]B = [8]R + [8][k]A is checked, with
//     k = SHA-512(R || A || M) mod L over the encodings as received.
//
// [BatchVerifier] checks [8](sum z_i S_i)B = [8](sum z_i R_i + sum z_i k_i A_i)
// with non-zero 128-bit z_i (see Security). Terms of equal public keys are
// merged, so a batch signed by one issuer costs one variable-base
// multiplication on A in all, which is what makes a batch much faster than
// one-by-one verification.
//
// # Security
//
// Acceptance by the verification equation is not acceptance as a trust
// anchor: a small-order or mixed-order public key verifies signatures its
// owner never made on chosen messages. Trust stores must call
// [CheckPublicKey] before pinning a key. All arithmetic here is variable
// time; it only ever handles public data (keys, messages, signatures).
// The batch coefficients z_i are non-zero 128-bit values derived from a hash
// of the whole batch (every A, R, S and message digest) keyed with up to 32
// bytes of the caller's reader (crypto/rand when nil), as BIP 340's batch
// verification derives its randomizers: an all-zero, constant, short or
// failing reader cannot make a batch pass while a member is invalid, and
// batch and single verification accept exactly the same entries.
package ed25519z
