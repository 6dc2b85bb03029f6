package chip

import (
	"time"

	"github.com/cancuoc/sdk/internal/cms"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// MasterList is a parsed CSCA master list (ICAO 9303-12 §9): CMS
// SignedData with eContentType 2.23.136.1.1.2 over CscaMasterList
// { version, certList SET OF Certificate }.
//
// Parsing keeps every certificate it can use (Certificates) and reports
// the others with a reason (Rejected); one odd certificate never aborts
// the list.
type MasterList struct {
	Version int
	// Total is the number of entries in certList.
	Total int
	// Certificates are the usable entries, in list order.
	Certificates []*Certificate
	// Rejected are the entries that cannot serve as trust anchors.
	Rejected []RejectedCertificate
	// Countries is the number of distinct subject countries among the
	// usable certificates.
	Countries int
	// Signer is the embedded certificate the SignerInfo designates (nil
	// when not embedded).
	Signer *Certificate
	// SignatureErr is nil when the list's signature verifies with Signer;
	// otherwise it wraps ErrSignature, ErrDigestMismatch,
	// ErrUntrustedSigner (signer not embedded) or ErrUnsupportedAlgorithm.
	SignatureErr error
	// SigningTime is the signingTime attribute (zero when absent).
	SigningTime time.Time
}

// RejectedCertificate is a master-list entry that is not used, and why.
type RejectedCertificate struct {
	Index   int    // position in certList, from 0
	Subject string // "" when the certificate did not parse that far
	Reason  string
	Err     error
}

// maxMasterListSize bounds the accepted file size.
const maxMasterListSize = 16 << 20

// maxMasterListEntries bounds the certificates read from one list.
const maxMasterListEntries = 10000

// ParseMasterList parses a master list and verifies its signature with
// the embedded signer certificate (the result is in SignatureErr). It
// returns an error only when the CMS structure itself is unreadable.
func ParseMasterList(b []byte) (*MasterList, error) {
	const file = "master list"
	if len(b) > maxMasterListSize {
		return nil, &ParseError{File: file, Offset: -1, Err: ErrMalformed}
	}
	sd, err := cms.ParseSignedData(b)
	if err != nil {
		return nil, fromCMS(file, err)
	}
	if !sd.EContentType.Equal(cms.OIDCSCAMasterList) {
		return nil, &ParseError{File: file, Field: "eContentType", Offset: -1, Err: ErrMalformed}
	}
	ml := &MasterList{SigningTime: sd.Signer.SigningTime}
	in := cryptobyte.String(sd.EContent)
	var seq, set cryptobyte.String
	if !in.ReadASN1(&seq, cbasn1.SEQUENCE) || !seq.ReadASN1Integer(&ml.Version) ||
		!seq.ReadASN1(&set, cbasn1.SET) || !seq.Empty() {
		return nil, &ParseError{File: file, Field: "CscaMasterList", Offset: -1, Err: ErrMalformed}
	}
	if !in.Empty() {
		return nil, &ParseError{File: file, Field: "CscaMasterList", Offset: -1, Err: ErrTrailingData}
	}
	countries := map[string]bool{}
	for i := 0; !set.Empty(); i++ {
		var raw cryptobyte.String
		var tag cbasn1.Tag
		if !set.ReadAnyASN1Element(&raw, &tag) || i >= maxMasterListEntries {
			return nil, &ParseError{File: file, Field: "certList", Offset: -1, Err: ErrMalformed}
		}
		ml.Total++
		c, err := ParseCertificate(raw)
		if err != nil {
			ml.Rejected = append(ml.Rejected, RejectedCertificate{Index: i, Reason: "unparseable: " + err.Error(), Err: err})
			continue
		}
		if reason, err := unusable(c); err != nil {
			ml.Rejected = append(ml.Rejected, RejectedCertificate{Index: i, Subject: c.Subject, Reason: reason, Err: err})
			continue
		}
		ml.Certificates = append(ml.Certificates, c)
		if c.Country != "" {
			countries[c.Country] = true
		}
	}
	ml.Countries = len(countries)

	for _, c := range sd.Certificates {
		if sd.Signer.Matches(c) {
			ml.Signer = newCertificate(c)
			break
		}
	}
	switch {
	case ml.Signer == nil:
		ml.SignatureErr = &ParseError{File: file, Field: "signer certificate not embedded", Offset: -1, Err: ErrUntrustedSigner}
	case ml.Signer.c.PublicKey == nil:
		ml.SignatureErr = ml.Signer.KeyError()
	default:
		if err := sd.VerifySignature(ml.Signer.c.PublicKey); err != nil {
			ml.SignatureErr = fromCMS(file, err)
		}
	}
	return ml, nil
}

// unusable says why a certificate cannot be a CSCA trust anchor.
func unusable(c *Certificate) (string, error) {
	if err := c.KeyError(); err != nil {
		return "public key: " + err.Error(), err
	}
	if c.c.ExtensionErr != nil {
		err := fromCMS("certificate", c.c.ExtensionErr)
		return "extension: " + err.Error(), err
	}
	return "", nil
}

// VerifySigner checks that the list's signature is valid and that its
// signer chains to an anchor in roots at time at (zero means now), under
// the rules of [TrustStore.Chain]: the signer must hold digitalSignature
// and be issued by a CA in roots, both valid at `at` and not revoked by
// the CRLs of roots current at `at` (ErrStaleCRL when they are all stale).
func (ml *MasterList) VerifySigner(roots *TrustStore, at time.Time) error {
	if ml == nil {
		return nilArgument("master list")
	}
	if ml.SignatureErr != nil {
		return ml.SignatureErr
	}
	if at.IsZero() {
		at = time.Now()
	}
	if _, err := roots.Chain(ml.Signer, at); err != nil {
		return &masterListError{err}
	}
	return nil
}

// masterListError says that a master list's signer is not trusted; it
// unwraps to the *ChainError.
type masterListError struct{ err error }

func (e *masterListError) Error() string {
	return "chip: master list signer not trusted: " + trimPrefix(e.err)
}

func (e *masterListError) Unwrap() error { return e.err }
