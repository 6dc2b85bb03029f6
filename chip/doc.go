// Package chip reads, builds and verifies the files on the chip of a
// Vietnamese identity card (CCCD) and of any ICAO 9303 travel document.
//
// # Data groups
//
// The Logical Data Structure (ICAO Doc 9303 Part 10) is a set of files,
// each one BER-TLV element. [Files] holds them by name ("EF.COM", "DG1" ...
// "DG16", "EF.SOD") as raw bytes. The decoders take one file and return a
// typed value that keeps the bytes it came from (Raw), so hashes are always
// computed over what was received:
//
//   - [ParseCOM]: EF.COM, the LDS version and the list of data groups;
//   - [ParseDG1]: the MRZ, checked further by [DG1.Document] (package mrz);
//   - [ParseDG2]: the face, an ISO/IEC 19794-5 record whose JPEG or
//     JPEG 2000 image is returned as is;
//   - [ParseDG11], [ParseDG12], [ParseDG16]: additional personal and
//     document details, persons to notify;
//   - [ParseDG13]: the CCCD's personal data (16 numbered fields, Vietnamese
//     text normalised to NFC), mapped to a [Holder] by [DG13.Holder];
//   - [ParseDG14]: SecurityInfos (active and chip authentication, PACE,
//     terminal authentication);
//   - [ParseDG15]: the active-authentication public key, RSA or EC
//     (including explicit brainpool and NIST domain parameters);
//   - [ParseDataGroup]: any data group by number, with [Opaque] for those
//     the package does not model.
//
// Every decoded value has an Encode method, and [BuildDataGroups] writes
// all the files of a card from a [Holder] (the JSON schema of
// [ParseHolderJSON]).
//
// # Passive authentication
//
// EF.SOD is a CMS SignedData over the hashes of the data groups
// ([ParseSOD], [BuildSOD]). [Verify] checks a card's files against a
// [TrustStore] of CSCA certificates, which can come from CSCA master lists
// ([ParseMasterList]), at a time the caller chooses, and returns a
// [Report]: the verdict, the signer and chain, and the result of each data
// group. Failures wrap the sentinels [ErrDigestMismatch], [ErrSignature],
// [ErrUntrustedSigner], [ErrExpired], [ErrRevoked], [ErrStaleCRL],
// [ErrUnsupportedAlgorithm], [ErrWeakAlgorithm] and [ErrMalformed]. Active
// authentication responses are checked by [VerifyActiveAuthentication].
//
// Package chiptest issues throwaway cards for tests; package compact signs
// the same holder data as a small CBOR/COSE object for QR codes.
//
// # Security
//
// Every decoder treats its input as hostile: lengths are checked against
// the bytes that remain before anything is sliced or allocated, nesting is
// bounded, and errors are a *[ParseError] naming the file, the element and
// the byte offset, never the value. Decoders do not panic.
//
// Decoding is not verification. A decoded data group says what the file
// contains, not that the card's issuer wrote it: use the values only after
// [Verify] has reported the file's hash as matching the SOD, and the SOD
// as signed by a trusted Document Signer. DG13 in particular is issuer
// defined and is decoded leniently (a field that cannot be read is kept
// raw with its error, and a file in an unknown layout is kept opaque), so
// its content is meaningful only once authenticated.
//
// Trust is decided by [TrustStore.Chain], whose documentation states the
// rules: only CA anchors issue, a Document Signer must hold
// digitalSignature and must not be a CA or use the CA's key, and CRLs are
// checked for every certificate on the path, anchors included; a CRL
// counts only while current at the verification time, and an issuer whose
// CRLs are all stale fails with [ErrStaleCRL]. A CRL issuer's certificate
// must allow cRLSign when it has a keyUsage, and a delta, partial or not
// understood (unknown critical extension) CRL is refused as malformed. A
// certificate or CRL whose inner and outer signature algorithms differ is
// refused. A master list adds anchors only once its signer chains to
// roots the caller supplies ([TrustStore.AddMasterList]). Hashes, signature
// algorithms and keys (the CRLs' included) weaker than
// [VerifyOptions].Policy (by default
// SHA-256, RSA-2048 and the curves of [DefaultCurves]) fail with
// [ErrWeakAlgorithm]; the SHA-1 of early documents verifies only with
// [LegacyAlgorithms].
//
// Holder data, the MRZ, DG11, DG13 and DG16 are personal data: their
// String, GoString, Format and LogValue methods print them masked. The
// package never logs.
package chip
