package chip_test

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/x509"
	"slices"
	"testing"
	"time"

	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/chip/chiptest"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// benchCard is a card with DG1, DG2 (20 KB), DG13, DG14 and DG15 signed
// with ECDSA P-256 / SHA-256.
func benchCard(b *testing.B) (*chiptest.Issuer, chip.Files) {
	is := newIssuer(b, chiptest.Options{Seed: "bench"})
	return is, sign(b, is, benchFiles(b))
}

// BenchmarkPassiveAuthentication is the whole of Verify on one card.
func BenchmarkPassiveAuthentication(b *testing.B) {
	is, files := benchCard(b)
	opts := chip.VerifyOptions{Trust: is.TrustStore(), Now: at}
	b.ReportAllocs()
	for b.Loop() {
		if r, err := chip.Verify(files, opts); err != nil || !r.Valid {
			b.Fatal(err)
		}
	}
}

// BenchmarkPassiveAuthenticationCRL is Verify with a current CRL of the
// CSCA in the store that does not list the card's signer, the usual case
// of a relying party that loads its CSCAs' CRLs.
func BenchmarkPassiveAuthenticationCRL(b *testing.B) {
	is, files := benchCard(b)
	other, err := is.ExpiredSigner()
	if err != nil {
		b.Fatal(err)
	}
	crl, err := is.CRL(other.DS)
	if err != nil {
		b.Fatal(err)
	}
	ts := is.TrustStore()
	if err := ts.AddCRL(crl); err != nil {
		b.Fatal(err)
	}
	opts := chip.VerifyOptions{Trust: ts, Now: at}
	b.ReportAllocs()
	for b.Loop() {
		if r, err := chip.Verify(files, opts); err != nil || !r.Valid {
			b.Fatal(err)
		}
	}
}

// The primitives passive authentication cannot avoid: hashing the data
// groups, one ECDSA verification of the SOD, one of the DS certificate.

func BenchmarkPAPrimitiveHashDataGroups(b *testing.B) {
	_, files := benchCard(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, n := range []string{"DG1", "DG2", "DG13", "DG14", "DG15"} {
			sha256.Sum256(files[n])
		}
	}
}

func BenchmarkPAPrimitiveVerifySOD(b *testing.B) {
	is, files := benchCard(b)
	attrs, sig := signedAttrsAndSignature(b, files["EF.SOD"])
	pub := dsKey(b, is)
	b.ReportAllocs()
	for b.Loop() {
		d := sha256.Sum256(attrs)
		if !ecdsa.VerifyASN1(pub, d[:], sig) {
			b.Fatal("bad signature")
		}
	}
}

func BenchmarkPAPrimitiveVerifyDSCertificate(b *testing.B) {
	is, _ := benchCard(b)
	ds, err := x509.ParseCertificate(is.DSDER())
	if err != nil {
		b.Fatal(err)
	}
	csca, err := x509.ParseCertificate(is.CSCADER())
	if err != nil {
		b.Fatal(err)
	}
	pub := csca.PublicKey.(*ecdsa.PublicKey)
	b.ReportAllocs()
	for b.Loop() {
		d := sha256.Sum256(ds.RawTBSCertificate)
		if !ecdsa.VerifyASN1(pub, d[:], ds.Signature) {
			b.Fatal("bad signature")
		}
	}
}

func dsKey(b *testing.B, is *chiptest.Issuer) *ecdsa.PublicKey {
	c, err := x509.ParseCertificate(is.DSDER())
	if err != nil {
		b.Fatal(err)
	}
	return c.PublicKey.(*ecdsa.PublicKey)
}

// signedAttrsAndSignature digs the DER SET OF signed attributes and the
// signature out of a DER SOD, independently of package chip.
func signedAttrsAndSignature(b *testing.B, sod []byte) (attrs, sig []byte) {
	s := cryptobyte.String(sod)
	var ci, sd, sis, si cryptobyte.String
	var a cryptobyte.String
	ok := s.ReadASN1(&s, cbasn1.Tag(0x77)) && s.ReadASN1(&ci, cbasn1.SEQUENCE) &&
		ci.SkipASN1(cbasn1.OBJECT_IDENTIFIER) && ci.ReadASN1(&ci, cbasn1.Tag(0).Constructed().ContextSpecific()) &&
		ci.ReadASN1(&sd, cbasn1.SEQUENCE) && sd.SkipASN1(cbasn1.INTEGER) && sd.SkipASN1(cbasn1.SET) &&
		sd.SkipASN1(cbasn1.SEQUENCE) && sd.SkipASN1(cbasn1.Tag(0).Constructed().ContextSpecific()) &&
		sd.ReadASN1(&sis, cbasn1.SET) && sis.ReadASN1(&si, cbasn1.SEQUENCE) &&
		si.SkipASN1(cbasn1.INTEGER) && si.SkipASN1(cbasn1.SEQUENCE) && si.SkipASN1(cbasn1.SEQUENCE) &&
		si.ReadASN1Element(&a, cbasn1.Tag(0).Constructed().ContextSpecific()) && si.SkipASN1(cbasn1.SEQUENCE) &&
		si.ReadASN1(&s, cbasn1.OCTET_STRING)
	if !ok {
		b.Fatal("cannot read SOD")
	}
	attrs = append([]byte{0x31}, a[1:]...)
	return attrs, s
}

// BenchmarkMasterList parses the Dutch master list (411 certificates) and
// verifies its signature.
func BenchmarkMasterList(b *testing.B) {
	raw := readLDS(b, "gmrtd_NL_masterlist_2026-07-22.ml")
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		ml, err := chip.ParseMasterList(raw)
		if err != nil || ml.SignatureErr != nil || ml.Total != 411 {
			b.Fatal(err)
		}
	}
}

// BenchmarkMasterListCertificatesX509 parses the same certificates with
// crypto/x509, skipping the ones it refuses, for comparison with the
// certificate parsing inside BenchmarkMasterListCertificates.
func BenchmarkMasterListCertificatesX509(b *testing.B) {
	var raws [][]byte
	for _, c := range dutchList(b).Certificates {
		raws = append(raws, c.Raw)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, r := range raws {
			x509.ParseCertificate(r)
		}
	}
}

// BenchmarkMasterListCertificates parses the list's certificates with
// this package's parser (all 411, key decoding included).
func BenchmarkMasterListCertificates(b *testing.B) {
	var raws [][]byte
	for _, c := range dutchList(b).Certificates {
		raws = append(raws, c.Raw)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, r := range raws {
			if _, err := chip.ParseCertificate(r); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkVerifyRealSOD parses each real-issuer SOD, checks its
// messageDigest and signature with the embedded DS, and chains the DS to
// the Dutch master list (ns/op covers the five files).
func BenchmarkVerifyRealSOD(b *testing.B) {
	ts := dutchTrust(b)
	var sods [][]byte
	for _, c := range []string{"AU", "CN", "FR", "SG", "US"} {
		sods = append(sods, readLDS(b, "gmrtd_realissuer-"+c+"_EF.SOD"))
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, raw := range sods {
			sod, err := chip.ParseSOD(raw)
			if err != nil {
				b.Fatal(err)
			}
			ds, err := sod.SignerCertificate()
			if err != nil {
				b.Fatal(err)
			}
			if err := sod.VerifySignature(ds); err != nil {
				b.Fatal(err)
			}
			if _, err := ts.Chain(ds, ds.NotBefore.Add(48*time.Hour)); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkPassiveAuthenticationRatio interleaves Verify with the
// primitives it cannot avoid (hashing the five data groups, the ECDSA
// verification of the SOD and of the DS certificate) on the same card and
// reports the ratio of their medians, which is robust to a busy machine.
// Goal: ratio <= 1.15.
func BenchmarkPassiveAuthenticationRatio(b *testing.B) {
	is, files := benchCard(b)
	opts := chip.VerifyOptions{Trust: is.TrustStore(), Now: at}
	attrs, sig := signedAttrsAndSignature(b, files["EF.SOD"])
	dsPub := dsKey(b, is)
	ds, _ := x509.ParseCertificate(is.DSDER())
	csca, _ := x509.ParseCertificate(is.CSCADER())
	cscaPub := csca.PublicKey.(*ecdsa.PublicKey)
	var full, prim []time.Duration
	b.ReportAllocs()
	for b.Loop() {
		t0 := time.Now()
		if _, err := chip.Verify(files, opts); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		for _, n := range []string{"DG1", "DG2", "DG13", "DG14", "DG15"} {
			sha256.Sum256(files[n])
		}
		d := sha256.Sum256(attrs)
		ok1 := ecdsa.VerifyASN1(dsPub, d[:], sig)
		d = sha256.Sum256(ds.RawTBSCertificate)
		ok2 := ecdsa.VerifyASN1(cscaPub, d[:], ds.Signature)
		t2 := time.Now()
		if !ok1 || !ok2 {
			b.Fatal("primitive failed")
		}
		full = append(full, t1.Sub(t0))
		prim = append(prim, t2.Sub(t1))
	}
	median := func(v []time.Duration) float64 {
		slices.Sort(v)
		return float64(v[len(v)/2])
	}
	mf, mp := median(full), median(prim)
	b.ReportMetric(mf, "verify-ns")
	b.ReportMetric(mp, "primitives-ns")
	b.ReportMetric(mf/mp, "ratio")
}
