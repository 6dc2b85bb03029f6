package biometric_test

import (
	"errors"
	"fmt"
	"os"

	"github.com/cancuoc/sdk/biometric"
)

func ExampleDecode() {
	rec, err := os.ReadFile("testdata/fvc2002_db1_101_1.iso")
	if err != nil {
		panic(err)
	}
	tpl, err := biometric.Decode(rec)
	if err != nil {
		panic(err)
	}
	fmt.Println(tpl) // masked: no minutiae
	m := tpl.Views[0].Minutiae[0]
	fmt.Printf("first minutia: %v at (%d, %d) px, %.2f°\n", m.Type, m.X, m.Y, m.Angle*180/3.141592653589793)

	_, err = biometric.Decode(rec[:len(rec)-1])
	fmt.Println(errors.Is(err, biometric.ErrTruncated), err)
	// Output:
	// biometric.Template{ISO 19794-2:2005, 300x400 px at 197x197 px/cm, 1 view(s), 25 minutiae, quality 0}
	// first minutia: bifurcation at (165, 48) px, 150.47°
	// true biometric: ISO 19794-2:2005: record length at offset 8: truncated record
}

// Printing a template, a view or a minutia, with any verb, never shows
// minutiae: the fields must be read explicitly.
func ExampleTemplate_String() {
	tpl := &biometric.Template{
		Width: 300, Height: 400, ResX: 197, ResY: 197,
		Views: []biometric.View{{Finger: 2, Quality: 60, Minutiae: []biometric.Minutia{
			{X: 120, Y: 77, Angle: 1.5, Type: biometric.MinutiaRidgeEnding},
		}}},
	}
	fmt.Printf("%v\n%+v\n%v\n", tpl, tpl.Views[0], tpl.Views[0].Minutiae)
	// Output:
	// biometric.Template{unknown format, 300x400 px at 197x197 px/cm, 1 view(s), 1 minutiae, quality 60}
	// biometric.View{finger 2, view 0, impression 0, quality 60, 1 minutiae, 0 bytes extended}
	// [biometric.Minutia{masked}]
}

// Converting between formats goes through the Template: decode one format,
// encode another. Angles and card coordinates are quantised as documented.
func ExampleTemplate_EncodeANSI378() {
	rec, err := os.ReadFile("testdata/fvc2002_db1_101_1.iso")
	if err != nil {
		panic(err)
	}
	tpl, err := biometric.DecodeISO2005(rec)
	if err != nil {
		panic(err)
	}
	ansi, err := tpl.EncodeANSI378()
	if err != nil {
		panic(err)
	}
	card, err := tpl.EncodeCardCompact()
	if err != nil {
		panic(err)
	}
	back, err := biometric.Decode(ansi)
	if err != nil {
		panic(err)
	}
	fmt.Println(len(rec), len(ansi), len(card), back.Format)
	// Output:
	// 180 182 75 ANSI 378-2004
}
