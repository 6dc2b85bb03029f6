package biometric

import (
	"math/bits"
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
			cylKeys(&c, bucketBits, &own)
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
				cylKeys(&d, bucketBits, &dk)
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
