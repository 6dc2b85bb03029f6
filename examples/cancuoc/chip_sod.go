package main

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"

	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/internal/bounded"
)

func init() {
	register(command{name: "chip sod", summary: "parse an EF.SOD: hashes, signer, signature and chain", run: runChipSOD})
}

type chipSODSigner struct {
	Subject string `json:"subject"`
	Issuer  string `json:"issuer"`
}

// chipSODResult is the output of "chip sod", fields in contract order.
type chipSODResult struct {
	LDSVersion         int               `json:"lds_version"`
	HashAlgorithm      string            `json:"hash_algorithm"`
	SignatureAlgorithm string            `json:"signature_algorithm"`
	DataGroups         map[string]string `json:"data_groups"`
	Signer             *chipSODSigner    `json:"signer"`
	SignatureValid     bool              `json:"signature_valid"`
	Chain              string            `json:"chain"`
	Errors             []string          `json:"errors"`
}

func runChipSOD(e *env, args []string) int {
	fs := newFlags(e, "chip sod", "[-trust FILE]... [-ml-root ROOT]... [-at 2008-06-01T00:00:00Z] EF.SOD\n\n"+
		"Parses an EF.SOD and prints one JSON object:\n"+
		`  {"lds_version":0,"hash_algorithm":"SHA-256","signature_algorithm":"...","data_groups":{"1":"<hex>"},`+"\n"+
		`   "signer":{"subject":"...","issuer":"..."},"signature_valid":true,"chain":"ok","errors":[]}`+"\n"+
		"chain is ok, untrusted, expired, revoked, or not_checked without -trust. -trust is a\n"+
		"certificate (PEM or DER) or a master list; it may repeat. A master list is used only\n"+
		"when its signer chains, at the current time, to an -ml-root certificate. Exit 0 when\n"+
		"the file parsed (whatever the verdicts), 1 when it cannot be parsed or has trailing\n"+
		"data, 2 usage.\n")
	pc := newPACommand(fs, "chip sod", "CSCA certificate (PEM/DER) or master list (needs -ml-root); repeatable", true)
	at, ts, name, code, stop := pc.parse(e, fs, args)
	if stop {
		return code
	}
	b, err := bounded.ReadFile(name, bounded.ChipFile)
	if err != nil {
		fmt.Fprintln(e.stderr, "chip sod:", err)
		return exitFail
	}
	sod, err := chip.ParseSOD(b)
	if err != nil {
		fmt.Fprintf(e.stderr, "chip sod: %s: %v\n", name, err)
		return exitFail
	}
	out := chipSODResult{
		LDSVersion: sod.Version, HashAlgorithm: sod.HashAlgorithm.String(),
		SignatureAlgorithm: sod.SignatureAlgorithm, DataGroups: map[string]string{},
		Chain: chip.ChainNotChecked, Errors: []string{},
	}
	for _, d := range sod.Hashes {
		out.DataGroups[strconv.Itoa(d.Number)] = hex.EncodeToString(d.Hash)
	}
	if err := sod.CheckMessageDigest(); err != nil {
		out.Errors = append(out.Errors, err.Error())
	}
	signer, err := sod.SignerCertificate()
	if err != nil {
		out.Errors = append(out.Errors, err.Error())
	} else {
		out.Signer = &chipSODSigner{Subject: signer.Subject, Issuer: signer.Issuer}
		if err := sod.VerifySignature(signer); err != nil {
			if !errors.Is(err, chip.ErrDigestMismatch) {
				out.Errors = append(out.Errors, err.Error())
			}
		} else {
			out.SignatureValid = true
		}
		if ts != nil {
			_, cerr := ts.Chain(signer, at)
			switch {
			case cerr == nil:
				out.Chain = chip.ChainOK
			case errors.Is(cerr, chip.ErrRevoked):
				out.Chain = chip.ChainRevoked
			case errors.Is(cerr, chip.ErrExpired):
				out.Chain = chip.ChainExpired
			default:
				out.Chain = chip.ChainUntrusted
			}
			if cerr != nil {
				out.Errors = append(out.Errors, cerr.Error())
			}
		}
	}
	paJSON(e.stdout, out)
	return exitOK
}
