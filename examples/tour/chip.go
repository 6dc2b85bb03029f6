package main

import (
	"crypto"
	"errors"
	"fmt"
	"io"
	"maps"
	"time"

	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/chip/chiptest"
)

func init() {
	register(chapter{order: 30, title: "The chip: passive and active authentication", run: chipChapter})
}

func chipChapter(w io.Writer) error {
	fmt.Fprintln(w, "The chip holds data groups (DG1 the MRZ, DG2 the face, DG13 the personal data,")
	fmt.Fprintln(w, "DG14/DG15 the active-authentication key) and EF.SOD, the issuer's signature over")
	fmt.Fprintln(w, "their hashes. A throwaway issuer (chip/chiptest) plays the ministry here.")

	is, card, err := issueTourCard()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nIssued a card signed by %q under %q.\n", is.DS.Subject, is.CSCA.Subject)

	// The bank trusts the CSCA and verifies at a fixed time.
	opts := chip.VerifyOptions{Trust: is.TrustStore(), Now: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)}
	r, err := chip.Verify(card.Files, opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Passive authentication: valid=%v, chain=%s, hashes %s:\n", r.Valid, r.ChainStatus, r.HashAlgorithm)
	for _, d := range r.DataGroups {
		fmt.Fprintf(w, "  %-5s %-10s %6d bytes\n", d.Name, d.Status, len(card.Files[d.Name]))
	}

	// One flipped bit in the face image.
	tampered := maps.Clone(card.Files)
	dg2 := append([]byte(nil), tampered["DG2"]...)
	dg2[len(dg2)/2] ^= 0x01
	tampered["DG2"] = dg2
	r, err = chip.Verify(tampered, opts)
	if !errors.Is(err, chip.ErrDigestMismatch) {
		return fmt.Errorf("tampered card not rejected: %v", err)
	}
	dg, _ := r.DataGroup(2)
	fmt.Fprintf(w, "\nAfter flipping one bit of DG2: valid=%v, reason=%q, DG2 %s.\n", r.Valid, r.Reason, dg.Status)

	// Another issuer with the same names but its own keys.
	rogue, err := chiptest.New(chiptest.Options{Seed: "rogue"})
	if err != nil {
		return err
	}
	forged, err := rogue.Sign(card.Files)
	if err != nil {
		return err
	}
	r, _ = chip.Verify(forged, opts)
	fmt.Fprintf(w, "Re-signed by a look-alike issuer: valid=%v, reason=%q.\n", r.Valid, r.Reason)

	// The algorithm policy: SHA-256 or better unless the caller asks for
	// the SHA-1 of early documents.
	old, err := chiptest.New(chiptest.Options{Seed: "tour-2006", Hash: crypto.SHA1})
	if err != nil {
		return err
	}
	oldCard, err := old.Issue(chiptest.DefaultHolder())
	if err != nil {
		return err
	}
	oldOpts := chip.VerifyOptions{Trust: old.TrustStore(), Now: opts.Now}
	r, _ = chip.Verify(oldCard.Files, oldOpts)
	fmt.Fprintf(w, "A card signed with SHA-1 (%s): valid=%v, reason=%q", r.Algorithms.Signature, r.Valid, r.Reason)
	oldOpts.Policy = chip.LegacyAlgorithms()
	r, _ = chip.Verify(oldCard.Files, oldOpts)
	fmt.Fprintf(w, "; with chip.LegacyAlgorithms(): valid=%v.\n", r.Valid)

	// Active authentication: the chip signs the reader's challenge.
	challenge := []byte{0x0A, 0x1B, 0x2C, 0x3D, 0x4E, 0x5F, 0x60, 0x71}
	resp, err := card.RespondAA(challenge)
	if err != nil {
		return err
	}
	err = chip.VerifyActiveAuthentication(card.Files["DG15"], card.Files["DG14"], challenge, resp)
	fmt.Fprintf(w, "Active authentication (ECDSA P-256, %d-byte response): ok=%v.\n", len(resp), err == nil)
	return err
}

// issueTourCard issues the tour's card: the default synthetic holder under
// a throwaway issuer seeded "tour", the same in every chapter.
func issueTourCard() (*chiptest.Issuer, *chiptest.Card, error) {
	is, err := chiptest.New(chiptest.Options{Seed: "tour"})
	if err != nil {
		return nil, nil, err
	}
	card, err := is.Issue(chiptest.DefaultHolder())
	if err != nil {
		return nil, nil, err
	}
	return is, card, nil
}
