package main

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"

	"github.com/cancuoc/sdk/cccd"
)

func init() { register(chapter{order: 10, title: "The 12-digit number", run: numberChapter}) }

func numberChapter(w io.Writer) error {
	fmt.Fprintln(w, "Every card carries a 12-digit personal identification number: PPP G YY NNNNNN,")
	fmt.Fprintln(w, "province of birth registration, sex and century, birth year, random serial.")

	// A synthetic number; nobody holds it.
	n, err := cccd.Parse("079303004567")
	if err != nil {
		return err
	}
	p := n.Province()
	fmt.Fprintf(w, "\ncccd.Parse(\"079303004567\")\n")
	fmt.Fprintf(w, "  printed (masked by default): %v\n", n)
	fmt.Fprintf(w, "  n.Digits() (explicit):       %s\n", n.Digits())
	fmt.Fprintf(w, "  province: %s %s, since the 2025 merger part of %s\n", p.Code, p.Name, p.Name2025)
	fmt.Fprintf(w, "  sex: %v, born %d (century %d)\n", n.Sex(), n.BirthYear(), n.Century())

	bd, ok := cccd.ProvinceByName("tinh binh duong")
	if !ok {
		return errors.New("province Bình Dương not found by name")
	}
	fmt.Fprintf(w, "  cccd.ProvinceByName(\"tinh binh duong\"): %s %s, now part of %s\n", bd.Code, bd.Name, bd.Name2025)

	typed := " ０７９-303.004 567 "
	m, err := cccd.ParseLenient(typed)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\ncccd.ParseLenient(%q) -> %s, same number: %v\n", typed, m.Digits(), m == n)

	_, err = cccd.Parse("003303004567")
	var pe *cccd.ParseError
	if !errors.As(err, &pe) || !errors.Is(err, cccd.ErrProvince) {
		return fmt.Errorf("prefix 003 was not rejected as a province: %v", err)
	}
	fmt.Fprintf(w, "\ncccd.Parse(\"003303004567\") -> %v\n", err)
	fmt.Fprintf(w, "  errors.Is(err, cccd.ErrProvince) = true, field %q at offset %d\n", pe.Field, pe.Offset)

	q, err := cccd.ParseQR("079303004567|123456789|Nguyễn Thị An|05042003|Nữ|Số 1 Lê Lợi, Quận 1, TP. Hồ Chí Minh|10052021")
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nThe QR code on the card's front, parsed and checked against the number:\n")
	fmt.Fprintf(w, "  printed: %v\n", q)
	fmt.Fprintf(w, "  fields:  %s, born %s, %v, issued %s\n", q.Name, q.BirthDate.Format("02/01/2006"), q.Sex, q.IssueDate.Format("02/01/2006"))

	seeded := rand.NewChaCha8([32]byte{10})
	g, err := cccd.Generate(seeded, cccd.GenerateSpec{Province: "001", Sex: cccd.Male, BirthYear: 1995})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\ncccd.Generate(seeded reader, Hà Nội, male, 1995) -> %s (a test number; it parses)\n", g.Digits())
	return nil
}
