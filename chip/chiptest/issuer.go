package chiptest

import (
	"crypto"
	"encoding/pem"
	"errors"
	"fmt"
	"maps"
	"math/big"
	"sync/atomic"
	"time"

	"github.com/cancuoc/sdk/chip"
)

// Default validity periods, fixed so that a seed gives the same
// certificates on every run: CSCA 2019-01-01 to 2044-01-01, Document
// Signer 2024-01-01 to 2039-01-01, SOD signingTime 2024-06-01 (UTC).
func defaultDate(year int, month time.Month) time.Time {
	return time.Date(year, month, 1, 0, 0, 0, 0, time.UTC)
}

// Options configures New. The zero value makes a random ECDSA P-256 CSCA
// and DS for country VN with SHA-256 and the default dates.
type Options struct {
	// Seed makes EC keys deterministic (see GenerateKey); "" draws them
	// from crypto/rand.
	Seed string
	// KeyType is the algorithm of generated keys (default ECDSA P-256).
	KeyType KeyType
	// Hash is used for certificate signatures, data-group hashes and the
	// SOD signature; 0 means SHA-256.
	Hash crypto.Hash
	// AAKeyType is the algorithm of the cards' active-authentication keys
	// (default ECDSA P-256).
	AAKeyType KeyType
	// PSS makes RSA Document Signers sign the SOD with RSASSA-PSS.
	PSS bool
	// PACE is the PACE protocol the card's EF.CardAccess offers, such as
	// "PACE-DH-GM-3DES"; "" is the CCCD's PACE-ECDH-GM-AES-128, and "none"
	// writes no EF.CardAccess (a card with BAC only).
	PACE string
	// PACEGroup names PACE's standardized domain parameters:
	// "brainpoolP256r1" (the default, parameter 13), "brainpoolP384r1",
	// "brainpoolP512r1", "P-256", "P-384", "P-521", "MODP-1024-160",
	// "MODP-2048-224" or "MODP-2048-256".
	PACEGroup string
	// ChipAuthentication is the protocol DG14 announces, such as
	// "CA-ECDH-3DES" or "CA-DH-AES-256"; "" is the CCCD's
	// CA-ECDH-AES-128, "none" leaves chip authentication out.
	ChipAuthentication string
	// CACurve is the curve or group of the chip-authentication key: for
	// ECDH "" means brainpoolP256r1, also brainpoolP384r1,
	// brainpoolP512r1, P-256, P-384, P-521; for DH "" means MODP-2048-256,
	// also MODP-1024-160 and MODP-2048-224 (RFC 5114).
	CACurve string
	// CSCAKey and DSKey replace the generated keys (an HSM works).
	CSCAKey, DSKey crypto.Signer
	// Country is the countryName of both certificates; "" means "VN".
	Country string
	// Name distinguishes issuers in the certificates' common names; ""
	// means "chiptest". Two issuers with the same Name and Country have
	// the same CSCA name and different keys.
	Name string
	// Validity periods and the SOD signingTime; zero picks the defaults
	// (CSCA 2019-01-01..2044-01-01, DS 2024-01-01..2039-01-01, signing
	// 2024-06-01).
	CSCANotBefore, CSCANotAfter time.Time
	DSNotBefore, DSNotAfter     time.Time
	SigningTime                 time.Time
}

// Issuer is a throwaway CSCA with one Document Signer.
type Issuer struct {
	// CSCA and DS are the certificates, as the verifier parses them.
	CSCA, DS *chip.Certificate

	opts      Options
	cscaKey   crypto.Signer
	dsKey     crypto.Signer
	cscaName  name
	cscaDER   []byte
	dsDER     []byte
	nextSerie *atomic.Int64
}

// New creates a CSCA and a Document Signer.
func New(opts Options) (*Issuer, error) {
	if opts.Hash == 0 {
		opts.Hash = crypto.SHA256
	}
	if opts.Country == "" {
		opts.Country = "VN"
	}
	if opts.Name == "" {
		opts.Name = "chiptest"
	}
	setDefault := func(t *time.Time, d time.Time) {
		if t.IsZero() {
			*t = d
		}
	}
	setDefault(&opts.CSCANotBefore, defaultDate(2019, time.January))
	setDefault(&opts.CSCANotAfter, defaultDate(2044, time.January))
	setDefault(&opts.DSNotBefore, defaultDate(2024, time.January))
	setDefault(&opts.DSNotAfter, defaultDate(2039, time.January))
	setDefault(&opts.SigningTime, defaultDate(2024, time.June))
	is := &Issuer{opts: opts, cscaKey: opts.CSCAKey, nextSerie: new(atomic.Int64)}
	is.nextSerie.Store(1)
	var err error
	if is.cscaKey == nil {
		if is.cscaKey, err = GenerateKey(opts.KeyType, opts.Seed, "csca"); err != nil {
			return nil, err
		}
	}
	is.cscaName = dn(opts.Country, "cancuoc test issuer", "CSCA "+opts.Name)
	is.cscaDER, err = createCertificate(certTemplate{
		serial: is.nextSerie.Add(1) - 1, subject: is.cscaName, issuer: is.cscaName,
		notBefore: opts.CSCANotBefore, notAfter: opts.CSCANotAfter, ca: true,
		pub: is.cscaKey.Public(), issuerPub: is.cscaKey.Public(),
	}, is.cscaKey, opts.Hash)
	if err != nil {
		return nil, err
	}
	if is.CSCA, err = chip.ParseCertificate(is.cscaDER); err != nil {
		return nil, err
	}
	if err := is.newSigner(opts.DSKey, opts.DSNotBefore, opts.DSNotAfter, "ds"); err != nil {
		return nil, err
	}
	return is, nil
}

func (is *Issuer) newSigner(key crypto.Signer, notBefore, notAfter time.Time, label string) error {
	var err error
	if key == nil {
		if key, err = GenerateKey(is.opts.KeyType, is.opts.Seed, label); err != nil {
			return err
		}
	}
	serial := is.nextSerie.Add(1) - 1
	is.dsKey = key
	is.dsDER, err = createCertificate(certTemplate{
		serial: serial, subject: dn(is.opts.Country, "cancuoc test issuer", fmt.Sprintf("DS %s %d", is.opts.Name, serial)),
		issuer: is.cscaName, notBefore: notBefore, notAfter: notAfter,
		pub: key.Public(), issuerPub: is.cscaKey.Public(),
	}, is.cscaKey, is.opts.Hash)
	if err != nil {
		return err
	}
	is.DS, err = chip.ParseCertificate(is.dsDER)
	return err
}

// WithDocumentSigner returns an issuer sharing this CSCA with a new
// Document Signer valid from notBefore to notAfter (key from key, or
// generated when nil). Use it for expired or revoked signers.
func (is *Issuer) WithDocumentSigner(key crypto.Signer, notBefore, notAfter time.Time) (*Issuer, error) {
	n := *is
	label := fmt.Sprintf("ds-%d", is.nextSerie.Load())
	if err := n.newSigner(key, notBefore, notAfter, label); err != nil {
		return nil, err
	}
	return &n, nil
}

// ExpiredSigner returns an issuer sharing this CSCA whose Document Signer
// expired in 2021 (still inside the CSCA's validity).
func (is *Issuer) ExpiredSigner() (*Issuer, error) {
	return is.WithDocumentSigner(nil, time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC))
}

// CRL returns a CRL signed by the CSCA that revokes the given
// certificates, current from the day after the SOD signingTime (2024-06-02
// by default, moved inside the CSCA's validity if it falls outside) until
// the CSCA expires (2044-01-01 by default). The long nextUpdate keeps the
// CRL current at any verification time a test picks inside the
// certificates' validity; a real CSCA issues one at least every 90 days
// (ICAO 9303-12): use CRLAt for realistic, stale or future dates.
func (is *Issuer) CRL(revoked ...*chip.Certificate) ([]byte, error) {
	this := is.opts.SigningTime.Add(24 * time.Hour)
	if this.Before(is.opts.CSCANotBefore) || this.After(is.opts.CSCANotAfter) {
		this = is.opts.CSCANotBefore
	}
	return is.CRLAt(this, is.opts.CSCANotAfter, revoked...)
}

// CRLAt returns a CRL signed by the CSCA that revokes the given
// certificates, with the given thisUpdate and nextUpdate (RFC 5280
// §5.1.2.4-5). A zero nextUpdate leaves the field out, which ICAO 9303-12
// and RFC 5280 forbid: verifiers treat such a CRL as never current. Use
// it to test stale CRLs (nextUpdate before the verification time) and
// CRLs from the future (thisUpdate after it). thisUpdate must not be zero
// or after a non-zero nextUpdate.
func (is *Issuer) CRLAt(thisUpdate, nextUpdate time.Time, revoked ...*chip.Certificate) ([]byte, error) {
	if is.cscaKey == nil {
		return nil, errors.New("chiptest: CRL: zero Issuer (use New)")
	}
	if thisUpdate.IsZero() || (!nextUpdate.IsZero() && nextUpdate.Before(thisUpdate)) {
		return nil, errors.New("chiptest: CRL: thisUpdate is zero or after nextUpdate")
	}
	var serials []*big.Int
	for i, c := range revoked {
		if c == nil || c.SerialNumber == nil {
			return nil, fmt.Errorf("chiptest: CRL: revoked certificate %d is nil or has no serial number", i)
		}
		serials = append(serials, c.SerialNumber)
	}
	return createCRL(is.cscaName, is.cscaKey, is.opts.Hash, thisUpdate, nextUpdate, serials)
}

// CSCADER returns the CSCA certificate in DER.
func (is *Issuer) CSCADER() []byte { return append([]byte(nil), is.cscaDER...) }

// CSCAPEM returns the CSCA certificate in PEM.
func (is *Issuer) CSCAPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: is.cscaDER})
}

// DSDER returns the Document Signer certificate in DER.
func (is *Issuer) DSDER() []byte { return append([]byte(nil), is.dsDER...) }

// TrustStore returns a new store holding this issuer's CSCA.
func (is *Issuer) TrustStore() *chip.TrustStore { return chip.NewTrustStore(is.CSCA) }

// Sign returns a copy of files with a new EF.SOD protecting every data
// group in it, signed by the Document Signer.
func (is *Issuer) Sign(files chip.Files) (chip.Files, error) {
	out := maps.Clone(files)
	delete(out, chip.FileSOD)
	sod, err := chip.BuildSOD(out, chip.SODOptions{
		Hash: is.opts.Hash, Certificate: is.dsDER, Signer: is.dsKey,
		PSS: is.opts.PSS, SigningTime: is.opts.SigningTime,
	})
	if err != nil {
		return nil, err
	}
	out[chip.FileSOD] = sod
	return out, nil
}

// SignMasterList returns a CSCA master list holding certs (DER), signed
// by this issuer's Document Signer acting as the master-list signer (its
// certificate is issued by the CSCA, so the list's signer chains to it).
func (is *Issuer) SignMasterList(certs ...[]byte) ([]byte, error) {
	return chip.BuildMasterList(certs, chip.SODOptions{
		Hash: is.opts.Hash, Certificate: is.dsDER, Signer: is.dsKey,
		PSS: is.opts.PSS, SigningTime: is.opts.SigningTime,
	})
}
