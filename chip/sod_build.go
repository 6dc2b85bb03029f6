package chip

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"encoding/asn1"
	"errors"
	"io"
	"slices"
	"time"

	"github.com/cancuoc/sdk/internal/brainpool"
	"github.com/cancuoc/sdk/internal/cms"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// SODOptions configures BuildSOD. Certificate and Signer are required;
// the zero value of every other field picks the ICAO default.
type SODOptions struct {
	// Hash hashes the data groups and the signed attributes; 0 means SHA-256.
	Hash crypto.Hash
	// Certificate is the Document Signer certificate (DER). It is
	// embedded in the SignedData and named by the SignerInfo.
	Certificate []byte
	// Signer is the Document Signer's private key: ECDSA (NIST or
	// brainpool) or RSA. An HSM works through crypto.Signer.
	Signer crypto.Signer
	// PSS selects RSASSA-PSS (salt = hash size) for RSA keys instead of
	// PKCS#1 v1.5.
	PSS bool
	// SigningTime is put in the signingTime attribute; zero omits it.
	SigningTime time.Time
	// LDSVersion and UnicodeVersion (such as "0108" and "040000") make a
	// version 1 security object with ldsVersionInfo; empty makes version 0.
	LDSVersion, UnicodeVersion string
	// Rand is passed to Signer.Sign; nil means crypto/rand.
	Rand io.Reader
	// ContentType overrides the eContentType of an SOD (default the LDS
	// OID 2.23.136.1.1.1); some issuers use id-data or 1.3.27.1.1.1, and
	// tests of other verifiers need such files. BuildMasterList ignores it.
	ContentType asn1.ObjectIdentifier
}

// ErrBuild reports options BuildSOD cannot use.
var ErrBuild = errors.New("chip: cannot build SOD")

// BuildSOD returns a DER EF.SOD protecting every data group ("DG1" ..
// "DG16") in files, hashed over their exact bytes. EF.COM and EF.SOD are
// not protected (ICAO 9303-10).
func BuildSOD(files Files, opts SODOptions) ([]byte, error) {
	signer, err := newCMSSigner(opts, "DS certificate")
	if err != nil {
		return nil, err
	}
	h, hashAlg := signer.hash, signer.hashAlg
	var nums []int
	for n := 1; n <= 16; n++ {
		if _, ok := files[DataGroupName(n)]; ok {
			nums = append(nums, n)
		}
	}
	if len(nums) == 0 {
		return nil, ErrMissingDataGroup
	}

	// LDSSecurityObject.
	var lso cryptobyte.Builder
	lso.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		v1 := opts.LDSVersion != "" || opts.UnicodeVersion != ""
		if v1 {
			b.AddASN1Int64(1)
		} else {
			b.AddASN1Int64(0)
		}
		b.AddBytes(hashAlg.Marshal())
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			for _, n := range nums {
				d := h.New()
				d.Write(files[DataGroupName(n)])
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					b.AddASN1Int64(int64(n))
					b.AddASN1OctetString(d.Sum(nil))
				})
			}
		})
		if v1 {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.PrintableString, func(b *cryptobyte.Builder) { b.AddBytes([]byte(opts.LDSVersion)) })
				b.AddASN1(cbasn1.PrintableString, func(b *cryptobyte.Builder) { b.AddBytes([]byte(opts.UnicodeVersion)) })
			})
		}
	})
	content, err := lso.Bytes()
	if err != nil {
		return nil, ErrBuild
	}

	ct := cms.OIDLDSSecurityObj
	if opts.ContentType != nil {
		ct = opts.ContentType
	}
	sd, err := signer.signedData(ct, content)
	if err != nil {
		return nil, err
	}
	var out cryptobyte.Builder
	out.AddASN1(cbasn1.Tag(0x77), func(b *cryptobyte.Builder) { b.AddBytes(sd) })
	return out.Bytes()
}

// BuildMasterList returns a DER CSCA master list (ICAO 9303-12 §9):
// SignedData with eContentType 2.23.136.1.1.2 over CscaMasterList
// { version 0, certList } holding certs (DER certificates, kept as given),
// signed by the master-list signer in opts (Certificate and Signer; Hash,
// PSS, SigningTime and Rand as for BuildSOD).
func BuildMasterList(certs [][]byte, opts SODOptions) ([]byte, error) {
	signer, err := newCMSSigner(opts, "signer certificate")
	if err != nil {
		return nil, err
	}
	// certList is a DER SET OF: sorted by encoding.
	sorted := slices.Clone(certs)
	slices.SortFunc(sorted, bytes.Compare)
	var ml cryptobyte.Builder
	ml.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1Int64(0)
		b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
			for _, c := range sorted {
				b.AddBytes(c)
			}
		})
	})
	content, err := ml.Bytes()
	if err != nil {
		return nil, ErrBuild
	}
	return signer.signedData(cms.OIDCSCAMasterList, content)
}

// cmsSigner is what signing a SignedData needs, checked once from the
// options.
type cmsSigner struct {
	opts    SODOptions
	hash    crypto.Hash
	hashAlg cms.AlgorithmIdentifier
	cert    *cms.Certificate
	sigAlg  cms.AlgorithmIdentifier
	pss     *rsa.PSSOptions
}

// newCMSSigner checks opts (hash, signer, certificate named certName in
// errors) and picks the signature algorithm for the signer's key.
func newCMSSigner(opts SODOptions, certName string) (*cmsSigner, error) {
	h := opts.Hash
	if h == 0 {
		h = crypto.SHA256
	}
	hashOID := cms.HashOID(h)
	if hashOID == nil || !h.Available() {
		return nil, ErrUnsupportedAlgorithm
	}
	if opts.Signer == nil || opts.Certificate == nil {
		return nil, ErrBuild
	}
	cert, err := cms.ParseCertificate(opts.Certificate)
	if err != nil {
		return nil, fromCMS(certName, err)
	}
	sigAlg, pss, err := signatureAlgorithmFor(opts.Signer.Public(), h, opts.PSS)
	if err != nil {
		return nil, err
	}
	return &cmsSigner{
		opts:    opts,
		hash:    h,
		hashAlg: cms.AlgorithmIdentifier{Algorithm: hashOID, Parameters: []byte{0x05, 0x00}},
		cert:    cert,
		sigAlg:  sigAlg,
		pss:     pss,
	}, nil
}

// signedData builds ContentInfo(SignedData) over content with one
// SignerInfo (issuerAndSerialNumber, signed attributes contentType,
// messageDigest and optionally signingTime).
func (s *cmsSigner) signedData(contentType asn1.ObjectIdentifier, content []byte) ([]byte, error) {
	opts, h, hashAlg, sigAlg, pssOpts, cert := s.opts, s.hash, s.hashAlg, s.sigAlg, s.pss, s.cert
	// Signed attributes, DER SET OF: sorted by encoding (X.690 §11.6).
	d := h.New()
	d.Write(content)
	attrs := [][]byte{
		attribute(cms.OIDAttrContentType, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(contentType) }),
		attribute(cms.OIDAttrMessageDig, func(b *cryptobyte.Builder) { b.AddASN1OctetString(d.Sum(nil)) }),
	}
	if !opts.SigningTime.IsZero() {
		t := opts.SigningTime.UTC().Truncate(time.Second)
		attrs = append(attrs, attribute(cms.OIDAttrSigningTime, func(b *cryptobyte.Builder) {
			if t.Year() >= 1950 && t.Year() < 2050 {
				b.AddASN1UTCTime(t)
			} else {
				b.AddASN1GeneralizedTime(t)
			}
		}))
	}
	slices.SortFunc(attrs, bytes.Compare)
	var sa cryptobyte.Builder
	sa.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
		for _, a := range attrs {
			b.AddBytes(a)
		}
	})
	signedAttrs, err := sa.Bytes()
	if err != nil {
		return nil, ErrBuild
	}
	d = h.New()
	d.Write(signedAttrs)
	rnd := opts.Rand
	if rnd == nil {
		rnd = rand.Reader
	}
	var signerOpts crypto.SignerOpts = h
	if pssOpts != nil {
		signerOpts = pssOpts
	}
	sig, err := opts.Signer.Sign(rnd, d.Sum(nil), signerOpts)
	if err != nil {
		return nil, err
	}

	var out cryptobyte.Builder
	out.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(cms.OIDSignedData)
		b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1Int64(3)
				b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) { b.AddBytes(hashAlg.Marshal()) })
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					b.AddASN1ObjectIdentifier(contentType)
					b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
						b.AddASN1OctetString(content)
					})
				})
				b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
					b.AddBytes(cert.Raw)
				})
				b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
						b.AddASN1Int64(1)
						b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
							b.AddBytes(cert.Issuer.Raw)
							b.AddASN1BigInt(cert.SerialNumber)
						})
						b.AddBytes(hashAlg.Marshal())
						// [0] IMPLICIT SET OF Attribute: same content, tag A0.
						b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
							for _, a := range attrs {
								b.AddBytes(a)
							}
						})
						b.AddBytes(sigAlg.Marshal())
						b.AddASN1OctetString(sig)
					})
				})
			})
		})
	})
	return out.Bytes()
}

// attribute encodes one Attribute. The builder cannot fail here: the OIDs
// are package constants and the values are short.
func attribute(oid asn1.ObjectIdentifier, value func(*cryptobyte.Builder)) []byte {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(oid)
		b.AddASN1(cbasn1.SET, value)
	})
	return b.BytesOrPanic()
}

// signatureAlgorithmFor picks the SignerInfo signatureAlgorithm for a key.
func signatureAlgorithmFor(pub crypto.PublicKey, h crypto.Hash, pss bool) (cms.AlgorithmIdentifier, *rsa.PSSOptions, error) {
	ecdsaOIDs := map[crypto.Hash]asn1.ObjectIdentifier{crypto.SHA1: cms.OIDECDSAWithSHA1, crypto.SHA224: cms.OIDECDSAWithSHA224,
		crypto.SHA256: cms.OIDECDSAWithSHA256, crypto.SHA384: cms.OIDECDSAWithSHA384, crypto.SHA512: cms.OIDECDSAWithSHA512}
	rsaOIDs := map[crypto.Hash]asn1.ObjectIdentifier{crypto.SHA1: cms.OIDSHA1WithRSA, crypto.SHA224: cms.OIDSHA224WithRSA,
		crypto.SHA256: cms.OIDSHA256WithRSA, crypto.SHA384: cms.OIDSHA384WithRSA, crypto.SHA512: cms.OIDSHA512WithRSA}
	switch pub.(type) {
	case *ecdsa.PublicKey, *brainpool.PublicKey:
		return cms.AlgorithmIdentifier{Algorithm: ecdsaOIDs[h]}, nil, nil
	case *rsa.PublicKey:
		if !pss {
			return cms.AlgorithmIdentifier{Algorithm: rsaOIDs[h], Parameters: []byte{0x05, 0x00}}, nil, nil
		}
		return cms.AlgorithmIdentifier{Algorithm: cms.OIDRSAPSS, Parameters: pssParameters(h)},
			&rsa.PSSOptions{SaltLength: h.Size(), Hash: h}, nil
	}
	return cms.AlgorithmIdentifier{}, nil, ErrUnsupportedAlgorithm
}

// pssParameters returns DER RSASSA-PSS-params (RFC 4055) for hash h, MGF1
// with h and a salt as long as the hash.
func pssParameters(h crypto.Hash) []byte {
	hashAlg := cms.AlgorithmIdentifier{Algorithm: cms.HashOID(h), Parameters: []byte{0x05, 0x00}}
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) { b.AddBytes(hashAlg.Marshal()) })
		b.AddASN1(cbasn1.Tag(1).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
			b.AddBytes(cms.AlgorithmIdentifier{Algorithm: cms.OIDMGF1, Parameters: hashAlg.Marshal()}.Marshal())
		})
		b.AddASN1(cbasn1.Tag(2).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) { b.AddASN1Int64(int64(h.Size())) })
	})
	return b.BytesOrPanic()
}
