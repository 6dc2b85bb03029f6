package biometric

import (
	"context"
	"math/bits"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestProbeKeys checks the search's keys against the index's (property,
// on the cylinders of FVC2002 DB1_B): a probe cylinder's first key in
// every table is its bucket in the index, and its multi-probe key j is
// the bucket of the same cylinder without the bit of lowest rank in the
// table's j-th order, which a similar cylinder lacking that bit falls in.
func TestProbeKeys(t *testing.T) {
	_, ts := loadFVCTemplates(t, "DB1_B")
	const bucketBits = 20
	checked := 0
	for _, tpl := range ts[:8] {
		p, err := Prepare(tpl)
		if err != nil {
			t.Fatal(err)
		}
		for i := range p.cyl {
			c := p.cyl[i]
			var own [lshTables]uint32
			var probe [lshTables][1 + lshMinHashes]uint32
			m := cylMinHashes(&c)
			cylKeys(&m, bucketBits, &own)
			probeKeys(&c, bucketBits, &probe)
			for tb := range lshTables {
				if probe[tb][0] != own[tb] {
					t.Fatalf("cylinder %d table %d: probe key %x, index key %x", i, tb, probe[tb][0], own[tb])
				}
			}
			if setBits(&c) < 2 {
				continue
			}
			// Clear the lowest-ranked bit of table 0's order j.
			for j := range lshMinHashes {
				lowest, rank := -1, 1<<16
				for b := range cylLayerBits {
					if c[1+b/64]>>(b%64)&1 != 0 && int(minHashRank[b][j]) < rank {
						lowest, rank = b, int(minHashRank[b][j])
					}
				}
				shared := false // the bit is also another order's lowest
				for o := range lshMinHashes {
					if o != j && isLowest(&c, lowest, o) {
						shared = true
					}
				}
				if shared {
					continue
				}
				d := c
				d[1+lowest/64] &^= 1 << (lowest % 64)
				var dk [lshTables]uint32
				md := cylMinHashes(&d)
				cylKeys(&md, bucketBits, &dk)
				if dk[0] != probe[0][1+j] {
					t.Fatalf("cylinder %d: without its lowest bit of order %d, key %x; multi-probe key %x", i, j, dk[0], probe[0][1+j])
				}
				checked++
			}
		}
	}
	if checked == 0 {
		t.Fatal("no cylinder checked")
	}
}

func setBits(c *cylinder) int {
	n := 0
	for w := range cylDirs {
		n += bits.OnesCount64(c[1+w])
	}
	return n
}

// isLowest reports whether bit b has the lowest rank in order h among c's
// set bits.
func isLowest(c *cylinder, b, h int) bool {
	for x := range cylLayerBits {
		if c[1+x/64]>>(x%64)&1 != 0 && minHashRank[x][h] < minHashRank[b][h] {
			return false
		}
	}
	return true
}

// TestSortByEntry checks the radix sort against the standard library's
// stable sort on random collisions, entries of up to 20 bits.
func TestSortByEntry(t *testing.T) {
	rnd := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{0, 1, 7, 1000, 50000} {
		for _, entryBits := range []int{1, 11, 20} {
			a := make([]uint64, n)
			for i := range a {
				a[i] = rnd.Uint64N(1<<entryBits)<<24 | uint64(i&0xffffff)
			}
			want := slices.Clone(a)
			slices.SortStableFunc(want, func(x, y uint64) int { return int(x>>24) - int(y>>24) })
			got, other := sortByEntry(a, make([]uint64, n), entryBits)
			if !slices.Equal(got, want) || len(other) != n {
				t.Fatalf("n %d, %d bits: not sorted stably", n, entryBits)
			}
		}
	}
}

// TestVoteChunks: a probe whose collisions are tallied in many chunks
// (merged by mergeScores) scores every entry as in one chunk, up to
// float32 rounding.
func TestVoteChunks(t *testing.T) {
	g := galleryFromFVC(t, 640)
	if err := g.BuildIndex(context.Background()); err != nil {
		t.Fatal(err)
	}
	g.Remove(g.id(7)) // removed entries are left out of both
	ix := g.index
	probe := g.at(3)
	var one, many indexScratch
	ix.vote(g, probe, &one)
	defer func(c int) { collChunk = c }(collChunk)
	collChunk = 50
	ix.vote(g, probe, &many)
	if len(one.ent) < 100 || slices.Contains(one.ent, 7) || !slices.Equal(one.ent, many.ent) {
		t.Fatalf("entries %d and %d", len(one.ent), len(many.ent))
	}
	for i := range one.score {
		if d := one.score[i] - many.score[i]; d > 1e-3*one.score[i] || d < -1e-3*one.score[i] {
			t.Fatalf("entry %d: %g in one chunk, %g in many", one.ent[i], one.score[i], many.score[i])
		}
	}
}
