package biometric

import (
	"math/bits"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestScreenCodeEstimatesJaccard checks the property b-bit minwise hashing
// rests on (Li and König, WWW 2010): a code bit of two cylinders agrees
// with probability J + (1-J)/2 for the Jaccard similarity J of their set
// bits (when the minima differ, their lowest bits agree half the time).
// Over many pairs of real cylinders (FVC2002 DB1_B), the mean agreement
// must match the mean of that expectation, and similar pairs must agree
// more than dissimilar ones.
func TestScreenCodeEstimatesJaccard(t *testing.T) {
	_, ts := loadFVCTemplates(t, "DB1_B")
	var cyls []cylinder
	var thetas []uint8
	for _, tpl := range ts[:40] {
		p, err := Prepare(tpl)
		if err != nil {
			t.Fatal(err)
		}
		cyls = append(cyls, p.cyl...)
		thetas = append(thetas, p.theta...)
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	var agree, expect float64
	var hiAgree, loAgree []float64
	const pairs = 20000
	for range pairs {
		i, j := rnd.IntN(len(cyls)), rnd.IntN(len(cyls))
		if rnd.IntN(4) == 0 { // a near copy: drop a few set bits of i
			j = -1
		}
		a := cyls[i]
		b := a
		if j >= 0 {
			b = cyls[j]
		} else {
			for w := 1; w <= cylDirs; w++ {
				b[w] &= rnd.Uint64() | rnd.Uint64()
			}
		}
		var inter, union int
		for w := 1; w <= cylDirs; w++ {
			inter += bits.OnesCount64(a[w] & b[w])
			union += bits.OnesCount64(a[w] | b[w])
		}
		if union == 0 {
			continue
		}
		jac := float64(inter) / float64(union)
		ma, mb := cylMinHashes(&a), cylMinHashes(&b)
		ca, cb := screenCode(&ma, thetas[i]), screenCode(&mb, thetas[i])
		if ca>>screenBits != uint64(thetas[i]) {
			t.Fatalf("code direction %d, want %d", ca>>screenBits, thetas[i])
		}
		ag := float64(screenBits-bits.OnesCount64((ca^cb)&screenMask)) / screenBits
		agree += ag
		expect += jac + (1-jac)/2
		switch {
		case jac >= 0.6:
			hiAgree = append(hiAgree, ag)
		case jac <= 0.2:
			loAgree = append(loAgree, ag)
		}
	}
	agree /= pairs
	expect /= pairs
	if d := agree - expect; d < -0.01 || d > 0.01 {
		t.Errorf("mean agreement %.4f, expected (1+J)/2 %.4f", agree, expect)
	}
	mean := func(v []float64) float64 {
		s := 0.0
		for _, x := range v {
			s += x
		}
		return s / float64(max(len(v), 1))
	}
	if len(hiAgree) < 100 || len(loAgree) < 100 || mean(hiAgree) < mean(loAgree)+0.2 {
		t.Errorf("agreement for J >= 0.6: %.3f (%d pairs), J <= 0.2: %.3f (%d pairs)", mean(hiAgree), len(hiAgree), mean(loAgree), len(loAgree))
	}
}

// screenScore scores ec against probe codes pc with a screenProbe.
func screenScore(pc, ec []uint64, np int) int {
	var sp screenProbe
	sp.set(pc)
	return sp.score(ec, np)
}

// screenScoreRef is screenProbe.score's definition written out by brute force:
// for each probe code, the closest entry code among those whose direction
// bin (screenBins bins) lies, circularly, between the bins of the probe's
// direction minus and plus screenWindow; then the np best.
func screenScoreRef(pc, ec []uint64, np int) int {
	const binUnits = angleUnits / screenBins
	var best []int
	for _, a := range pc {
		ta := int(a >> screenBits)
		lo := floorDiv(ta-screenWindow, binUnits)
		hi := floorDiv(ta+screenWindow, binUnits)
		d := screenBits
		for _, b := range ec {
			bb := int(b>>screenBits) / binUnits
			for k := lo; k <= hi; k++ {
				if ((k%screenBins)+screenBins)%screenBins == bb {
					d = min(d, bits.OnesCount64((a^b)&screenMask))
				}
			}
		}
		best = append(best, d)
	}
	slices.Sort(best)
	sum := 0
	for _, d := range best[:min(np, len(best))] {
		sum += screenBits - d
	}
	return sum
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// TestScreenScoreMatchesReference compares screenScore with its brute-force
// definition on random code lists, sorted by direction as cylinders are,
// including directions near 0 and 255 (the window wraps) and empty lists.
func TestScreenScoreMatchesReference(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	codes := func(n int) []uint64 {
		c := make([]uint64, n)
		for i := range c {
			theta := uint64(rnd.IntN(angleUnits))
			if rnd.IntN(4) == 0 {
				theta = uint64([]int{0, 1, 254, 255, 31, 32, 224}[rnd.IntN(7)])
			}
			c[i] = theta<<screenBits | rnd.Uint64()&screenMask
			if rnd.IntN(3) == 0 && i > 0 { // a near copy of an earlier code
				c[i] = c[rnd.IntN(i)] ^ 1<<rnd.IntN(screenBits)
			}
		}
		slices.SortFunc(c, func(a, b uint64) int { return int(a>>screenBits) - int(b>>screenBits) })
		return c
	}
	for i := range 2000 {
		pc, ec := codes(rnd.IntN(60)), codes(rnd.IntN(60))
		np := 1 + rnd.IntN(16)
		if got, want := screenScore(pc, ec, np), screenScoreRef(pc, ec, np); got != want {
			t.Fatalf("case %d (%d probe codes, %d entry codes, np %d): %d, want %d", i, len(pc), len(ec), np, got, want)
		}
	}
}

// BenchmarkScreenScore screens FVC2002 templates (all four databases, in
// a random order, as a search meets them) against one probe.
func BenchmarkScreenScore(b *testing.B) {
	var codes [][]uint64
	for _, db := range []string{"DB1_B", "DB2_B", "DB3_B", "DB4_B"} {
		_, ts := loadFVCTemplates(b, db)
		for _, tpl := range ts {
			p, err := Prepare(tpl)
			if err != nil {
				b.Fatal(err)
			}
			c := make([]uint64, len(p.cyl))
			for i := range p.cyl {
				m := cylMinHashes(&p.cyl[i])
				c[i] = screenCode(&m, p.theta[i])
			}
			codes = append(codes, c)
		}
	}
	rnd := rand.New(rand.NewPCG(1, 1))
	order := make([]int, 1<<16)
	for i := range order {
		order[i] = rnd.IntN(len(codes))
	}
	var sp screenProbe
	sp.set(codes[0])
	b.ReportAllocs()
	i, sum := 0, 0
	for b.Loop() {
		sum += sp.score(codes[order[i%len(order)]], 12)
		i++
	}
	if sum == 0 {
		b.Fatal("no similarity")
	}
}
