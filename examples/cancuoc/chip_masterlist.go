package main

import (
	"fmt"

	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/internal/bounded"
)

func init() {
	register(command{name: "chip masterlist", summary: "parse a CSCA master list: its signature, signer chain and usable certificates", run: runChipMasterList})
}

type chipMLRejected struct {
	Index   int    `json:"index"`
	Subject string `json:"subject"`
	Reason  string `json:"reason"`
}

// chipMLResult is the output of "chip masterlist", fields in contract order.
type chipMLResult struct {
	SignatureValid bool             `json:"signature_valid"`
	Signer         string           `json:"signer"`
	Chain          string           `json:"chain"`
	Certificates   int              `json:"certificates"`
	Usable         int              `json:"usable"`
	Rejected       []chipMLRejected `json:"rejected"`
	Countries      int              `json:"countries"`
}

func runChipMasterList(e *env, args []string) int {
	fs := newFlags(e, "chip masterlist", "[-ml-root ROOT]... [-at T] FILE.ml\n\n"+
		"Parses a CSCA master list (CMS, eContentType 2.23.136.1.1.2), verifies its signature\n"+
		"and, with -ml-root (or its older name -trust), its signer's chain, and prints one JSON\n"+
		"object:\n"+
		`  {"signature_valid":true,"signer":"...","chain":"ok","certificates":411,"usable":411,`+"\n"+
		`   "rejected":[{"index":0,"subject":"...","reason":"..."}],"countries":129}`+"\n"+
		"chain is ok, untrusted, or not_checked without -ml-root: only a list whose chain is ok\n"+
		"may be used as trust (chip verify -trust LIST -ml-root ROOT). Exit 0 when parsed, 1\n"+
		"when the file is not a readable master list, 2 usage.\n")
	pc := newPACommand(fs, "chip masterlist", "root certificate (PEM/DER) for the list's signer (same as -ml-root); repeatable", false)
	fs.Var(&pc.trust, "ml-root", "root certificate (PEM/DER) the list's signer must chain to; repeatable")
	at, roots, name, code, stop := pc.parse(e, fs, args)
	if stop {
		return code
	}
	b, err := bounded.ReadFile(name, bounded.MasterList)
	if err != nil {
		fmt.Fprintln(e.stderr, "chip masterlist:", err)
		return exitFail
	}
	ml, err := chip.ParseMasterList(b)
	if err != nil {
		fmt.Fprintf(e.stderr, "chip masterlist: %s: %v\n", name, err)
		return exitFail
	}
	out := chipMLResult{
		SignatureValid: ml.SignatureErr == nil, Chain: chip.ChainNotChecked,
		Certificates: ml.Total, Usable: len(ml.Certificates), Rejected: []chipMLRejected{}, Countries: ml.Countries,
	}
	if ml.Signer != nil {
		out.Signer = ml.Signer.Subject
	}
	if ml.SignatureErr != nil {
		fmt.Fprintln(e.stderr, "chip masterlist: signature:", ml.SignatureErr)
	}
	if roots != nil {
		out.Chain = chip.ChainOK
		if err := ml.VerifySigner(roots, at); err != nil {
			out.Chain = chip.ChainUntrusted
			fmt.Fprintln(e.stderr, "chip masterlist:", err)
		}
	}
	for _, r := range ml.Rejected {
		out.Rejected = append(out.Rejected, chipMLRejected{Index: r.Index, Subject: r.Subject, Reason: r.Reason})
	}
	paJSON(e.stdout, out)
	return exitOK
}
