package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/cancuoc/sdk/chip/chiptest"
	"github.com/cancuoc/sdk/chip/reader"
	"github.com/cancuoc/sdk/chip/reader/pcsc"
	"github.com/cancuoc/sdk/internal/bounded"
	"github.com/cancuoc/sdk/mrz"
)

func init() {
	register(command{name: "chip read", summary: "read a card (PC/SC reader or software card) with PACE or BAC, CA and AA, into DIR", run: runChipRead})
}

// chipReadResult is the output of "chip read", fields in contract order.
type chipReadResult struct {
	Access               string         `json:"access"`
	ChipAuthentication   string         `json:"chip_authentication"`
	ActiveAuthentication string         `json:"active_authentication"`
	Files                map[string]int `json:"files"`
	APDUs                int            `json:"apdus"`
	Bytes                int            `json:"bytes"`
	MS                   int64          `json:"ms"`
}

func runChipRead(e *env, args []string) int {
	fs := newFlags(e, "chip read", "(-pcsc [-reader NAME] | -emulate DIR) (-can DIGITS | -number 12DIGITS | -mrz FILE) -out DIR [-aa] [-ca] [-progress]\n\n"+
		"Reads a card through pcscd (-pcsc) or serves the card \"chip issue -out DIR\" wrote from an\n"+
		"in-process software card (-emulate DIR). PACE when EF.CardAccess offers it, else BAC\n"+
		"(BAC needs -mrz). -number takes the CAN from a 12-digit CCCD number (its last 6 digits).\n"+
		"Writes EF.CardAccess, EF.COM, EF.SOD and every readable data group as raw bytes into\n"+
		"-out (\"cancuoc chip verify -trust csca.pem DIR\" checks them) and prints one JSON object:\n"+
		`  {"access":"PACE-ECDH-GM-AES-128","chip_authentication":"ok","active_authentication":"ok","files":{"DG1":95,...},"apdus":N,"bytes":N,"ms":N}`+"\n"+
		"chip_authentication and active_authentication: ok, failed, not_supported, skipped (without\n"+
		"-ca / -aa). -progress writes progress to stderr. Exit 0 read, 1 access denied or CA/AA\n"+
		"failed, 2 usage or transport error.\n")
	usePCSC := fs.Bool("pcsc", false, "read through pcscd")
	readerName := fs.String("reader", "", "PC/SC reader name (default: the first with a card)")
	emulate := fs.String("emulate", "", "serve the card in DIR (written by chip issue) from a software card")
	canFlag := fs.String("can", "", "card access number")
	number := fs.String("number", "", "12-digit CCCD number (the CAN is its last 6 digits)")
	mrzFile := fs.String("mrz", "", "file holding the MRZ text (BAC or PACE with MRZ)")
	out := fs.String("out", "", "output directory (created if needed)")
	aa := fs.Bool("aa", false, "run active authentication")
	ca := fs.Bool("ca", false, "run chip authentication")
	progress := fs.Bool("progress", false, "print progress on stderr")
	if code, stop := parseFlags(fs, args); stop {
		return code
	}
	passwords := 0
	for _, s := range []string{*canFlag, *number, *mrzFile} {
		if s != "" {
			passwords++
		}
	}
	if *out == "" || fs.NArg() != 0 || passwords != 1 || (*usePCSC == (*emulate != "")) || (*readerName != "" && !*usePCSC) {
		fs.Usage()
		return exitUsage
	}
	var pw reader.Password
	var err error
	switch {
	case *canFlag != "":
		pw, err = reader.CAN(*canFlag)
	case *number != "":
		pw, err = reader.CANFromNumber(*number)
	default:
		pw, err = mrzPassword(*mrzFile)
	}
	if err != nil {
		fmt.Fprintln(e.stderr, "chip read:", err)
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var t reader.Transceiver
	if *usePCSC {
		card, err := pcsc.Open(ctx, pcsc.Options{Reader: *readerName})
		if err != nil {
			fmt.Fprintln(e.stderr, "chip read:", err)
			if errors.Is(err, pcsc.ErrNoReader) {
				// Name the readers pcscd knows, ready to copy into -reader.
				if names, lerr := pcsc.ListReaders(ctx, pcsc.Options{}); lerr == nil {
					for _, n := range names {
						fmt.Fprintf(e.stderr, "  reader: %q\n", n)
					}
				}
			}
			return exitUsage
		}
		defer card.Close()
		t = card
	} else {
		c, err := chiptest.LoadCard(*emulate)
		if err != nil {
			fmt.Fprintln(e.stderr, "chip read:", err)
			return exitUsage
		}
		if t, err = chiptest.NewSoftCard(c, chiptest.SoftCardOptions{}); err != nil {
			fmt.Fprintln(e.stderr, "chip read:", err)
			return exitUsage
		}
	}
	opts := reader.Options{Password: pw, ChipAuthentication: *ca, ActiveAuthentication: *aa}
	if *progress {
		opts.Progress = func(file string, read, total int) {
			fmt.Fprintf(e.stderr, "%s %d/%d\n", file, read, total)
		}
	}
	start := time.Now()
	res, rerr := reader.Read(ctx, t, opts)
	ms := time.Since(start).Milliseconds()
	if res != nil && len(res.Files) > 0 && (rerr == nil || errors.Is(rerr, reader.ErrChipAuthentication) || errors.Is(rerr, reader.ErrActiveAuthentication)) {
		if err := writeChipFiles(*out, res); err != nil {
			fmt.Fprintln(e.stderr, "chip read:", err)
			return exitUsage
		}
	}
	if res != nil {
		o := chipReadResult{Access: res.Access, ChipAuthentication: res.ChipAuthentication.String(),
			ActiveAuthentication: res.ActiveAuthentication.String(), Files: map[string]int{},
			APDUs: res.APDUs, Bytes: res.Bytes, MS: ms}
		for n, b := range res.Files {
			o.Files[n] = len(b)
		}
		paJSON(e.stdout, o)
	}
	switch {
	case rerr == nil:
		return exitOK
	case errors.Is(rerr, reader.ErrAccessDenied), errors.Is(rerr, reader.ErrChipAuthentication),
		errors.Is(rerr, reader.ErrActiveAuthentication), errors.Is(rerr, reader.ErrSecureMessaging):
		fmt.Fprintln(e.stderr, "chip read:", rerr)
		return exitFail
	}
	fmt.Fprintln(e.stderr, "chip read:", rerr)
	return exitUsage
}

// mrzPassword reads an MRZ (its lines) from a file.
func mrzPassword(name string) (reader.Password, error) {
	b, err := bounded.ReadFile(name, bounded.MRZText)
	if err != nil {
		return reader.Password{}, err
	}
	doc, err := mrz.Parse(string(b))
	if err != nil {
		return reader.Password{}, fmt.Errorf("-mrz %s: %w", name, err)
	}
	return reader.MRZFromDocument(doc)
}

func writeChipFiles(dir string, res *reader.Result) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for n, b := range res.Files {
		if err := os.WriteFile(filepath.Join(dir, n), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
