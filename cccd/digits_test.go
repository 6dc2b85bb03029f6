package cccd

import (
	"errors"
	"math/rand/v2"
	"testing"
)

// digitsLoop is the byte-at-a-time reference for Parse's digit handling.
func digitsLoop(s string) (uint64, int) {
	var v uint64
	for i := range 12 {
		c := s[i] - '0'
		if c > 9 {
			return 0, i
		}
		v = v*10 + uint64(c)
	}
	return v, -1
}

// TestParseDigits checks Parse's eight-bytes-at-a-time digit handling
// against the byte loop on every byte value at every position (single
// faults), on pairs of faults (the first must be reported), and on random
// digit strings (property: a valid number's Digits is its input).
func TestParseDigits(t *testing.T) {
	check := func(s string) {
		t.Helper()
		n, err := Parse(s)
		_, bad := digitsLoop(s)
		var pe *ParseError
		switch {
		case bad >= 0:
			if !errors.As(err, &pe) || !errors.Is(err, ErrDigit) || pe.Offset != bad {
				t.Fatalf("Parse(%q) = %v; want ErrDigit at %d", s, err, bad)
			}
		case err == nil:
			if n.Digits() != s {
				t.Fatalf("Parse(%q).Digits() = %q", s, n.Digits())
			}
		case errors.Is(err, ErrDigit):
			t.Fatalf("Parse(%q) = %v for 12 digits", s, err)
		}
	}
	base := []byte("079303004567")
	for i := range 12 {
		for c := range 256 {
			b := append([]byte(nil), base...)
			b[i] = byte(c)
			check(string(b))
			for j := i + 1; j < 12; j++ {
				b2 := append([]byte(nil), b...)
				b2[j] = byte(255 - c)
				check(string(b2))
			}
		}
	}
	r := rand.New(rand.NewChaCha8([32]byte{7}))
	for range 10000 {
		b := []byte("079")
		for range 9 {
			b = append(b, byte('0'+r.IntN(10)))
		}
		b[3] = byte('0' + r.IntN(4)) // 1900-2099
		check(string(b))
	}
	check("001000000000")
	check("096999999999")
}
