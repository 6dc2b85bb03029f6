package chip_test

import (
	"bytes"
	"testing"

	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/chip/chiptest"
)

// sodSeeds are the real SODs of the shared folder and SODs from the test
// issuer (ECDSA, RSA-PSS, brainpool).
func sodSeeds(f *testing.F) [][]byte {
	var seeds [][]byte
	for _, n := range []string{"jmrtd_nl-specimen2006_EF.SOD", "gmrtd_realissuer-AU_EF.SOD", "gmrtd_realissuer-CN_EF.SOD",
		"gmrtd_realissuer-FR_EF.SOD", "gmrtd_realissuer-SG_EF.SOD", "gmrtd_realissuer-US_EF.SOD"} {
		seeds = append(seeds, readLDS(f, n))
	}
	for _, o := range []chiptest.Options{{Seed: "fuzz"}, {Seed: "fuzz", KeyType: chiptest.BrainpoolP256r1}} {
		is := newIssuer(f, o)
		seeds = append(seeds, sign(f, is, chip.Files{"DG1": {0x61, 0}, "DG2": {0x75, 0}})["EF.SOD"])
	}
	return seeds
}

func FuzzParseSOD(f *testing.F) {
	seeds := sodSeeds(f)
	if len(seeds) == 0 {
		f.Fatal("no seeds")
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		sod, err := chip.ParseSOD(b)
		if err != nil {
			if sod != nil {
				t.Fatal("error with a result")
			}
			return
		}
		for _, h := range sod.Hashes {
			if len(h.Hash) != sod.HashAlgorithm.Size() || h.Number < 1 || h.Number > 16 {
				t.Fatalf("hash entry %d of %d bytes accepted", h.Number, len(h.Hash))
			}
		}
		// The checks never panic on parsed input.
		_ = sod.CheckMessageDigest()
		if c, err := sod.SignerCertificate(); err == nil {
			_ = sod.VerifySignature(c)
		}
		again, err := chip.ParseSOD(b)
		if err != nil || len(again.Hashes) != len(sod.Hashes) {
			t.Fatal("parse is not deterministic")
		}
	})
}

func FuzzParseCertificate(f *testing.F) {
	n := 0
	for _, s := range sodSeeds(f) {
		sod, err := chip.ParseSOD(s)
		if err != nil {
			continue
		}
		for _, c := range sod.Certificates {
			f.Add(c.Raw)
			n++
		}
	}
	f.Add(readLDS(f, "gmrtd_NL_csca_root.cer"))
	for _, c := range smallestPerKeyType(dutchList(f)) {
		f.Add(c.Raw)
		n++
	}
	if n == 0 {
		f.Fatal("no seeds")
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := chip.ParseCertificate(b)
		if err != nil {
			if c != nil {
				t.Fatal("error with a result")
			}
			return
		}
		_ = c.CheckSignatureFrom(c)
		again, err := chip.ParseCertificate(c.Raw)
		if err != nil || again.Subject != c.Subject || again.SerialNumber.Cmp(c.SerialNumber) != 0 || !bytes.Equal(again.Raw, c.Raw) {
			t.Fatalf("re-parsing Raw differs: %v", err)
		}
	})
}

// smallestPerKeyType returns, for each key algorithm among the list's
// certificates, the smallest certificate: every key type and quirk family
// of the real list in about 1 KB seeds.
func smallestPerKeyType(ml *chip.MasterList) []*chip.Certificate {
	best := map[string]*chip.Certificate{}
	var order []string
	for _, c := range ml.Certificates {
		b, ok := best[c.PublicKeyAlgorithm]
		if !ok {
			order = append(order, c.PublicKeyAlgorithm)
		}
		if !ok || len(c.Raw) < len(b.Raw) {
			best[c.PublicKeyAlgorithm] = c
		}
	}
	out := make([]*chip.Certificate, len(order))
	for i, k := range order {
		out[i] = best[k]
	}
	return out
}

// FuzzParseMasterList is seeded with small lists only: the real 624 KB
// Dutch list as a seed made every execution parse 411 certificates and
// verify an RSA-4096 signature, and the fuzzer spent its whole window
// minimising mutations of it (51 to 3,871 executions in 45 s, issue 13).
// Its certificates still come in: the smallest of each key type, in a
// list signed by the test issuer; the real list's header is the 1 KB
// prefix.
func FuzzParseMasterList(f *testing.F) {
	full := readLDS(f, "gmrtd_NL_masterlist_2026-07-22.ml")
	f.Add(full[:1024])
	is := newIssuer(f, chiptest.Options{Seed: "fuzz-ml"})
	small, err := is.SignMasterList(is.CSCADER(), []byte{0x30, 0x03, 0x02, 0x01, 0x00})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(small)
	var real [][]byte
	for _, c := range smallestPerKeyType(dutchList(f))[:4] {
		real = append(real, c.Raw)
	}
	quirks, err := is.SignMasterList(real...)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(quirks)
	f.Fuzz(func(t *testing.T, b []byte) {
		ml, err := chip.ParseMasterList(b)
		if err != nil {
			if ml != nil {
				t.Fatal("error with a result")
			}
			return
		}
		if len(ml.Certificates)+len(ml.Rejected) != ml.Total {
			t.Fatal("entries lost")
		}
	})
}
