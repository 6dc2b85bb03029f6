package mrz

// charValues maps each MRZ character to its value in a check digit
// (ICAO 9303-3, 4.9): digits 0-9, A=10 .. Z=35, "<"=0; -1 for any other
// byte. It is filled once and never written again.
var charValues = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = int8(c - '0')
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = int8(c-'A') + 10
	}
	t['<'] = 0
	return t
}()

// charValue is the value of an MRZ character in a check digit; ok is false
// for any other byte.
func charValue(c byte) (v int, ok bool) {
	x := charValues[c]
	return int(x), x >= 0
}

// checkSum adds the weighted values of s into a running sum whose next weight
// index is i (weights 7, 3, 1 repeating), so fields that are not contiguous
// (the composite) can be summed piece by piece. Characters outside the
// alphabet count as 0.
func checkSum[S ~string | ~[]byte](s S, sum, i int) (int, int) {
	w := i % 3
	for k := 0; k < len(s); k++ {
		v := int(max(charValues[s[k]], 0))
		switch w {
		case 0:
			sum += 7 * v
		case 1:
			sum += 3 * v
		default:
			sum += v
		}
		if w++; w == 3 {
			w = 0
		}
	}
	return sum, i + len(s)
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
