package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/internal/bounded"
)

func init() {
	register(command{name: "chip verify", summary: "passive authentication of chip files in DIR against CSCA certificates or master lists", run: runChipVerify})
}

// paFiles is a repeatable -trust flag.
type paFiles []string

func (f *paFiles) String() string     { return strings.Join(*f, ",") }
func (f *paFiles) Set(v string) error { *f = append(*f, v); return nil }

// paTrust loads -trust files: certificates (PEM or DER) or master lists
// (CMS). A master list is added only when its signer chains, now, to one
// of the -ml-root certificates (chip.TrustStore.AddMasterList): a list
// signed by anyone else, or given without -ml-root, is refused.
func paTrust(files, mlRoots []string) (*chip.TrustStore, error) {
	var roots *chip.TrustStore
	for _, name := range mlRoots {
		b, err := bounded.ReadFile(name, bounded.Certificate)
		if err != nil {
			return nil, err
		}
		certs, err := chip.ParseCertificates(b)
		if err != nil {
			return nil, fmt.Errorf("-ml-root %s: not a certificate (PEM or DER): %v", name, err)
		}
		if roots == nil {
			roots = chip.NewTrustStore()
		}
		roots.Add(certs...)
	}
	ts := chip.NewTrustStore()
	for _, name := range files {
		// A -trust file may be a certificate or a master list: the larger
		// limit applies.
		b, err := bounded.ReadFile(name, bounded.MasterList)
		if err != nil {
			return nil, err
		}
		if certs, cerr := chip.ParseCertificates(b); cerr == nil {
			ts.Add(certs...)
			continue
		} else if ml, merr := chip.ParseMasterList(b); merr == nil {
			if roots == nil {
				return nil, fmt.Errorf("%s: master list refused: anyone can sign a master list; give the certificate of its publisher (the root its signer chains to) with -ml-root FILE", name)
			}
			if err := ts.AddMasterList(ml, roots, time.Now()); err != nil {
				return nil, fmt.Errorf("%s: master list refused: %s", name, strings.TrimPrefix(err.Error(), "chip: "))
			}
			continue
		} else {
			return nil, fmt.Errorf("-trust %s: want a certificate (PEM or DER) or a master list (CMS): %s; %s",
				name, strings.TrimPrefix(cerr.Error(), "chip: "), strings.TrimPrefix(merr.Error(), "chip: "))
		}
	}
	return ts, nil
}

// paTime parses -at (RFC 3339); empty means now.
func paTime(s string) (time.Time, error) {
	if s == "" {
		return time.Now(), nil
	}
	return time.Parse(time.RFC3339, s)
}

// paCommand is what chip verify, chip sod and chip masterlist share: a
// repeatable -trust, -at, and one file or folder argument; -ml-root
// (repeatable) where -trust may name master lists.
type paCommand struct {
	name   string
	trust  paFiles
	mlRoot paFiles
	at     *string
}

func newPACommand(fs *flag.FlagSet, name, trustUsage string, lists bool) *paCommand {
	c := &paCommand{name: name}
	fs.Var(&c.trust, "trust", trustUsage)
	if lists {
		fs.Var(&c.mlRoot, "ml-root", "root certificate (PEM/DER) a -trust master list's signer must chain to, checked now; repeatable")
	}
	c.at = fs.String("at", "", "verification time, RFC 3339 (default now)")
	return c
}

// parse parses args and returns the verification time, the trust store
// (nil without -trust) and the argument; stop and code are as parseFlags
// gives them, with usage errors reported on stderr.
func (c *paCommand) parse(e *env, fs *flag.FlagSet, args []string) (at time.Time, ts *chip.TrustStore, arg string, code int, stop bool) {
	if code, stop := parseFlags(fs, args); stop {
		return at, nil, "", code, true
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return at, nil, "", exitUsage, true
	}
	at, err := paTime(*c.at)
	if err != nil {
		fmt.Fprintln(e.stderr, c.name+": -at:", err)
		return at, nil, "", exitUsage, true
	}
	if len(c.trust) > 0 {
		if ts, err = paTrust(c.trust, c.mlRoot); err != nil {
			fmt.Fprintln(e.stderr, c.name+":", err)
			return at, nil, "", exitFail, true
		}
	}
	return at, ts, fs.Arg(0), exitOK, false
}

// paJSON writes v as one line of JSON without HTML escaping.
func paJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// chipVerifyResult is the output of "chip verify", fields in contract order.
type chipVerifyResult struct {
	Valid          bool              `json:"valid"`
	Reason         string            `json:"reason"`
	DataGroups     map[string]string `json:"data_groups"`
	DocumentNumber string            `json:"document_number"`
	Signer         string            `json:"signer"`
}

func runChipVerify(e *env, args []string) int {
	fs := newFlags(e, "chip verify", "-trust csca.pem [-trust FILE]... [-ml-root ROOT]... [-at 2008-06-01T00:00:00Z] [-legacy-algorithms] DIR\n\n"+
		"Verifies the chip files in DIR (named EF.COM, DG1 ... DG16, EF.SOD) by passive\n"+
		"authentication and prints one JSON object:\n"+
		`  {"valid":true,"reason":"","data_groups":{"DG1":"ok",...},"document_number":"...","signer":"..."}`+"\n"+
		"data_groups values: ok, mismatch, not_in_sod, missing. reason codes: malformed, trailing_data,\n"+
		"digest_mismatch, bad_signature, untrusted_signer, expired, revoked, unsupported_algorithm,\n"+
		"weak_algorithm, missing_data_group, unprotected_data_group. -trust is a certificate (PEM or\n"+
		"DER) or a master list (CMS); it may repeat. A master list is used only when its signer\n"+
		"chains, at the current time, to an -ml-root certificate (its publisher's root); otherwise\n"+
		"it is refused. Hashes below SHA-256, RSA below 2048 bits and curves outside the default\n"+
		"set are refused (weak_algorithm) unless -legacy-algorithms is given, for documents of\n"+
		"the 2000s. Exit 0 valid, 1 not valid, 2 usage error.\n")
	pc := newPACommand(fs, "chip verify", "CSCA certificate (PEM/DER) or master list (needs -ml-root); repeatable", true)
	legacy := fs.Bool("legacy-algorithms", false, "also accept SHA-1, RSA-1024 and 224-bit curves (chip.LegacyAlgorithms)")
	at, ts, dir, code, stop := pc.parse(e, fs, args)
	if stop {
		return code
	}
	files, err := paReadDir(dir)
	if err != nil {
		fmt.Fprintln(e.stderr, "chip verify:", err)
		return exitFail
	}
	opts := chip.VerifyOptions{Trust: ts, Now: at}
	if *legacy {
		opts.Policy = chip.LegacyAlgorithms()
	}
	r, verr := chip.Verify(files, opts)
	out := chipVerifyResult{Valid: r.Valid, Reason: r.Reason, DataGroups: map[string]string{}}
	for _, d := range r.DataGroups {
		out.DataGroups[d.Name] = d.Status
	}
	if r.Signer != nil {
		out.Signer = r.Signer.Subject
	}
	if dg1, err := chip.ParseDG1(files["DG1"]); err == nil {
		if doc, err := dg1.Document(); err == nil {
			out.DocumentNumber = doc.DocumentNumber()
		}
	}
	paJSON(e.stdout, out)
	if verr != nil {
		fmt.Fprintln(e.stderr, "chip verify:", verr)
		return exitFail
	}
	return exitOK
}

// paReadDir reads the chip files of dir: EF.COM, DG1..DG16 and EF.SOD.
func paReadDir(dir string) (chip.Files, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, errors.New(dir + ": not a directory")
	}
	names := []string{chip.FileCOM, chip.FileSOD}
	for n := 1; n <= 16; n++ {
		names = append(names, chip.DataGroupName(n))
	}
	files := chip.Files{}
	for _, n := range names {
		b, err := bounded.ReadFile(filepath.Join(dir, n), bounded.ChipFile)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		files[n] = b
	}
	return files, nil
}
