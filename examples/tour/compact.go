package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/cancuoc/sdk/cccd"
	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/chip/chiptest"
	"github.com/cancuoc/sdk/chip/compact"
)

func init() {
	register(chapter{order: 40, title: "Compact signed cards: CBOR, COSE_Sign1 and Ed25519", run: compactChapter})
}

func compactChapter(w io.Writer) error {
	fmt.Fprintln(w, "For QR codes, offline tokens and service-to-service transfer, chip/compact")
	fmt.Fprintln(w, "signs the holder data as CBOR items under one COSE_Sign1 Ed25519 signature;")
	fmt.Fprintln(w, "each item has its own salt and digest, so a holder can disclose a subset.")

	// A synthetic issuer key and holder (chiptest.DefaultHolder is fictitious).
	seed := sha256.Sum256([]byte("tour compact issuer"))
	issuer := ed25519.NewKeyFromSeed(seed[:])
	trust, err := compact.NewTrustStore(issuer.Public().(ed25519.PublicKey))
	if err != nil {
		return err
	}
	h := chiptest.DefaultHolder()
	face, err := chip.SyntheticFace(1)
	if err != nil {
		return err
	}
	h.FaceJPEG = face
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)

	// 1. Sign (salts from a seeded reader so the tour prints the same bytes).
	obj, err := compact.Sign(rand.NewChaCha8([32]byte{40}), h, issuer, compact.SignOptions{Now: now})
	if err != nil {
		return err
	}
	full, err := compact.Verify(obj, compact.VerifyOptions{Trust: trust, Now: now})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\ncompact.Sign: %d items, %d bytes, kid %x, valid %s .. %s\n",
		len(full.Items), len(obj), compact.KeyID(issuer.Public().(ed25519.PublicKey)),
		full.ValidFrom.Format(time.DateOnly), full.ValidUntil.Format(time.DateOnly))
	fmt.Fprintf(w, "  items: %v\n", full.Identifiers())

	// 2. The holder discloses only what an age check needs.
	shared, err := compact.Disclose(obj, compact.ElemFamilyName, compact.ElemGivenName, compact.ElemBirthDate)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\ncompact.Disclose(family_name, given_name, birth_date): %d bytes\n", len(shared))

	// 3. The verifier checks it and requires the birth date.
	card, err := compact.Verify(shared, compact.VerifyOptions{Trust: trust, Now: now, Require: []string{compact.ElemBirthDate}})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "compact.Verify: %v\n", card)
	fmt.Fprintf(w, "  (the holder's values need explicit reads: born %s)\n", card.Holder.BirthDate.Format(time.DateOnly))
	_, err = compact.Verify(shared, compact.VerifyOptions{Trust: trust, Now: now, Require: []string{compact.ElemNumber}})
	fmt.Fprintf(w, "  requiring the number instead: %v\n", err)
	// Move the birth date back a day by flipping one bit of "1990-05-17".
	tampered := bytes.Replace(shared, []byte("1990-05-17"), []byte("1990-05-16"), 1)
	_, err = compact.Verify(tampered, compact.VerifyOptions{Trust: trust, Now: now})
	fmt.Fprintf(w, "  birth date changed to 1990-05-16: %v\n", err)
	var other compact.TrustStore
	otherSeed := sha256.Sum256([]byte("another issuer"))
	if err := other.AddKey(nil, ed25519.NewKeyFromSeed(otherSeed[:]).Public().(ed25519.PublicKey)); err != nil {
		return err
	}
	_, err = compact.Verify(shared, compact.VerifyOptions{Trust: &other, Now: now})
	fmt.Fprintf(w, "  a store with one other key: %v\n", err)
	_, err = compact.Verify(shared, compact.VerifyOptions{Now: now})
	fmt.Fprintf(w, "  no store at all (a programming error): %v\n", err)

	// 4. A back-end verifies a thousand tokens at once.
	const n = 1000
	objs := make([][]byte, n)
	for i := range objs {
		hi := h
		if hi.Number, err = cccd.Parse(fmt.Sprintf("001090%06d", i)); err != nil {
			return err
		}
		objs[i], err = compact.Sign(rand.NewChaCha8([32]byte{byte(i), byte(i >> 8)}), hi, issuer,
			compact.SignOptions{Now: now, Include: []string{compact.ElemNumber, compact.ElemBirthDate}})
		if err != nil {
			return err
		}
	}
	start := time.Now()
	_, errs := compact.VerifyBatch(objs, compact.VerifyOptions{Trust: trust, Now: now})
	batch := time.Since(start)
	if err := errors.Join(errs...); err != nil {
		return err
	}
	const singles = 100
	start = time.Now()
	for _, o := range objs[:singles] {
		if _, err := compact.Verify(o, compact.VerifyOptions{Trust: trust, Now: now}); err != nil {
			return err
		}
	}
	single := time.Since(start) / singles
	fmt.Fprintf(w, "\ncompact.VerifyBatch of %d objects from one issuer: all valid (timings vary by machine)\n", n)
	fmt.Fprintf(w, "  batch: %v in all, %v per object; one by one: %v per object (first %d)\n",
		batch.Round(time.Millisecond), (batch / n).Round(100*time.Nanosecond), single.Round(100*time.Nanosecond), singles)
	objs[500] = bytes.Replace(objs[500], []byte("1990-05-17"), []byte("1990-05-16"), 1)
	_, errs = compact.VerifyBatch(objs, compact.VerifyOptions{Trust: trust, Now: now})
	for i, err := range errs {
		if err != nil {
			fmt.Fprintf(w, "  after altering the birth date in object 500, the batch names object %d: %v\n", i, err)
		}
	}

	// 5. Size against the ICAO files that carry the same data.
	is, err := chiptest.New(chiptest.Options{Seed: "tour compact"})
	if err != nil {
		return err
	}
	icao, err := is.Issue(h)
	if err != nil {
		return err
	}
	dg1, dg13, sod := len(icao.Files["DG1"]), len(icao.Files["DG13"]), len(icao.Files[chip.FileSOD])
	fmt.Fprintf(w, "\nsize: compact object %d bytes (all text items and the face hash) vs DG1 %d + DG13 %d + EF.SOD %d = %d bytes\n",
		len(obj), dg1, dg13, sod, dg1+dg13+sod)
	fmt.Fprintln(w, "  (the SOD carries the ECDSA P-256 Document Signer certificate and the hashes of DG2, DG14 and DG15 too;")
	fmt.Fprintln(w, "  the compact object pays 16 bytes of salt, a 32-byte digest and CBOR field names per item)")
	return nil
}
