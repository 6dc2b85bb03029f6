package compact

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	mrand "math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/internal/cose"
	"github.com/fxamacker/cbor/v2"
)

// Synthetic test material: the issuer key is derived from a fixed label, the
// holder is testdata/synth_holder_full.json (see testdata/README.md).
var (
	testNow  = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	testSeed = sha256.Sum256([]byte("cancuoc compact test issuer"))
)

func testIssuer(t testing.TB) ed25519.PrivateKey {
	t.Helper()
	return ed25519.NewKeyFromSeed(testSeed[:])
}

func testHolder(t testing.TB) chip.Holder {
	t.Helper()
	h, err := loadHolder()
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func loadHolder() (chip.Holder, error) {
	b, err := os.ReadFile("testdata/synth_holder_full.json")
	if err != nil {
		return chip.Holder{}, err
	}
	return chip.ParseHolderJSON(b)
}

func seeded(n byte) *mrand.ChaCha8 { return mrand.NewChaCha8([32]byte{n}) }

func testStore(t testing.TB, keys ...ed25519.PrivateKey) *TrustStore {
	t.Helper()
	var s TrustStore
	for _, k := range keys {
		if err := s.AddKey(nil, k.Public().(ed25519.PublicKey)); err != nil {
			t.Fatal(err)
		}
	}
	return &s
}

func signTest(t testing.TB, opts SignOptions) []byte {
	t.Helper()
	if opts.Now.IsZero() {
		opts.Now = testNow
	}
	obj, err := Sign(seeded(1), testHolder(t), testIssuer(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	return obj
}

func TestSignVerifyRoundTrip(t *testing.T) {
	obj := signTest(t, SignOptions{})
	card, err := Verify(obj, VerifyOptions{Trust: testStore(t, testIssuer(t)), Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	h := testHolder(t)
	got := card.Holder
	if got.Number != h.Number || got.Name != h.Name || !got.BirthDate.Equal(h.BirthDate) || got.Sex != h.Sex ||
		!got.ExpiryDate.Equal(h.ExpiryDate) || !got.IssueDate.Equal(h.IssueDate) || got.Nationality != h.Nationality ||
		got.Ethnicity != h.Ethnicity || got.Religion != h.Religion || got.PlaceOfOrigin != h.PlaceOfOrigin ||
		got.PlaceOfResidence != h.PlaceOfResidence || got.IdentifyingMarks != h.IdentifyingMarks ||
		got.FatherName != h.FatherName || got.MotherName != h.MotherName || got.SpouseName != h.SpouseName ||
		got.OldNumber != h.OldNumber {
		t.Errorf("holder fields differ after the round trip")
	}
	if d := sha256.Sum256(h.FaceJPEG); !bytes.Equal(card.FaceSHA256, d[:]) {
		t.Error("face hash differs")
	}
	if !slices.Equal(card.Identifiers(), Identifiers()) {
		t.Errorf("items %v, want all %v", card.Identifiers(), Identifiers())
	}
	if card.DocType != DocType || !card.Signed.Equal(testNow) || !card.ValidUntil.Equal(testNow.Add(DefaultValidity)) {
		t.Errorf("card metadata %v %v %v", card.DocType, card.Signed, card.ValidUntil)
	}
	if card.NoExpiry() {
		t.Error("NoExpiry on a card with an expiry date")
	}
}

func TestSignDeterministic(t *testing.T) {
	a, b := signTest(t, SignOptions{}), signTest(t, SignOptions{})
	if !bytes.Equal(a, b) {
		t.Fatal("same seed and time gave different objects")
	}
	c, err := Sign(seeded(2), testHolder(t), testIssuer(t), SignOptions{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a, c) {
		t.Fatal("different salts gave the same object")
	}
	// Everything written is core deterministic CBOR: decoding into generic
	// values and re-encoding gives the same bytes at each layer.
	o, err := parseObject(a)
	if err != nil {
		t.Fatal(err)
	}
	layers := [][]byte{a, o.authRaw[1:], o.auth.Payload, o.auth.Protected}
	for _, it := range o.nameSpaces[0].items {
		layers = append(layers, it.tagged[2:], it.content)
	}
	dec, _ := cbor.DecOptions{DefaultMapType: nil}.DecMode()
	for i, l := range layers {
		var v any
		if err := dec.Unmarshal(l, &v); err != nil {
			t.Fatalf("layer %d: %v", i, err)
		}
		re, err := cose.Marshal(v)
		if err != nil {
			t.Fatalf("layer %d: %v", i, err)
		}
		if !bytes.Equal(re, l) {
			t.Errorf("layer %d is not deterministic:\n got %x\nwant %x", i, l, re)
		}
	}
}

func TestNoExpiryIsSigned(t *testing.T) {
	h := testHolder(t)
	h.ExpiryDate = time.Time{}
	obj, err := Sign(seeded(1), h, testIssuer(t), SignOptions{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	card, err := Verify(obj, VerifyOptions{Trust: testStore(t, testIssuer(t)), Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if !card.NoExpiry() || !card.Has(ElemExpiryDate) {
		t.Error("no-expiry card does not state it")
	}
}

func TestDisclose(t *testing.T) {
	obj := signTest(t, SignOptions{})
	keep := []string{ElemFamilyName, ElemGivenName, ElemBirthDate}
	small, err := Disclose(obj, keep...)
	if err != nil {
		t.Fatal(err)
	}
	if len(small) >= len(obj) {
		t.Errorf("disclosed object %d bytes, full %d", len(small), len(obj))
	}
	store := testStore(t, testIssuer(t))
	card, err := Verify(small, VerifyOptions{Trust: store, Now: testNow, Require: keep})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(card.Identifiers(), keep) {
		t.Errorf("items %v, want %v", card.Identifiers(), keep)
	}
	if card.Holder.Name != testHolder(t).Name || !card.Holder.Number.IsZero() {
		t.Error("disclosed card has the wrong fields")
	}
	// A verifier that requires more gets each missing item named.
	_, err = Verify(small, VerifyOptions{Trust: store, Now: testNow, Require: []string{ElemNumber, ElemBirthDate, ElemSex}})
	var ve *VerifyError
	if !errors.As(err, &ve) || !errors.Is(err, ErrMissingItem) || len(ve.Items) != 2 ||
		ve.Items[0].Identifier != ElemNumber || ve.Items[1].Identifier != ElemSex {
		t.Errorf("err = %v, want missing number and sex", err)
	}
	if _, err := Disclose(obj, "no_such_item"); !errors.Is(err, ErrMissingItem) {
		t.Errorf("Disclose of an absent item: %v", err)
	}
	// Disclosing everything gives back the same bytes.
	all, err := Disclose(obj, Identifiers()...)
	if err != nil || !bytes.Equal(all, obj) {
		t.Errorf("Disclose(all) changed the object: %v", err)
	}
}

func TestTrustStore(t *testing.T) {
	obj := signTest(t, SignOptions{})
	other := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, 32))
	// A single trusted key under another kid: the object's kid names no
	// trusted key, which is an error even though there is only one key.
	_, err := Verify(obj, VerifyOptions{Trust: testStore(t, other), Now: testNow})
	if !errors.Is(err, ErrUnknownKey) {
		t.Errorf("other key: %v", err)
	}
	// The right kid bound to the wrong key fails the signature.
	var s TrustStore
	if err := s.AddKey(KeyID(testIssuer(t).Public().(ed25519.PublicKey)), other.Public().(ed25519.PublicKey)); err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(obj, VerifyOptions{Trust: &s, Now: testNow}); !errors.Is(err, ErrSignature) {
		t.Errorf("wrong key under the kid: %v", err)
	}
	if _, err := Verify(obj, VerifyOptions{Now: testNow}); !errors.Is(err, ErrNoTrust) || errors.Is(err, ErrUnknownKey) {
		t.Errorf("nil store: %v, want ErrNoTrust only", err)
	}
	if err := s.AddKey(KeyID(testIssuer(t).Public().(ed25519.PublicKey)), testIssuer(t).Public().(ed25519.PublicKey)); !errors.Is(err, ErrUntrustedKey) {
		t.Errorf("rebinding a kid: %v", err)
	}
	// Object without kid: no key can be chosen.
	noKid := signTestKid(t, []byte{})
	if _, err := Verify(noKid, VerifyOptions{Trust: testStore(t, testIssuer(t)), Now: testNow}); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("no kid: %v", err)
	}
}

func signTestKid(t *testing.T, kid []byte) []byte {
	t.Helper()
	return signTest(t, SignOptions{Kid: kid})
}

// TestTrustStoreRefusesWeakKeys uses the keys of the ed25519-speccheck
// cases (testdata/ed25519/README.md): small-order keys (cases 0, 10),
// mixed-order keys (cases 2, 3) and a non-canonical encoding (case 10).
func TestTrustStoreRefusesWeakKeys(t *testing.T) {
	for _, h := range []string{
		"c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa", // case 0: small order
		"f7badec5b8abeaf699583992219b7b223f1df3fbbea919844e3f7c554a43dd43", // case 2: mixed order
		"cdb267ce40c5cd45306fa5d2f29731459387dbf9eb933b7bd5aed9a765b88d4d", // case 3: mixed order
		"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", // case 10: non-canonical
		"0100000000000000000000000000000000000000000000000000000000000000", // identity
	} {
		pub, _ := hex.DecodeString(h)
		var s TrustStore
		if err := s.AddKey([]byte("k"), pub); !errors.Is(err, ErrUntrustedKey) {
			t.Errorf("%s: AddKey = %v, want ErrUntrustedKey", h[:8], err)
		}
		if s.Len() != 0 {
			t.Error("refused key was stored")
		}
	}
}

func TestValidityWindow(t *testing.T) {
	obj := signTest(t, SignOptions{})
	store := testStore(t, testIssuer(t))
	if _, err := Verify(obj, VerifyOptions{Trust: store, Now: testNow.Add(-time.Second)}); !errors.Is(err, ErrNotYetValid) {
		t.Errorf("before: %v", err)
	}
	if _, err := Verify(obj, VerifyOptions{Trust: store, Now: testNow.Add(DefaultValidity + time.Second)}); !errors.Is(err, ErrExpired) {
		t.Errorf("after: %v", err)
	}
	if _, err := Verify(obj, VerifyOptions{Trust: store, Now: testNow.Add(DefaultValidity)}); err != nil {
		t.Errorf("last second: %v", err)
	}
	// The object's validity does not follow the card's expiry: an expired
	// card can still be stated, and the verifier sees its expiry date.
	h := testHolder(t)
	h.ExpiryDate = time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC) // before testNow
	stale, err := Sign(seeded(1), h, testIssuer(t), SignOptions{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	card, err := Verify(stale, VerifyOptions{Trust: store, Now: testNow})
	if err != nil || !card.Holder.ExpiryDate.Equal(h.ExpiryDate) {
		t.Errorf("expired card: %v", err)
	}
	// Explicit window.
	win, err := Sign(seeded(1), h, testIssuer(t), SignOptions{Now: testNow, ValidFrom: testNow.Add(time.Hour), ValidUntil: testNow.Add(2 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(win, VerifyOptions{Trust: store, Now: testNow}); !errors.Is(err, ErrNotYetValid) {
		t.Errorf("explicit window, before: %v", err)
	}
	if _, err := Verify(win, VerifyOptions{Trust: store, Now: testNow.Add(90 * time.Minute)}); err != nil {
		t.Errorf("explicit window, inside: %v", err)
	}
}

// reasons are the sentinels a rejection may carry.
var reasons = []error{
	ErrMalformed, ErrAlgorithm, ErrUnknownKey, ErrUntrustedKey, ErrSignature, ErrPayload,
	ErrDocType, ErrNotYetValid, ErrExpired, ErrItems, ErrMissingItem, ErrTooLarge,
}

// TestEveryBitFlipRejected flips each bit of a full object, a disclosed one
// and an x5chain one: every variant must be rejected with a typed reason.
func TestEveryBitFlipRejected(t *testing.T) {
	root, rootKey := testCA(t)
	leafKey := testIssuer(t)
	leaf := testLeaf(t, root, rootKey, leafKey.Public().(ed25519.PublicKey))
	var certStore TrustStore
	if err := certStore.AddCertificate(root); err != nil {
		t.Fatal(err)
	}
	full := signTest(t, SignOptions{})
	disclosed, err := Disclose(full, ElemNumber, ElemFaceSHA256)
	if err != nil {
		t.Fatal(err)
	}
	chained := signTest(t, SignOptions{X5Chain: [][]byte{leaf.Raw, root.Raw}, Include: []string{ElemNumber}})
	cases := []struct {
		name  string
		obj   []byte
		store *TrustStore
	}{
		{"full", full, testStore(t, testIssuer(t))},
		{"disclosed", disclosed, testStore(t, testIssuer(t))},
		{"x5chain", chained, &certStore},
	}
	for _, c := range cases {
		if raceEnabled && c.name == "full" {
			// 22,000 verifications are too slow under -race; the disclosed
			// object has every structure of the full one (the whole signed
			// payload, the envelope, items) and is still flipped entirely.
			continue
		}
		opts := VerifyOptions{Trust: c.store, Now: testNow}
		if _, err := Verify(c.obj, opts); err != nil {
			t.Fatalf("%s: unmodified object: %v", c.name, err)
		}
		counts := map[string]int{}
		for i := range len(c.obj) * 8 {
			b := bytes.Clone(c.obj)
			b[i/8] ^= 1 << (i % 8)
			card, err := Verify(b, opts)
			if err == nil || card != nil {
				t.Fatalf("%s: flip of bit %d accepted", c.name, i)
			}
			var ve *VerifyError
			if !errors.As(err, &ve) || !slices.ContainsFunc(reasons, func(r error) bool { return errors.Is(err, r) }) {
				t.Fatalf("%s: flip of bit %d: untyped error %v", c.name, i, err)
			}
			counts[ve.Reason.Error()]++
		}
		t.Logf("%s (%d bytes): %v", c.name, len(c.obj), counts)
	}
}

func TestItemTampering(t *testing.T) {
	store := testStore(t, testIssuer(t))
	opts := VerifyOptions{Trust: store, Now: testNow}
	a := signTest(t, SignOptions{})
	b, err := Sign(seeded(7), testHolder(t), testIssuer(t), SignOptions{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	oa, _ := parseObject(a)
	ob, _ := parseObject(b)

	// Swap in items 1 and 3 of another object from the same issuer: same
	// identifiers and digestIDs, other salts: both reported as altered.
	swap := *oa
	swap.nameSpaces = []nameSpace{{name: DocType, items: slices.Clone(oa.nameSpaces[0].items)}}
	swap.nameSpaces[0].items[1] = ob.nameSpaces[0].items[1]
	swap.nameSpaces[0].items[3] = ob.nameSpaces[0].items[3]
	assertItems(t, &swap, opts, ErrDigestMismatch, []string{ElemFamilyName, ElemBirthDate})

	// An item repeated.
	dup := *oa
	dup.nameSpaces = []nameSpace{{name: DocType, items: append(slices.Clone(oa.nameSpaces[0].items), oa.nameSpaces[0].items[0])}}
	assertItems(t, &dup, opts, ErrDuplicateItem, []string{ElemNumber})

	// An item with a digestID the payload does not list.
	extraContent, _ := cose.Marshal(itemWire{DigestID: 99, Random: make([]byte, 16), ElementIdentifier: "religion", ElementValue: mustRaw("x")})
	extraTagged, _ := cose.Marshal(cbor.Tag{Number: 24, Content: extraContent})
	extra := *oa
	extra.nameSpaces = []nameSpace{{name: DocType, items: append(slices.Clone(oa.nameSpaces[0].items), rawItem{tagged: extraTagged, content: extraContent})}}
	assertItems(t, &extra, opts, ErrUnsignedItem, []string{"religion"})

	// Items under a namespace the payload does not sign.
	ns := *oa
	ns.nameSpaces = append(slices.Clone(oa.nameSpaces), nameSpace{name: "other", items: oa.nameSpaces[0].items[:1]})
	assertItems(t, &ns, opts, ErrUnsignedItem, []string{ElemNumber})
}

func assertItems(t *testing.T, o *object, opts VerifyOptions, want error, ids []string) {
	t.Helper()
	b, err := o.encode()
	if err != nil {
		t.Fatal(err)
	}
	_, err = Verify(b, opts)
	var ve *VerifyError
	if !errors.As(err, &ve) || !errors.Is(err, ErrItems) || !errors.Is(err, want) {
		t.Fatalf("err = %v, want %v", err, want)
	}
	var got []string
	for _, it := range ve.Items {
		got = append(got, it.Identifier)
	}
	if !slices.Equal(got, ids) {
		t.Errorf("failing items %v, want %v", got, ids)
	}
}

// TestStrictDecoding: hand-made envelopes around a valid COSE_Sign1, each
// with its typed reason.
func TestStrictDecoding(t *testing.T) {
	obj := signTest(t, SignOptions{Include: []string{ElemNumber}})
	o, err := parseObject(obj)
	if err != nil {
		t.Fatal(err)
	}
	auth := o.authRaw
	item := o.nameSpaces[0].items[0].tagged
	text := func(s string) []byte { b, _ := cose.Marshal(s); return b }
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	ns := cat([]byte{0xa1}, text(DocType), []byte{0x81}, item)
	cases := []struct {
		name string
		obj  []byte
		want error
	}{
		{"valid", cat([]byte{0xa2}, text("issuerAuth"), auth, text("nameSpaces"), ns), nil},
		{"duplicate key", cat([]byte{0xa3}, text("issuerAuth"), auth, text("nameSpaces"), ns, text("nameSpaces"), ns), cose.ErrDuplicateKey},
		{"unknown key", cat([]byte{0xa3}, text("issuerAuth"), auth, text("nameSpaces"), ns, text("extra"), []byte{0}), cose.ErrUnknownField},
		{"indefinite map", cat([]byte{0xbf}, text("issuerAuth"), auth, text("nameSpaces"), ns, []byte{0xff}), cose.ErrIndefiniteLength},
		{"indefinite items", cat([]byte{0xa2}, text("issuerAuth"), auth, text("nameSpaces"), []byte{0xa1}, text(DocType), []byte{0x9f}, item, []byte{0xff}), cose.ErrIndefiniteLength},
		{"tagged object", cat([]byte{0xd9, 0xd9, 0xf7, 0xa2}, text("issuerAuth"), auth, text("nameSpaces"), ns), cose.ErrUnexpectedTag},
		{"item without tag 24", cat([]byte{0xa2}, text("issuerAuth"), auth, text("nameSpaces"), []byte{0xa1}, text(DocType), []byte{0x81}, item[2:]), cose.ErrType},
		{"item tag 25", cat([]byte{0xa2}, text("issuerAuth"), auth, text("nameSpaces"), []byte{0xa1}, text(DocType), []byte{0x81, 0xd8, 0x19}, item[2:]), cose.ErrUnexpectedTag},
		{"oversize array", cat([]byte{0xa2}, text("issuerAuth"), auth, text("nameSpaces"), []byte{0xa1}, text(DocType), []byte{0x99, 0xff, 0xff}), cose.ErrTooLarge},
		{"missing nameSpaces", cat([]byte{0xa1}, text("issuerAuth"), auth), ErrMalformed},
		{"trailing", cat([]byte{0xa2}, text("issuerAuth"), auth, text("nameSpaces"), ns, []byte{0}), cose.ErrTrailingData},
		{"too large", make([]byte, MaxObjectSize+1), ErrTooLarge},
		{"empty", nil, cose.ErrMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			card, err := Verify(c.obj, VerifyOptions{Trust: testStore(t, testIssuer(t)), Now: testNow})
			if c.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, c.want) || card != nil {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
		})
	}
}

func TestVerifyBatchAgrees(t *testing.T) {
	keys := []ed25519.PrivateKey{testIssuer(t), ed25519.NewKeyFromSeed(bytes.Repeat([]byte{3}, 32))}
	store := testStore(t, keys...)
	opts := VerifyOptions{Trust: store, Now: testNow, Rand: seeded(5)}
	var objs [][]byte
	r := mrand.New(seeded(6))
	for i := range 40 {
		obj, err := Sign(seeded(byte(i)), testHolder(t), keys[i%2], SignOptions{Now: testNow, Include: []string{ElemNumber, ElemFamilyName}})
		if err != nil {
			t.Fatal(err)
		}
		if i%5 == 3 { // corrupt one bit in a fifth of them
			obj[r.IntN(len(obj))] ^= 1 << r.IntN(8)
		}
		objs = append(objs, obj)
	}
	objs = append(objs, []byte("not cbor"))
	cards, errs := VerifyBatch(objs, opts)
	for i, obj := range objs {
		card, err := Verify(obj, opts)
		if (err == nil) != (errs[i] == nil) || (card == nil) != (cards[i] == nil) {
			t.Errorf("object %d: batch err %v, single err %v", i, errs[i], err)
			continue
		}
		if err != nil {
			var a, b *VerifyError
			if !errors.As(err, &a) || !errors.As(errs[i], &b) || a.Reason != b.Reason {
				t.Errorf("object %d: reasons differ: %v / %v", i, errs[i], err)
			}
		}
	}
	// A valid batch.
	cards, errs = VerifyBatch(objs[:3], opts)
	for i := range cards {
		if errs[i] != nil || cards[i] == nil {
			t.Errorf("valid object %d: %v", i, errs[i])
		}
	}
}

func TestX5Chain(t *testing.T) {
	root, rootKey := testCA(t)
	leaf := testLeaf(t, root, rootKey, testIssuer(t).Public().(ed25519.PublicKey))
	obj := signTest(t, SignOptions{Kid: []byte{}, X5Chain: [][]byte{leaf.Raw}})
	var s TrustStore
	if err := s.AddCertificate(root); err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(obj, VerifyOptions{Trust: &s, Now: testNow}); err != nil {
		t.Fatal(err)
	}
	// Outside the certificate's validity.
	if _, err := Verify(obj, VerifyOptions{Trust: &s, Now: testNow.AddDate(0, 0, 200)}); !errors.Is(err, ErrUntrustedKey) {
		t.Errorf("expired certificate: %v", err)
	}
	// Chains to nothing trusted.
	if _, err := Verify(obj, VerifyOptions{Trust: testStore(t, testIssuer(t)), Now: testNow}); !errors.Is(err, ErrUntrustedKey) {
		t.Errorf("untrusted chain: %v", err)
	}
	// A kid that does not match the chain's key.
	bad := signTest(t, SignOptions{Kid: []byte("other"), X5Chain: [][]byte{leaf.Raw}})
	if _, err := Verify(bad, VerifyOptions{Trust: &s, Now: testNow}); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("kid mismatch: %v", err)
	}
}

func testCA(t testing.TB) (*x509.Certificate, ed25519.PrivateKey) {
	t.Helper()
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{0xca}, 32))
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "Synthetic CCCD compact CA"},
		NotBefore:             testNow.AddDate(-1, 0, 0),
		NotAfter:              testNow.AddDate(5, 0, 0),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c, key
}

func testLeaf(t testing.TB, ca *x509.Certificate, caKey ed25519.PrivateKey, pub ed25519.PublicKey) *x509.Certificate {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "Synthetic compact signer"},
		NotBefore:    testNow.AddDate(0, 0, -1),
		NotAfter:     testNow.AddDate(0, 0, 100),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, pub, caKey)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSignErrors(t *testing.T) {
	h := testHolder(t)
	if _, err := Sign(nil, h, testIssuer(t), SignOptions{Include: []string{"bogus"}}); !errors.Is(err, ErrUnknownElement) {
		t.Errorf("unknown element: %v", err)
	}
	if _, err := Sign(nil, chip.Holder{}, testIssuer(t), SignOptions{}); !errors.Is(err, ErrSign) {
		t.Errorf("empty holder: %v", err)
	}
	if _, err := Sign(bytes.NewReader(make([]byte, 20)), h, testIssuer(t), SignOptions{}); !errors.Is(err, ErrSign) {
		t.Errorf("short randomness: %v", err)
	}
	if _, err := Sign(nil, h, testIssuer(t), SignOptions{Now: testNow, ValidUntil: testNow.Add(-time.Hour)}); !errors.Is(err, ErrSign) {
		t.Errorf("inverted validity: %v", err)
	}
}

func TestCardPrintsMasked(t *testing.T) {
	card, err := Verify(signTest(t, SignOptions{}), VerifyOptions{Trust: testStore(t, testIssuer(t)), Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	h := testHolder(t)
	for _, s := range []string{
		fmt.Sprint(card), fmt.Sprintf("%+v", card), fmt.Sprintf("%#v", card), fmt.Sprintf("%v", *card),
		fmt.Sprint(card.Items), fmt.Sprintf("%#v", card.Items[1]),
	} {
		for _, secret := range []string{h.Number.Digits(), "Nguyễn", "Bình", "1990"} {
			if strings.Contains(s, secret) {
				t.Errorf("printed card %q reveals %q", s, secret)
			}
		}
	}
}

// FuzzVerify seeds from testdata/*.cbor (see testdata/README.md): every
// input is either rejected with a *VerifyError and no card, or verifies and
// survives Disclose of all its items unchanged.
func FuzzVerify(f *testing.F) {
	addSeeds(f)
	store := testStore(f, testIssuer(f))
	f.Fuzz(func(t *testing.T, b []byte) {
		card, err := Verify(b, VerifyOptions{Trust: store, Now: testNow})
		if err != nil {
			var ve *VerifyError
			if !errors.As(err, &ve) || card != nil {
				t.Fatalf("err %v (%T), card %v", err, err, card)
			}
			return
		}
		again, err := Disclose(b, card.Identifiers()...)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Verify(again, VerifyOptions{Trust: store, Now: testNow}); err != nil {
			t.Fatalf("re-disclosed object fails: %v", err)
		}
	})
}

// FuzzDisclose: Disclose never panics and fails with a *VerifyError.
func FuzzDisclose(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		out, err := Disclose(b, ElemNumber, ElemFamilyName)
		if err != nil {
			var ve *VerifyError
			if !errors.As(err, &ve) || out != nil {
				t.Fatalf("err %v (%T)", err, err)
			}
		}
	})
}

func addSeeds(f *testing.F) {
	names := []string{"synth_card_full_valid.cbor", "synth_card_disclosed_valid.cbor", "synth_card_x5chain_valid.cbor"}
	for _, n := range names {
		b, err := os.ReadFile("testdata/" + n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// TestPayloadChecks signs hand-made payloads with the trusted key: a valid
// signature over a bad payload is still rejected, each with its reason.
func TestPayloadChecks(t *testing.T) {
	good := msoWire{
		Version: msoVersion, DigestAlgorithm: digestAlgorithm, DocType: DocType,
		ValueDigests: map[string]map[uint64][]byte{DocType: {0: make([]byte, 32)}},
		ValidityInfo: validityWire{Signed: unix(testNow), ValidFrom: unix(testNow), ValidUntil: unix(testNow) + 10},
	}
	cases := []struct {
		name   string
		change func(m *msoWire)
		want   error
	}{
		{"valid", func(*msoWire) {}, nil},
		{"version", func(m *msoWire) { m.Version = "2.0" }, ErrPayload},
		{"digest algorithm", func(m *msoWire) { m.DigestAlgorithm = "SHA-1" }, ErrPayload},
		{"docType", func(m *msoWire) { m.DocType = "org.iso.18013.5.1.mDL" }, ErrDocType},
		{"short digest", func(m *msoWire) { m.ValueDigests[DocType][0] = make([]byte, 20) }, ErrPayload},
		{"inverted validity", func(m *msoWire) { m.ValidityInfo.ValidUntil = m.ValidityInfo.ValidFrom }, ErrPayload},
		{"no signed time", func(m *msoWire) { m.ValidityInfo.Signed = 0 }, ErrPayload},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := good
			m.ValueDigests = map[string]map[uint64][]byte{DocType: {0: make([]byte, 32)}}
			c.change(&m)
			payload, err := cose.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			key := testIssuer(t)
			auth, err := cose.SignEd25519(nil, key, payload, cose.Sign1Options{Kid: KeyID(key.Public().(ed25519.PublicKey))})
			if err != nil {
				t.Fatal(err)
			}
			obj, err := cose.Marshal(map[string]any{keyIssuerAuth: cbor.RawMessage(auth), keyNameSpaces: map[string][]cbor.RawMessage{}})
			if err != nil {
				t.Fatal(err)
			}
			_, err = Verify(obj, VerifyOptions{Trust: testStore(t, key), Now: testNow})
			if c.want == nil && err != nil || c.want != nil && !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
		})
	}
	// A payload that is not the expected map at all.
	key := testIssuer(t)
	auth, _ := cose.SignEd25519(nil, key, []byte{0x01}, cose.Sign1Options{Kid: KeyID(key.Public().(ed25519.PublicKey))})
	obj, _ := cose.Marshal(map[string]any{keyIssuerAuth: cbor.RawMessage(auth), keyNameSpaces: map[string][]cbor.RawMessage{}})
	if _, err := Verify(obj, VerifyOptions{Trust: testStore(t, key), Now: testNow}); !errors.Is(err, ErrPayload) || !errors.Is(err, cose.ErrType) {
		t.Errorf("integer payload: %v", err)
	}
}

// TestAlgorithm: alg ES256 (-7, RFC 9053) in the protected header is refused
// before any key is used.
func TestAlgorithm(t *testing.T) {
	key := testIssuer(t)
	kid := KeyID(key.Public().(ed25519.PublicKey))
	auth, err := cose.Marshal(cbor.Tag{Number: cose.TagSign1, Content: []any{
		[]byte{0xa1, 0x01, 0x26}, map[int64]any{cose.HeaderKid: kid}, []byte{0xa0}, make([]byte, 64),
	}})
	if err != nil {
		t.Fatal(err)
	}
	obj, _ := cose.Marshal(map[string]any{keyIssuerAuth: cbor.RawMessage(auth), keyNameSpaces: map[string][]cbor.RawMessage{}})
	if _, err := Verify(obj, VerifyOptions{Trust: testStore(t, key), Now: testNow}); !errors.Is(err, ErrAlgorithm) {
		t.Errorf("ES256: %v", err)
	}
}

// TestDecodeItem: the hand-written IssuerSignedItem reader keeps the strict
// decoder's rules. Items are built from CBOR pieces by hand.
func TestDecodeItem(t *testing.T) {
	text := func(s string) []byte { b, _ := cose.Marshal(s); return b }
	salt := append([]byte{0x50}, make([]byte, 16)...)
	pairs := func(kv ...[]byte) []byte { return bytes.Join(kv, nil) }
	good := pairs(text("digestID"), []byte{0x01}, text("random"), salt, text("elementValue"), text("x"), text("elementIdentifier"), text("religion"))
	cases := []struct {
		name string
		b    []byte
		want error
	}{
		{"valid", append([]byte{0xa4}, good...), nil},
		{"duplicate key", append([]byte{0xa5}, pairs(good, text("random"), salt)...), cose.ErrDuplicateKey},
		{"unknown key", append([]byte{0xa5}, pairs(good, text("extra"), []byte{0})...), cose.ErrUnknownField},
		{"missing key", append([]byte{0xa3}, pairs(text("digestID"), []byte{0x01}, text("random"), salt, text("elementValue"), text("x"))...), cose.ErrType},
		{"indefinite map", append(append([]byte{0xbf}, good...), 0xff), cose.ErrIndefiniteLength},
		{"tagged value", append([]byte{0xa4}, pairs(text("digestID"), []byte{0x01}, text("random"), salt, text("elementValue"), []byte{0xc1, 0x01}, text("elementIdentifier"), text("religion"))...), cose.ErrUnexpectedTag},
		{"negative digestID", append([]byte{0xa4}, pairs(text("digestID"), []byte{0x20}, text("random"), salt, text("elementValue"), text("x"), text("elementIdentifier"), text("religion"))...), cose.ErrType},
		{"case differs", append([]byte{0xa4}, pairs(text("digestId"), []byte{0x01}, text("random"), salt, text("elementValue"), text("x"), text("elementIdentifier"), text("religion"))...), cose.ErrUnknownField},
		{"trailing", append(append([]byte{0xa4}, good...), 0x00), cose.ErrTrailingData},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w, err := decodeItem(c.b)
			if c.want == nil {
				if err != nil || w.DigestID != 1 || w.ElementIdentifier != "religion" || len(w.Random) != 16 || string(w.ElementValue) != "\x61x" {
					t.Fatalf("%+v, %v", w, err)
				}
				return
			}
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
		})
	}
}
