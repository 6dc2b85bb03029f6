package mrz

// charValue is the value of an MRZ character in a check digit
// (ICAO 9303-3, 4.9): digits 0-9, A=10 .. Z=35, "<"=0. ok is false for any
// other byte.
func charValue(c byte) (v int, ok bool) {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0'), true
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10, true
	case c == '<':
		return 0, true
	}
	return 0, false
}

// checkSum adds the weighted values of s into a running sum whose next weight
// index is *i (weights 7, 3, 1 repeating), so fields that are not contiguous
// (the composite) can be summed piece by piece.
func checkSum(s string, sum, i int) (int, int) {
	for k := 0; k < len(s); k++ {
		v, _ := charValue(s[k])
		switch i % 3 {
		case 0:
			sum += 7 * v
		case 1:
			sum += 3 * v
		default:
			sum += v
		}
		i++
	}
	return sum, i
}

// CheckDigit returns the ICAO 9303-3 check digit of s: weights 7, 3, 1
// repeating over the character values, sum modulo 10. Characters outside the
// MRZ alphabet count as 0; validate s first when that matters.
func CheckDigit(s string) byte {
	sum, _ := checkSum(s, 0, 0)
	return byte('0' + sum%10)
}

// allFiller reports whether s is made only of "<".
func allFiller[S ~string | ~[]byte](s S) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != '<' {
			return false
		}
	}
	return true
}
