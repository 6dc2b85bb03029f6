package mrz_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/cancuoc/sdk/cccd"
	"github.com/cancuoc/sdk/mrz"
)

func ExampleParse() {
	// The ICAO TD1 specimen, as OCR returns it: lower case, no line breaks.
	d, err := mrz.Parse("i<utod231458907<<<<<<<<<<<<<<<7408122f1204159uto<<<<<<<<<<<6eriksson<<anna<maria<<<<<<<<<<")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d) // masked
	fmt.Println(d.Layout(), d.DocumentNumber(), d.BirthDate(), d.Surname(), d.GivenNames())
	// Output:
	// mrz.Document{TD1 I UTO number *******90 name E. A. M.}
	// TD1 D23145890 1974-08-12 ERIKSSON ANNA MARIA
}

func ExampleParse_errors() {
	// The TD1 specimen with a wrong birth date check digit.
	_, err := mrz.Parse("I<UTOD231458907<<<<<<<<<<<<<<<\n7408125F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<")
	var ve *mrz.ValidationError
	if errors.As(err, &ve) {
		for _, fe := range ve.Errors {
			fmt.Println(fe.Field, fe.Offset, errors.Is(fe, mrz.ErrCheckDigit))
		}
	}
	// Output:
	// birth_date_check 36 true
	// composite_check 59 true
}

func ExampleEncodeCCCD() {
	n, _ := cccd.Parse("001095012345")
	d, err := mrz.EncodeCCCD(mrz.Holder{
		Number:     n,
		Name:       "Nguyễn Văn Đức",
		BirthDate:  time.Date(1995, 3, 17, 0, 0, 0, 0, time.UTC),
		Sex:        cccd.Male,
		ExpiryDate: time.Date(2035, 3, 17, 0, 0, 0, 0, time.UTC),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.Text())
	// Output:
	// IDVNM0950123455001095012345<<6
	// 9503179M3503177VNM<<<<<<<<<<<0
	// NGUYEN<<VAN<DUC<<<<<<<<<<<<<<<
}

func ExampleDocument_CCCD() {
	d, err := mrz.Parse("IDVNM1580001236038158000123<<3\n5801051F9912315VNM<<<<<<<<<<<8\nLE<<THI<HOA<<<<<<<<<<<<<<<<<<<")
	if err != nil {
		fmt.Println(err)
		return
	}
	n, ok := d.CCCD()
	_, expires := d.ExpiryDate()
	fmt.Println(ok, n, n.Province().Name2025, d.BirthDate(), expires)
	// Output:
	// true 038*******23 Thanh Hóa 1958-01-05 false
}

func ExampleRepair() {
	// OCR read two zeros of a Vietnamese card as the letter O.
	d, changes, err := mrz.Repair("IDVNM0950123455001O95012345<<6\n9503179M35O3177VNM<<<<<<<<<<<0\nNGUYEN<<VAN<DUC<<<<<<<<<<<<<<<")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range changes {
		fmt.Printf("position %d: %c -> %c\n", c.Position, c.From, c.To)
	}
	fmt.Println(d)
	// Output:
	// position 18: O -> 0
	// position 40: O -> 0
	// mrz.Document{TD1 ID VNM number *******45 name N. V. D.}
}

func ExampleNewBACKeys() {
	// ICAO 9303-11 Appendix D.1.
	k, _ := mrz.NewBACKeys("L898902C", "690806", "940623")
	fmt.Println(k.Info)
	fmt.Printf("%X\n%X\n%X\n", k.Seed[:], k.Enc[:], k.MAC[:])
	// Output:
	// L898902C<369080619406236
	// 239AB9CB282DAF66231DC5A4DF6BFBAE
	// AB94FDECF2674FDFB9B391F85D7F76F2
	// 7962D9ECE03D1ACD4C76089DCE131543
}

func ExampleDocument_BACKeys() {
	// A passport with the data of the BAC worked example (ICAO 9303-11
	// Appendix D.1): document L898902C, born 690806, expiring 940623.
	d, err := mrz.Parse("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n" +
		"L898902C<3UTO6908061F9406236<<<<<<<<<<<<<<<2")
	if err != nil {
		fmt.Println(err)
		return
	}
	k := d.BACKeys()
	fmt.Println(k) // masked
	fmt.Println(k.Info)
	fmt.Printf("%X\n%X\n", k.Enc[:], k.MAC[:])
	// Output:
	// mrz.BACKeys{…}
	// L898902C<369080619406236
	// AB94FDECF2674FDFB9B391F85D7F76F2
	// 7962D9ECE03D1ACD4C76089DCE131543
}

func ExampleTransliterate() {
	s, _ := mrz.Transliterate("Trần Thị Ngọc Ánh")
	fmt.Println(s)
	// Output: TRAN<THI<NGOC<ANH
}
