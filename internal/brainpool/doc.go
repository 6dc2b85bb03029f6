// Package brainpool implements ECDSA verification (and, for tests, signing)
// on the brainpool curves of RFC 5639: brainpoolP224r1, P256r1, P320r1,
// P384r1 and P512r1. Passports, CSCA master lists and DG14 security infos
// of several states use them, often with explicit domain parameters, and the
// standard library has none of them.
//
// The curves are short Weierstrass curves y² = x³ + ax + b with a ≠ −3, so
// crypto/elliptic's CurveParams cannot express them. This package works in
// Jacobian coordinates over a Montgomery-form prime field (64-bit limbs,
// math/bits; gen_mul.go unrolls multiplication, squaring, addition,
// subtraction and halving per limb count, and on amd64 the 4-limb
// multiplication of P224r1 and P256r1 is assembly using MULX/ADCX/ADOX
// when the CPU has them). Verification maps the key to the isomorphic
// curve with a = −3 (RFC 5639 §3, the "t1" twists), where doubling is
// cheaper, and computes u1·G + u2·Q there with interleaved wNAF expansions
// (Shamir's trick) and a per-curve table of multiples of G built on first
// use. gen_formulas.go copies the point formulas with the 4-limb field
// functions bound directly.
//
// What follows the standards:
//   - points: SEC 1 v2 §2.3.3/§2.3.4 uncompressed and compressed encodings;
//     the point at infinity, hybrid encodings, coordinates >= p and points
//     off the curve are rejected ([ParsePublicKey]);
//   - signatures: SEC 1 v2 §4.1.4 verification with r and s in [1, N−1],
//     the digest truncated to N's bit length (FIPS 186-5 §6.4.1);
//     DER ECDSA-Sig-Value strictly (RFC 3279 §2.2.3, [VerifyASN1]) or plain
//     r||s (BSI TR-03111 §5.2.1, [VerifyP1363]);
//   - explicit domain parameters map to a named curve with [CurveByParams]
//     and [CurveByEncodedParams].
//
// The package is tested against every C2SP Wycheproof ECDSA vector for
// these curves, DER and P1363, and against the RFC 7027 Appendix A
// scalar-multiplication vectors.
//
// # Security
//
// Verification runs in variable time. That is fine: it handles only public
// values (the public key, the digest, the signature).
//
// The field operations for the brainpool limb counts (mul, sqr, add, sub,
// half) have no branches or memory accesses that depend on the values:
// reductions select with masks or CMOV. Field inversion (math/big), the
// point formulas (which branch on the point at infinity and on P = ±Q)
// and the wNAF scalar multiplication are variable-time; code handling a
// secret scalar needs its own constant-time ladder on top of the field.
//
// Signing ([SignASN1], [GenerateKey], [PrivateKey.Sign]) is NOT constant-time
// either: its timing depends on the private key and the nonce. It exists for
// tests and throwaway issuers that sign synthetic documents; never use it
// for production keys. Its nonces come from an RFC 6979-style HMAC-DRBG
// keyed with the private key and digest and hedged with bytes from the
// caller's reader, so a repeating reader does not repeat nonces across
// different digests.
//
// Every exported curve is shared: treat a [Curve] as read-only.
package brainpool
