package cccd

import (
	"errors"
	"testing"
)

// Hand-made inputs in the shapes people type and OCR returns.
func TestParseLenient(t *testing.T) {
	const want = "079303004567"
	for _, in := range []string{
		"079303004567",
		"  079303004567\n",
		"079 303 004 567",
		"079.303.004.567",
		"079-303-004-567",
		"079‐303‑004567",         // U+2010, U+2011 hyphens
		"\t079 303\u00a0004567 ", // tab, no-break space
		"０７９３０３００４５６７",           // full-width digits
		"０７９－３０３．００４\u3000５６７", // full-width hyphen, full stop, ideographic space
	} {
		n, err := ParseLenient(in)
		if err != nil || n.Digits() != want {
			t.Errorf("ParseLenient(%q) = %v, %v", in, n.Digits(), err)
		}
		if s, err := Normalize(in); err != nil || s != want {
			t.Errorf("Normalize(%q) = %q, %v", in, s, err)
		}
	}
}

func TestParseLenientErrors(t *testing.T) {
	tests := []struct {
		in     string
		err    error
		field  string
		offset int
	}{
		{"", ErrLength, "number", 0},
		{"   ", ErrLength, "number", 3},
		{"079 303 004 56", ErrLength, "number", 14},
		{"079 303 004 5678", ErrLength, "number", 15},
		{"079/303/004/567", ErrDigit, "number", 3},
		{"O79303004567", ErrDigit, "number", 0}, // letter O, an OCR confusion we do not repair
		{"079303004567x", ErrDigit, "number", 12},
		{"079_303004567", ErrDigit, "number", 3},
		{"0793030045\xff67", ErrDigit, "number", 10},
		{"123 456 789", ErrLegacyNumber, "number", 0},
		{" 003 303 004 567", ErrProvince, "province", 1},
		{"０００３０３００４５６７", ErrProvince, "province", 0},
		{"079-9-30-004567", ErrBirthYear, "birth_year", 4}, // 2330
	}
	for _, tt := range tests {
		n, err := ParseLenient(tt.in)
		var pe *ParseError
		if !errors.Is(err, tt.err) || !errors.As(err, &pe) || pe.Field != tt.field || pe.Offset != tt.offset {
			t.Errorf("ParseLenient(%q) = %v, want %v field %s offset %d", tt.in, err, tt.err, tt.field, tt.offset)
		}
		if !n.IsZero() {
			t.Errorf("ParseLenient(%q) returned a Number with an error", tt.in)
		}
	}
	if _, err := Normalize("079 303 x"); !errors.Is(err, ErrDigit) {
		t.Errorf("Normalize with a letter: %v", err)
	}
	if s, err := Normalize("123.456.789"); err != nil || s != "123456789" {
		t.Errorf("Normalize legacy = %q, %v", s, err)
	}
}
