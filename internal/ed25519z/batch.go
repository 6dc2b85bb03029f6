package ed25519z

import (
	"crypto/rand"
	"io"

	"filippo.io/edwards25519"
)

// BatchVerifier accumulates (public key, message, signature) entries and
// verifies them together. The zero value is an empty batch ready to use.
// A BatchVerifier is not safe for concurrent use.
type BatchVerifier struct {
	entries []entry
}

// entry is one signature, reduced at Add time to what the equation needs:
// the message is hashed immediately and not retained.
type entry struct {
	pub, r [32]byte
	s, k   edwards25519.Scalar
	bad    bool // wrong length or S >= L: invalid whatever the rest says
}

// Add appends one entry. Malformed entries (wrong lengths, S >= L) are kept
// and make the batch fail; [BatchVerifier.VerifyAll] reports them.
func (v *BatchVerifier) Add(pub, msg, sig []byte) {
	var e entry
	if len(pub) != PublicKeySize || len(sig) != SignatureSize {
		e.bad = true
		v.entries = append(v.entries, e)
		return
	}
	copy(e.pub[:], pub)
	copy(e.r[:], sig[:32])
	if _, err := e.s.SetCanonicalBytes(sig[32:]); err != nil {
		e.bad = true
	}
	e.k.Set(challenge(sig[:32], pub, msg))
	v.entries = append(v.entries, e)
}

// Len returns the number of entries added.
func (v *BatchVerifier) Len() int { return len(v.entries) }

// Verify reports whether every entry is valid. It draws a 128-bit random
// coefficient per entry from rand (crypto/rand when nil) and fails closed
// when rand fails. An empty batch is valid.
func (v *BatchVerifier) Verify(rand io.Reader) bool {
	p, ok := v.prepare()
	if !ok {
		return false
	}
	return p.verify(rand, allIndexes(len(v.entries)))
}

// VerifyAll reports, entry by entry in the order added, whether each
// signature is valid. A batch that passes costs one multi-scalar
// multiplication; on failure the batch is bisected to find the bad entries.
func (v *BatchVerifier) VerifyAll(rand io.Reader) []bool {
	ok := make([]bool, len(v.entries))
	p, _ := v.prepare()
	var good []int
	for i := range v.entries {
		if !p.bad[i] {
			good = append(good, i)
		}
	}
	p.bisect(rand, good, ok)
	return ok
}

// prepared holds the decoded points of a batch.
type prepared struct {
	entries []entry
	bad     []bool                // entry is malformed or a point failed to decode
	r       []edwards25519.Point  // R_i
	keyOf   []int                 // index into keys for entry i
	keys    []*edwards25519.Point // distinct public keys, by received encoding
}

// prepare decodes every R and every distinct public key once. ok is false
// when any entry is malformed.
func (v *BatchVerifier) prepare() (*prepared, bool) {
	n := len(v.entries)
	p := &prepared{
		entries: v.entries,
		bad:     make([]bool, n),
		r:       make([]edwards25519.Point, n),
		keyOf:   make([]int, n),
	}
	index := make(map[[32]byte]int)
	ok := true
	for i := range v.entries {
		e := &v.entries[i]
		if e.bad {
			p.bad[i], ok = true, false
			continue
		}
		if _, err := p.r[i].SetBytes(e.r[:]); err != nil {
			p.bad[i], ok = true, false
			continue
		}
		j, seen := index[e.pub]
		if !seen {
			A, err := new(edwards25519.Point).SetBytes(e.pub[:])
			if err != nil {
				p.bad[i], ok = true, false
				continue
			}
			j = len(p.keys)
			index[e.pub] = j
			p.keys = append(p.keys, A)
		}
		p.keyOf[i] = j
	}
	return p, ok
}

// verify checks the batch equation over the entries idx (none malformed):
// [8]( -(sum z_i S_i) B + sum z_i R_i + sum_j (sum_{i: key j} z_i k_i) A_j ) = 0.
func (p *prepared) verify(rand io.Reader, idx []int) bool {
	if len(idx) == 0 {
		return true
	}
	z, ok := coefficients(rand, len(idx))
	if !ok {
		return false
	}
	scalars := make([]*edwards25519.Scalar, 0, 1+len(idx)+len(p.keys))
	points := make([]*edwards25519.Point, 0, 1+len(idx)+len(p.keys))

	bCoeff := edwards25519.NewScalar()
	keyCoeff := make([]*edwards25519.Scalar, len(p.keys))
	scalars = append(scalars, bCoeff)
	points = append(points, edwards25519.NewGeneratorPoint())
	for n, i := range idx {
		e := &p.entries[i]
		bCoeff.MultiplyAdd(&z[n], &e.s, bCoeff)
		j := p.keyOf[i]
		if keyCoeff[j] == nil {
			keyCoeff[j] = edwards25519.NewScalar()
		}
		keyCoeff[j].MultiplyAdd(&z[n], &e.k, keyCoeff[j])
		scalars = append(scalars, &z[n])
		points = append(points, &p.r[i])
	}
	bCoeff.Negate(bCoeff)
	for j, c := range keyCoeff {
		if c != nil {
			scalars = append(scalars, c)
			points = append(points, p.keys[j])
		}
	}
	// Straus' method keeps one lookup table per point; past about 64
	// points the tables fall out of cache, so long batches are summed in
	// chunks (each chunk costs 256 doublings, shared by its points).
	chunks := max(1, len(scalars)/msmChunk)
	size := (len(scalars) + chunks - 1) / chunks // balanced: 66 points stay one chunk
	check := edwards25519.NewIdentityPoint()
	part := new(edwards25519.Point)
	for len(scalars) > 0 {
		m := min(len(scalars), size)
		check.Add(check, part.VarTimeMultiScalarMult(scalars[:m], points[:m]))
		scalars, points = scalars[m:], points[m:]
	}
	check.MultByCofactor(check)
	return check.Equal(edwards25519.NewIdentityPoint()) == 1
}

// bisect marks ok[i] for the entries of idx that are valid, halving the set
// on each failure. Single entries are checked by the batch equation with
// n = 1, which accepts exactly what [Verify] accepts.
func (p *prepared) bisect(rand io.Reader, idx []int, ok []bool) {
	if len(idx) == 0 {
		return
	}
	if p.verify(rand, idx) {
		for _, i := range idx {
			ok[i] = true
		}
		return
	}
	if len(idx) == 1 {
		return
	}
	half := len(idx) / 2
	p.bisect(rand, idx[:half], ok)
	p.bisect(rand, idx[half:], ok)
}

// msmChunk is the smallest number of points per multi-scalar
// multiplication once a batch is split; BenchmarkBatchVerify in
// chip/compact measured the choice.
const msmChunk = 64

// coefficients draws n random 128-bit scalars.
func coefficients(r io.Reader, n int) ([]edwards25519.Scalar, bool) {
	if r == nil {
		r = rand.Reader
	}
	buf := make([]byte, 16*n)
	if _, err := io.ReadFull(r, buf); err != nil {
		return nil, false
	}
	z := make([]edwards25519.Scalar, n)
	var wide [32]byte
	for i := range z {
		copy(wide[:16], buf[16*i:])
		if _, err := z[i].SetCanonicalBytes(wide[:]); err != nil { // < 2^128 < L
			return nil, false
		}
	}
	return z, true
}

func allIndexes(n int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	return idx
}
