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
	ml := dutchList(f)
	for i, c := range ml.Certificates {
		if i%20 == 0 { // a sample across key types and quirks
			f.Add(c.Raw)
			n++
		}
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

func FuzzParseMasterList(f *testing.F) {
	full := readLDS(f, "gmrtd_NL_masterlist_2026-07-22.ml")
	f.Add(full)
	f.Add(full[:4096])
	is := newIssuer(f, chiptest.Options{Seed: "fuzz-ml"})
	small, err := is.SignMasterList(is.CSCADER(), []byte{0x30, 0x03, 0x02, 0x01, 0x00})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(small)
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
