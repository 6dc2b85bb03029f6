package cccd

import (
	"math/rand/v2"
	"regexp"
	"strconv"
	"testing"
	"time"
)

// benchInputs is a realistic mix: 3 valid numbers in 4, then the usual
// mistakes (an unknown prefix, a letter, one digit short, a legacy 9-digit
// number, a birth year in the future).
func benchInputs(tb testing.TB) []string {
	r := rand.NewChaCha8([32]byte{42})
	bad := []string{"003095012345", "07930300456O", "07930300456", "123456789", "001999012345"}
	var in []string
	for i := range 1000 {
		if i%4 == 3 {
			in = append(in, bad[i/4%len(bad)])
			continue
		}
		n, err := Generate(r, GenerateSpec{})
		if err != nil {
			tb.Fatal(err)
		}
		in = append(in, n.Digits())
	}
	return in
}

func BenchmarkParse(b *testing.B) {
	in := benchInputs(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		Parse(in[i%len(in)])
		i++
	}
}

func BenchmarkParseValid(b *testing.B) {
	in := benchInputs(b)[:3] // valid ones
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := Parse(in[i%3]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkParseLenient(b *testing.B) {
	in := []string{"079 303 004 567", "０７９３０３００４５６７", "079.303.004.567"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := ParseLenient(in[i%3]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// baselineShape and baselineProvinces are the usual validator: a regexp
// for the shape and a map of province codes.
var baselineShape = regexp.MustCompile(`^(\d{3})(\d)(\d{2})\d{6}$`)

func baselineProvinces() map[string]bool {
	m := map[string]bool{}
	for _, p := range Provinces() {
		m[p.Code] = true
	}
	return m
}

func baselineValid(provinces map[string]bool, s string) bool {
	m := baselineShape.FindStringSubmatch(s)
	if m == nil || !provinces[m[1]] {
		return false
	}
	g, _ := strconv.Atoi(m[2])
	yy, _ := strconv.Atoi(m[3])
	return 1900+g/2*100+yy <= time.Now().Year()
}

func BenchmarkParseRegexpBaseline(b *testing.B) {
	in := benchInputs(b)
	provinces := baselineProvinces()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		baselineValid(provinces, in[i%len(in)])
		i++
	}
}

// TestBaselineAgrees keeps the baseline honest: on the benchmark mix it
// accepts exactly what Parse accepts.
func TestBaselineAgrees(t *testing.T) {
	provinces := baselineProvinces()
	for _, s := range benchInputs(t) {
		_, err := Parse(s)
		if (err == nil) != baselineValid(provinces, s) {
			t.Errorf("%q: Parse %v, baseline %v", s, err, baselineValid(provinces, s))
		}
	}
}

func TestParseDoesNotAllocate(t *testing.T) {
	for _, s := range []string{"079303004567", " 079 303 004 567 "} {
		if a := testing.AllocsPerRun(100, func() { ParseLenient(s) }); a != 0 {
			t.Errorf("ParseLenient(%q): %v allocations", s, a)
		}
	}
	// Strict parsing allocates nothing, even to fail.
	for _, s := range append(benchInputs(t)[:12], "", "0793030045678", "07930300456") {
		if a := testing.AllocsPerRun(100, func() { Parse(s) }); a != 0 {
			t.Errorf("Parse(%q): %v allocations", s, a)
		}
	}
	n, _ := Parse("175303004567")
	if a := testing.AllocsPerRun(100, func() { n.Province() }); a != 0 {
		t.Errorf("Province: %v allocations", a)
	}
}

func BenchmarkParseQR(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseQR(synthQR); err != nil {
			b.Fatal(err)
		}
	}
}
