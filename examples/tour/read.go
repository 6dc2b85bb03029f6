package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/chip/chiptest"
	"github.com/cancuoc/sdk/chip/reader"
)

func init() {
	register(chapter{order: 35, title: "Reading the card: PACE, secure messaging, chip and active authentication", run: readChapter})
}

func readChapter(w io.Writer) error {
	fmt.Fprintln(w, "A bank's kiosk or phone reads the chip before verifying it. The tour's card is served")
	fmt.Fprintln(w, "by an in-process software card (chip/chiptest) that answers APDUs as the CCCD does:")
	fmt.Fprintln(w, "SELECT of the MF refused with 6D00, EF.CardAccess offering PACE-ECDH-GM-AES-128 on")
	fmt.Fprintln(w, "brainpoolP256r1, chip authentication in DG14, an active-authentication key in DG15.")
	fmt.Fprintln(w, "A PC/SC reader (chip/reader/pcsc) or an Android IsoDep tag plugs in the same place.")

	is, card, err := issueTourCard()
	if err != nil {
		return err
	}
	sc, err := chiptest.NewSoftCard(card, chiptest.SoftCardOptions{})
	if err != nil {
		return err
	}
	// The CCCD's PACE password is its CAN: the last 6 digits of the number.
	pw, err := reader.CANFromNumber("001090012345")
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nPassword from the number 001090012345: %v (printed masked).\n", pw)

	ctx := context.Background()
	res, err := reader.Read(ctx, sc, reader.Options{Password: pw, ChipAuthentication: true, ActiveAuthentication: true})
	if err != nil {
		return err
	}
	names := make([]string, 0, len(res.Files))
	for n := range res.Files {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintf(w, "Read with %s in %d APDUs (short Le: at most 223 bytes per protected READ BINARY):\n", res.Access, res.APDUs)
	for _, n := range names {
		fmt.Fprintf(w, "  %-13s %6d bytes\n", n, len(res.Files[n]))
	}
	fmt.Fprintf(w, "Chip authentication: %s. Active authentication: %s.\n", res.ChipAuthentication, res.ActiveAuthentication)

	// What was read is verified like any chip files: passive authentication
	// makes DG14 and DG15 trustworthy, which is what gives CA and AA meaning.
	r, err := chip.Verify(res.Files, chip.VerifyOptions{Trust: is.TrustStore(), Now: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Passive authentication of what was read: valid=%v (signer %q).\n", r.Valid, r.Signer.Subject)

	// A wrong CAN: the chip answers the terminal's token with 6300 and the
	// reader stops before any file of the application is read.
	bad, _ := reader.CAN("123456")
	sc.Reset()
	res, err = reader.Read(ctx, sc, reader.Options{Password: bad})
	var re *reader.Error
	if !errors.Is(err, reader.ErrAccessDenied) || !errors.As(err, &re) {
		return fmt.Errorf("a wrong CAN gave %v", err)
	}
	fmt.Fprintf(w, "\nWith a wrong CAN: errors.Is(err, reader.ErrAccessDenied) = true, status %04X, files read: %s.\n",
		re.SW, strings.Join(fileNames(res.Files), ", "))

	// A clone: the same files on a chip that does not hold the keys (it
	// gets its own keys from another issuer).
	forger, err := chiptest.New(chiptest.Options{Seed: "forger"})
	if err != nil {
		return err
	}
	other, err := forger.Issue(chiptest.DefaultHolder())
	if err != nil {
		return err
	}
	clone, err := chiptest.NewSoftCard(&chiptest.Card{Files: card.Files, AAKey: other.AAKey, CAKey: other.CAKey}, chiptest.SoftCardOptions{})
	if err != nil {
		return err
	}
	res, err = reader.Read(ctx, clone, reader.Options{Password: pw, ChipAuthentication: true, ActiveAuthentication: true})
	if !errors.Is(err, reader.ErrChipAuthentication) {
		return fmt.Errorf("a clone gave %v", err)
	}
	if _, verr := chip.Verify(res.Files, chip.VerifyOptions{Trust: is.TrustStore(), Now: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)}); verr != nil {
		return verr
	}
	fmt.Fprintf(w, "A clone (same files, other chip keys): passive authentication valid, chip authentication %s,\n", res.ChipAuthentication)
	fmt.Fprintf(w, "active authentication %s: the files were copied, the chip was not.\n", res.ActiveAuthentication)
	return nil
}

func fileNames(f chip.Files) []string {
	var names []string
	for n := range f {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
