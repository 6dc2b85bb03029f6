package cms

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"math/big"
	mathrand "math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cancuoc/sdk/internal/brainpool"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

const lds = "../../testdata/lds/"

func read(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(lds, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func unhex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// Vectors written by hand from X.690 §8.1.3 (lengths) and §8.7 (OCTET
// STRING constructed form).
func TestNormalize(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"DER unchanged", "300602010102010200", "3006020101020102"},
		{"indefinite SEQUENCE", "30800201010201020000", "3006020101020102"},
		{"nested indefinite", "3080308002010500000000", "30053003020105"},
		{"long form short length", "30810302010500", "3003020105"},
		{"non-minimal long form", "3082000302010500", "3003020105"},
		{"constructed OCTET STRING", "2480040241420401430000", "0403414243"},
		{"primitive non-minimal length", "04810141", "040141"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := unhex(tc.in)
			out, n, err := Normalize(in)
			if err != nil {
				t.Fatal(err)
			}
			want := unhex(tc.want)
			if !bytes.Equal(out, want) {
				t.Fatalf("got %x want %x", out, want)
			}
			if tc.name == "DER unchanged" && n != len(in)-1 {
				t.Fatalf("used %d", n)
			}
		})
	}
	for _, bad := range []string{"3080020101", "0480", "3085010000000000", "30", "3003020101ff", "1f"} {
		if _, _, err := Normalize(unhex(bad)); err == nil && bad != "3003020101ff" {
			t.Errorf("%s: accepted", bad)
		}
	}
	// Depth is bounded.
	deep := bytes.Repeat([]byte{0x30, 0x80}, MaxDepth+2)
	deep = append(deep, bytes.Repeat([]byte{0, 0}, MaxDepth+2)...)
	if _, _, err := Normalize(deep); !errors.Is(err, ErrMalformed) {
		t.Fatalf("deep nesting: %v", err)
	}
}

func TestUnwrapTrailing(t *testing.T) {
	if _, err := Unwrap(unhex("7703020100"), 0x77); err != nil {
		t.Fatal(err)
	}
	if _, err := Unwrap(unhex("770302010000"), 0x77); !errors.Is(err, ErrTrailing) {
		t.Fatalf("trailing: %v", err)
	}
	if b, err := Unwrap(unhex("77800201000000"), 0x77); err != nil || !bytes.Equal(b, unhex("020100")) {
		t.Fatalf("indefinite: %x %v", b, err)
	}
	if _, err := Unwrap(unhex("7780020100000000"), 0x77); !errors.Is(err, ErrTrailing) {
		t.Fatalf("indefinite with trailing byte: %v", err)
	}
	if _, err := Unwrap(unhex("778002010000"), 0x77); !errors.Is(err, ErrMalformed) {
		t.Fatalf("missing end-of-contents: %v", err)
	}
}

// RFC 5280 §4.1.2.5: UTCTime years 50-99 are 19xx; real certificates also
// omit seconds or use offsets.
func TestParseTime(t *testing.T) {
	cases := []struct {
		tag  byte
		in   string
		want time.Time
	}{
		{0x17, "491231235959Z", time.Date(2049, 12, 31, 23, 59, 59, 0, time.UTC)},
		{0x17, "500101000000Z", time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC)},
		{0x17, "0609250000Z", time.Date(2006, 9, 25, 0, 0, 0, 0, time.UTC)},
		{0x17, "060925010000+0100", time.Date(2006, 9, 25, 0, 0, 0, 0, time.UTC)},
		{0x18, "20500101000000Z", time.Date(2050, 1, 1, 0, 0, 0, 0, time.UTC)},
		{0x18, "20060925000000.5Z", time.Date(2006, 9, 25, 0, 0, 0, 5e8, time.UTC)},
	}
	for _, tc := range cases {
		got, err := ParseTime(tc.tag, tc.in)
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("%s: %v %v", tc.in, got, err)
		}
	}
	for _, bad := range []string{"", "2006", "06092500000Z", "zz0925000000Z"} {
		if _, err := ParseTime(0x17, bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func mustName(t *testing.T, rdns ...[2]string) Name {
	var b cryptobyte.Builder
	oids := map[string][]int{"C": {2, 5, 4, 6}, "O": {2, 5, 4, 10}, "CN": {2, 5, 4, 3}}
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		for _, r := range rdns {
			b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					b.AddASN1ObjectIdentifier(oids[r[0]])
					b.AddASN1(cbasn1.PrintableString, func(b *cryptobyte.Builder) { b.AddBytes([]byte(r[1])) })
				})
			})
		}
	})
	n, ok := parseName(b.BytesOrPanic())
	if !ok {
		t.Fatal("name")
	}
	return n
}

func TestNameComparison(t *testing.T) {
	a := mustName(t, [2]string{"C", "NL"}, [2]string{"O", "Gov"}, [2]string{"CN", "CSCA"})
	reordered := mustName(t, [2]string{"CN", "CSCA"}, [2]string{"O", "Gov"}, [2]string{"C", "NL"})
	lower := mustName(t, [2]string{"C", "nl"}, [2]string{"O", "Gov"}, [2]string{"CN", "CSCA"})
	other := mustName(t, [2]string{"C", "NL"}, [2]string{"O", "Gov"}, [2]string{"CN", "CSCA 2"})
	if !a.Equal(reordered) || !a.Equal(lower) || a.Equal(other) {
		t.Fatal("Key: RDN order and case must not matter, values must")
	}
	if a.ExactKey() != reordered.ExactKey() || a.ExactKey() == lower.ExactKey() {
		t.Fatal("ExactKey: order must not matter, case must")
	}
	if got := a.String(); got != "CN=CSCA,O=Gov,C=NL" || a.Country() != "NL" || lower.Country() != "NL" {
		t.Fatalf("String %q", got)
	}
}

// explicitParams encodes ECParameters (RFC 3279 §2.3.5) for a curve.
func explicitParams(p, a, b, gx, gy, n []byte, size int) []byte {
	pad := func(v []byte) []byte { return append(make([]byte, size-len(v)), v...) }
	var bb cryptobyte.Builder
	bb.AddASN1(cbasn1.SEQUENCE, func(c *cryptobyte.Builder) {
		c.AddASN1Int64(1)
		c.AddASN1(cbasn1.SEQUENCE, func(c *cryptobyte.Builder) {
			c.AddASN1ObjectIdentifier(OIDPrimeField)
			c.AddASN1(cbasn1.INTEGER, func(c *cryptobyte.Builder) { c.AddBytes(append([]byte{0}, p...)) })
		})
		c.AddASN1(cbasn1.SEQUENCE, func(c *cryptobyte.Builder) {
			c.AddASN1OctetString(pad(a))
			c.AddASN1OctetString(pad(b))
		})
		c.AddASN1OctetString(append(append([]byte{4}, pad(gx)...), pad(gy)...))
		c.AddASN1(cbasn1.INTEGER, func(c *cryptobyte.Builder) { c.AddBytes(append([]byte{0}, n...)) })
		c.AddASN1Int64(1)
	})
	return bb.BytesOrPanic()
}

func TestExplicitCurves(t *testing.T) {
	for _, c := range []elliptic.Curve{elliptic.P224(), elliptic.P256(), elliptic.P384(), elliptic.P521()} {
		p := c.Params()
		size := (p.BitSize + 7) / 8
		a := new(big.Int).Sub(p.P, big.NewInt(3)).Bytes() // NIST curves: a = p - 3
		got, err := CurveFromParameters(explicitParams(p.P.Bytes(), a, p.B.Bytes(), p.Gx.Bytes(), p.Gy.Bytes(), p.N.Bytes(), size))
		if err != nil || got.NIST != c {
			t.Errorf("%s: %v %v", p.Name, got.Name(), err)
		}
		// A different base point is not the named curve.
		if _, err := CurveFromParameters(explicitParams(p.P.Bytes(), a, p.B.Bytes(), p.Gy.Bytes(), p.Gx.Bytes(), p.N.Bytes(), size)); !errors.Is(err, ErrUnsupported) {
			t.Errorf("%s with swapped base point: %v", p.Name, err)
		}
	}
	for _, c := range brainpool.Curves() {
		size := (c.BitSize + 7) / 8
		got, err := CurveFromParameters(explicitParams(c.P.Bytes(), c.A.Bytes(), c.B.Bytes(), c.Gx.Bytes(), c.Gy.Bytes(), c.N.Bytes(), size))
		if err != nil || got.Brainpool != c {
			t.Errorf("%s: %v %v", c.Name, got.Name(), err)
		}
	}
}

// RFC 4055 §3.1 defaults, and the parameters of the SG SOD (SHA-256,
// salt 32) from the shared README.
func TestPSSParameters(t *testing.T) {
	sch, err := pssScheme(nil)
	if err != nil || sch.Hash.String() != "SHA-1" || sch.SaltLength != 20 {
		t.Fatalf("defaults: %+v %v", sch, err)
	}
	b, err := Unwrap(read(t, "gmrtd_realissuer-SG_EF.SOD"), 0x77)
	if err != nil {
		t.Fatal(err)
	}
	sd, err := ParseSignedData(b)
	if err != nil {
		t.Fatal(err)
	}
	sch, err = Scheme(sd.Signer.SignatureAlgorithm, sd.Signer.DigestHash())
	if err != nil || sch.Hash.String() != "SHA-256" || sch.SaltLength != 32 || sch.Name() != "RSASSA-PSS-SHA-256" {
		t.Fatalf("SG: %+v %v", sch, err)
	}
}

// README: the master list's SignerInfo sid is a subjectKeyIdentifier; the
// list holds certificates with explicit EC parameters (111) and one RSA
// key without NULL parameters.
func TestMasterListQuirks(t *testing.T) {
	sd, err := ParseSignedData(read(t, "gmrtd_NL_masterlist_2026-07-22.ml"))
	if err != nil {
		t.Fatal(err)
	}
	if sd.Signer.SubjectKeyID == nil || !sd.EContentType.Equal(OIDCSCAMasterList) {
		t.Fatal("sid is not a subjectKeyIdentifier")
	}
	s := cryptobyte.String(sd.EContent)
	var seq, set cryptobyte.String
	if !s.ReadASN1(&seq, cbasn1.SEQUENCE) || !seq.SkipASN1(cbasn1.INTEGER) || !seq.ReadASN1(&set, cbasn1.SET) {
		t.Fatal("CscaMasterList")
	}
	explicit, rsaNoNull, total := 0, 0, 0
	for !set.Empty() {
		var raw cryptobyte.String
		if !set.ReadASN1Element(&raw, cbasn1.SEQUENCE) {
			t.Fatal("certList")
		}
		total++
		c, err := ParseCertificate(raw)
		if err != nil {
			t.Fatal(err)
		}
		if c.PublicKeyAlgorithm.Algorithm.Equal(OIDECPublicKey) && len(c.PublicKeyAlgorithm.Parameters) > 0 && c.PublicKeyAlgorithm.Parameters[0] == 0x30 {
			explicit++
		}
		if c.PublicKeyAlgorithm.Algorithm.Equal(OIDRSAEncryption) && c.PublicKeyAlgorithm.Parameters == nil {
			rsaNoNull++
		}
	}
	if total != 411 || explicit != 111 || rsaNoNull != 1 {
		t.Fatalf("total %d, explicit EC %d (want 111), RSA without NULL %d (want 1)", total, explicit, rsaNoNull)
	}
}

func FuzzCMS(f *testing.F) {
	for _, n := range []string{"gmrtd_realissuer-AU_EF.SOD", "gmrtd_realissuer-SG_EF.SOD", "jmrtd_nl-specimen2006_EF.SOD"} {
		b, err := Unwrap(read(f, n), 0x77)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add(unhex("30800201010201020000"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if out, n, err := Normalize(b); err == nil {
			if n > len(b) || len(out) == 0 {
				t.Fatal("Normalize used more than given")
			}
			// DER output is a fixed point.
			again, m, err := Normalize(out)
			if err != nil || m != len(out) || !bytes.Equal(again, out) {
				t.Fatalf("Normalize not idempotent: %v", err)
			}
		}
		sd, err := ParseSignedData(b)
		if err != nil {
			if sd != nil {
				t.Fatal("error with a result")
			}
			return
		}
		_ = sd.CheckMessageDigest()
		for _, c := range sd.Certificates {
			_ = sd.VerifySignature(c.PublicKey)
		}
	})
}

// An ECDSA signature whose r carries a superfluous leading zero (a
// non-minimal INTEGER some issuers emit) still verifies; a changed s does not.
func TestLenientECDSASignature(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	digest := sha256.Sum256([]byte("signed attributes"))
	sig, err := ecdsa.SignASN1(rand.Reader, key, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	in := cryptobyte.String(sig)
	var seq cryptobyte.String
	r, s := new(big.Int), new(big.Int)
	if !in.ReadASN1(&seq, cbasn1.SEQUENCE) || !seq.ReadASN1Integer(r) || !seq.ReadASN1Integer(s) {
		t.Fatal("sig")
	}
	enc := func(r, s *big.Int) []byte {
		var b cryptobyte.Builder
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.INTEGER, func(b *cryptobyte.Builder) { b.AddBytes(append([]byte{0, 0}, r.Bytes()...)) })
			b.AddASN1BigInt(s)
		})
		return b.BytesOrPanic()
	}
	sch := SignatureScheme{kind: kindECDSA, Hash: crypto.SHA256}
	if err := sch.VerifyDigest(&key.PublicKey, digest[:], enc(r, s)); err != nil {
		t.Fatalf("non-minimal r: %v", err)
	}
	if err := sch.VerifyDigest(&key.PublicKey, digest[:], enc(r, new(big.Int).Add(s, big.NewInt(1)))); !errors.Is(err, ErrSignature) {
		t.Fatalf("changed s: %v", err)
	}
}

func TestCompressedNISTPoint(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pt := elliptic.MarshalCompressed(elliptic.P384(), key.X, key.Y)
	pub, err := ECPublicKey(Curve{NIST: elliptic.P384()}, pt)
	if err != nil || !key.PublicKey.Equal(pub) {
		t.Fatalf("compressed point: %v", err)
	}
	pt[1] ^= 0xff // almost surely no longer an x on the curve
	if _, err := ECPublicKey(Curve{NIST: elliptic.P384()}, pt); err == nil {
		t.Log("flipped x happened to be on the curve")
	}
}

func TestParseTimeFastPathAgrees(t *testing.T) {
	for _, tc := range []struct {
		tag byte
		v   string
	}{{0x17, "240229120000Z"}, {0x17, "230229120000Z"}, {0x18, "20991231235959Z"}, {0x17, "241301000000Z"}, {0x13, "240229120000Z"}, {0x18, "2024022912000Z"}} {
		fast, fok := fastTime(tc.tag, tc.v)
		slow, err := ParseTime(tc.tag, tc.v)
		if fok && (err != nil || !fast.Equal(slow)) {
			t.Errorf("%x %q: fast %v, slow %v %v", tc.tag, tc.v, fast, slow, err)
		}
		if !fok && err == nil && tc.tag == 0x17 && len(tc.v) == 13 {
			t.Errorf("%q: fast path refused a time.Parse accepts", tc.v)
		}
	}
}

// TestRandomMutations runs a deterministic burst of mutated real SODs
// through parsing and verification (the fuzzer's job in CI is only a few
// seconds; this keeps a wider sweep in every test run). Found: a typed nil
// RSA key from a malformed SubjectPublicKeyInfo.
func TestRandomMutations(t *testing.T) {
	var seeds [][]byte
	for _, n := range []string{"gmrtd_realissuer-AU_EF.SOD", "gmrtd_realissuer-SG_EF.SOD", "jmrtd_nl-specimen2006_EF.SOD"} {
		b, err := Unwrap(read(t, n), 0x77)
		if err != nil {
			t.Fatal(err)
		}
		seeds = append(seeds, b)
	}
	r := mathrand.New(mathrand.NewPCG(1, 2))
	for i := 0; i < 3000; i++ {
		b := bytes.Clone(seeds[r.IntN(len(seeds))])
		for k := 0; k <= r.IntN(4); k++ {
			switch p := r.IntN(len(b)); r.IntN(3) {
			case 0:
				b[p] = byte(r.Uint32())
			case 1:
				b = append(b[:p], b[p+1:]...)
			default:
				b = append(b[:p], append([]byte{byte(r.Uint32())}, b[p:]...)...)
			}
		}
		sd, err := ParseSignedData(b)
		if err != nil {
			continue
		}
		_ = sd.CheckMessageDigest()
		for _, c := range sd.Certificates {
			_ = sd.VerifySignature(c.PublicKey)
			_ = c.CheckSignatureFrom(c)
		}
	}
}

// TestSameAlgorithm: inner and outer certificate signature algorithms
// (RFC 5280 §4.1.1.2). Hand-built identifiers, then the real files: all
// 411 certificates of the Dutch master list, its signer and the Document
// Signers of the real SODs carry byte-identical identifiers (the README's
// "ecdsa-with-SHA* with NULL parameters" are NULL on both sides), so the
// check changes no verdict on them.
func TestSameAlgorithm(t *testing.T) {
	null := []byte{5, 0}
	pssA := unhex("3034a00f300d06096086480165030402010500a11c301a06092a864886f70d010108300d06096086480165030402010500a203020120")
	pssB := unhex("3034a00f300d06096086480165030402030500a11c301a06092a864886f70d010108300d06096086480165030402030500a203020140")
	for _, tc := range []struct {
		name string
		a, b AlgorithmIdentifier
		want bool
	}{
		{"same", AlgorithmIdentifier{OIDSHA256WithRSA, null}, AlgorithmIdentifier{OIDSHA256WithRSA, null}, true},
		{"NULL vs absent", AlgorithmIdentifier{OIDSHA256WithRSA, null}, AlgorithmIdentifier{OIDSHA256WithRSA, nil}, true},
		{"ECDSA absent vs NULL", AlgorithmIdentifier{OIDECDSAWithSHA256, nil}, AlgorithmIdentifier{OIDECDSAWithSHA256, null}, true},
		{"other hash", AlgorithmIdentifier{OIDECDSAWithSHA512, nil}, AlgorithmIdentifier{OIDECDSAWithSHA256, nil}, false},
		{"other family", AlgorithmIdentifier{OIDSHA256WithRSA, null}, AlgorithmIdentifier{OIDECDSAWithSHA256, nil}, false},
		{"PSS same", AlgorithmIdentifier{OIDRSAPSS, pssA}, AlgorithmIdentifier{OIDRSAPSS, pssA}, true},
		{"PSS other parameters", AlgorithmIdentifier{OIDRSAPSS, pssA}, AlgorithmIdentifier{OIDRSAPSS, pssB}, false},
		{"PSS vs absent", AlgorithmIdentifier{OIDRSAPSS, pssA}, AlgorithmIdentifier{OIDRSAPSS, nil}, false},
		{"non-NULL parameters", AlgorithmIdentifier{OIDSHA256WithRSA, []byte{4, 0}}, AlgorithmIdentifier{OIDSHA256WithRSA, null}, false},
	} {
		if got := SameAlgorithm(tc.a, tc.b); got != tc.want {
			t.Errorf("%s: SameAlgorithm = %v", tc.name, got)
		}
	}

	var certs []*Certificate
	sd, err := ParseSignedData(read(t, "gmrtd_NL_masterlist_2026-07-22.ml"))
	if err != nil {
		t.Fatal(err)
	}
	certs = append(certs, sd.Certificates...)
	s := cryptobyte.String(sd.EContent)
	var seq, set cryptobyte.String
	if !s.ReadASN1(&seq, cbasn1.SEQUENCE) || !seq.SkipASN1(cbasn1.INTEGER) || !seq.ReadASN1(&set, cbasn1.SET) {
		t.Fatal("CscaMasterList")
	}
	for !set.Empty() {
		var raw cryptobyte.String
		if !set.ReadASN1Element(&raw, cbasn1.SEQUENCE) {
			t.Fatal("certList")
		}
		c, err := ParseCertificate(raw)
		if err != nil {
			t.Fatal(err)
		}
		certs = append(certs, c)
	}
	for _, n := range []string{"AU", "CN", "FR", "SG", "US"} {
		b, err := Unwrap(read(t, "gmrtd_realissuer-"+n+"_EF.SOD"), 0x77)
		if err != nil {
			t.Fatal(err)
		}
		sd, err := ParseSignedData(b)
		if err != nil {
			t.Fatal(err)
		}
		certs = append(certs, sd.Certificates...)
	}
	identical := 0
	for _, c := range certs {
		if bytes.Equal(c.TBSSignatureAlgorithm.Marshal(), c.SignatureAlgorithm.Marshal()) {
			identical++
		}
	}
	if len(certs) < 411+1+5 || identical != len(certs) {
		t.Errorf("%d of %d real certificates have identical inner and outer identifiers", identical, len(certs))
	}
}

// TestRawExtensionOIDs checks the content octets decodeExtension compares
// against the OIDs they stand for, and validOID against the decoder.
func TestRawExtensionOIDs(t *testing.T) {
	for raw, oid := range map[string]asn1.ObjectIdentifier{
		rawExtSubjectKeyID: OIDExtSubjectKeyID, rawExtAuthorityKey: OIDExtAuthorityKey,
		rawExtBasicConstr: OIDExtBasicConstr, rawExtKeyUsage: OIDExtKeyUsage,
	} {
		var b cryptobyte.Builder
		b.AddASN1ObjectIdentifier(oid)
		if der := b.BytesOrPanic(); string(der[2:]) != raw {
			t.Errorf("%v: content octets % x, constant % x", oid, der[2:], raw)
		}
	}
	for _, tc := range []struct {
		b    []byte
		want bool
	}{
		{[]byte{0x55, 0x1d, 0x0e}, true},
		{[]byte{0x2a, 0x86, 0x48}, true},
		{nil, false},
		{[]byte{0x55, 0x9d}, false},       // last octet continues
		{[]byte{0x55, 0x80, 0x01}, false}, // non-minimal subidentifier
	} {
		if got := validOID(tc.b); got != tc.want {
			t.Errorf("validOID(% x) = %v, want %v", tc.b, got, tc.want)
		}
	}
}
