package mrz

import (
	"crypto/sha1"
	"encoding/binary"
	"fmt"
	"log/slog"
)

// BACKeys is the Basic Access Control key material derived from an MRZ
// (ICAO 9303-11, 9.7 and Appendix D.1).
//
// The keys open the chip; Info is personal data. BACKeys prints masked.
type BACKeys struct {
	// Info is MRZ_information: document number (padded with "<" to 9) and
	// its check digit, birth date and check digit, expiry date and check
	// digit.
	Info string
	Seed [16]byte // Kseed: the first 16 bytes of SHA-1(Info)
	Enc  [16]byte // Kenc, DES parity adjusted
	MAC  [16]byte // Kmac, DES parity adjusted
}

// String hides the key material.
func (k BACKeys) String() string { return "mrz.BACKeys{…}" }

// GoString hides the key material.
func (k BACKeys) GoString() string { return k.String() }

// Format makes every fmt verb print the masked form.
func (k BACKeys) Format(f fmt.State, verb rune) { fmt.Fprint(f, k.String()) }

// LogValue hides the key material.
func (k BACKeys) LogValue() slog.Value { return slog.StringValue(k.String()) }

// BACKeys derives the BAC keys from the document. For a long document
// number (more than 9 characters) the whole number and its check digit are
// used, as ICAO 9303-11 9.7.1 asks. On a Vietnamese card this is the 9-digit
// document number of line 1.
func (d Document) BACKeys() BACKeys {
	g := d.geometry()
	if g == nil {
		return BACKeys{}
	}
	var b [64]byte
	info := b[:0]
	if len(d.number) > 9 {
		info = append(info, d.number...)
		// The check digit follows the continuation in the optional data.
		info = append(info, d.at(g.opt1, g.opt1+g.opt1Len)[len(d.number)-9])
	} else {
		info = append(info, d.at(g.number, g.number+10)...)
	}
	info = append(info, d.at(g.birth, g.birth+7)...)
	info = append(info, d.at(g.expiry, g.expiry+7)...)
	return bacKeys(string(info))
}

// NewBACKeys derives the BAC keys from the three values printed in an MRZ:
// the document number (without fillers) and the birth and expiry dates as
// YYMMDD. It returns ErrField when a value is not in the MRZ alphabet or a
// date does not have six characters.
func NewBACKeys(documentNumber, birth, expiry string) (BACKeys, error) {
	for _, s := range [3]string{documentNumber, birth, expiry} {
		for i := 0; i < len(s); i++ {
			if !allowed(s[i], anyChar) {
				return BACKeys{}, ErrField
			}
		}
	}
	if documentNumber == "" || len(birth) != 6 || len(expiry) != 6 {
		return BACKeys{}, ErrField
	}
	num := documentNumber
	for len(num) < 9 {
		num += "<"
	}
	info := num + string(CheckDigit(num)) + birth + string(CheckDigit(birth)) + expiry + string(CheckDigit(expiry))
	return bacKeys(info), nil
}

func bacKeys(info string) BACKeys {
	k := BACKeys{Info: info}
	h := sha1.Sum([]byte(info))
	copy(k.Seed[:], h[:16])
	k.Enc = deriveKey(k.Seed, 1)
	k.MAC = deriveKey(k.Seed, 2)
	return k
}

// deriveKey is the key derivation of 9303-11 9.7.1: the first 16 bytes of
// SHA-1(Kseed || c), with each byte's lowest bit set for odd parity.
func deriveKey(seed [16]byte, c uint32) (k [16]byte) {
	var in [20]byte
	copy(in[:], seed[:])
	binary.BigEndian.PutUint32(in[16:], c)
	h := sha1.Sum(in[:])
	for i := range k {
		b := h[i] & 0xFE
		ones := 0
		for x := b; x != 0; x &= x - 1 {
			ones++
		}
		if ones%2 == 0 {
			b |= 1
		}
		k[i] = b
	}
	return k
}
