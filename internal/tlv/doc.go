// Package tlv reads and writes the BER-TLV encoding of ICAO 9303 LDS files
// (Doc 9303 Part 10, section 4.4; ISO/IEC 8825-1 (X.690) section 8.1).
//
// Unlike cryptobyte, it reads multi-byte tags (5F1F, 7F61, 5F2E), all the
// length forms ICAO files use (short, 81, 82, 83, 84) and BER indefinite
// lengths (80 ... 00 00) on constructed values. Tags are written as their
// bytes in big-endian order in a uint32: 0x61, 0x5F1F, 0x7F61.
//
// Reading follows cryptobyte: a String is consumed by Read methods that
// report success with a bool, and Next, Parse and ParseOne return an *Error
// with the offset of the failure. Values are sub-slices of the input,
// never copies, so a hash over them covers the bytes as received. The
// Builder writes definite, minimal lengths.
//
// # Security
//
// Every length is checked against the bytes that remain before any slice
// is taken, so a declared length never causes an allocation or a read
// beyond the input. Nesting is bounded by MaxDepth: Parse stops there, and
// the search for the end of an indefinite-length value is a loop with a
// counter, not recursion. Parse allocates at most one Node per two input
// bytes.
package tlv
