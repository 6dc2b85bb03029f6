package biometric

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPrepareEdges(t *testing.T) {
	view := func(ms ...Minutia) *Template {
		return &Template{Width: 300, Height: 400, ResX: 197, ResY: 197, Views: []View{{Minutiae: ms}}}
	}
	r := rand.New(rand.NewPCG(3, 4))
	random := func(n int, maxXY int) []Minutia {
		ms := make([]Minutia, n)
		for i := range ms {
			ms[i] = Minutia{X: r.IntN(maxXY), Y: r.IntN(maxXY), Angle: r.Float64() * 2 * math.Pi, Type: MinutiaRidgeEnding}
		}
		return ms
	}
	same := make([]Minutia, 20)
	for i := range same {
		same[i] = Minutia{X: 100, Y: 100, Angle: float64(i)}
	}
	tests := []struct {
		name    string
		t       *Template
		wantErr error
		wantLen int // -1: any
	}{
		{"nil template", nil, ErrNoViews, 0},
		{"no views", &Template{}, ErrNoViews, 0},
		{"no minutiae", view(), nil, 0},
		{"one minutia", view(Minutia{X: 10, Y: 10}), nil, 0},
		{"corners of the 14-bit range", view(Minutia{X: 0, Y: 0}, Minutia{X: 16383, Y: 16383}, Minutia{X: 0, Y: 16383}, Minutia{X: 16383, Y: 0}), nil, 0},
		{"all at one point", view(same...), nil, -1},
		{"collinear", view(Minutia{X: 10, Y: 10}, Minutia{X: 20, Y: 20}, Minutia{X: 30, Y: 30}, Minutia{X: 40, Y: 40}), nil, -1},
		{"negative coordinates", view(random(30, 100)...), nil, -1},
		{"255 minutiae", view(random(255, 300)...), nil, -1},
		{"256 minutiae", view(random(256, 300)...), ErrTooMany, 0},
		{"NaN angle", view(Minutia{X: 1, Y: 1, Angle: math.NaN()}), ErrField, 0},
		{"infinite angle", view(Minutia{X: 1, Y: 1, Angle: math.Inf(-1)}), ErrField, 0},
		{"huge and negative angles", view(Minutia{X: 50, Y: 50, Angle: -1e9}, Minutia{X: 60, Y: 60, Angle: 1e300}, Minutia{X: 55, Y: 70, Angle: math.Copysign(0, -1)}), nil, -1},
		{"zero resolution", &Template{Views: []View{{Minutiae: random(40, 300)}}}, nil, -1},
	}
	for _, tt := range tests {
		p, err := Prepare(tt.t)
		if !errors.Is(err, tt.wantErr) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.wantErr)
			continue
		}
		if err != nil {
			if p != nil {
				t.Errorf("%s: error with a non-nil result", tt.name)
			}
			continue
		}
		if tt.wantLen >= 0 && p.Len() != tt.wantLen {
			t.Errorf("%s: %d cylinders, want %d", tt.name, p.Len(), tt.wantLen)
		}
		if s := Compare(p, p); s < 0 || s > 1 || (p.Len() == 0 && s != 0) {
			t.Errorf("%s: self score %v", tt.name, s)
		}
	}
	// "all at one point" and the huge angles must not break the hull: the
	// 52-cell disc count is the number of 8x8 cell centres within R.
	n := 0
	for a := range cylCells {
		for b := range cylCells {
			if math.Hypot(cellPitch*(float64(a)-3.5), cellPitch*(float64(b)-3.5)) <= cylRadius {
				n++
			}
		}
	}
	if n != cellsInDisc {
		t.Fatalf("cells in the disc: %d, constant says %d", n, cellsInDisc)
	}
}

// TestCompareRigidInvariance checks the property MCC is built on: a turned
// and shifted copy of an impression (with 1 px of noise) scores like a
// second impression of the same finger, above the FMR 0.1% threshold.
func TestCompareRigidInvariance(t *testing.T) {
	_, ts := loadFVCTemplates(t, "DB1_B")
	r := rand.New(rand.NewPCG(5, 6))
	var c Comparer
	fails := 0
	for _, tm := range ts {
		a, err := Prepare(tm)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Prepare(jitter(tm, r))
		if err != nil {
			t.Fatal(err)
		}
		if s := c.Compare(a, b); s < ThresholdFMR1000 {
			fails++
		}
	}
	if fails > len(ts)/20 {
		t.Fatalf("%d of %d rigidly moved copies fall below the FMR 0.1%% threshold", fails, len(ts))
	}
}

// TestPrepareResolution checks that coordinates are rescaled to 197 px/cm:
// the same minutiae at twice the resolution prepare identically.
func TestPrepareResolution(t *testing.T) {
	_, ts := loadFVCTemplates(t, "DB3_B")
	orig := ts[0]
	double := *orig
	v := orig.Views[0]
	v.Minutiae = append([]Minutia(nil), v.Minutiae...)
	for i := range v.Minutiae {
		v.Minutiae[i].X *= 2
		v.Minutiae[i].Y *= 2
	}
	double.Views = []View{v}
	double.ResX, double.ResY = 2*orig.ResX, 2*orig.ResY
	a, _ := Prepare(orig)
	b, _ := Prepare(&double)
	if Compare(a, b) != Compare(a, a) || fmt.Sprint(a.dist) != fmt.Sprint(b.dist) {
		t.Fatal("a template and its double-resolution copy prepare differently")
	}
}

func TestPreparedMasked(t *testing.T) {
	_, ts := loadFVCTemplates(t, "DB1_B")
	p, err := Prepare(ts[0])
	if err != nil {
		t.Fatal(err)
	}
	want := p.String()
	if !strings.HasPrefix(want, "biometric.Prepared{") || strings.Contains(want, "[") {
		t.Fatalf("String() = %q", want)
	}
	for _, f := range []string{"%v", "%+v", "%#v", "%s", "%d", "%x"} {
		if got := fmt.Sprintf(f, p); got != want {
			t.Errorf("%s prints %q, want %q", f, got, want)
		}
		if got := fmt.Sprintf(f, *p); got != want {
			t.Errorf("%s prints the value as %q, want %q", f, got, want)
		}
	}
	var nilP *Prepared
	if nilP.String() != "biometric.Prepared(nil)" || Compare(nilP, p) != 0 {
		t.Error("nil Prepared")
	}
}

func TestCompareNoAllocs(t *testing.T) {
	ps := loadFVC(t, "DB2_B")
	var c Comparer
	for _, a := range ps { // grow the scratch buffers
		c.Compare(a, ps[0])
	}
	i := 0
	allocs := testing.AllocsPerRun(200, func() {
		c.Compare(ps[i%len(ps)], ps[(i*7+1)%len(ps)])
		i++
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per comparison", allocs)
	}
}

// FuzzPrepare feeds Prepare and Compare records (seeded with the shared
// FVC2002 ones) and, when the bytes do not decode, minutiae made directly
// from them, including extreme coordinates: nothing may panic and scores
// stay in [0, 1].
func FuzzPrepare(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(fvcDir, "DB4_B", "*_1.iso"))
	if len(files) == 0 {
		f.Fatal("no seed records")
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	ref, err := Prepare(mustDecode(f, files[0]))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		tm, err := Decode(b)
		if err != nil {
			tm = &Template{ResX: len(b) % 3 * 100, Views: []View{{}}}
			for i := 0; i+6 <= len(b); i += 6 {
				tm.Views[0].Minutiae = append(tm.Views[0].Minutiae, Minutia{
					X:     int(int16(uint16(b[i])<<8 | uint16(b[i+1]))),
					Y:     int(int16(uint16(b[i+2])<<8 | uint16(b[i+3]))),
					Angle: float64(b[i+4]) * float64(b[i+5]),
				})
			}
		}
		p, err := Prepare(tm)
		if err != nil {
			if p != nil {
				t.Fatal("error with a result")
			}
			return
		}
		for _, s := range []float64{Compare(p, p), Compare(p, ref), Compare(ref, p)} {
			if !(s >= 0 && s <= 1) {
				t.Fatalf("score %v", s)
			}
		}
	})
}

func mustDecode(tb testing.TB, name string) *Template {
	tb.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		tb.Fatal(err)
	}
	t, err := Decode(b)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}
