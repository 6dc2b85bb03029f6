package cccd

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
	"time"
)

func seeded(seed byte) io.Reader { return rand.NewChaCha8([32]byte{seed}) }

func TestGenerateDeterministic(t *testing.T) {
	gen := func(seed byte) []Number {
		r := seeded(seed)
		var out []Number
		for range 20 {
			n, err := Generate(r, GenerateSpec{})
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, n)
		}
		return out
	}
	a, b, c := gen(1), gen(1), gen(2)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("seed 1 gave %v then %v", a[i], b[i])
		}
	}
	same := 0
	for i := range a {
		if a[i] == c[i] {
			same++
		}
	}
	if same == len(a) {
		t.Errorf("seeds 1 and 2 gave the same numbers")
	}
}

// Property: every generated number parses, and has the fields asked for.
func TestGenerateParses(t *testing.T) {
	r := seeded(3)
	now := func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
	specs := []GenerateSpec{
		{},
		{Province: "079", Sex: Female, BirthYear: 1990},
		{Province: "001", Sex: Male, BirthYear: 2026, Now: now},
		{Province: "175", BirthYear: 1900},
		{Sex: Female, BirthYear: 2010},
	}
	seenProvince := map[string]bool{}
	seenSex := map[Sex]bool{}
	for i := range 3000 {
		spec := specs[i%len(specs)]
		n, err := Generate(r, spec)
		if err != nil {
			t.Fatalf("Generate(%+v): %v", spec, err)
		}
		back, err := ParseOptions{Now: spec.Now}.Parse(n.Digits())
		if err != nil || back != n {
			t.Fatalf("generated %v does not parse: %v", n, err)
		}
		if back, err := ParseLenient(n.Digits()); err != nil || back != n {
			t.Fatalf("generated %v does not parse leniently: %v", n, err)
		}
		if spec.Province != "" && n.Province().Code != spec.Province {
			t.Errorf("province %s, want %s", n.Province().Code, spec.Province)
		}
		if spec.Sex != SexUnknown && n.Sex() != spec.Sex {
			t.Errorf("sex %v, want %v", n.Sex(), spec.Sex)
		}
		if y := n.BirthYear(); spec.BirthYear != 0 && y != spec.BirthYear || spec.BirthYear == 0 && (y < 1930 || y > 2019) {
			t.Errorf("birth year %d for spec %d", y, spec.BirthYear)
		}
		if i%len(specs) == 0 {
			seenProvince[n.Province().Code] = true
			seenSex[n.Sex()] = true
		}
	}
	// 600 draws over 63 provinces: missing one has probability ~63*(62/63)^600.
	if len(seenProvince) != 63 || len(seenSex) != 2 {
		t.Errorf("zero spec covered %d provinces and %d sexes", len(seenProvince), len(seenSex))
	}
}

func TestGenerateErrors(t *testing.T) {
	now := func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		spec GenerateSpec
		err  error
	}{
		{GenerateSpec{Province: "003"}, ErrProvince},
		{GenerateSpec{Province: "300"}, ErrProvince},
		{GenerateSpec{Province: "79"}, ErrProvince},
		{GenerateSpec{BirthYear: 1899}, ErrBirthYear},
		{GenerateSpec{BirthYear: 2400}, ErrBirthYear},
		{GenerateSpec{BirthYear: 2027, Now: now}, ErrBirthYear},
	} {
		if n, err := Generate(seeded(1), tc.spec); !errors.Is(err, tc.err) || !n.IsZero() {
			t.Errorf("Generate(%+v) = %v, %v; want %v", tc.spec, n, err, tc.err)
		}
	}
	if _, err := Generate(seeded(1), GenerateSpec{Sex: 7}); err == nil {
		t.Errorf("Generate accepted Sex(7)")
	}
	if _, err := Generate(bytes.NewReader([]byte{1, 2}), GenerateSpec{}); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("short reader: %v", err)
	}
	// nil means crypto/rand.
	if n, err := Generate(nil, GenerateSpec{}); err != nil || n.IsZero() {
		t.Errorf("Generate(nil) = %v, %v", n, err)
	}
}

// Hand-computed: for n = 3 the limit is 4294967295, so 0xFFFFFFFF is
// rejected and the next draw, 4, gives 4 mod 3 = 1.
func TestUniformRejects(t *testing.T) {
	r := bytes.NewReader([]byte{0xff, 0xff, 0xff, 0xff, 0, 0, 0, 4})
	if got, err := uniform(r, 3); err != nil || got != 1 {
		t.Errorf("uniform = %d, %v; want 1", got, err)
	}
}
