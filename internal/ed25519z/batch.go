package ed25519z

import (
	"crypto/rand"
	"crypto/sha512"
	"encoding/binary"
	"io"

	"filippo.io/edwards25519"
)

// BatchVerifier accumulates (public key, message, signature) entries and
// verifies them together. The zero value is an empty batch ready to use.
// A BatchVerifier is not safe for concurrent use.
type BatchVerifier struct {
	entries []entry
}

// entry is one signature, reduced at Add time to what the equation and the
// batch transcript need: the message is hashed immediately and not
// retained.
type entry struct {
	pub    [32]byte
	sig    [64]byte // R || S as received
	digest [64]byte // SHA-512(R || A || M), binding the message
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
	copy(e.sig[:], sig)
	if _, err := e.s.SetCanonicalBytes(sig[32:]); err != nil {
		e.bad = true
	}
	e.digest = challengeDigest(sig[:32], pub, msg)
	e.k.SetUniformBytes(e.digest[:]) // 64 bytes: cannot fail
	v.entries = append(v.entries, e)
}

// Len returns the number of entries added.
func (v *BatchVerifier) Len() int { return len(v.entries) }

// Verify reports whether every entry is valid: true exactly when [Verify]
// accepts each entry. An empty batch is valid.
//
// The coefficients are those of [BatchVerifier.VerifyAll]: derived from a
// hash of the whole batch keyed with up to 32 bytes of rand, so no reader,
// however weak, makes an invalid batch pass.
func (v *BatchVerifier) Verify(rand io.Reader) bool {
	p, ok := v.prepare()
	if !ok {
		return false
	}
	return p.verify(v.coefficients(rand), allIndexes(len(v.entries)))
}

// VerifyAll reports, entry by entry in the order added, whether each
// signature is valid; entry i is true exactly when [Verify] accepts it. A
// batch that passes costs one multi-scalar multiplication; on failure the
// batch is bisected to find the bad entries.
//
// # Security
//
// Each entry i gets a coefficient z_i in [1, 2^128), never zero, expanded
// from SHA-512(domain || key || transcript), where the transcript hashes
// every entry (A, R || S and SHA-512(R || A || M)) and key is up to 32
// bytes read from rand (crypto/rand when nil). Because the
// coefficients depend on every signature in the batch, a signer cannot
// choose signatures whose errors cancel, even when rand is all zeros,
// constant, short or failing (the deterministic randomizers of BIP 340,
// "Batch Verification"); rand only adds unpredictability on top. A
// non-zero z_i below the group order L keeps a batch of one equal to
// single verification.
func (v *BatchVerifier) VerifyAll(rand io.Reader) []bool {
	ok := make([]bool, len(v.entries))
	p, _ := v.prepare()
	var good []int
	for i := range v.entries {
		if !p.bad[i] {
			good = append(good, i)
		}
	}
	if len(good) > 0 {
		p.bisect(v.coefficients(rand), good, ok)
	}
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
		if _, err := p.r[i].SetBytes(e.sig[:32]); err != nil {
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
// [8]( -(sum z_i S_i) B + sum z_i R_i + sum_j (sum_{i: key j} z_i k_i) A_j ) = 0,
// where z holds one coefficient per entry of the whole batch.
func (p *prepared) verify(z []edwards25519.Scalar, idx []int) bool {
	if len(idx) == 0 {
		return true
	}
	scalars := make([]*edwards25519.Scalar, 0, 1+len(idx)+len(p.keys))
	points := make([]*edwards25519.Point, 0, 1+len(idx)+len(p.keys))

	bCoeff := edwards25519.NewScalar()
	keyCoeff := make([]*edwards25519.Scalar, len(p.keys))
	scalars = append(scalars, bCoeff)
	points = append(points, edwards25519.NewGeneratorPoint())
	for _, i := range idx {
		e := &p.entries[i]
		bCoeff.MultiplyAdd(&z[i], &e.s, bCoeff)
		j := p.keyOf[i]
		if keyCoeff[j] == nil {
			keyCoeff[j] = edwards25519.NewScalar()
		}
		keyCoeff[j].MultiplyAdd(&z[i], &e.k, keyCoeff[j])
		scalars = append(scalars, &z[i])
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
// n = 1 and a non-zero z_i < L, which accepts exactly what [Verify] accepts.
// Every subset reuses the batch's coefficients: they were fixed by the
// whole batch, after every signature in it.
func (p *prepared) bisect(z []edwards25519.Scalar, idx []int, ok []bool) {
	if len(idx) == 0 {
		return
	}
	if p.verify(z, idx) {
		for _, i := range idx {
			ok[i] = true
		}
		return
	}
	if len(idx) == 1 {
		return
	}
	half := len(idx) / 2
	p.bisect(z, idx[:half], ok)
	p.bisect(z, idx[half:], ok)
}

// msmChunk is the smallest number of points per multi-scalar
// multiplication once a batch is split; BenchmarkBatchVerify in
// chip/compact measured the choice.
const msmChunk = 64

// batchDomain separates this package's coefficient derivation from every
// other use of SHA-512.
const batchDomain = "cancuoc ed25519z batch coefficients v1"

// coefficients returns one scalar z_i in [1, 2^128) per entry. The seed is
// SHA-512(domain || len(key) || key || transcript), where key is up to 32
// bytes read from r (crypto/rand when nil; a short or failing read simply
// contributes fewer bytes) and the transcript is SHA-512 over the count and
// every entry's malformed flag, A, R || S and SHA-512(R || A || M). Block j
// of the expansion is SHA-512(seed || j), cut into four 16-byte
// little-endian values; a zero value becomes 1 (probability 2^-128), so no
// coefficient is ever zero.
func (v *BatchVerifier) coefficients(r io.Reader) []edwards25519.Scalar {
	if r == nil {
		r = rand.Reader
	}
	var key [32]byte
	nkey, _ := io.ReadFull(r, key[:]) // fewer bytes: the transcript alone still binds z

	t := sha512.New()
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(v.entries)))
	t.Write(n[:])
	for i := range v.entries {
		e := &v.entries[i]
		flag := byte(0)
		if e.bad {
			flag = 1
		}
		t.Write([]byte{flag})
		t.Write(e.pub[:])
		t.Write(e.sig[:])
		t.Write(e.digest[:])
	}
	var transcript [64]byte
	t.Sum(transcript[:0])

	h := sha512.New()
	h.Write([]byte(batchDomain))
	h.Write([]byte{byte(nkey)})
	h.Write(key[:nkey])
	h.Write(transcript[:])
	var seed [64]byte
	h.Sum(seed[:0])

	z := make([]edwards25519.Scalar, len(v.entries))
	var block [64]byte
	var wide [32]byte
	for i := range z {
		if i%4 == 0 {
			h.Reset()
			h.Write(seed[:])
			binary.LittleEndian.PutUint64(n[:], uint64(i/4))
			h.Write(n[:])
			h.Sum(block[:0])
		}
		copy(wide[:16], block[16*(i%4):])
		if wide == [32]byte{} {
			wide[0] = 1
		}
		z[i].SetCanonicalBytes(wide[:]) // < 2^128 < L: cannot fail
	}
	return z
}

func allIndexes(n int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	return idx
}
