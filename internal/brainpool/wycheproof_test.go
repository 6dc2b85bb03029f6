package brainpool

import (
	"crypto"
	_ "crypto/sha256" // registers SHA-224 and SHA-256
	_ "crypto/sha512" // registers SHA-384 and SHA-512
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// wycheproofDir holds C2SP/wycheproof testvectors_v1 ECDSA files for the
// brainpool curves (Apache-2.0; commit and provenance in its README.md).
const wycheproofDir = "../../testdata/wycheproof"

// wycheproofFiles are the files this package must pass, DER and P1363
// for every curve; a missing one fails the test.
var wycheproofFiles = []string{
	"ecdsa_brainpoolP224r1_sha224_test.json",
	"ecdsa_brainpoolP224r1_sha224_p1363_test.json",
	"ecdsa_brainpoolP256r1_sha256_test.json",
	"ecdsa_brainpoolP256r1_sha256_p1363_test.json",
	"ecdsa_brainpoolP320r1_sha384_test.json",
	"ecdsa_brainpoolP320r1_sha384_p1363_test.json",
	"ecdsa_brainpoolP384r1_sha384_test.json",
	"ecdsa_brainpoolP384r1_sha384_p1363_test.json",
	"ecdsa_brainpoolP512r1_sha512_test.json",
	"ecdsa_brainpoolP512r1_sha512_p1363_test.json",
}

type wycheproofFile struct {
	Algorithm     string `json:"algorithm"`
	Schema        string `json:"schema"`
	NumberOfTests int    `json:"numberOfTests"`
	TestGroups    []struct {
		Type      string `json:"type"`
		SHA       string `json:"sha"`
		PublicKey struct {
			Curve        string `json:"curve"`
			Uncompressed string `json:"uncompressed"`
		} `json:"publicKey"`
		Tests []wycheproofTest `json:"tests"`
	} `json:"testGroups"`
}

type wycheproofTest struct {
	TcID    int      `json:"tcId"`
	Comment string   `json:"comment"`
	Flags   []string `json:"flags"`
	Msg     string   `json:"msg"`
	Sig     string   `json:"sig"`
	Result  string   `json:"result"`
}

var wycheproofHashes = map[string]crypto.Hash{
	"SHA-224": crypto.SHA224, "SHA-256": crypto.SHA256,
	"SHA-384": crypto.SHA384, "SHA-512": crypto.SHA512,
}

func readWycheproof(t testing.TB, name string) *wycheproofFile {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(wycheproofDir, name))
	if err != nil {
		t.Fatal(err)
	}
	var f wycheproofFile
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return &f
}

// TestWycheproof runs every vector: each `valid` must verify and each
// `invalid` must not. Decision for `acceptable` (none at the pinned
// commit): this package has no lenient mode (strict DER, exact P1363
// lengths), so an acceptable vector must be rejected; should a future file
// bring one we accept, this test fails and the decision gets revisited.
func TestWycheproof(t *testing.T) {
	for _, name := range wycheproofFiles {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := readWycheproof(t, name)
			counts := map[string]int{}
			total := 0
			for _, g := range f.TestGroups {
				c := CurveByName(g.PublicKey.Curve)
				if c == nil {
					t.Fatalf("unknown curve %q", g.PublicKey.Curve)
				}
				h, ok := wycheproofHashes[g.SHA]
				if !ok {
					t.Fatalf("unknown hash %q", g.SHA)
				}
				var verify func(*PublicKey, []byte, []byte) bool
				switch g.Type {
				case "EcdsaVerify":
					verify = VerifyASN1
				case "EcdsaP1363Verify":
					verify = VerifyP1363
				default:
					t.Fatalf("unknown group type %q", g.Type)
				}
				pub, err := ParsePublicKey(c, mustHex(t, g.PublicKey.Uncompressed))
				if err != nil {
					t.Fatalf("public key of group: %v", err)
				}
				if got := hex.EncodeToString(pub.Bytes()); got != g.PublicKey.Uncompressed {
					t.Errorf("public key re-encodes as %s", got)
				}
				for _, tc := range g.Tests {
					total++
					counts[tc.Result]++
					hh := h.New()
					hh.Write(mustHex(t, tc.Msg))
					got := verify(pub, hh.Sum(nil), mustHex(t, tc.Sig))
					want := tc.Result == "valid"
					if got != want {
						t.Errorf("tcId %d (%s, %v): verified %v, result %q", tc.TcID, tc.Comment, tc.Flags, got, tc.Result)
					}
				}
			}
			if total != f.NumberOfTests {
				t.Errorf("ran %d tests, file declares %d", total, f.NumberOfTests)
			}
			if counts["valid"] == 0 || counts["invalid"] == 0 {
				t.Errorf("suspicious file: %v", counts)
			}
			t.Logf("%d valid, %d invalid, %d acceptable", counts["valid"], counts["invalid"], counts["acceptable"])
		})
	}
}

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hex in vector: %v", err)
	}
	return b
}
