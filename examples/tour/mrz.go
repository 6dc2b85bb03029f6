package main

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/cancuoc/sdk/cccd"
	"github.com/cancuoc/sdk/mrz"
)

func init() { register(chapter{order: 20, title: "The machine-readable zone", run: mrzChapter}) }

func mrzChapter(w io.Writer) error {
	fmt.Fprintln(w, "The back of the card carries a TD1 MRZ (ICAO 9303): three lines of 30")
	fmt.Fprintln(w, "characters that OCR reads and that open the chip (BAC).")

	// A synthetic holder: nobody holds this number.
	n, err := cccd.Parse("001095012345")
	if err != nil {
		return err
	}
	h := mrz.Holder{
		Number:     n,
		Name:       "Nguyễn Văn Đức",
		BirthDate:  time.Date(1995, 3, 17, 0, 0, 0, 0, time.UTC),
		Sex:        cccd.Male,
		ExpiryDate: time.Date(2035, 3, 17, 0, 0, 0, 0, time.UTC), // the 40th birthday
	}
	enc, err := mrz.EncodeCCCD(h)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nmrz.EncodeCCCD(%s, \"Nguyễn Văn Đức\", born 1995-03-17, male, expires 2035-03-17):\n", n)
	for _, l := range enc.Lines() {
		fmt.Fprintf(w, "  %s\n", l)
	}

	// Parse it back, as OCR would give it: one line, lower case.
	opts := mrz.Options{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	ocr := strings.ToLower(strings.ReplaceAll(enc.Text(), "\n", ""))
	d, err := opts.Parse(ocr)
	if err != nil {
		return err
	}
	num, _ := d.CCCD()
	exp, _ := d.ExpiryDate()
	fmt.Fprintf(w, "\nmrz.Parse (one lower-case line, as OCR returns it):\n")
	fmt.Fprintf(w, "  printed (masked by default): %v\n", d)
	fmt.Fprintf(w, "  explicit accessors: %s %s, number %s, CCCD %s, born %v, expires %v\n",
		d.Surname(), d.GivenNames(), d.DocumentNumber(), num.Digits(), d.BirthDate(), exp)
	fmt.Fprintln(w, "  checked: every check digit, the composite, dates, sex, country codes, and the")
	fmt.Fprintln(w, "  card profile (number's check digit, document number = its last 9 digits,")
	fmt.Fprintln(w, "  the number's birth year and sex agree with line 2)")

	// One wrong digit: every problem is reported with field and position.
	bad := []byte(enc.Text())
	bad[36+1] = '8' // birth date check digit, line 2 position 6 (36 without line breaks)
	_, err = opts.Parse(string(bad))
	var ve *mrz.ValidationError
	if !errors.As(err, &ve) || !errors.Is(err, mrz.ErrCheckDigit) {
		return fmt.Errorf("a wrong check digit was not reported: %v", err)
	}
	fmt.Fprintf(w, "\nThe birth date check digit changed from 9 to 8:\n")
	for _, fe := range ve.Errors {
		fmt.Fprintf(w, "  %s at position %d: errors.Is(err, mrz.ErrCheckDigit) = %v\n", fe.Field, fe.Offset, errors.Is(fe, mrz.ErrCheckDigit))
	}

	// OCR confusions: repaired only where the field type allows and the
	// check digits confirm exactly one answer.
	misread := strings.Replace(strings.Replace(enc.Text(), "001095", "OO1095", 1), "3503177", "35O3177", 1)
	fixed, changes, err := opts.Repair(misread)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nmrz.Repair: OCR read three zeros as the letter O:\n")
	for _, c := range changes {
		fmt.Fprintf(w, "  position %d: %c -> %c\n", c.Position, c.From, c.To)
	}
	fmt.Fprintf(w, "  repaired text equals the card: %v\n", fixed.Text() == enc.Text())

	// The keys that open the chip come from the document number and dates.
	k := d.BACKeys()
	fmt.Fprintf(w, "\nBAC keys (ICAO 9303-11 9.7) from MRZ_information %s:\n", k.Info)
	fmt.Fprintf(w, "  Kseed %X\n  Kenc  %X\n  Kmac  %X\n", k.Seed[:], k.Enc[:], k.MAC[:])
	fmt.Fprintf(w, "  printed as a value (masked): %v\n", k)
	return nil
}
