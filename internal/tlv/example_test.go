package tlv_test

import (
	"fmt"

	"github.com/cancuoc/sdk/internal/tlv"
)

// Read the MRZ element of a DG1 (ICAO 9303-10: 61 { 5F1F MRZ }).
func ExampleString_ReadTLV() {
	dg1 := tlv.String{0x61, 0x07, 0x5F, 0x1F, 0x04, 'I', 'D', 'V', 'N'}
	var body, mrz tlv.String
	if !dg1.ReadTLV(0x61, &body) || !body.ReadTLV(0x5F1F, &mrz) || !dg1.Empty() {
		fmt.Println("malformed")
		return
	}
	fmt.Printf("%s\n", mrz)
	// Output: IDVN
}

// Build an element with a two-byte tag and a long-form length: the value
// is 02 01 01 (3 bytes) + 5F2E 81 C8 (4) + 200 bytes = 207 = 81 CF.
func ExampleBuilder() {
	var b tlv.Builder
	b.AddConstructed(0x7F61, func(b *tlv.Builder) {
		b.AddInt(0x02, 1)
		b.AddTLV(0x5F2E, make([]byte, 200))
	})
	out, err := b.Bytes()
	fmt.Printf("% X %v\n", out[:8], err)
	// Output: 7F 61 81 CF 02 01 01 5F <nil>
}

// Parse reports where the input breaks.
func ExampleParse() {
	_, err := tlv.Parse([]byte{0x30, 0x80, 0x02, 0x01, 0x05}) // no end-of-contents
	fmt.Println(err)
	// Output: tlv: malformed indefinite length at offset 5
}
