package cose

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSigStructure checks the Sig_structure against a hand encoding of
// RFC 9052 section 4.4: array(4) "Signature1" bstr(protected) bstr(aad)
// bstr(payload).
func TestSigStructure(t *testing.T) {
	m := &Sign1{Protected: []byte{0xa1, 0x01, 0x27}, Payload: []byte("hi")}
	got, err := m.ToBeSigned(nil)
	if err != nil {
		t.Fatal(err)
	}
	want := mustHex(t, "84"+"6a"+hex.EncodeToString([]byte("Signature1"))+"43a10127"+"40"+"426869")
	if !bytes.Equal(got, want) {
		t.Errorf("Sig_structure = %x, want %x", got, want)
	}
}

func testKey() ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32)) // synthetic test key
}

func TestSignParseRoundTrip(t *testing.T) {
	key := testKey()
	msg, err := SignEd25519(nil, key, []byte("payload"), Sign1Options{Kid: []byte("k1"), X5Chain: [][]byte{{1, 2}}})
	if err != nil {
		t.Fatal(err)
	}
	// Hand-checked prefix: tag 18 (d2), array(4) (84), bstr(3) a1 01 27
	// (alg: EdDSA), unprotected map(2) {4: "k1", 33: h'0102'}.
	if want := mustHex(t, "d28443a10127a204426b31182142010247"); !bytes.HasPrefix(msg, want) {
		t.Fatalf("encoding = %x, want prefix %x", msg, want)
	}
	m, err := ParseSign1(msg)
	if err != nil {
		t.Fatal(err)
	}
	if m.Alg != AlgEdDSA || string(m.Kid) != "k1" || len(m.X5Chain) != 1 || string(m.Payload) != "payload" {
		t.Fatalf("parsed %+v", m)
	}
	tbs, _ := m.ToBeSigned(nil)
	if !ed25519.Verify(key.Public().(ed25519.PublicKey), tbs, m.Signature) {
		t.Error("signature does not verify over the Sig_structure")
	}
}

// TestProtectedKid: a kid in the protected header is read (hand-built:
// protected {1: -8, 4: h'6b31'}).
func TestProtectedKid(t *testing.T) {
	sig := "5840" + hex.EncodeToString(make([]byte, 64))
	m, err := ParseSign1(mustHex(t, "d28447a2012704426b31a0"+"4170"+sig))
	if err != nil {
		t.Fatal(err)
	}
	if string(m.Kid) != "k1" {
		t.Errorf("kid %q", m.Kid)
	}
}

func TestSignRejectsOtherKeys(t *testing.T) {
	if _, err := SignEd25519(nil, notEd25519{}, nil, Sign1Options{}); !errors.Is(err, ErrSignerKey) {
		t.Errorf("err = %v, want ErrSignerKey", err)
	}
}

// TestParseErrors: hand-built malformed messages, each with its sentinel.
func TestParseErrors(t *testing.T) {
	sig := "5840" + hex.EncodeToString(make([]byte, 64))
	cases := []struct {
		name, hex string
		want      error
	}{
		{"no tag", "8443a10127a0" + "4170" + sig, ErrType},
		{"wrong tag", "d38443a10127a0" + "4170" + sig, ErrUnexpectedTag},
		{"tag inside", "d28443a10127a0" + "d84170" + sig, ErrUnexpectedTag},
		{"indefinite array", "d29f43a10127a0" + "4170" + sig + "ff", ErrIndefiniteLength},
		{"dup unprotected", "d28443a10127a204410104410241" + "70" + sig, ErrDuplicateKey},
		{"dup protected", "d28445a201270127a0" + "4170" + sig, ErrDuplicateKey},
		{"unknown unprotected", "d28443a10127a10501" + "4170" + sig, ErrUnknownHeader},
		{"unknown critical", "d28449a30127028201030300a0" + "4170" + sig, ErrUnknownCritical},
		{"no alg", "d28441a0a0" + "4170" + sig, ErrAlgorithm},
		{"trailing", "d28443a10127a0" + "4170" + sig + "00", ErrTrailingData},
		{"short", "d28443a10127a0" + "4170" + "5840", ErrMalformed},
		{"too large", "d29a7fffffff", ErrTooLarge},
		{"too deep", "d28443a10127a1" + "0481818181" + "01" + "4170" + sig, ErrTooDeep},
		{"reserved ai", "d21c", ErrMalformed},
		{"label in both", "d28443a10127a10126" + "4170" + sig, ErrHeader},
		{"empty protected kid", "d28445a201270440a0" + "4170" + sig, ErrHeader},
		{"text payload", "d28443a10127a0" + "6170" + sig, ErrType},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := ParseSign1(mustHex(t, c.hex))
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			if m != nil {
				t.Error("non-nil message with an error")
			}
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Errorf("error %T is not a *DecodeError", err)
			}
		})
	}
}

func TestDeterministicMarshal(t *testing.T) {
	// RFC 8949 section 4.2.1: keys sorted bytewise by encoding, so 10 (0a)
	// before 100 (1864) before -1 (20) before "z" (617a) before "aa".
	got, err := Marshal(map[any]int{"aa": 0, "z": 0, -1: 0, 100: 0, 10: 0})
	if err != nil {
		t.Fatal(err)
	}
	want := mustHex(t, "a5"+"0a00"+"186400"+"2000"+"617a00"+"62616100")
	if !bytes.Equal(got, want) {
		t.Errorf("Marshal = %x, want %x", got, want)
	}
}

func TestCursor(t *testing.T) {
	// [24(h'01'), "é"]
	c := NewCursor(mustHex(t, "82d8184101"+"62c3a9"))
	if n, err := c.ArrayHead("a"); err != nil || n != 2 {
		t.Fatal(n, err)
	}
	if err := c.Tag(TagEncodedCBOR, "t"); err != nil {
		t.Fatal(err)
	}
	if b, err := c.Bytes("b"); err != nil || !bytes.Equal(b, []byte{1}) {
		t.Fatal(b, err)
	}
	if s, err := c.Text("s"); err != nil || s != "é" {
		t.Fatal(s, err)
	}
	if err := c.End("e"); err != nil {
		t.Fatal(err)
	}
	if _, err := NewCursor([]byte{0x62, 0xff, 0xfe}).Text("s"); !errors.Is(err, ErrMalformed) {
		t.Errorf("invalid UTF-8: %v", err)
	}
	if _, err := NewCursor([]byte{0x5a, 0xff, 0xff, 0xff, 0xff}).Bytes("b"); !errors.Is(err, ErrMalformed) {
		t.Errorf("oversize length: %v", err)
	}
}

type notEd25519 struct{ ed25519.PrivateKey }

func (notEd25519) Public() crypto.PublicKey { return "not a key" }

// FuzzParseSign1 seeds from testdata/*.cbor (see testdata/README.md): any
// input either fails with a *DecodeError and a nil message, or parses and
// re-signs into the same header layout.
func FuzzParseSign1(f *testing.F) {
	for _, b := range seedFiles(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseSign1(b)
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) || m != nil {
				t.Fatalf("err %v (%T), message %v", err, err, m)
			}
			return
		}
		if _, err := m.ToBeSigned(nil); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzUnmarshal drives the strict decoder on arbitrary bytes: it fails with
// a *DecodeError, or what it decoded re-encodes deterministically to bytes
// that decode to the same encoding again.
func FuzzUnmarshal(f *testing.F) {
	for _, b := range seedFiles(f) {
		f.Add(b[1:]) // without the tag 18 the strict decoder accepts it
	}
	f.Add(mustHex(f, "a3616101616202616303"))
	f.Fuzz(func(t *testing.T, b []byte) {
		var v any
		if err := Unmarshal(b, &v, "input"); err != nil {
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error %T: %v", err, err)
			}
			return
		}
		enc, err := Marshal(v)
		if err != nil {
			return // e.g. maps keyed by values Marshal cannot sort; decoding was still safe
		}
		var w any
		if err := Unmarshal(enc, &w, "re-encoded"); err != nil {
			t.Fatalf("re-encoded value fails to decode: %v", err)
		}
		again, err := Marshal(w)
		if err != nil || !bytes.Equal(again, enc) {
			t.Fatalf("encoding not stable: %x / %x (%v)", enc, again, err)
		}
	})
}

// seedFiles returns testdata/*.cbor (see testdata/README.md), failing when
// there are none.
func seedFiles(f *testing.F) [][]byte {
	paths, _ := filepath.Glob("testdata/*.cbor")
	if len(paths) == 0 {
		f.Fatal("no seeds in testdata")
	}
	var out [][]byte
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}
