package biometric_test

import (
	"fmt"
	"log"
	"os"

	"github.com/cancuoc/sdk/biometric"
)

// Example_readme is the README's biometric snippet, run: every output the
// README shows comes from here (TestReadmeOutputs in examples/tour checks).
func Example_readme() {
	// Two impressions of one finger (FVC2002 DB1 set B, see
	// ../testdata/fvc2002/README.md).
	recA, err := os.ReadFile("../testdata/fvc2002/DB1_B/101_1.iso")
	if err != nil {
		log.Fatal(err)
	}
	recB, err := os.ReadFile("../testdata/fvc2002/DB1_B/101_2.iso")
	if err != nil {
		log.Fatal(err)
	}

	a, err := biometric.Decode(recA) // ISO 2005, ISO 2011 or ANSI 378, detected from the header
	if err != nil {
		log.Fatal(err) // errors.Is(err, biometric.ErrTruncated), errors.As(err, &decodeErr), ...
	}
	fmt.Println(a)                 // biometric.Template{ISO 19794-2:2005, 300x400 px at 197x197 px/cm, 1 view(s), 25 minutiae, quality 0}
	ansi, err := a.EncodeANSI378() // conversion: angles rounded to 2°
	if err != nil {
		log.Fatal(err)
	}

	b, err := biometric.Decode(recB)
	if err != nil {
		log.Fatal(err)
	}
	pa, err := biometric.Prepare(a) // once per template
	if err != nil {
		log.Fatal(err)
	}
	pb, err := biometric.Prepare(b)
	if err != nil {
		log.Fatal(err)
	}
	score := biometric.Compare(pa, pb)                          // in [0, 1]
	fmt.Println(len(ansi), score >= biometric.ThresholdFMR1000) // 182 true: a match at a false match rate of 0.1%
	// Output:
	// biometric.Template{ISO 19794-2:2005, 300x400 px at 197x197 px/cm, 1 view(s), 25 minutiae, quality 0}
	// 182 true
}
