// Package cccd parses, validates and generates Vietnam's 12-digit personal
// identification number (số định danh cá nhân), the number printed on the
// chip identity card (căn cước công dân since 2021, thẻ căn cước since
// 1 July 2024), in DG13, in the MRZ and in the front-side QR code.
//
// The structure is PPP G YY NNNNNN, with no check digit (Decree
// 137/2015/NĐ-CP and Circular 07/2016/TT-BCA; unchanged by the Law on
// Identification 2023 and Decree 70/2024/NĐ-CP):
//
//   - PPP: the province where the birth was registered (63 codes from the
//     circular's appendix, see [Provinces]), or for births registered
//     abroad a country code in 100-299;
//   - G: sex and century: even male, odd female; 0/1 born 1900-1999, 2/3
//     2000-2099, and so on up to 8/9 for 2300-2399;
//   - YY: the last two digits of the birth year;
//   - NNNNNN: a random serial.
//
// [Parse] takes the strict 12-digit form, [ParseLenient] what people type
// and OCR returns. [Number.Province] also gives the province each old one
// belongs to since the 2025 merger of 63 provinces into 34 (Resolution
// 202/2025/QH15). [ParseQR] reads the text of the QR code on the card's
// front. [Generate] makes test numbers.
//
// The province table (provinces_table.go) is generated from
// testdata/provinces.csv, a copy of the project's spec table, which was
// checked against the circular's appendix as quoted by thuvienphapluat.vn
// and lawnet.vn and against two independent public code repositories.
//
// # Security
//
// A number is personal data. [Number] and [QR] print masked
// (String, %v, %#v, slog), keeping only the province code and the last two
// digits of a number; [Number.Digits] returns the full value. The text and
// database encodings carry the full value, since storing the number is why
// they are called. Errors name the field and offset but never the value.
//
// The number has no check digit: a well-formed number can be made up, and
// Parse only shows that a number is plausible (known province, birth year
// not in the future). Whether it belongs to the holder is what
// [Number.Matches] checks against the birth date and sex read from the
// chip, and what the chip's passive authentication proves.
//
// The package never logs, keeps no mutable global state, and its parsers
// do not allocate from an input-controlled length.
package cccd
