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
	fs := newFlags(e, "chip issue", "-out DIR [-holder holder.json] [-seed S]\n\n"+
		"Creates a throwaway CSCA and Document Signer (ECDSA P-256, SHA-256) and writes to DIR:\n"+
		"csca.pem, EF.COM, DG1, DG2, DG13, DG14, DG15 and EF.SOD (raw chip bytes) for the holder\n"+
		"in holder.json (the schema of the spec) or a synthetic holder. -seed makes the keys\n"+
		"and data groups repeatable (ECDSA signatures stay randomized). For tests only.\n")
	out := fs.String("out", "", "output directory (created if needed)")
	holderFile := fs.String("holder", "", "holder data as JSON (default: a synthetic holder)")
	seed := fs.String("seed", "", "seed for deterministic keys and data")
	if code, stop := parseFlags(fs, args); stop {
		return code
	}
	if *out == "" || fs.NArg() != 0 {
		fs.Usage()
		return exitUsage
	}
	h := chiptest.DefaultHolder()
	if *holderFile != "" {
		b, err := bounded.ReadFile(*holderFile, bounded.HolderJSON)
		if err != nil {
			fmt.Fprintln(e.stderr, "chip issue:", err)
			return exitUsage
		}
		if h, err = chip.ParseHolderJSON(b); err != nil {
			fmt.Fprintln(e.stderr, "chip issue: holder:", err)
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
	write := func(name string, b []byte) error {
		return os.WriteFile(filepath.Join(*out, name), b, 0o644)
	}
	if err := write("csca.pem", is.CSCAPEM()); err != nil {
		fmt.Fprintln(e.stderr, "chip issue:", err)
		return exitFail
	}
	names := []string{chip.FileCOM, "DG1", "DG2", "DG13", "DG14", "DG15", chip.FileSOD}
	for _, n := range names {
		if err := write(n, card.Files[n]); err != nil {
			fmt.Fprintln(e.stderr, "chip issue:", err)
			return exitFail
		}
	}
	fmt.Fprintf(e.stdout, "wrote csca.pem and %d chip files to %s (signer: %s)\n", len(names), *out, is.DS.Subject)
	return exitOK
}
