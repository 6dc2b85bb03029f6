package cccd_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/cancuoc/sdk/cccd"
)

func ExampleParse() {
	n, err := cccd.Parse("079303004567") // synthetic
	if err != nil {
		fmt.Println(err)
		return
	}
	p := n.Province()
	fmt.Println(n) // masked by default
	fmt.Println(n.Digits())
	fmt.Println(p.Code, p.Name, "->", p.Name2025)
	fmt.Println(n.Sex(), n.BirthYear())
	// Output:
	// 079*******67
	// 079303004567
	// 079 Hồ Chí Minh -> Hồ Chí Minh
	// female 2003
}

func ExampleParse_errors() {
	for _, s := range []string{"003303004567", "07930300456O", "123456789", "079999004567"} {
		_, err := cccd.Parse(s)
		var pe *cccd.ParseError
		errors.As(err, &pe)
		fmt.Printf("%-5v %-11s offset %2d: %v\n", errors.Is(err, cccd.ErrProvince), pe.Field, pe.Offset, err)
	}
	// Output:
	// true  province    offset  0: cccd: province at offset 0: unknown province code
	// false number      offset 11: cccd: number at offset 11: unexpected character
	// false number      offset  0: cccd: number at offset 0: legacy 9-digit CMND number, not a 12-digit personal identification number
	// false birth_year  offset  3: cccd: birth_year at offset 3: implausible birth year
}

func ExampleParseLenient() {
	for _, s := range []string{" 079 303 004 567 ", "079.303.004.567", "０７９３０３００４５６７"} {
		n, err := cccd.ParseLenient(s)
		fmt.Println(n.Digits(), err)
	}
	// Output:
	// 079303004567 <nil>
	// 079303004567 <nil>
	// 079303004567 <nil>
}

func ExampleNormalize() {
	s, err := cccd.Normalize("079-303-004-567")
	fmt.Println(s, err)
	// Output: 079303004567 <nil>
}

func ExampleParseOptions() {
	// A caller that would rather warn than reject a 0xx prefix missing
	// from the table, and that rejects holders older than 120 years.
	opts := cccd.ParseOptions{
		AllowUnknownProvince: true,
		MaxAge:               120,
		Now:                  func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) },
	}
	n, err := opts.Parse("097095012345")
	fmt.Println(n, n.Province().Known(), err)
	_, err = opts.Parse("001005012345")
	fmt.Println(errors.Is(err, cccd.ErrBirthYear))
	// Output:
	// 097*******45 false <nil>
	// true
}

func ExampleNumber_Province() {
	for _, s := range []string{"046199000001", "175088012345"} {
		n, _ := cccd.Parse(s)
		p := n.Province()
		fmt.Printf("%s %q %q abroad=%v\n", p.Code, p.Name, p.Name2025, p.Abroad)
	}
	// Output:
	// 046 "Thừa Thiên Huế" "Huế" abroad=false
	// 175 "" "" abroad=true
}

func ExampleNumber_Matches() {
	n, _ := cccd.Parse("079303004567")
	birth := time.Date(2003, 4, 5, 0, 0, 0, 0, time.UTC)
	fmt.Println(n.Matches(birth, cccd.Female))
	fmt.Println(n.Matches(birth, cccd.Male))
	// Output:
	// <nil>
	// cccd: number does not match the holder's sex
}

func ExampleProvinceByName() {
	for _, name := range []string{"ha noi", "TP. Hồ Chí Minh", "Thua Thien Hue", "Tp HCM"} {
		p, ok := cccd.ProvinceByName(name)
		fmt.Println(p.Code, p.Name, ok)
	}
	// Output:
	// 001 Hà Nội true
	// 079 Hồ Chí Minh true
	// 046 Thừa Thiên Huế true
	// 079 Hồ Chí Minh true
}

func ExampleGenerate() {
	seeded := rand.NewChaCha8([32]byte{1}) // the same seed gives the same numbers
	n, err := cccd.Generate(seeded, cccd.GenerateSpec{Province: "001", Sex: cccd.Female, BirthYear: 1990})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(n.Digits()[:6], n.Province().Name, n.Sex(), n.BirthYear())
	// Output: 001190 Hà Nội female 1990
}

func ExampleParseQR() {
	// A synthetic front-side QR text.
	q, err := cccd.ParseQR("079303004567|123456789|Nguyễn Thị An|05042003|Nữ|Số 1 Lê Lợi, Quận 1, TP. Hồ Chí Minh|10052021")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(q) // masked
	fmt.Println(q.Name, q.BirthDate.Format("2006-01-02"), q.Sex, q.IssueDate.Format("2006-01-02"))
	// Output:
	// cccd.QR{Number: 079*******67, other fields masked}
	// Nguyễn Thị An 2003-04-05 female 2021-05-10
}
