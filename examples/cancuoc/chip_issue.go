package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/chip/chiptest"
	"github.com/cancuoc/sdk/internal/bounded"
)

func init() {
	register(command{name: "chip issue", summary: "issue a test card: throwaway CSCA and Document Signer, data groups and a signed EF.SOD", run: runChipIssue})
}

func runChipIssue(e *env, args []string) int {
	fs := newFlags(e, "chip issue", "-out DIR [-holder holder.json] [-seed S] [-force]\n\n"+
		"Creates a throwaway CSCA and Document Signer (ECDSA P-256, SHA-256) and writes to DIR:\n"+
		"csca.pem, EF.CardAccess, EF.COM, DG1, DG2, DG13, DG14, DG15 and EF.SOD (raw chip bytes)\n"+
		"for the holder in holder.json (schema below) or a synthetic holder, and the\n"+
		"chip's private keys aa-key.pem and ca-key.pem (TEST MATERIAL, so that\n"+
		"\"cancuoc chip read -emulate DIR\" can serve the card). -seed makes the keys and data\n"+
		"groups repeatable (ECDSA signatures stay randomized). For tests only. Key files\n"+
		"already in DIR are never replaced unless -force is given.\n\n"+holderJSONHelp)
	out := fs.String("out", "", "output directory (created if needed)")
	holderFile := fs.String("holder", "", "holder data as JSON (default: a synthetic holder)")
	seed := fs.String("seed", "", "seed for deterministic keys and data")
	force := fs.Bool("force", false, "replace key files already in DIR")
	if code, stop := parseFlags(fs, args); stop {
		return code
	}
	if *out == "" || fs.NArg() != 0 {
		fs.Usage()
		return exitUsage
	}
	if !*force {
		for _, name := range []string{chiptest.AAKeyFile, chiptest.CAKeyFile} {
			if err := refuseExisting(filepath.Join(*out, name)); err != nil {
				fmt.Fprintln(e.stderr, "chip issue:", err)
				return exitFail
			}
		}
	}
	h := chiptest.DefaultHolder()
	if *holderFile != "" {
		b, err := bounded.ReadFile(*holderFile, bounded.HolderJSON)
		if err != nil {
			fmt.Fprintln(e.stderr, "chip issue:", err)
			return exitFail
		}
		if h, err = chip.ParseHolderJSON(b); err != nil {
			fmt.Fprintf(e.stderr, "chip issue: -holder %s: %v\n", *holderFile, err)
			return exitFail
		}
	}
	is, err := chiptest.New(chiptest.Options{Seed: *seed})
	if err != nil {
		fmt.Fprintln(e.stderr, "chip issue:", err)
		return exitFail
	}
	card, err := is.Issue(h)
	if err != nil {
		fmt.Fprintln(e.stderr, "chip issue:", err)
		return exitFail
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintln(e.stderr, "chip issue:", err)
		return exitFail
	}
	if err := os.WriteFile(filepath.Join(*out, "csca.pem"), is.CSCAPEM(), 0o644); err != nil {
		fmt.Fprintln(e.stderr, "chip issue:", err)
		return exitFail
	}
	names, err := chiptest.WriteCard(*out, card)
	if err != nil {
		fmt.Fprintln(e.stderr, "chip issue:", err)
		return exitFail
	}
	fmt.Fprintf(e.stdout, "wrote csca.pem and %d files (chip files and test keys) to %s (signer: %s)\n", len(names), *out, is.DS.Subject)
	return exitOK
}
