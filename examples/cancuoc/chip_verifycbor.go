package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/cancuoc/sdk/chip/compact"
	"github.com/cancuoc/sdk/internal/bounded"
)

func init() {
	register(command{name: "chip verify-cbor", summary: "verify compact card objects; one JSON object per file", run: runChipVerifyCBOR})
}

// cborResult is one output line; the field order is the contract of issue 6.
type cborResult struct {
	File   string   `json:"file"`
	Valid  bool     `json:"valid"`
	Reason string   `json:"reason"`
	Items  []string `json:"items"`
}

func runChipVerifyCBOR(e *env, args []string) int {
	fs := newFlags(e, "chip verify-cbor", "-pub issuer.pub [-pub other.pub] [-require a,b] [-now T] card.cbor...\n\n"+
		"Verifies compact card objects (see \"chip sign\") against the issuer public keys\n"+
		"given (PEM PKIX Ed25519, each trusted under kid = first 8 bytes of SHA-256 of\n"+
		"the key) and prints one JSON object per file, in order:\n"+
		`  {"file":"card.cbor","valid":true,"reason":"","items":["number","family_name",...]}`+"\n"+
		`  {"file":"bad.cbor","valid":false,"reason":"<why>","items":[]}`+"\n"+
		"items lists the verified (disclosed) element identifiers. Signatures are checked\n"+
		"in batches of 256 files (Ed25519 ZIP-215 batch verification, the same verdicts).\n"+
		"Exit 0 only if every file is valid, 1 otherwise, 2 for a usage error.\n")
	var pubs []string
	fs.Func("pub", "trusted issuer public key, PEM PKIX (repeatable)", func(s string) error {
		pubs = append(pubs, s)
		return nil
	})
	require := fs.String("require", "", "comma-separated element identifiers that must be disclosed")
	now := fs.String("now", "", "verification time, RFC 3339 (default: now)")
	if code, stop := parseFlags(fs, args); stop {
		return code
	}
	if len(pubs) == 0 || fs.NArg() == 0 {
		fs.Usage()
		return exitUsage
	}
	opts := compact.VerifyOptions{Trust: &compact.TrustStore{}}
	if *now != "" {
		t, err := time.Parse(time.RFC3339, *now)
		if err != nil {
			fmt.Fprintln(e.stderr, "cancuoc chip verify-cbor: -now:", err)
			return exitUsage
		}
		opts.Now = t
	}
	if *require != "" {
		opts.Require = strings.Split(*require, ",")
		for _, id := range opts.Require {
			if !slices.Contains(compact.Identifiers(), id) {
				fmt.Fprintf(e.stderr, "cancuoc chip verify-cbor: -require: %q is not an element identifier; want one of %s\n", id, strings.Join(compact.Identifiers(), ", "))
				return exitUsage
			}
		}
	}
	for _, p := range pubs {
		pub, err := readPublicKey(p)
		if err == nil {
			err = opts.Trust.AddKey(nil, pub)
		}
		if err != nil {
			fmt.Fprintln(e.stderr, "cancuoc chip verify-cbor:", err)
			return exitFail
		}
	}
	out := bufio.NewWriter(e.stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	code := exitOK
	files := fs.Args()
	for len(files) > 0 {
		n := min(len(files), verifyChunk)
		for _, r := range verifyCBORFiles(files[:n], opts) {
			if !r.Valid {
				code = exitFail
			}
			if err := enc.Encode(r); err != nil {
				fmt.Fprintln(e.stderr, "cancuoc chip verify-cbor: writing:", err)
				return exitFail
			}
		}
		files = files[n:]
	}
	return code
}

// verifyChunk is how many files are verified together (compact.VerifyBatch
// checks their signatures in one batch); it bounds memory to a few MB.
const verifyChunk = 256

func verifyCBORFiles(files []string, opts compact.VerifyOptions) []cborResult {
	results := make([]cborResult, len(files))
	var objs [][]byte
	var index []int
	for i, file := range files {
		results[i] = cborResult{File: file, Items: []string{}}
		b, err := bounded.ReadFile(file, bounded.CompactObject)
		if err != nil {
			// The file is already named in the output line.
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			results[i].Reason = strings.TrimPrefix(err.Error(), file+": ")
			continue
		}
		objs = append(objs, b)
		index = append(index, i)
	}
	cards, errs := compact.VerifyBatch(objs, opts)
	for n, i := range index {
		if errs[n] != nil {
			results[i].Reason = errs[n].Error()
			continue
		}
		results[i].Valid = true
		results[i].Items = cards[n].Identifiers()
	}
	return results
}
