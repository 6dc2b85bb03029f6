package chip_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/chip/chiptest"
)

func TestActiveAuthenticationErrors(t *testing.T) {
	is := newIssuer(t, chiptest.Options{Seed: "aa"})
	card, err := is.Issue(chiptest.DefaultHolder())
	if err != nil {
		t.Fatal(err)
	}
	ch := []byte("challeng")
	resp, err := card.RespondAA(ch)
	if err != nil {
		t.Fatal(err)
	}
	dg14, dg15 := card.Files["DG14"], card.Files["DG15"]
	cases := []struct {
		name               string
		dg15, dg14, ch, rs []byte
		want               error
	}{
		{"ok", dg15, dg14, ch, resp, nil},
		{"short challenge", dg15, dg14, ch[:7], resp, chip.ErrMalformed},
		{"ECDSA without DG14", dg15, nil, ch, resp, chip.ErrMissingDataGroup},
		{"DG14 without AA info", dg15, []byte{0x6E, 0x02, 0x31, 0x00}, ch, resp, chip.ErrMissingDataGroup},
		{"garbage DG15", []byte{0x6F, 0x01, 0x00}, dg14, ch, resp, chip.ErrMalformed},
		{"DG15 trailing byte", append(bytes.Clone(dg15), 0), dg14, ch, resp, chip.ErrTrailingData},
		{"flipped response", dg15, dg14, ch, flip(resp, 5), chip.ErrSignature},
		{"truncated response", dg15, dg14, ch, resp[:63], chip.ErrSignature},
		{"empty response", dg15, dg14, ch, nil, chip.ErrSignature},
	}
	for _, tc := range cases {
		err := chip.VerifyActiveAuthentication(tc.dg15, tc.dg14, tc.ch, tc.rs)
		if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
		}
	}
	// The real 1792-bit RSA DG15 (testdata/lds README) with a response
	// that is not a 9796-2 signature.
	real := readLDS(t, "gmrtd_sample_DG15.bin")
	for _, r := range [][]byte{make([]byte, 224), bytes.Repeat([]byte{0xff}, 224), make([]byte, 10)} {
		if err := chip.VerifyActiveAuthentication(real, nil, ch, r); !errors.Is(err, chip.ErrSignature) {
			t.Errorf("real DG15: %v", err)
		}
	}
}

func flip(b []byte, i int) []byte {
	c := bytes.Clone(b)
	c[i] ^= 1
	return c
}

// The SignerInfo names the DS by issuer and serial; its issuer RDNs may
// come in another order than in the certificate (spec "What real files
// do"). The sid is not signed, so reorder it in place and verify.
func TestSignerIdentifierRDNOrder(t *testing.T) {
	is := newIssuer(t, chiptest.Options{Seed: "rdn"})
	files := sign(t, is, syntheticFiles(13))
	sod := files["EF.SOD"]
	issuer := issuerNameDER(t, is.DSDER())
	i := bytes.LastIndex(sod, issuer) // the sid comes after the certificate
	if i < 0 || bytes.Index(sod, issuer) == i {
		t.Fatal("sid issuer not found")
	}
	reordered := reverseRDNs(t, issuer)
	if bytes.Equal(reordered, issuer) || len(reordered) != len(issuer) {
		t.Fatal("reordering failed")
	}
	f := clone(files)
	copy(f["EF.SOD"][i:], reordered)
	if r, err := chip.Verify(f, chip.VerifyOptions{Trust: is.TrustStore(), Now: at}); err != nil || !r.Valid {
		t.Fatalf("reordered sid: %v", err)
	}
}

// issuerNameDER returns the issuer Name of a DER certificate (test-local
// reading: SEQUENCE { SEQUENCE { [0] version, serial, alg, issuer ...}}).
func issuerNameDER(t *testing.T, cert []byte) []byte {
	next := func(b []byte) (elem, rest []byte) {
		l, h := int(b[1]), 2
		if l&0x80 != 0 {
			n := l & 0x7f
			l = 0
			for _, c := range b[2 : 2+n] {
				l = l<<8 | int(c)
			}
			h += n
		}
		return b[:h+l], b[h+l:]
	}
	inside := func(b []byte) []byte {
		e, _ := next(b)
		if b[1]&0x80 != 0 {
			return e[2+int(b[1]&0x7f):]
		}
		return e[2:]
	}
	tbs := inside(inside(cert))
	_, rest := next(tbs)  // version
	_, rest = next(rest)  // serial
	_, rest = next(rest)  // signature algorithm
	name, _ := next(rest) // issuer
	return name
}

func reverseRDNs(t *testing.T, name []byte) []byte {
	if name[1]&0x80 != 0 {
		t.Fatal("long name not supported by this helper")
	}
	body := name[2:]
	var rdns [][]byte
	for len(body) > 0 {
		n := 2 + int(body[1])
		rdns = append(rdns, body[:n])
		body = body[n:]
	}
	out := []byte{name[0], name[1]}
	for i := len(rdns) - 1; i >= 0; i-- {
		out = append(out, rdns[i]...)
	}
	return out
}
