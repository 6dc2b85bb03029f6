package mrz_test

import (
	"fmt"
	"log"

	"github.com/cancuoc/sdk/mrz"
)

// Example_readme is the README's mrz snippet, run: every output the README
// shows comes from here (TestReadmeOutputs in examples/tour checks).
func Example_readme() {
	d, err := mrz.Parse("IDVNM0950123455001095012345<<6\n9503179M3503177VNM<<<<<<<<<<<0\nNGUYEN<<VAN<DUC<<<<<<<<<<<<<<<")
	if err != nil {
		log.Fatal(err) // errors.Is(err, mrz.ErrCheckDigit), errors.As(err, &validationErr), ...
	}
	fmt.Println(d) // mrz.Document{TD1 ID VNM number *******45 name N. V. D.}
	n, _ := d.CCCD()
	fmt.Println(n.Digits(), d.Surname(), d.GivenNames(), d.BirthDate()) // 001095012345 NGUYEN VAN DUC 1995-03-17
	keys := d.BACKeys()                                                 // keys.Enc, keys.MAC open the chip
	fmt.Printf("%X\n", keys.Seed[:])                                    // 5D41973A6EE8FDFAF051C6DE3BF511CE
	// Output:
	// mrz.Document{TD1 ID VNM number *******45 name N. V. D.}
	// 001095012345 NGUYEN VAN DUC 1995-03-17
	// 5D41973A6EE8FDFAF051C6DE3BF511CE
}
