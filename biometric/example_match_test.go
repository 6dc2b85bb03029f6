package biometric_test

import (
	"context"
	"fmt"
	"os"

	"github.com/cancuoc/sdk/biometric"
)

func prepareFile(name string) *biometric.Prepared {
	b, err := os.ReadFile("../testdata/fvc2002/DB1_B/" + name)
	if err != nil {
		panic(err)
	}
	t, err := biometric.Decode(b)
	if err != nil {
		panic(err)
	}
	p, err := biometric.Prepare(t)
	if err != nil {
		panic(err)
	}
	return p
}

// Compare two impressions of one finger, and of two fingers, at the
// threshold calibrated for a false match rate of 0.1%.
func ExampleCompare() {
	a := prepareFile("101_1.iso")
	sameFinger := prepareFile("101_2.iso")
	otherFinger := prepareFile("102_1.iso")
	fmt.Println(a)
	fmt.Println("101_1 vs 101_2:", biometric.Compare(a, sameFinger) >= biometric.ThresholdFMR1000)
	fmt.Println("101_1 vs 102_1:", biometric.Compare(a, otherFinger) >= biometric.ThresholdFMR1000)
	// Output:
	// biometric.Prepared{23 cylinders from 25 minutiae, 3707 bytes}
	// 101_1 vs 101_2: true
	// 101_1 vs 102_1: false
}

// Search a gallery for the best candidates of a probe.
func ExampleGallery_Search() {
	var g biometric.Gallery
	for _, name := range []string{"101_2.iso", "102_1.iso", "103_1.iso", "104_1.iso"} {
		g.Add(name, prepareFile(name))
	}
	top, err := g.Search(context.Background(), prepareFile("101_3.iso"), 1)
	if err != nil {
		panic(err)
	}
	fmt.Println(g.String(), "best:", top[0].ID, top[0].Score >= biometric.ThresholdFMR1000)
	// Output:
	// biometric.Gallery{4 templates} best: 101_2.iso true
}
