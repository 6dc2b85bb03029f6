package chip

import (
	"crypto"
	"errors"
	"hash"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cancuoc/sdk/internal/cms"
	"github.com/cancuoc/sdk/internal/tlv"
)

// Data-group statuses in a Report.
const (
	// StatusOK: the hash of the received bytes equals the SOD's.
	StatusOK = "ok"
	// StatusMismatch: the hashes differ (the data group was altered).
	StatusMismatch = "mismatch"
	// StatusNotInSOD: the data group was supplied but the SOD has no hash
	// for it, so nothing protects it.
	StatusNotInSOD = "not_in_sod"
	// StatusMissing: the SOD or EF.COM lists the data group but it was not
	// supplied (normal for access-controlled groups such as DG3).
	StatusMissing = "missing"
)

// Chain statuses in a Report.
const (
	ChainOK         = "ok"
	ChainUntrusted  = "untrusted"
	ChainExpired    = "expired"
	ChainRevoked    = "revoked"
	ChainStaleCRL   = "stale_crl"
	ChainNotChecked = "not_checked"
)

// VerifyOptions configures Verify. The zero value verifies against no
// anchors, so every card fails with ErrUntrustedSigner: trust is always
// passed in.
type VerifyOptions struct {
	// Trust holds the CSCA certificates and CRLs.
	Trust *TrustStore
	// Now is the verification time for certificate validity; zero means
	// time.Now().
	Now time.Time
	// CRLs are DER revocation lists used in addition to Trust's. A CRL
	// counts only while current at Now; when a certificate's issuer has
	// CRLs but none current, verification fails with ErrStaleCRL (see
	// TrustStore.Chain). A CRL that TrustStore.AddCRL would refuse (delta,
	// partial, unknown critical extension, differing algorithms) fails
	// verification with ErrMalformed, and Policy applies to the
	// signatures of the CRLs that count.
	CRLs [][]byte
	// Optional lists data groups that the SOD protects but that may be
	// left out of the files without failing verification. DG3 and DG4
	// (biometrics behind extended access control) are always optional;
	// any other data group the SOD lists must be supplied, so a reader
	// cannot silently drop one.
	Optional []int
	// Policy says which hash, signature and key algorithms are accepted;
	// the zero value is the default policy (SHA-256 or better, RSA from
	// 2048 bits, the curves of DefaultCurves). Documents signed with
	// SHA-1 verify only with LegacyAlgorithms or a policy allowing it.
	Policy AlgorithmPolicy
}

// Report is the outcome of passive authentication.
type Report struct {
	// Valid is true only when every check passed: the SOD parsed, its
	// messageDigest and signature verified, the signer chains to a
	// trusted, unexpired, unrevoked CSCA (by current CRLs when its
	// issuer has any), and every supplied data group
	// is protected by a matching hash.
	Valid bool
	// Reason is a stable code for the first failed check ("" when Valid):
	// see ReasonCode.
	Reason string
	// Err is the error behind Reason; errors.Is works on it with the
	// package sentinels (ErrDigestMismatch, ErrSignature, ...).
	Err error
	// SOD is the parsed security object (nil when it did not parse).
	SOD *SOD
	// Signer is the Document Signer certificate (nil when not found).
	Signer *Certificate
	// Chain is [Document Signer, CSCA] when the signer chained to an
	// anchor (even if expired or revoked), else nil.
	Chain []*Certificate
	// SignatureValid reports whether the SOD signature verified with
	// the Document Signer's key.
	SignatureValid bool
	// ChainStatus is ChainOK, ChainUntrusted, ChainExpired, ChainRevoked,
	// ChainStaleCRL (the issuer has CRLs, none current at the verification
	// time) or ChainNotChecked.
	ChainStatus string
	// HashAlgorithm is the SOD's data-group hash algorithm.
	HashAlgorithm crypto.Hash
	// Algorithms names every algorithm the verification used (as far as
	// it got): hashes, signature algorithms and keys.
	Algorithms Algorithms
	// DataGroups has one entry per data group supplied, listed in the SOD
	// or listed in EF.COM, by number.
	DataGroups []DataGroupResult
}

// DataGroupResult is the check of one data group.
type DataGroupResult struct {
	Number int
	Name   string // "DG1"
	// Status is StatusOK, StatusMismatch, StatusNotInSOD or StatusMissing.
	Status string
	// HashAlgorithm is the algorithm the hash was computed with.
	HashAlgorithm crypto.Hash
}

// DataGroup returns the result for data group n.
func (r *Report) DataGroup(n int) (DataGroupResult, bool) {
	for _, d := range r.DataGroups {
		if d.Number == n {
			return d, true
		}
	}
	return DataGroupResult{}, false
}

// ReasonCode maps an error to the stable code used in Report.Reason and
// by the CLI: "malformed", "trailing_data", "digest_mismatch",
// "bad_signature", "untrusted_signer", "expired", "revoked", "stale_crl",
// "unsupported_algorithm", "weak_algorithm", "missing_data_group",
// "unprotected_data_group";
// "" for nil and "error" for anything else.
func ReasonCode(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrTrailingData):
		return "trailing_data"
	case errors.Is(err, ErrMalformed):
		return "malformed"
	case errors.Is(err, ErrDigestMismatch):
		return "digest_mismatch"
	case errors.Is(err, ErrSignature):
		return "bad_signature"
	case errors.Is(err, ErrRevoked):
		return "revoked"
	case errors.Is(err, ErrStaleCRL):
		return "stale_crl"
	case errors.Is(err, ErrExpired):
		return "expired"
	case errors.Is(err, ErrUntrustedSigner):
		return "untrusted_signer"
	case errors.Is(err, ErrUnsupportedAlgorithm):
		return "unsupported_algorithm"
	case errors.Is(err, ErrWeakAlgorithm):
		return "weak_algorithm"
	case errors.Is(err, ErrMissingDataGroup):
		return "missing_data_group"
	case errors.Is(err, ErrUnprotectedDataGroup):
		return "unprotected_data_group"
	}
	return "error"
}

// DataGroupError reports a data group whose check failed.
type DataGroupError struct {
	Name   string // "DG2"
	Status string
	Err    error // ErrDigestMismatch or ErrUnprotectedDataGroup
}

// Error names the data group and the failure.
func (e *DataGroupError) Error() string { return "chip: " + e.Name + ": " + trimPrefix(e.Err) }

// Unwrap returns the sentinel.
func (e *DataGroupError) Unwrap() error { return e.Err }

// Verify performs passive authentication (ICAO 9303-11 §5.1) on the files
// read from a chip: it parses EF.SOD, checks its messageDigest and
// signature, chains the Document Signer to opts.Trust at opts.Now, checks
// revocation against CRLs current at opts.Now, applies the algorithm policy (opts.Policy) and compares the
// hash of every supplied data group, as received, with the SOD. It fails
// closed: the report is Valid only when every check passed, and then the
// error is nil. Otherwise the error (also in Report.Err) wraps the
// sentinel of the first failed check, in this order: malformed SOD,
// content digest, signature, chain (untrusted, expired, revoked, stale CRL), algorithm
// policy (ErrWeakAlgorithm), data-group hashes, unprotected data groups,
// data groups the SOD lists but that were not supplied (see
// VerifyOptions.Optional). The report is filled as far as the checks could
// go; Report.Algorithms names every algorithm used.
func Verify(files Files, opts VerifyOptions) (*Report, error) {
	r := &Report{ChainStatus: ChainNotChecked}
	err := r.verify(files, opts)
	if err != nil {
		r.Valid, r.Err, r.Reason = false, err, ReasonCode(err)
		return r, err
	}
	r.Valid = true
	return r, nil
}

func (r *Report) verify(files Files, opts VerifyOptions) error {
	raw, ok := files[FileSOD]
	if !ok {
		r.dataGroups(files, nil)
		return &ParseError{File: FileSOD, Field: "not supplied", Offset: -1, Err: ErrMissingDataGroup}
	}
	sod, err := ParseSOD(raw)
	if err != nil {
		r.dataGroups(files, nil)
		return err
	}
	r.SOD, r.HashAlgorithm = sod, sod.HashAlgorithm
	use := crlUse{policy: opts.Policy} // the CRLs that count for the chain
	// Collect every failure, return the first by priority.
	var first error
	note := func(err error) {
		if first == nil && err != nil {
			first = err
		}
	}
	// VerifySignature below checks the messageDigest again; checking it
	// first keeps a digest mismatch ahead of a missing signer.
	note(sod.CheckMessageDigest())
	signer, err := sod.SignerCertificate()
	if err != nil {
		signer = r.signerFromTrust(sod, opts.Trust)
	}
	r.Signer = signer
	if signer == nil {
		note(err)
	} else {
		serr := sod.VerifySignature(signer)
		r.SignatureValid = serr == nil
		if errors.Is(serr, ErrDigestMismatch) {
			serr = nil // already noted above
		}
		note(serr)
		now := opts.Now
		if now.IsZero() {
			now = time.Now()
		}
		var extra []*cms.CRL
		for _, der := range opts.CRLs {
			c, err := cms.ParseCRL(der)
			if err != nil {
				note(fromCMS("CRL", err))
				continue
			}
			extra = append(extra, c)
		}
		anchor, cerr := opts.Trust.chainOrNil(signer, now, extra, &use)
		if anchor != nil {
			r.Chain = []*Certificate{signer, anchor}
		}
		switch {
		case cerr == nil:
			r.ChainStatus = ChainOK
		case errors.Is(cerr, ErrRevoked):
			r.ChainStatus = ChainRevoked
		case errors.Is(cerr, ErrStaleCRL):
			r.ChainStatus = ChainStaleCRL
		case errors.Is(cerr, ErrExpired):
			r.ChainStatus = ChainExpired
		default:
			r.ChainStatus = ChainUntrusted
		}
		note(cerr)
	}
	var anchor *Certificate
	if len(r.Chain) == 2 {
		anchor = r.Chain[1]
	}
	r.Algorithms = algorithms(sod, signer, anchor)
	r.Algorithms.CRL, r.Algorithms.CRLHash = use.name, use.hash
	note(opts.Policy.check(r.Algorithms, signer, anchor))
	note(use.err)
	note(r.dataGroups(files, sod))
	note(r.missing(opts.Optional))
	return first
}

// chainOrNil is Chain that accepts a nil store.
func (t *TrustStore) chainOrNil(c *Certificate, at time.Time, extra []*cms.CRL, use *crlUse) (*Certificate, error) {
	if t == nil {
		t = &TrustStore{}
	}
	return t.chain(c, at, extra, use)
}

// signerFromTrust finds a Document Signer the integrator put in the trust
// store when the SOD does not embed it. It is still chained like any
// other signer: being in the store does not make it an anchor of itself,
// and a Document Signer in the store is only ever matched here, as a
// signer, never as the issuer of another certificate (TrustStore.Chain
// lets only CA certificates issue).
func (r *Report) signerFromTrust(sod *SOD, t *TrustStore) *Certificate {
	for _, c := range t.Certificates() {
		if sod.SignerMatches(c) {
			return c
		}
	}
	return nil
}

// dataGroups fills r.DataGroups and returns the first mismatch or
// unprotected data group (mismatch first).
func (r *Report) dataGroups(files Files, sod *SOD) error {
	var seen [17]bool
	var mismatch, unprotected error
	var h hash.Hash
	if sod != nil {
		h = sod.HashAlgorithm.New() // one hasher for every data group
	}
	for name, b := range files {
		n, ok := dataGroupNumber(name)
		if !ok {
			continue
		}
		seen[n] = true
		res := DataGroupResult{Number: n, Name: name, Status: StatusNotInSOD}
		if sod != nil {
			res.Status, res.HashAlgorithm = sod.checkHash(h, n, b), sod.HashAlgorithm
		}
		switch res.Status {
		case StatusMismatch:
			if mismatch == nil || n < mismatchNum(mismatch) {
				mismatch = &DataGroupError{Name: name, Status: res.Status, Err: ErrDigestMismatch}
			}
		case StatusNotInSOD:
			if unprotected == nil || n < mismatchNum(unprotected) {
				unprotected = &DataGroupError{Name: name, Status: res.Status, Err: ErrUnprotectedDataGroup}
			}
		}
		r.DataGroups = append(r.DataGroups, res)
	}
	missing := func(n int) {
		if !seen[n] {
			seen[n] = true
			var h crypto.Hash
			if sod != nil {
				h = sod.HashAlgorithm
			}
			r.DataGroups = append(r.DataGroups, DataGroupResult{Number: n, Name: DataGroupName(n), Status: StatusMissing, HashAlgorithm: h})
		}
	}
	if sod != nil {
		for _, d := range sod.Hashes {
			missing(d.Number)
		}
	}
	for _, n := range comDataGroups(files[FileCOM]) {
		missing(n)
	}
	sort.Slice(r.DataGroups, func(i, j int) bool { return r.DataGroups[i].Number < r.DataGroups[j].Number })
	if mismatch != nil {
		return mismatch
	}
	return unprotected
}

// missing returns ErrMissingDataGroup for the first data group the SOD
// lists that was not supplied and is not optional.
func (r *Report) missing(optional []int) error {
	if r.SOD == nil {
		return nil
	}
	for _, d := range r.DataGroups {
		if d.Status != StatusMissing || d.Number == 3 || d.Number == 4 || slices.Contains(optional, d.Number) {
			continue
		}
		if _, listed := r.SOD.DataGroupHash(d.Number); listed {
			return &DataGroupError{Name: d.Name, Status: d.Status, Err: ErrMissingDataGroup}
		}
	}
	return nil
}

func mismatchNum(err error) int {
	var e *DataGroupError
	if errors.As(err, &e) {
		n, _ := dataGroupNumber(e.Name)
		return n
	}
	return 0
}

// dataGroupNumber parses "DG1".."DG16".
func dataGroupNumber(name string) (int, bool) {
	s, ok := strings.CutPrefix(name, "DG")
	if !ok || len(s) == 0 || len(s) > 2 || s[0] == '0' {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 16 {
		return 0, false
	}
	return n, true
}

// comDataGroups returns the data groups EF.COM lists in its 5C tag list,
// or nil when EF.COM is absent or unreadable (it is not signed, so it
// only adds "missing" entries to the report).
func comDataGroups(com []byte) []int {
	tag, body, _, _, err := tlv.Next(com)
	if err != nil || tag != 0x60 {
		return nil
	}
	for len(body) > 0 {
		t, v, _, rest, err := tlv.Next(body)
		if err != nil {
			return nil
		}
		if t == 0x5C {
			var out []int
			for _, b := range v {
				if n, ok := DataGroupByTag(uint32(b)); ok {
					out = append(out, n)
				}
			}
			return out
		}
		body = rest
	}
	return nil
}
