package cccd

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Province is where a birth was registered, as encoded by a number's first
// three digits.
type Province struct {
	// Code is the 3-digit prefix, such as "079".
	Code string
	// Name is the name in the circular's table, with diacritics ("Hồ Chí
	// Minh"); empty for a birth registered abroad or an unknown code.
	Name string
	// ASCIIName is Name without marks, Đ written D ("Ho Chi Minh").
	ASCIIName string
	// Name2025 is the province the old one belongs to since the merger of
	// 12 June 2025 (Resolution 202/2025/QH15): 63 provinces became 34.
	// Thừa Thiên Huế became the city of Huế on 1 January 2025.
	Name2025 string
	// Abroad is set for births registered abroad: Code (100-299) is then a
	// country code. The country is not named; the public list of those
	// codes has not been confirmed by a second source.
	Abroad bool
}

// Known reports whether p is one of the 63 provinces in the table.
func (p Province) Known() bool { return p.Name != "" }

// provinceIndex maps a prefix 0-999 to 1 + its index in provinceTable, or 0.
// It has 1024 entries so that Parse indexes it with prefix&1023, which
// needs no bounds check.
var provinceIndex [1024]uint8

// provinceKeys holds the nameKey of each province's name.
var provinceKeys [len(provinceTable)]string

// codes holds "000001002...999" so codeString does not allocate.
var codes string

func init() {
	for i, p := range provinceTable {
		provinceIndex[atoi3(p.Code)] = uint8(i + 1)
		provinceKeys[i] = nameKey(p.Name)
	}
	var b strings.Builder
	b.Grow(3000)
	for i := range 1000 {
		b.WriteByte(byte('0' + i/100))
		b.WriteByte(byte('0' + i/10%10))
		b.WriteByte(byte('0' + i%10))
	}
	codes = b.String()
}

func atoi3(s string) int { return int(s[0]-'0')*100 + int(s[1]-'0')*10 + int(s[2]-'0') }

func codeString(prefix int) string { return codes[3*prefix : 3*prefix+3] }

// Provinces returns the 63 provinces of the table, in code order. The
// slice is a copy the caller may modify.
func Provinces() []Province {
	out := make([]Province, len(provinceTable))
	copy(out, provinceTable[:])
	return out
}

// ProvinceByCode looks up a 3-digit code such as "079". Codes in the abroad
// range 100-299 return a Province with Abroad set and ok true; other codes
// not in the table return ok false.
func ProvinceByCode(code string) (p Province, ok bool) {
	if len(code) != 3 || !allDigits(code) {
		return Province{}, false
	}
	n := atoi3(code)
	if i := provinceIndex[n]; i != 0 {
		return provinceTable[i-1], true
	}
	if n >= abroadFirst && n <= abroadLast {
		return Province{Code: codeString(n), Abroad: true}, true
	}
	return Province{}, false
}

// ProvinceByName looks up a province by its name, ignoring case, diacritics,
// spacing and punctuation, and an administrative prefix ("Tỉnh", "Thành
// phố", "TP."): "ha noi", "TP. Hồ Chí Minh", "Thua Thien Hue" and "Tp HCM"
// all match. Besides the 63 names it knows "HCM", "Sài Gòn" and "Huế" (the
// city Thừa Thiên Huế became in 2025). Names of merged provinces return the
// old province of that name, not the merged one.
func ProvinceByName(name string) (p Province, ok bool) {
	key := nameKey(name)
	if key == "" {
		return Province{}, false
	}
	if code, ok := nameAliases[key]; ok {
		return ProvinceByCode(code)
	}
	for i, k := range provinceKeys {
		if k == key {
			return provinceTable[i], true
		}
	}
	return Province{}, false
}

// nameAliases maps name keys that are not in the table to codes.
var nameAliases = map[string]string{
	"hcm":           "079",
	"tphcm":         "079",
	"hochiminhcity": "079",
	"saigon":        "079",
	"hue":           "046",
	"brvt":          "077",
}

// stripMarks removes combining marks after decomposition: "Hồ" -> "Ho".
var stripMarks = transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)

// nameKey reduces a name to lower-case ASCII letters without the
// administrative prefix, so that spelling variants compare equal.
func nameKey(name string) string {
	s, _, err := transform.String(stripMarks, name)
	if err != nil {
		return ""
	}
	s = strings.NewReplacer("Đ", "d", "đ", "d").Replace(s)
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	})
	// Drop leading administrative words: "tinh", "thanh pho", "tp".
	for len(words) > 0 {
		switch {
		case words[0] == "tinh" || words[0] == "tp":
			words = words[1:]
			continue
		case len(words) > 1 && words[0] == "thanh" && words[1] == "pho":
			words = words[2:]
			continue
		}
		break
	}
	return strings.Join(words, "")
}
