package bac

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/cancuoc/sdk/internal/apdu"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// ICAO 9303-11 Appendix D.2 (both MRZs) and a Vietnamese CCCD MRZ whose
// BAC document number is the last 9 digits of 001093047064 (computed:
// SHA-1 of 093047064193010543301052).
func TestKeyAppendixD2(t *testing.T) {
	for _, tc := range []struct{ doc, dob, doe, info, seed string }{
		{"L898902C", "690806", "940623", "L898902C<369080619406236", "239AB9CB282DAF66231DC5A4DF6BFBAE"},
		{"093047064", "930105", "330105", "093047064193010543301052", "A297F3971750F27AE6BE283654420E48"},
	} {
		info, err := MRZInformation(tc.doc, tc.dob, tc.doe)
		if err != nil || info != tc.info {
			t.Errorf("MRZInformation = %q, %v; want %q", info, err, tc.info)
		}
		k, _ := NewKey(tc.doc, tc.dob, tc.doe)
		if !bytes.Equal(k[:], unhex(t, tc.seed)) {
			t.Errorf("Kseed = %X, want %s", k[:], tc.seed)
		}
	}
	if _, err := NewKey("X", "69080", "940623"); !errors.Is(err, ErrKey) {
		t.Errorf("short date accepted: %v", err)
	}
	var k Key
	k[0] = 0x23
	if s := k.String(); s != "bac.Key{…}" {
		t.Errorf("String = %q", s)
	}
}

// script is a card that replays the ICAO worked example: it checks each
// command against the document's bytes and answers with the document's
// response.
type script struct {
	t     *testing.T
	steps [][2]string
}

func (s *script) Transmit(_ context.Context, c *apdu.Command) (apdu.Response, error) {
	s.t.Helper()
	if len(s.steps) == 0 {
		s.t.Fatal("unexpected command")
	}
	step := s.steps[0]
	s.steps = s.steps[1:]
	got, _ := c.Encode()
	if want := unhex(s.t, step[0]); !bytes.Equal(got, want) {
		s.t.Fatalf("command %X, want %X", got, want)
	}
	return apdu.ParseResponse(unhex(s.t, step[1]))
}

type fixed []byte

func (f *fixed) Read(p []byte) (int, error) {
	n := copy(p, *f)
	*f = (*f)[n:]
	return n, nil
}

// The BAC exchange of ICAO 9303-11 Appendix D.3 byte for byte, then the
// first protected command of D.4 on the resulting channel (which checks
// KSenc, KSmac and the SSC).
func TestRunAppendixD3(t *testing.T) {
	card := &script{t: t, steps: [][2]string{
		{"0084000008", "4608F919887022129000"},
		{"008200002872C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F25F1448EEA8AD90A728",
			"46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D74499000"},
	}}
	key, _ := NewKey("L898902C", "690806", "940623")
	rnd := fixed(unhex(t, "781723860C06C226"+"0B795240CB7049B01C19B33E32804F0B"))
	ch, err := Run(context.Background(), card, key, &rnd)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := ch.Wrap(&apdu.Command{INS: 0xA4, P1: 2, P2: 0x0C, Data: []byte{1, 0x1E}})
	enc, _ := p.Encode()
	if want := unhex(t, "0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800"); !bytes.Equal(enc, want) {
		t.Fatalf("first protected command %X, want %X", enc, want)
	}
}

// The card side reproduces D.3's EIC||MIC from the same K.IC.
func TestChipResponseAppendixD3(t *testing.T) {
	key, _ := NewKey("L898902C", "690806", "940623")
	kic := fixed(unhex(t, "0B4F80323EB3191CB04970CB4052790B"))
	resp, _, err := ChipResponse(key, unhex(t, "4608F91988702212"),
		unhex(t, "72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F25F1448EEA8AD90A7"), &kic)
	if err != nil {
		t.Fatal(err)
	}
	if want := unhex(t, "46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449"); !bytes.Equal(resp, want) {
		t.Fatalf("EIC||MIC %X", resp)
	}
	other, _ := NewKey("L898902C", "690806", "940624")
	if _, _, err := ChipResponse(other, unhex(t, "4608F91988702212"),
		unhex(t, "72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F25F1448EEA8AD90A7"), &kic); !errors.Is(err, ErrAuthentication) {
		t.Fatalf("wrong key: %v", err)
	}
}

// A wrong-password status ends Run with a StatusError naming the step.
func TestRunStatusError(t *testing.T) {
	card := &script{t: t, steps: [][2]string{
		{"0084000008", "4608F919887022129000"},
		{"008200002872C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F25F1448EEA8AD90A728", "6300"},
	}}
	key, _ := NewKey("L898902C", "690806", "940623")
	rnd := fixed(unhex(t, "781723860C06C226"+"0B795240CB7049B01C19B33E32804F0B"))
	_, err := Run(context.Background(), card, key, &rnd)
	var se *apdu.StatusError
	if !errors.As(err, &se) || se.SW != 0x6300 || se.Step != "EXTERNAL AUTHENTICATE" {
		t.Fatalf("err = %v", err)
	}
}
