package main

import (
	"crypto/sha256"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/chip/compact"
	"github.com/cancuoc/sdk/internal/bounded"
)

func init() {
	register(command{name: "chip sign", summary: "sign holder JSON as a compact CBOR/COSE card object", run: runChipSign})
}

func compactKeyID(pub []byte) []byte { return compact.KeyID(pub) }

// holderJSONHelp is the holder JSON schema of chip.ParseHolderJSON, for the
// help of the commands that read it (TestHolderJSONHelp keeps its keys
// those ParseHolderJSON accepts).
const holderJSONHelp = `Holder JSON is one object of strings; null or an absent key means "not present":
  required  number (12 digits), name (as printed, family name first),
            birth_date (YYYY-MM-DD), sex ("M" or "F")
  optional  expiry_date (YYYY-MM-DD; null or absent: the card never expires),
            issue_date (YYYY-MM-DD), nationality, ethnicity, religion,
            place_of_origin, place_of_residence, identifying_marks,
            father_name, mother_name, spouse_name,
            old_number (9 or 12 digits), face_jpeg (JPEG, standard base64)
  example   {"number":"001095012345","name":"Nguyễn Văn Đức","birth_date":"1995-03-17","sex":"M","expiry_date":"2035-03-17"}
An unknown key is an error that lists the accepted ones. Reference:
go doc github.com/cancuoc/sdk/chip.ParseHolderJSON
`

func runChipSign(e *env, args []string) int {
	fs := newFlags(e, "chip sign", "-key issuer.key [-seed S] [-now T] [-items a,b] < holder.json > card.cbor\n\n"+
		"Reads holder JSON (schema below) and writes a\n"+
		"compact card object: CBOR items under a COSE_Sign1 Ed25519 signature, kid =\n"+
		"first 8 bytes of SHA-256(public key). -key is a PEM PKCS#8 Ed25519 private key\n"+
		"(see \"chip keygen\"). Each item's 16-byte salt comes from crypto/rand, or with\n"+
		"-seed from ChaCha8 keyed by SHA-256(S); with -seed the signing time defaults to\n"+
		"today 00:00 UTC, so the same seed and input give the same bytes all day (or\n"+
		"always, with -now). The object is valid for one year from the signing time.\n\n"+holderJSONHelp)
	keyFile := fs.String("key", "", "issuer private key, PEM PKCS#8 Ed25519")
	seed := fs.String("seed", "", "make the salts reproducible (tests, demos)")
	now := fs.String("now", "", "signing time, RFC 3339 (default: now); the object is valid for one year from it")
	items := fs.String("items", "", "comma-separated element identifiers to sign (default: all present)")
	if code, stop := parseFlags(fs, args); stop {
		return code
	}
	if *keyFile == "" || fs.NArg() != 0 {
		fs.Usage()
		return exitUsage
	}
	opts := compact.SignOptions{}
	if *now != "" {
		t, err := time.Parse(time.RFC3339, *now)
		if err != nil {
			fmt.Fprintln(e.stderr, "cancuoc chip sign: -now:", err)
			return exitUsage
		}
		opts.Now = t
	}
	if *items != "" {
		opts.Include = strings.Split(*items, ",")
	}
	priv, err := readPrivateKey(*keyFile)
	if err != nil {
		fmt.Fprintln(e.stderr, "cancuoc chip sign:", err)
		return exitFail
	}
	in, err := bounded.Read(e.stdin, "stdin", bounded.HolderJSON)
	if err != nil {
		fmt.Fprintln(e.stderr, "cancuoc chip sign:", err)
		return exitFail
	}
	h, err := chip.ParseHolderJSON(in)
	if err != nil {
		fmt.Fprintln(e.stderr, "cancuoc chip sign:", err)
		return exitFail
	}
	var salts io.Reader // nil: crypto/rand
	if *seed != "" {
		salts = rand.NewChaCha8(sha256.Sum256([]byte(*seed)))
		if opts.Now.IsZero() {
			// Reproducible output needs a fixed time too: today, 00:00 UTC.
			opts.Now = time.Now().UTC().Truncate(24 * time.Hour)
		}
	}
	obj, err := compact.Sign(salts, h, priv, opts)
	if err != nil {
		fmt.Fprintln(e.stderr, "cancuoc chip sign:", err)
		return exitFail
	}
	if _, err := e.stdout.Write(obj); err != nil {
		fmt.Fprintln(e.stderr, "cancuoc chip sign: writing:", err)
		return exitFail
	}
	return exitOK
}
