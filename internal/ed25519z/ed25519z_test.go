package ed25519z

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"testing"

	"filippo.io/edwards25519"
)

type speccheckCase struct {
	Message   string `json:"message"`
	PubKey    string `json:"pub_key"`
	Signature string `json:"signature"`
}

type vector struct{ pub, msg, sig []byte }

// loadSpeccheck reads the 12 cases of novifinancial/ed25519-speccheck
// (Apache-2.0), described in ../../testdata/ed25519/README.md.
func loadSpeccheck(t testing.TB) []vector {
	t.Helper()
	b, err := os.ReadFile("../../testdata/ed25519/speccheck-cases.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []speccheckCase
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) != 12 {
		t.Fatalf("got %d speccheck cases, want 12", len(cases))
	}
	var vs []vector
	for i, c := range cases {
		var v vector
		var e1, e2, e3 error
		v.pub, e1 = hex.DecodeString(c.PubKey)
		v.msg, e2 = hex.DecodeString(c.Message)
		v.sig, e3 = hex.DecodeString(c.Signature)
		if err := errors.Join(e1, e2, e3); err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		vs = append(vs, v)
	}
	return vs
}

// The expected rows are copied from the table in
// testdata/ed25519/README.md.
var (
	wantZIP215 = []bool{true, true, true, true, true, true, false, false, false, true, true, true}
	wantStdlib = []bool{true, true, true, true, false, false, false, false, false, false, false, true}
)

func TestSpeccheckSingle(t *testing.T) {
	for i, v := range loadSpeccheck(t) {
		if got := Verify(v.pub, v.msg, v.sig); got != wantZIP215[i] {
			t.Errorf("case %d: Verify = %v, want %v", i, got, wantZIP215[i])
		}
		// Cross-check our reading of the vectors against the README's
		// crypto/ed25519 row.
		if got := ed25519.Verify(v.pub, v.msg, v.sig); got != wantStdlib[i] {
			t.Errorf("case %d: crypto/ed25519.Verify = %v, want %v", i, got, wantStdlib[i])
		}
	}
}

func TestSpeccheckBatch(t *testing.T) {
	vs := loadSpeccheck(t)
	rng := rand.NewChaCha8([32]byte{1})
	for i, v := range vs {
		var b BatchVerifier
		b.Add(v.pub, v.msg, v.sig)
		if got := b.Verify(rng); got != wantZIP215[i] {
			t.Errorf("case %d: batch of one = %v, want %v", i, got, wantZIP215[i])
		}
	}
	// All twelve in one batch: VerifyAll must reproduce the README row.
	var b BatchVerifier
	for _, v := range vs {
		b.Add(v.pub, v.msg, v.sig)
	}
	got := b.VerifyAll(rng)
	for i := range vs {
		if got[i] != wantZIP215[i] {
			t.Errorf("case %d: VerifyAll = %v, want %v", i, got[i], wantZIP215[i])
		}
	}
	if b.Verify(rng) {
		t.Error("batch with invalid members verified")
	}
	// The valid ones alone form a valid batch.
	var valid BatchVerifier
	for i, v := range vs {
		if wantZIP215[i] {
			valid.Add(v.pub, v.msg, v.sig)
		}
	}
	if !valid.Verify(rng) {
		t.Error("batch of the ZIP-215-valid cases failed")
	}
}

// TestCheckPublicKeySpeccheck: the README lists the small-order keys (cases
// 0, 1, 10, 11) and the mixed-order ones (2-5, 8, 9); cases 6 and 7 use a
// prime-order key.
func TestCheckPublicKeySpeccheck(t *testing.T) {
	vs := loadSpeccheck(t)
	for _, i := range []int{0, 1, 10, 11} {
		if err := CheckPublicKey(vs[i].pub); !errors.Is(err, ErrKeySmallOrder) && !errors.Is(err, ErrKeyNonCanonical) {
			t.Errorf("case %d: CheckPublicKey = %v, want small order or non-canonical", i, err)
		}
	}
	for _, i := range []int{2, 3, 4, 5, 8, 9} {
		if err := CheckPublicKey(vs[i].pub); !errors.Is(err, ErrKeyMixedOrder) {
			t.Errorf("case %d: CheckPublicKey = %v, want ErrKeyMixedOrder", i, err)
		}
	}
	for _, i := range []int{6, 7} {
		if err := CheckPublicKey(vs[i].pub); err != nil {
			t.Errorf("case %d: CheckPublicKey = %v, want nil", i, err)
		}
	}
	// Cases 10 and 11: y = p-1 with the sign bit set on x = 0 (README).
	if err := CheckPublicKey(vs[10].pub); !errors.Is(err, ErrKeyNonCanonical) {
		t.Errorf("case 10: CheckPublicKey = %v, want ErrKeyNonCanonical", err)
	}
}

func TestCheckPublicKeyOthers(t *testing.T) {
	// The identity (y = 1), canonical: small order.
	id := make([]byte, 32)
	id[0] = 1
	if err := CheckPublicKey(id); !errors.Is(err, ErrKeySmallOrder) {
		t.Errorf("identity: %v", err)
	}
	// y = p + 1 (non-canonical encoding of the identity).
	nc, _ := hex.DecodeString("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")
	if err := CheckPublicKey(nc); !errors.Is(err, ErrKeyNonCanonical) {
		t.Errorf("y = p+1: %v", err)
	}
	if err := CheckPublicKey(make([]byte, 31)); !errors.Is(err, ErrKeyEncoding) {
		t.Errorf("short key: %v", err)
	}
	// y = 2 is not on the curve (x^2 = 3/(4d+1) is a non-square).
	bad := make([]byte, 32)
	bad[0] = 2
	if err := CheckPublicKey(bad); !errors.Is(err, ErrKeyEncoding) {
		t.Errorf("y = 2: %v", err)
	}
	for i := range 20 {
		pub, _, _ := ed25519.GenerateKey(rand.NewChaCha8([32]byte{byte(i)}))
		if err := CheckPublicKey(pub); err != nil {
			t.Errorf("generated key %d: %v", i, err)
		}
	}
}

// TestPropertyAgreement: on random valid and corrupted signatures, Verify,
// crypto/ed25519.Verify (which agrees with ZIP-215 on canonical,
// prime-order inputs), a batch of one and VerifyAll over the whole set
// agree.
func TestPropertyAgreement(t *testing.T) {
	rng := rand.NewChaCha8([32]byte{42})
	r := rand.New(rng)
	var keys []ed25519.PrivateKey
	for range 5 {
		_, priv, _ := ed25519.GenerateKey(rng)
		keys = append(keys, priv)
	}
	var b BatchVerifier
	var want []bool
	for i := range 200 {
		priv := keys[r.IntN(len(keys))]
		msg := make([]byte, r.IntN(100))
		rng.Read(msg)
		sig := ed25519.Sign(priv, msg)
		pub := priv.Public().(ed25519.PublicKey)
		switch i % 4 {
		case 1: // flip one bit of the signature
			sig[r.IntN(64)] ^= 1 << r.IntN(8)
		case 2: // flip one bit of the message
			if len(msg) > 0 {
				msg[r.IntN(len(msg))] ^= 1 << r.IntN(8)
			}
		case 3: // wrong key
			pub = keys[(r.IntN(len(keys)-1)+1+indexOf(keys, priv))%len(keys)].Public().(ed25519.PublicKey)
		}
		single := Verify(pub, msg, sig)
		if std := ed25519.Verify(pub, msg, sig); single != std {
			t.Fatalf("entry %d: Verify = %v, crypto/ed25519 = %v", i, single, std)
		}
		var one BatchVerifier
		one.Add(pub, msg, sig)
		if got := one.Verify(rng); got != single {
			t.Fatalf("entry %d: batch of one = %v, Verify = %v", i, got, single)
		}
		b.Add(pub, msg, sig)
		want = append(want, single)
	}
	got := b.VerifyAll(rng)
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("entry %d: VerifyAll = %v, Verify = %v", i, got[i], want[i])
		}
	}
}

func indexOf(keys []ed25519.PrivateKey, k ed25519.PrivateKey) int {
	for i := range keys {
		if string(keys[i]) == string(k) {
			return i
		}
	}
	return -1
}

func TestBatchValidManyKeys(t *testing.T) {
	rng := rand.NewChaCha8([32]byte{7})
	for _, nkeys := range []int{1, 3, 16} {
		var b BatchVerifier
		for i := range 64 {
			_, priv, _ := ed25519.GenerateKey(rand.NewChaCha8([32]byte{byte(i % nkeys)}))
			msg := []byte{byte(i), 1, 2, 3}
			b.Add(priv.Public().(ed25519.PublicKey), msg, ed25519.Sign(priv, msg))
		}
		if !b.Verify(rng) {
			t.Errorf("%d keys: valid batch rejected", nkeys)
		}
		for i, ok := range b.VerifyAll(rng) {
			if !ok {
				t.Errorf("%d keys: entry %d reported invalid", nkeys, i)
			}
		}
	}
}

func TestBatchEdges(t *testing.T) {
	var empty BatchVerifier
	if !empty.Verify(nil) || len(empty.VerifyAll(nil)) != 0 {
		t.Error("empty batch")
	}
	_, priv, _ := ed25519.GenerateKey(rand.NewChaCha8([32]byte{9}))
	pub := priv.Public().(ed25519.PublicKey)
	sig := ed25519.Sign(priv, []byte("m"))
	var b BatchVerifier
	b.Add(pub, []byte("m"), sig)
	b.Add(pub[:31], []byte("m"), sig)    // short key
	b.Add(pub, []byte("m"), sig[:63])    // short signature
	highS := append([]byte(nil), sig...) // S + L is not canonical
	addL(highS[32:])
	b.Add(pub, []byte("m"), highS)
	got := b.VerifyAll(rand.NewChaCha8([32]byte{}))
	if want := []bool{true, false, false, false}; !equalBools(got, want) {
		t.Errorf("VerifyAll = %v, want %v", got, want)
	}
	if Verify(pub, []byte("m"), highS) {
		t.Error("Verify accepted S + L")
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("no entropy") }

type constantReader byte

func (c constantReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(c)
	}
	return len(p), nil
}

// weakReaders: the coefficients come from a hash of the whole batch keyed
// with the reader's bytes, so none of these weakens the batch (issue 13).
func weakReaders() map[string]func() io.Reader {
	return map[string]func() io.Reader{
		"nil":      func() io.Reader { return nil },
		"seeded":   func() io.Reader { return rand.NewChaCha8([32]byte{1}) },
		"zeros":    func() io.Reader { return bytes.NewReader(make([]byte, 1<<20)) },
		"constant": func() io.Reader { return constantReader(0x5a) },
		"short":    func() io.Reader { return bytes.NewReader(make([]byte, 7)) },
		"failing":  func() io.Reader { return failingReader{} },
	}
}

// TestBatchWeakRand: under every reader, a batch of one, a batch of all
// twelve speccheck cases and batches with forged entries give exactly what
// Verify gives. Before issue 13 an all-zero reader made every coefficient
// zero and any batch pass, a constant one let errors cancel (S+1 on one
// signature, S-1 on another) and a short or failing one rejected valid
// batches.
func TestBatchWeakRand(t *testing.T) {
	vs := loadSpeccheck(t)
	_, priv, _ := ed25519.GenerateKey(rand.NewChaCha8([32]byte{5}))
	pub := priv.Public().(ed25519.PublicKey)
	_, attacker, _ := ed25519.GenerateKey(rand.NewChaCha8([32]byte{6}))
	m1, m2 := []byte("first"), []byte("second")
	plus, minus := ed25519.Sign(priv, m1), ed25519.Sign(priv, m2)
	addSmall(plus[32:], 1)
	subSmall(minus[32:], 1)
	forged := []vector{
		{pub, []byte("forged"), ed25519.Sign(attacker, []byte("forged"))}, // attacker's key, trusted A
		{pub, m1, plus},
		{pub, m2, minus},
		{pub, m1, ed25519.Sign(priv, m1)},
	}
	sets := map[string][]vector{"speccheck": vs, "forged": forged, "all": append(append([]vector(nil), vs...), forged...)}
	for rname, reader := range weakReaders() {
		for sname, set := range sets {
			var all BatchVerifier
			allValid := true
			for i, v := range set {
				want := Verify(v.pub, v.msg, v.sig)
				allValid = allValid && want
				var one BatchVerifier
				one.Add(v.pub, v.msg, v.sig)
				if got := one.Verify(reader()); got != want {
					t.Errorf("%s reader, %s %d: batch of one = %v, Verify = %v", rname, sname, i, got, want)
				}
				all.Add(v.pub, v.msg, v.sig)
			}
			got := all.VerifyAll(reader())
			for i, v := range set {
				if want := Verify(v.pub, v.msg, v.sig); got[i] != want {
					t.Errorf("%s reader, %s %d: VerifyAll = %v, Verify = %v", rname, sname, i, got[i], want)
				}
			}
			if ok := all.Verify(reader()); ok != allValid {
				t.Errorf("%s reader, %s: Verify = %v, want %v", rname, sname, ok, allValid)
			}
		}
		// The S+1/S-1 pair alone: equal coefficients would cancel them.
		var pair BatchVerifier
		pair.Add(pub, m1, plus)
		pair.Add(pub, m2, minus)
		if pair.Verify(reader()) {
			t.Errorf("%s reader: S+1/S-1 pair verified", rname)
		}
	}
}

// TestCoefficients: non-zero, below 2^128, distinct, bound to the
// transcript (changing one message changes every coefficient) and to the
// reader's bytes.
func TestCoefficients(t *testing.T) {
	_, priv, _ := ed25519.GenerateKey(rand.NewChaCha8([32]byte{8}))
	pub := priv.Public().(ed25519.PublicKey)
	batch := func(last string) *BatchVerifier {
		var b BatchVerifier
		for i := range 9 {
			m := []byte{byte(i)}
			if i == 8 {
				m = []byte(last)
			}
			b.Add(pub, m, ed25519.Sign(priv, m))
		}
		return &b
	}
	zero := func() io.Reader { return bytes.NewReader(make([]byte, 32)) }
	a := batch("x").coefficients(zero())
	seen := map[[32]byte]bool{}
	for i := range a {
		var b [32]byte
		copy(b[:], a[i].Bytes())
		if b == [32]byte{} || b[16] != 0 || seen[b] {
			t.Fatalf("coefficient %d = %x: zero, 2^128 or more, or repeated", i, b)
		}
		seen[b] = true
	}
	if again := batch("x").coefficients(zero()); !equalScalars(a, again) {
		t.Error("same batch and key gave other coefficients")
	}
	other := batch("y").coefficients(zero())
	for i := range a {
		if a[i].Equal(&other[i]) == 1 {
			t.Errorf("coefficient %d did not change with the last message", i)
		}
	}
	keyed := batch("x").coefficients(constantReader(1))
	for i := range a {
		if a[i].Equal(&keyed[i]) == 1 {
			t.Errorf("coefficient %d did not change with the reader's bytes", i)
		}
	}
}

func equalScalars(a, b []edwards25519.Scalar) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Equal(&b[i]) != 1 {
			return false
		}
	}
	return true
}

// addSmall and subSmall move a little-endian 32-byte scalar by d; the
// signatures they are used on have S far from 0 and from L.
func addSmall(s []byte, d int) {
	for i := 0; i < len(s) && d != 0; i++ {
		v := int(s[i]) + d
		s[i], d = byte(v), v>>8
	}
}

func subSmall(s []byte, d int) {
	for i := 0; i < len(s) && d != 0; i++ {
		v := int(s[i]) - d
		d = 0
		if v < 0 {
			v += 256
			d = 1
		}
		s[i] = byte(v)
	}
}

// addL adds the group order L (RFC 8032 section 5.1) to a little-endian
// 32-byte scalar.
func addL(s []byte) {
	l, _ := hex.DecodeString("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010")
	carry := 0
	for i := range 32 {
		v := int(s[i]) + int(l[i]) + carry
		s[i], carry = byte(v), v>>8
	}
}

func equalBools(a, b []bool) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// FuzzAgreement: on any input, single and batch-of-one verification agree
// (the ZIP-215 promise), and a batch of the input with a valid signature
// reports the input as Verify does. Seeds: the 12 speccheck cases.
func FuzzAgreement(f *testing.F) {
	for _, v := range loadSpeccheck(f) {
		f.Add(v.pub, v.msg, v.sig)
	}
	_, priv, _ := ed25519.GenerateKey(rand.NewChaCha8([32]byte{3}))
	pub := priv.Public().(ed25519.PublicKey)
	good := ed25519.Sign(priv, []byte("ok"))
	f.Fuzz(func(t *testing.T, pk, msg, sig []byte) {
		single := Verify(pk, msg, sig)
		var one BatchVerifier
		one.Add(pk, msg, sig)
		if got := one.Verify(rand.NewChaCha8([32]byte{})); got != single {
			t.Fatalf("batch of one = %v, Verify = %v", got, single)
		}
		var two BatchVerifier
		two.Add(pub, []byte("ok"), good)
		two.Add(pk, msg, sig)
		if got := two.VerifyAll(rand.NewChaCha8([32]byte{1})); !got[0] || got[1] != single {
			t.Fatalf("VerifyAll = %v, Verify = %v", got, single)
		}
	})
}
