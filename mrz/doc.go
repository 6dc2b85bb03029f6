// Package mrz reads, checks, repairs and writes the machine-readable zones of
// travel and identity documents (ICAO Doc 9303, 8th edition, parts 3 to 7),
// with the profile of Vietnam's chip identity card (CCCD), and derives the
// Basic Access Control keys from them (part 11).
//
// [Parse] takes text as OCR returns it and finds the layout by its shape:
// TD1 (3 x 30, identity cards), TD2 (2 x 36), TD3 (2 x 44, passports) and the
// visa layouts MRV-A and MRV-B. It checks every check digit and the
// composite, that dates are calendar dates ("<" for unknown parts), the sex,
// the country codes (ISO 3166-1 alpha-3 and ICAO's additional codes, see
// countries.go) and the character set, and reports every problem as a
// [*FieldError] (field, position, sentinel) inside a [*ValidationError].
//
// On a Vietnamese card (TD1, document code I*, issuer VNM) it also checks the
// card's profile: the 12-digit personal identification number in optional
// data 1 parses as a [cccd.Number], its own check digit matches, the
// document number is its last nine digits, and its birth year and sex agree
// with line 2. [Document.CCCD] returns the number.
//
// [EncodeCCCD] writes the three TD1 lines of a Vietnamese card from the
// holder's data, transliterating the Vietnamese name (NFD, marks dropped,
// Đ as D) and truncating it by the ICAO rule when it does not fit;
// [EncodeTD1], [EncodeTD2], [EncodeTD3], [EncodeMRVA] and [EncodeMRVB] write
// any document from [Fields].
// Parse reads back what the encoders write.
//
// [Repair] fixes the usual OCR confusions (O/0, I/1, B/8, S/5, Z/2, G/6, and
// "<" read as K or C) where the field type makes them meaningful, and only
// when the check digits confirm exactly one candidate.
//
// # Positions
//
// Positions ([FieldError.Offset], [Change.Position]) are 0-based indexes in
// the MRZ with its line breaks removed: line 2 of a TD1 starts at 30, of a
// TD3 at 44.
//
// # Dates
//
// An MRZ date has two year digits. A birth date gets the latest century that
// does not put it in the future ([Options.Now], default time.Now); on a
// Vietnamese card the 12-digit number gives the century. An expiry date is
// 20YY, except 991231, which means the document never expires.
//
// # Security
//
// An MRZ is personal data. [Document] prints masked (String, every fmt verb,
// GoString, slog): the codes, the last two characters of the document number
// and the initials. The accessors return the full values. Errors name the
// field and position, never the value. The package never logs.
//
// A valid MRZ is not an authentic one: check digits catch reading errors,
// not forgery. The chip's passive authentication is what proves the data.
// The BAC keys derived from an MRZ are only as secret as the MRZ printed on
// the card. A document is returned only when every check passed; a
// [ValidationError] carries what was read, for display, and it must not be
// trusted.
//
// Parsing copies at most 90 bytes of input into a fixed buffer; longer
// input is rejected before anything is allocated for it.
package mrz
