package chip_test

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"encoding/asn1"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/chip/chiptest"
)

// at is a verification time inside the chiptest default validity.
var at = time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)

// syntheticFiles returns data groups with the tags and sizes of a card
// (DG2 about 20 KB); their content is random, which passive
// authentication does not look at.
func syntheticFiles(seed uint64) chip.Files {
	r := rand.New(rand.NewPCG(seed, 1))
	dg := func(tag byte, n int) []byte {
		v := make([]byte, n)
		for i := range v {
			v[i] = byte(r.Uint32())
		}
		b := []byte{tag}
		switch {
		case n < 0x80:
			b = append(b, byte(n))
		case n < 0x100:
			b = append(b, 0x81, byte(n))
		default:
			b = append(b, 0x82, byte(n>>8), byte(n))
		}
		return append(b, v...)
	}
	return chip.Files{
		"EF.COM": {0x60, 0x16, 0x5F, 0x01, 0x04, '0', '1', '0', '8', 0x5F, 0x36, 0x06, '0', '4', '0', '0', '0', '0', 0x5C, 0x05, 0x61, 0x75, 0x6D, 0x6E, 0x6F},
		"DG1":    dg(0x61, 93),
		"DG2":    dg(0x75, 20000),
		"DG13":   dg(0x6D, 600),
		"DG14":   dg(0x6E, 300),
		"DG15":   dg(0x6F, 91),
	}
}

func newIssuer(t testing.TB, opts chiptest.Options) *chiptest.Issuer {
	t.Helper()
	is, err := chiptest.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return is
}

func sign(t testing.TB, is *chiptest.Issuer, f chip.Files) chip.Files {
	t.Helper()
	out, err := is.Sign(f)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func clone(f chip.Files) chip.Files {
	out := chip.Files{}
	for k, v := range f {
		out[k] = bytes.Clone(v)
	}
	return out
}

func TestVerifyIssuedCards(t *testing.T) {
	// SHA-1 and SHA-224 verify only when the policy asks for them
	// (issue 13; the default is SHA-256 or better).
	cases := []struct {
		name   string
		opts   chiptest.Options
		policy chip.AlgorithmPolicy
	}{
		{"ECDSA P-256 SHA-256", chiptest.Options{Seed: "a"}, chip.AlgorithmPolicy{}},
		{"ECDSA P-384 SHA-384", chiptest.Options{Seed: "a", KeyType: chiptest.ECDSAP384, Hash: crypto.SHA384}, chip.AlgorithmPolicy{}},
		{"ECDSA P-521 SHA-512", chiptest.Options{Seed: "a", KeyType: chiptest.ECDSAP521, Hash: crypto.SHA512}, chip.AlgorithmPolicy{}},
		{"RSA-2048 PKCS1 SHA-256", chiptest.Options{KeyType: chiptest.RSA2048}, chip.AlgorithmPolicy{}},
		{"RSA-2048 PSS SHA-256", chiptest.Options{KeyType: chiptest.RSA2048, PSS: true}, chip.AlgorithmPolicy{}},
		{"RSA-2048 PKCS1 SHA-1", chiptest.Options{KeyType: chiptest.RSA2048, Hash: crypto.SHA1}, chip.LegacyAlgorithms()},
		{"brainpoolP256r1", chiptest.Options{Seed: "a", KeyType: chiptest.BrainpoolP256r1}, chip.AlgorithmPolicy{}},
		{"brainpoolP384r1 SHA-384", chiptest.Options{Seed: "a", KeyType: chiptest.BrainpoolP384r1, Hash: crypto.SHA384}, chip.AlgorithmPolicy{}},
		{"ECDSA P-256 SHA-224", chiptest.Options{Seed: "a", Hash: crypto.SHA224}, chip.AlgorithmPolicy{MinDataGroupHash: crypto.SHA224, MinSignatureHash: crypto.SHA224, MinCertificateHash: crypto.SHA224}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			is := newIssuer(t, tc.opts)
			files := sign(t, is, syntheticFiles(1))
			r, err := chip.Verify(files, chip.VerifyOptions{Trust: is.TrustStore(), Now: at, Policy: tc.policy})
			if err != nil || !r.Valid || r.Reason != "" {
				t.Fatalf("Verify = %v, valid %v reason %q", err, r.Valid, r.Reason)
			}
			want := tc.opts.Hash
			if want == 0 {
				want = crypto.SHA256
			}
			a := r.Algorithms
			if a.DataGroupHash != want || a.SignatureDigest != want || a.SignatureHash != want || a.CertificateHash != want ||
				a.SignerKey != is.DS.PublicKeyAlgorithm || a.IssuerKey != is.CSCA.PublicKeyAlgorithm || a.Signature == "" || a.Certificate == "" {
				t.Fatalf("algorithms %+v", a)
			}
			if r.HashAlgorithm != want || r.ChainStatus != chip.ChainOK || !r.SignatureValid || len(r.Chain) != 2 {
				t.Fatalf("report: hash %v chain %q sig %v len(chain) %d", r.HashAlgorithm, r.ChainStatus, r.SignatureValid, len(r.Chain))
			}
			if r.Signer.Subject != is.DS.Subject || r.Chain[1].Subject != is.CSCA.Subject {
				t.Fatalf("signer %q chain %q", r.Signer.Subject, r.Chain[1].Subject)
			}
			for _, n := range []int{1, 2, 13, 14, 15} {
				d, ok := r.DataGroup(n)
				if !ok || d.Status != chip.StatusOK || d.HashAlgorithm != want {
					t.Errorf("DG%d = %+v", n, d)
				}
			}
			// Parsing the SOD again gives the same hashes as computed here.
			sod, err := chip.ParseSOD(files["EF.SOD"])
			if err != nil {
				t.Fatal(err)
			}
			h := want.New()
			h.Write(files["DG2"])
			if got, _ := sod.DataGroupHash(2); !bytes.Equal(got, h.Sum(nil)) {
				t.Fatal("DG2 hash in SOD differs from an independent hash")
			}
		})
	}
}

// wantReason asserts a rejection with the given sentinel and code.
func wantReason(t *testing.T, r *chip.Report, err error, sentinel error, code string) {
	t.Helper()
	if err == nil || r.Valid {
		t.Fatalf("accepted, want %q", code)
	}
	if !errors.Is(err, sentinel) || !errors.Is(r.Err, sentinel) || r.Reason != code {
		t.Fatalf("got %v (reason %q), want %v (%q)", err, r.Reason, sentinel, code)
	}
}

func TestTamperMatrix(t *testing.T) {
	is := newIssuer(t, chiptest.Options{Seed: "tamper"})
	files := sign(t, is, syntheticFiles(2))
	opts := chip.VerifyOptions{Trust: is.TrustStore(), Now: at}
	if _, err := chip.Verify(files, opts); err != nil {
		t.Fatal(err)
	}
	rejected, total := 0, 0

	t.Run("flip data-group bytes", func(t *testing.T) {
		for _, name := range []string{"DG1", "DG2", "DG13", "DG14", "DG15"} {
			b := files[name]
			step := 1
			if len(b) > 128 {
				step = len(b)/127 + 1 // sampled: about 128 positions spread over the file
			}
			for i := 0; i < len(b); i += step {
				f := clone(files)
				f[name][i] ^= 0x01 << (i % 8)
				r, err := chip.Verify(f, opts)
				total++
				wantReason(t, r, err, chip.ErrDigestMismatch, "digest_mismatch")
				if d, _ := r.DataGroup(mustNum(name)); d.Status != chip.StatusMismatch {
					t.Fatalf("%s byte %d: status %q", name, i, d.Status)
				}
				rejected++
			}
		}
	})

	t.Run("flip SOD bytes", func(t *testing.T) {
		sod := files["EF.SOD"]
		codes := map[string]int{}
		for i := range sod {
			f := clone(files)
			f["EF.SOD"][i] ^= 0x01 << (i % 8)
			r, err := chip.Verify(f, opts)
			total++
			if err == nil || r.Valid || r.Reason == "" || chip.ReasonCode(err) != r.Reason {
				t.Fatalf("SOD byte %d: accepted or no reason (%v)", i, err)
			}
			codes[r.Reason]++
			rejected++
		}
		t.Logf("SOD flips by reason: %v", codes)
		for _, c := range []string{"malformed", "digest_mismatch", "bad_signature", "untrusted_signer"} {
			if codes[c] == 0 {
				t.Errorf("no SOD flip gave %q", c)
			}
		}
	})

	t.Run("specific SOD regions", func(t *testing.T) {
		sod := files["EF.SOD"]
		parsed, _ := chip.ParseSOD(sod)
		h2, _ := parsed.DataGroupHash(2)
		i := bytes.Index(sod, h2)
		f := clone(files)
		f["EF.SOD"][i] ^= 0x80
		r, err := chip.Verify(f, opts)
		wantReason(t, r, err, chip.ErrDigestMismatch, "digest_mismatch") // messageDigest no longer matches
		// The last byte of the SOD is the last byte of the SignerInfo signature.
		f = clone(files)
		f["EF.SOD"][len(sod)-1] ^= 0x01
		r, err = chip.Verify(f, opts)
		wantReason(t, r, err, chip.ErrSignature, "bad_signature")
		// The DS certificate's own signature (last byte of the embedded certificate).
		ds := is.DSDER()
		j := bytes.Index(sod, ds) + len(ds) - 1
		f = clone(files)
		f["EF.SOD"][j] ^= 0x01
		r, err = chip.Verify(f, opts)
		wantReason(t, r, err, chip.ErrUntrustedSigner, "untrusted_signer")
	})

	t.Run("swap data groups between cards", func(t *testing.T) {
		other := sign(t, is, syntheticFiles(3))
		for _, name := range []string{"DG1", "DG2", "DG13", "DG15"} {
			f := clone(files)
			f[name] = other[name]
			r, err := chip.Verify(f, opts)
			total++
			wantReason(t, r, err, chip.ErrDigestMismatch, "digest_mismatch")
			rejected++
		}
		f := clone(files)
		f["EF.SOD"] = other["EF.SOD"]
		r, err := chip.Verify(f, opts)
		total++
		wantReason(t, r, err, chip.ErrDigestMismatch, "digest_mismatch")
		rejected++
	})

	t.Run("drop a data group", func(t *testing.T) {
		for _, name := range []string{"DG1", "DG2", "DG13", "DG14", "DG15"} {
			f := clone(files)
			delete(f, name)
			r, err := chip.Verify(f, opts)
			total++
			wantReason(t, r, err, chip.ErrMissingDataGroup, "missing_data_group")
			if d, _ := r.DataGroup(mustNum(name)); d.Status != chip.StatusMissing {
				t.Fatalf("%s: status %q", name, d.Status)
			}
			rejected++
			// Declared optional, the card verifies without it.
			o := opts
			o.Optional = []int{mustNum(name)}
			if r, err := chip.Verify(f, o); err != nil || !r.Valid {
				t.Fatalf("%s optional: %v", name, err)
			}
		}
		f := clone(files)
		delete(f, "EF.SOD")
		r, err := chip.Verify(f, opts)
		total++
		wantReason(t, r, err, chip.ErrMissingDataGroup, "missing_data_group")
		rejected++
	})

	t.Run("unprotected data group", func(t *testing.T) {
		f := clone(files)
		f["DG11"] = []byte{0x6B, 0x03, 0x5C, 0x01, 0x00}
		r, err := chip.Verify(f, opts)
		total++
		wantReason(t, r, err, chip.ErrUnprotectedDataGroup, "unprotected_data_group")
		if d, _ := r.DataGroup(11); d.Status != chip.StatusNotInSOD {
			t.Fatalf("DG11 status %q", d.Status)
		}
		rejected++
	})

	t.Run("re-signed with an untrusted key", func(t *testing.T) {
		// Same CSCA and DS names, different keys: a name match is not trust.
		rogue := newIssuer(t, chiptest.Options{Seed: "rogue"})
		r, err := chip.Verify(sign(t, rogue, files), opts)
		total++
		wantReason(t, r, err, chip.ErrUntrustedSigner, "untrusted_signer")
		rejected++
		// No trust store at all.
		r, err = chip.Verify(files, chip.VerifyOptions{Now: at})
		total++
		wantReason(t, r, err, chip.ErrUntrustedSigner, "untrusted_signer")
		rejected++
	})

	t.Run("expired signer", func(t *testing.T) {
		old, err := is.ExpiredSigner()
		if err != nil {
			t.Fatal(err)
		}
		r, err := chip.Verify(sign(t, old, files), opts)
		total++
		wantReason(t, r, err, chip.ErrExpired, "expired")
		if r.ChainStatus != chip.ChainExpired {
			t.Fatalf("chain %q", r.ChainStatus)
		}
		rejected++
		// Before the DS validity, too.
		o := opts
		o.Now = is.DS.NotBefore.Add(-time.Hour)
		r, err = chip.Verify(files, o)
		total++
		wantReason(t, r, err, chip.ErrExpired, "expired")
		rejected++
	})

	t.Run("revoked signer", func(t *testing.T) {
		crl, err := is.CRL(is.DS)
		if err != nil {
			t.Fatal(err)
		}
		o := opts
		o.CRLs = [][]byte{crl}
		r, err := chip.Verify(files, o)
		total++
		wantReason(t, r, err, chip.ErrRevoked, "revoked")
		rejected++
		ts := is.TrustStore()
		if err := ts.AddCRL(crl); err != nil {
			t.Fatal(err)
		}
		r, err = chip.Verify(files, chip.VerifyOptions{Trust: ts, Now: at})
		total++
		wantReason(t, r, err, chip.ErrRevoked, "revoked")
		if r.ChainStatus != chip.ChainRevoked {
			t.Fatalf("chain %q", r.ChainStatus)
		}
		rejected++
	})

	t.Cleanup(func() {
		if rejected != total {
			t.Errorf("tamper matrix: %d of %d rejected", rejected, total)
		}
		t.Logf("tamper matrix: %d of %d cases rejected with the expected reason", rejected, total)
	})
}

func mustNum(name string) int {
	var n int
	for _, c := range name[2:] {
		n = n*10 + int(c-'0')
	}
	return n
}

func TestRevocationNeedsTheCSCASignature(t *testing.T) {
	is := newIssuer(t, chiptest.Options{Seed: "crl"})
	rogue := newIssuer(t, chiptest.Options{Seed: "crl-rogue"}) // same CSCA name, other key
	files := sign(t, is, syntheticFiles(4))
	crl, err := rogue.CRL(is.DS)
	if err != nil {
		t.Fatal(err)
	}
	r, err := chip.Verify(files, chip.VerifyOptions{Trust: is.TrustStore(), Now: at, CRLs: [][]byte{crl}})
	if err != nil || !r.Valid {
		t.Fatalf("a CRL the CSCA did not sign revoked the DS: %v", err)
	}
	// A CRL of the right CSCA that lists another serial revokes nothing.
	// (It used to list the CSCA's own serial; since issue 13 anchors are
	// checked too, and a CSCA listed in its own CRL is revoked.)
	other, err := is.ExpiredSigner()
	if err != nil {
		t.Fatal(err)
	}
	crl, err = is.CRL(other.DS)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chip.Verify(files, chip.VerifyOptions{Trust: is.TrustStore(), Now: at, CRLs: [][]byte{crl}}); err != nil {
		t.Fatal(err)
	}
}

func TestSeveralCSCAsWithTheSameName(t *testing.T) {
	is := newIssuer(t, chiptest.Options{Seed: "one"})
	twin := newIssuer(t, chiptest.Options{Seed: "two"})
	if twin.CSCA.Subject != is.CSCA.Subject {
		t.Fatal("test needs equal CSCA names")
	}
	files := sign(t, is, syntheticFiles(5))
	ts := chip.NewTrustStore(twin.CSCA, is.CSCA) // the wrong one first
	r, err := chip.Verify(files, chip.VerifyOptions{Trust: ts, Now: at})
	if err != nil || r.Chain[1] != is.CSCA {
		t.Fatalf("Verify = %v", err)
	}
}

func TestVerifyBERIndefiniteSOD(t *testing.T) {
	is := newIssuer(t, chiptest.Options{Seed: "ber"})
	files := sign(t, is, syntheticFiles(6))
	ber := toIndefinite(t, files["EF.SOD"])
	if bytes.Equal(ber, files["EF.SOD"]) || ber[1] != 0x80 {
		t.Fatal("conversion did nothing")
	}
	f := clone(files)
	f["EF.SOD"] = ber
	if r, err := chip.Verify(f, chip.VerifyOptions{Trust: is.TrustStore(), Now: at}); err != nil || !r.Valid {
		t.Fatalf("BER SOD: %v", err)
	}
	f["EF.SOD"] = append(ber, 0x00)
	r, err := chip.Verify(f, chip.VerifyOptions{Trust: is.TrustStore(), Now: at})
	wantReason(t, r, err, chip.ErrTrailingData, "trailing_data")
}

// toIndefinite re-encodes every constructed element of a DER tree with
// the BER indefinite length (primitive elements unchanged).
func toIndefinite(t *testing.T, der []byte) []byte {
	t.Helper()
	var out []byte
	for len(der) > 0 {
		tag := der[0]
		l, hdr := int(der[1]), 2
		if l >= 0x80 {
			n := l & 0x7f
			l = 0
			for _, c := range der[2 : 2+n] {
				l = l<<8 | int(c)
			}
			hdr = 2 + n
		}
		v := der[hdr : hdr+l]
		if tag&0x20 != 0 {
			out = append(out, tag, 0x80)
			out = append(out, toIndefinite(t, v)...)
			out = append(out, 0, 0)
		} else {
			out = append(out, der[:hdr+l]...)
		}
		der = der[hdr+l:]
	}
	return out
}

func TestVerifyHashesReceivedBytes(t *testing.T) {
	// A DG with a non-minimal length encoding (82 00 05) has the same
	// content as its DER form, but passive authentication hashes the
	// bytes as received: re-encoding would change the hash.
	is := newIssuer(t, chiptest.Options{Seed: "raw"})
	files := syntheticFiles(7)
	files["DG1"] = []byte{0x61, 0x82, 0x00, 0x05, 0x5F, 0x1F, 0x02, 'A', 'B'}
	files = sign(t, is, files)
	sum := sha256.Sum256(files["DG1"])
	sod, _ := chip.ParseSOD(files["EF.SOD"])
	if h, _ := sod.DataGroupHash(1); !bytes.Equal(h, sum[:]) {
		t.Fatal("SOD hash is not over the raw bytes")
	}
	if _, err := chip.Verify(files, chip.VerifyOptions{Trust: is.TrustStore(), Now: at}); err != nil {
		t.Fatal(err)
	}
}

// A reader that returns the whole elementary file zero-padded after the
// TLV (seen with DG13 on CCCD readers) still verifies; any other trailing
// byte is a mismatch.
func TestVerifyZeroPaddedDataGroup(t *testing.T) {
	is := newIssuer(t, chiptest.Options{Seed: "pad"})
	files := sign(t, is, syntheticFiles(14))
	opts := chip.VerifyOptions{Trust: is.TrustStore(), Now: at}
	f := clone(files)
	f["DG13"] = append(f["DG13"], make([]byte, 37)...)
	if r, err := chip.Verify(f, opts); err != nil || !r.Valid {
		t.Fatalf("zero padding: %v", err)
	}
	f["DG13"][len(f["DG13"])-1] = 0xFF
	r, err := chip.Verify(f, opts)
	wantReason(t, r, err, chip.ErrDigestMismatch, "digest_mismatch")
}

// Random insertions, deletions and replacements in the SOD, the DS
// certificate region included: never accepted, never a panic.
func TestVerifyRandomMutations(t *testing.T) {
	is := newIssuer(t, chiptest.Options{Seed: "mut", KeyType: chiptest.BrainpoolP256r1})
	files := sign(t, is, syntheticFiles(15))
	opts := chip.VerifyOptions{Trust: is.TrustStore(), Now: at}
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 1500; i++ {
		b := bytes.Clone(files["EF.SOD"])
		for k := 0; k <= r.IntN(3); k++ {
			switch p := r.IntN(len(b)); r.IntN(3) {
			case 0:
				b[p] ^= byte(1 + r.IntN(255))
			case 1:
				b = append(b[:p], b[p+1:]...)
			default:
				b = append(b[:p], append([]byte{byte(r.Uint32())}, b[p:]...)...)
			}
		}
		f := clone(files)
		f["EF.SOD"] = b
		rep, err := chip.Verify(f, opts)
		if err == nil || rep.Valid || rep.Reason == "" {
			t.Fatalf("mutation %d accepted", i)
		}
	}
}

// A CSCA renewed with the same key has two certificates; the one valid at
// the verification time is chosen even when the expired one comes first.
func TestRenewedCSCAWithTheSameKey(t *testing.T) {
	key, err := chiptest.GenerateKey(chiptest.ECDSAP256, "renewed", "csca")
	if err != nil {
		t.Fatal(err)
	}
	old := newIssuer(t, chiptest.Options{Seed: "renewed", CSCAKey: key,
		CSCANotBefore: time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC), CSCANotAfter: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)})
	cur := newIssuer(t, chiptest.Options{Seed: "renewed", CSCAKey: key})
	files := sign(t, cur, syntheticFiles(16))
	r, err := chip.Verify(files, chip.VerifyOptions{Trust: chip.NewTrustStore(old.CSCA, cur.CSCA), Now: at})
	if err != nil || r.Chain[1] != cur.CSCA {
		t.Fatalf("Verify = %v", err)
	}
	// With only the expired certificate, the chain is expired, not untrusted.
	r, err = chip.Verify(files, chip.VerifyOptions{Trust: chip.NewTrustStore(old.CSCA), Now: at})
	wantReason(t, r, err, chip.ErrExpired, "expired")
}

// eContentType variants seen in real SODs: id-data (CN, testdata README)
// and the older ICAO OID 1.3.27.1.1.1 (French and Belgian documents, as
// JMRTD notes). Any other type is malformed.
func TestSODContentTypes(t *testing.T) {
	key, err := chiptest.GenerateKey(chiptest.ECDSAP256, "ct", "ds")
	if err != nil {
		t.Fatal(err)
	}
	is := newIssuer(t, chiptest.Options{Seed: "ct", DSKey: key})
	files := syntheticFiles(17)
	for _, tc := range []struct {
		oid  asn1.ObjectIdentifier
		want error
	}{
		{asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}, nil},
		{asn1.ObjectIdentifier{1, 3, 27, 1, 1, 1}, nil},
		{asn1.ObjectIdentifier{1, 2, 3, 4}, chip.ErrMalformed},
	} {
		sod, err := chip.BuildSOD(files, chip.SODOptions{Certificate: is.DSDER(), Signer: key, ContentType: tc.oid})
		if err != nil {
			t.Fatal(err)
		}
		f := clone(files)
		f["EF.SOD"] = sod
		_, err = chip.Verify(f, chip.VerifyOptions{Trust: is.TrustStore(), Now: at})
		if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
			t.Errorf("%v: %v", tc.oid, err)
		}
	}
}

// Every SOD byte flip is rejected for the other signature schemes too:
// RSA PKCS#1 v1.5, RSA-PSS (unsigned parameters included) and brainpool.
func TestTamperSODOtherAlgorithms(t *testing.T) {
	for _, o := range []chiptest.Options{
		{Seed: "p256"},
		{KeyType: chiptest.RSA2048},
		{KeyType: chiptest.RSA2048, PSS: true},
		{Seed: "bp", KeyType: chiptest.BrainpoolP384r1, Hash: crypto.SHA384},
	} {
		is := newIssuer(t, o)
		files := sign(t, is, syntheticFiles(18))
		opts := chip.VerifyOptions{Trust: is.TrustStore(), Now: at}
		// Every byte for the fast schemes; brainpool (pure Go, slower)
		// is sampled at every third byte.
		step := 1
		if o.KeyType == chiptest.BrainpoolP384r1 {
			step = 3
		}
		if testing.Short() {
			step = 7
		}
		for i := 0; i < len(files["EF.SOD"]); i += step {
			for _, mask := range []byte{0x01 << (i % 8), 0xFF} {
				f := clone(files)
				f["EF.SOD"][i] ^= mask
				if r, err := chip.Verify(f, opts); err == nil || r.Valid {
					t.Fatalf("%v PSS=%v: byte %d ^ %02x accepted", o.KeyType, o.PSS, i, mask)
				}
			}
		}
	}
}
