package mrz

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// seeds returns the MRZs of testdata (see testdata/README.md); the fuzzers
// fail without them.
func seeds(f testing.TB) []string {
	files, _ := filepath.Glob("testdata/*.txt")
	if len(files) == 0 {
		f.Fatal("no seeds in testdata")
	}
	var out []string
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, string(b))
	}
	return out
}

func FuzzParse(f *testing.F) {
	for _, s := range seeds(f) {
		f.Add(s)
		f.Add(strings.ReplaceAll(s, "\n", ""))
	}
	encoders := map[Layout]func(Fields) (Document, error){TD1: EncodeTD1, TD2: EncodeTD2, TD3: EncodeTD3, MRVA: EncodeMRVA, MRVB: EncodeMRVB}
	f.Fuzz(func(t *testing.T, in string) {
		d, err := testOpts.Parse(in)
		if err != nil {
			if d != (Document{}) {
				t.Fatal("an error with a non-zero Document")
			}
			// Every failure lists its problems, each naming a field and
			// wrapping a sentinel.
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Errors) == 0 {
				t.Fatalf("error %v is not a *ValidationError listing problems", err)
			}
			for _, fe := range ve.Errors {
				if fe.Field == "" || fe.Err == nil || fe.Offset < -1 {
					t.Fatalf("ill-formed problem %#v", fe)
				}
			}
			return
		}
		// What Parse accepts, it accepts again from its own text.
		again, err := testOpts.Parse(d.Text())
		if err != nil || again != d {
			t.Fatalf("Parse(d.Text()) = %v", err)
		}
		// The fields encode to a document that parses to the same fields;
		// canonical input (what the encoders write) comes back byte for byte.
		enc := encoders[d.Layout()]
		if enc == nil {
			return
		}
		e, err := enc(d.Fields())
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		if e.Fields() != d.Fields() {
			t.Fatalf("re-encoded fields differ:\n%s\n%s", d.Text(), e.Text())
		}
		if canonical(d) && e.Text() != d.Text() {
			t.Fatalf("canonical text not re-encoded identically:\n%s\n%s", d.Text(), e.Text())
		}
	})
}

// canonical reports whether the encoders would write d's text: the name
// field as nameField writes it, and a TD3 personal number check digit "<"
// when the number is empty.
func canonical(d Document) bool {
	g := d.geometry()
	name, _, err := nameField(d.Surname(), d.GivenNames(), g.nameLen)
	if err != nil || name != d.at(g.name, g.name+g.nameLen) {
		return false
	}
	return g.opt1Check < 0 || d.personal != "" || d.at(g.opt1Check, g.opt1Check+1) == "<"
}

func FuzzRepair(f *testing.F) {
	for _, s := range seeds(f) {
		f.Add(s)
	}
	f.Add(replace(icaoTD1, 36, 'Z'))
	f.Add(replace(vnCards[0].mrz, 27, 'K'))
	f.Fuzz(func(t *testing.T, in string) {
		d, changes, err := testOpts.Repair(in)
		if err != nil {
			if d != (Document{}) || changes != nil {
				t.Fatal("an error with a result")
			}
			return
		}
		if _, err := testOpts.Parse(d.Text()); err != nil {
			t.Fatalf("repaired text does not parse: %v", err)
		}
		if changes == nil {
			return
		}
		// Applying the changes to the input as read gives the repaired text.
		var buf [bufSize]byte
		n, _, _, fe := shape(in, &buf)
		if fe != nil {
			t.Fatal("repaired an input of no shape")
		}
		for i, c := range changes {
			if c.Position < 0 || c.Position >= n || buf[c.Position] != c.From || c.From == c.To ||
				(i > 0 && changes[i-1].Position >= c.Position) {
				t.Fatalf("bad change %+v", c)
			}
			buf[c.Position] = c.To
		}
		if string(buf[:n]) != strings.Join(d.Lines(), "") {
			t.Fatal("changes do not explain the repair")
		}
	})
}

// TestShapeFastPath checks that shape's fast path finds what the general
// one does, on the seed documents and variants of them.
func TestShapeFastPath(t *testing.T) {
	fast := 0
	for _, in := range seeds(t) {
		for _, v := range []string{in, in + "\n", strings.ReplaceAll(in, "\n", "\r\n"), strings.ReplaceAll(in, "\n", "")} {
			var b1, b2 [bufSize]byte
			n1, g1, s1, ok := shapeLines(v, &b1)
			if !ok {
				continue
			}
			fast++
			n2, g2, s2, fe := shapeAny(v, &b2)
			if fe != nil || n1 != n2 || g1 != g2 || b1 != b2 || s1 != s2 {
				t.Fatalf("fast and general shape differ on %q", v)
			}
		}
	}
	if fast == 0 {
		t.Fatal("no input took the fast path")
	}
}
