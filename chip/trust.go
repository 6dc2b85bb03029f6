package chip

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"slices"
	"time"

	"github.com/cancuoc/sdk/internal/cms"
)

// TrustStore holds the trust anchors (CSCA certificates) and CRLs that
// passive authentication checks Document Signers against. Anchors are
// parsed once, when added. Build it first, then share it: the Add methods
// must not run concurrently with each other or with verification, but any
// number of verifications may use one store at once.
//
// An *x509.CertPool cannot be enumerated, so the store does not take one:
// pass the certificates themselves ([TrustStore.AddX509]), their PEM or
// DER ([TrustStore.AddEncoded]) or a master list authenticated by its
// publisher's root ([TrustStore.AddMasterList]).
//
// The zero value is an empty store, ready for Add; NewTrustStore(certs...)
// is the same as adding certs to a zero store. The compact package's
// TrustStore (issuer keys for compact signed cards) has the same shape.
type TrustStore struct {
	anchors []*Certificate
	byName  map[string][]*Certificate // subject name key (cms.Name.Key) -> anchors
	byRaw   map[string][]*Certificate // subject DER -> anchors, the fast path
	crls    []*cms.CRL
}

// NewTrustStore returns a store holding certs: a zero TrustStore to which
// Add(certs...) was applied.
func NewTrustStore(certs ...*Certificate) *TrustStore {
	t := &TrustStore{byName: map[string][]*Certificate{}, byRaw: map[string][]*Certificate{}}
	t.Add(certs...)
	return t
}

// Add adds anchors. A certificate already present (same bytes) is skipped.
func (t *TrustStore) Add(certs ...*Certificate) {
	if t.byName == nil {
		t.byName = map[string][]*Certificate{}
	}
	if t.byRaw == nil {
		t.byRaw = map[string][]*Certificate{}
	}
	for _, c := range certs {
		if !c.parsed() {
			continue // nil, or a zero Certificate: nothing to trust
		}
		k := c.c.Subject.Key()
		if dupOf(t.byName[k], c) {
			continue
		}
		t.anchors = append(t.anchors, c)
		t.byName[k] = append(t.byName[k], c)
		raw := string(c.c.Subject.Raw)
		t.byRaw[raw] = append(t.byRaw[raw], c)
	}
}

// firstSigner returns the first of cands whose key verifies c's
// signature. Anchors valid at `at` are tried before expired ones (a CSCA
// renewed with the same key has two certificates), and within that those
// whose subject key identifier equals c's authority key identifier.
func firstSigner(c *Certificate, cands []*Certificate, at time.Time) *Certificate {
	rank := func(a *Certificate) int {
		r := 0
		if !a.ValidAt(at) {
			r += 2
		}
		if c.AuthorityKeyID == nil || !bytes.Equal(a.SubjectKeyID, c.AuthorityKeyID) {
			r++
		}
		return r
	}
	for pass := 0; pass < 4; pass++ {
		for _, a := range cands {
			if rank(a) == pass && c.CheckSignatureFrom(a) == nil {
				return a
			}
		}
	}
	return nil
}

func dupOf(list []*Certificate, c *Certificate) bool {
	for _, o := range list {
		if bytes.Equal(o.Raw, c.Raw) {
			return true
		}
	}
	return false
}

// AddX509 adds certificates parsed by crypto/x509 (re-read from their Raw
// bytes by this package's parser).
func (t *TrustStore) AddX509(certs ...*x509.Certificate) error {
	for _, xc := range certs {
		if xc == nil {
			return nilArgument("certificate")
		}
		c, err := ParseCertificate(xc.Raw)
		if err != nil {
			return err
		}
		t.Add(c)
	}
	return nil
}

// AddEncoded adds the certificates in b: PEM CERTIFICATE blocks or one
// DER certificate. For master lists use ParseMasterList and AddMasterList,
// which check the list's signature and its signer.
func (t *TrustStore) AddEncoded(b []byte) error {
	certs, err := ParseCertificates(b)
	if err != nil {
		return err
	}
	t.Add(certs...)
	return nil
}

// AddMasterList adds every usable certificate of ml once the list is
// authenticated.
//
// Trust rule: a master list is only as trustworthy as its signer (ICAO
// 9303-12 §9). The list's signature must verify with its embedded signer,
// and that signer must chain to roots at `at` under the rules of
// [TrustStore.Chain] (see [MasterList.VerifySigner]): normally roots holds
// the CSCA of the country that published the list, and at is the time the
// list is loaded (zero means time.Now()), which may differ from the time
// cards are later verified at. Otherwise nothing is added and the error
// wraps ErrUntrustedSigner, ErrExpired, ErrRevoked, ErrStaleCRL (a CRL of
// roots not current at `at`) or the signature's error. A nil or empty
// roots authenticates nothing.
func (t *TrustStore) AddMasterList(ml *MasterList, roots *TrustStore, at time.Time) error {
	if ml == nil {
		return nilArgument("master list")
	}
	if err := ml.VerifySigner(roots, at); err != nil {
		return err
	}
	t.Add(ml.Certificates...)
	return nil
}

// AddMasterListFromTrustedChannel adds every usable certificate of ml
// checking the list's own signature but not who made it.
//
// Trust rule: anyone can sign a master list, so this is for lists whose
// origin the caller has already established by other means: read from the
// ICAO PKD or a national authority over an authenticated channel, or
// shipped inside the caller's own signed configuration. Never use it for a
// file of unknown origin; use [TrustStore.AddMasterList] with the
// publisher's root instead.
func (t *TrustStore) AddMasterListFromTrustedChannel(ml *MasterList) error {
	if ml == nil {
		return nilArgument("master list")
	}
	if ml.SignatureErr != nil {
		return fmt.Errorf("chip: master list not added: %w", ml.SignatureErr)
	}
	t.Add(ml.Certificates...)
	return nil
}

// AddCRL adds a DER certificate revocation list. Its signature and dates
// are checked when it is used, against the CSCA that issued the
// certificate in question and at the verification time: see
// [TrustStore.Chain] for the rule, under which a CRL that is not current
// makes its issuer's certificates fail with ErrStaleCRL.
//
// Only a complete CRL that the package fully understands is added; the
// error wraps ErrMalformed otherwise (RFC 5280 §5.1.1.2, §5.2, §5.3; ICAO
// 9303-12 CRL profile): the signatureAlgorithm outside tbsCertList must
// equal the one inside (as for certificates: same DER, or the same OID
// with absent and NULL parameters); a delta CRL (deltaCRLIndicator) or a
// partial one (issuingDistributionPoint) is refused, critical or not; so
// is a critical CRL extension other than authorityKeyIdentifier,
// cRLNumber and issuerAltName, or a critical entry extension other than
// reasonCode and invalidityDate (certificateIssuer, i.e. an indirect
// CRL, included). Non-critical extensions are ignored.
func (t *TrustStore) AddCRL(der []byte) error {
	c, err := cms.ParseCRL(der)
	if err != nil {
		return fromCMS("CRL", err)
	}
	t.crls = append(t.crls, c)
	return nil
}

// Certificates returns the anchors in the order they were added.
func (t *TrustStore) Certificates() []*Certificate {
	if t == nil {
		return nil
	}
	return append([]*Certificate(nil), t.anchors...)
}

// Len returns the number of anchors.
func (t *TrustStore) Len() int {
	if t == nil {
		return 0
	}
	return len(t.anchors)
}

// ChainError says why a certificate did not chain to a trust anchor. Err
// is ErrUntrustedSigner, ErrExpired, ErrRevoked, ErrStaleCRL or
// ErrNoTrust.
type ChainError struct {
	Subject string // the certificate being checked
	Reason  string // detail without personal data
	Err     error
}

// Error names the certificate and the reason.
func (e *ChainError) Error() string {
	return "chip: chain of " + e.Subject + ": " + e.Reason
}

// Unwrap returns the sentinel.
func (e *ChainError) Unwrap() error { return e.Err }

// Chain verifies c, a Document Signer or master-list signer, against the
// anchors and returns the anchor that issued it. Errors are *ChainError.
//
// Trust rules (ICAO 9303-12 §7.1 profiles, RFC 5280 §4.2.1.3 and
// §4.2.1.9):
//
//   - The issuer is an anchor whose subject equals c's issuer (as a set of
//     RDNs; every such anchor is tried, and a name match whose key does not
//     verify c's signature is not trust).
//   - Only a CA certificate issues: basicConstraints with cA TRUE, and,
//     when keyUsage is present, keyCertSign. An anchor that is not a CA (a
//     Document Signer put in the store so that [Verify] finds SODs'
//     signers) is only ever matched as a signer, never as an issuer.
//     ICAO relaxations, the ones real CSCAs need: cA encoded as any
//     non-zero octet (BER TRUE, as in the Ukrainian CSCA of the Dutch
//     master list) reads as TRUE, and an absent keyUsage does not restrict
//     (RFC 5280 §4.2.1.3).
//   - c itself must be a signer, not a CA: keyUsage present with
//     digitalSignature, basicConstraints cA not TRUE, and a key other
//     than the issuing anchor's (a SOD signed with the CSCA key directly
//     is refused).
//   - c and the anchor are valid at `at`.
//   - Revocation applies to every certificate on the path: c must not be
//     listed by a CRL the anchor signed, and the anchor must not be listed
//     by a CRL signed by its own issuer (itself when self-signed, or
//     another CA anchor with the issuer's name).
//   - Only the issuer's CRLs count (its name as the CRL issuer and its
//     key verifying the CRL's signature); others are ignored. The CRLs
//     themselves passed the rules of [TrustStore.AddCRL]: equal inner and
//     outer signature algorithms, complete (no delta CRL, no
//     issuingDistributionPoint), no critical extension not understood.
//   - The issuer must be allowed to sign CRLs (RFC 5280 §6.3.3 (f),
//     §4.2.1.3): when its certificate has a keyUsage extension, cRLSign
//     must be set. A CRL its key signed without that right does not
//     count and makes Chain fail with ErrUntrustedSigner (the status is
//     unknown), whether or not it lists the certificate; only a CRL that
//     counts and revokes the certificate (ErrRevoked) comes first. An
//     absent keyUsage does not restrict, the same relaxation as for
//     keyCertSign above; ICAO 9303-12's CSCA profile sets both bits.
//   - Of the CRLs that count, only a CRL current at `at` decides
//     (RFC 5280 §6.3.3 (a); ICAO
//     9303-12 CRL profile): thisUpdate <= at <= nextUpdate. A CRL without
//     nextUpdate, which ICAO 9303-12 and RFC 5280 §5.1.2.5 require, is
//     never current: it is treated as stale, not as malformed, since its
//     encoding is valid X.509. A stale CRL is not ignored: when the
//     issuer has CRLs but none is current at `at`, the certificate's
//     status is unknown and Chain fails with ErrStaleCRL, even if a stale
//     CRL lists it (fetch a current CRL). A current CRL supersedes the
//     stale ones of the same issuer. An issuer with no CRL at all is not
//     checked for revocation. Every CRL that counts has its signature
//     verified, whether or not it lists the certificate; [Verify] also
//     applies VerifyOptions.Policy to it.
func (t *TrustStore) Chain(c *Certificate, at time.Time) (*Certificate, error) {
	if !c.parsed() {
		return nil, nilArgument("certificate")
	}
	return t.chain(c, at, nil, nil)
}

// Key usage bits (RFC 5280 §4.2.1.3, numbered as in crypto/x509).
const (
	usageDigitalSignature = 1 << 0
	usageKeyCertSign      = 1 << 5
	usageCRLSign          = 1 << 6
)

// canIssue reports whether a may issue certificates (see Chain).
func canIssue(a *Certificate) bool {
	c := a.c
	if !c.BasicConstraintsValid || !c.IsCA {
		return false
	}
	return !c.HasKeyUsage || c.KeyUsage&usageKeyCertSign != 0
}

// signerProblem says why c may not sign SODs or master lists (see Chain),
// or "".
func signerProblem(c, anchor *Certificate) string {
	switch {
	case !c.c.HasKeyUsage || c.c.KeyUsage&usageDigitalSignature == 0:
		return "signer certificate lacks keyUsage digitalSignature"
	case c.c.BasicConstraintsValid && c.c.IsCA:
		return "signer certificate is a CA certificate"
	case bytes.Equal(c.c.RawSubjectPublicKeyInfo, anchor.c.RawSubjectPublicKeyInfo):
		return "signer uses the issuing CA's own key"
	}
	return ""
}

// caAnchors splits list, less the anchors in exclude, into CAs and a
// count of the others.
func caAnchors(list, exclude []*Certificate) (cas []*Certificate, notCA int) {
	if len(exclude) == 0 && !slices.ContainsFunc(list, func(a *Certificate) bool { return !canIssue(a) }) {
		return list, 0 // the usual case, without allocating
	}
	for _, a := range list {
		switch {
		case slices.Contains(exclude, a):
		case canIssue(a):
			cas = append(cas, a)
		default:
			notCA++
		}
	}
	return cas, notCA
}

// chain is Chain with extra CRLs (from VerifyOptions), recording the CRLs
// that counted in use when not nil.
func (t *TrustStore) chain(c *Certificate, at time.Time, extra []*cms.CRL, use *crlUse) (*Certificate, error) {
	if t.Len() == 0 {
		return nil, &ChainError{Subject: c.Subject, Reason: "no trust anchors", Err: fmt.Errorf("%w (%w)", ErrUntrustedSigner, ErrNoTrust)}
	}
	// Anchors whose subject is byte for byte the issuer are tried first,
	// without computing the canonical key; then every other anchor with an
	// equivalent name (RDN order, case, string type). Only CAs issue.
	raw := t.byRaw[string(c.c.Issuer.Raw)]
	cas, notCA := caAnchors(raw, nil)
	anchor := firstSigner(c, cas, at)
	tried := len(cas)
	if anchor == nil {
		rest, n := caAnchors(t.byName[c.c.Issuer.Key()], raw)
		anchor = firstSigner(c, rest, at)
		tried, notCA = tried+len(rest), notCA+n
	}
	if anchor == nil {
		reason := "no anchor with the issuer's name"
		switch {
		case tried > 0:
			reason = fmt.Sprintf("%d CA anchor(s) with the issuer's name, none verifies the signature", tried)
		case notCA > 0:
			reason = fmt.Sprintf("%d anchor(s) with the issuer's name, none a CA", notCA)
		}
		return nil, &ChainError{Subject: c.Subject, Reason: reason, Err: ErrUntrustedSigner}
	}
	if p := signerProblem(c, anchor); p != "" {
		return anchor, &ChainError{Subject: c.Subject, Reason: p, Err: ErrUntrustedSigner}
	}
	if !c.ValidAt(at) {
		return anchor, &ChainError{Subject: c.Subject, Reason: "certificate not valid at verification time", Err: ErrExpired}
	}
	if !anchor.ValidAt(at) {
		return anchor, &ChainError{Subject: c.Subject, Reason: "issuer certificate not valid at verification time", Err: ErrExpired}
	}
	switch st, why := t.revocation(c, []*Certificate{anchor}, at, extra, use); st {
	case crlRevoked:
		return anchor, &ChainError{Subject: c.Subject, Reason: "listed in the issuer's CRL", Err: ErrRevoked}
	case crlNoCRLSign:
		return anchor, &ChainError{Subject: c.Subject, Reason: "issuer's CRL signed by a certificate without keyUsage cRLSign", Err: ErrUntrustedSigner}
	case crlStale:
		return anchor, &ChainError{Subject: c.Subject, Reason: "issuer's CRL not current at verification time: " + why, Err: ErrStaleCRL}
	}
	anchorIssuers := []*Certificate{anchor}
	if !bytes.Equal(anchor.c.Issuer.Raw, anchor.c.Subject.Raw) && !anchor.c.Issuer.Equal(anchor.c.Subject) {
		anchorIssuers, _ = caAnchors(t.byName[anchor.c.Issuer.Key()], nil)
	}
	switch st, why := t.revocation(anchor, anchorIssuers, at, extra, use); st {
	case crlRevoked:
		return anchor, &ChainError{Subject: c.Subject, Reason: "issuer certificate listed in a CRL", Err: ErrRevoked}
	case crlNoCRLSign:
		return anchor, &ChainError{Subject: c.Subject, Reason: "CRL covering the issuer certificate signed by a certificate without keyUsage cRLSign", Err: ErrUntrustedSigner}
	case crlStale:
		return anchor, &ChainError{Subject: c.Subject, Reason: "CRL covering the issuer certificate not current at verification time: " + why, Err: ErrStaleCRL}
	}
	return anchor, nil
}

// crlStatus is the revocation status of one certificate (see Chain).
type crlStatus int

const (
	crlNotRevoked crlStatus = iota // no CRL of the issuer, or current ones not listing it
	crlRevoked                     // listed by a current CRL of the issuer
	crlNoCRLSign                   // a CRL signed by an issuer without cRLSign
	crlStale                       // the issuer has CRLs, none current
)

// revocation returns c's status under the CRLs signed by one of issuers,
// at time at, with the reason when stale (the rule is in Chain's doc).
// Each CRL naming one of issuers has its signature verified; the ones
// that count are recorded in use.
func (t *TrustStore) revocation(c *Certificate, issuers []*Certificate, at time.Time, extra []*cms.CRL, use *crlUse) (crlStatus, string) {
	revoked, current, noCRLSign := false, false, false
	stale := ""
	for _, list := range [2][]*cms.CRL{t.crls, extra} {
		for _, crl := range list {
			is := crlSigner(crl, issuers)
			switch {
			case is == nil:
				continue // another issuer's, or forged: ignored
			case is.c.HasKeyUsage && is.c.KeyUsage&usageCRLSign == 0:
				noCRLSign = true
				continue
			}
			use.add(crl, is)
			switch why := crlNotCurrent(crl, at); {
			case why != "":
				if stale == "" {
					stale = why
				}
			case crl.IsRevoked(c.SerialNumber):
				revoked = true
			default:
				current = true
			}
		}
	}
	switch {
	case revoked:
		return crlRevoked, ""
	case noCRLSign:
		return crlNoCRLSign, ""
	case stale != "" && !current:
		return crlStale, stale
	}
	return crlNotRevoked, ""
}

// crlSigner returns the one of issuers that issued crl (its name is the
// CRL's issuer and its key verifies the CRL's signature), or nil.
func crlSigner(crl *cms.CRL, issuers []*Certificate) *Certificate {
	for _, is := range issuers {
		if (bytes.Equal(crl.Issuer.Raw, is.c.Subject.Raw) || crl.Issuer.Equal(is.c.Subject)) && crl.CheckSignatureFrom(is.c) == nil {
			return is
		}
	}
	return nil
}

// crlNotCurrent says why crl is not current at at (RFC 5280 §6.3.3), or
// "" when thisUpdate <= at <= nextUpdate.
func crlNotCurrent(crl *cms.CRL, at time.Time) string {
	switch {
	case crl.NextUpdate.IsZero():
		return "CRL has no nextUpdate"
	case at.Before(crl.ThisUpdate):
		return "CRL thisUpdate is after the verification time"
	case at.After(crl.NextUpdate):
		return "CRL nextUpdate has passed"
	}
	return ""
}
