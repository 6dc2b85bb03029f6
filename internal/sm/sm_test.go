package sm

import (
	"bytes"
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

// ICAO 9303-11 Appendix D.2: Kenc and Kmac from the key seed of MRZ
// information L898902C<369080619406236, and D.3's session keys from
// K.IFD xor K.IC.
func TestDeriveKeyAppendixD(t *testing.T) {
	seed := unhex(t, "239AB9CB282DAF66231DC5A4DF6BFBAE")
	for _, tc := range []struct {
		secret  []byte
		counter uint32
		want    string
	}{
		{seed, CounterEnc, "AB94FDECF2674FDFB9B391F85D7F76F2"},
		{seed, CounterMAC, "7962D9ECE03D1ACD4C76089DCE131543"},
	} {
		k, err := DeriveKey(TDES, tc.secret, tc.counter)
		if err != nil {
			t.Fatal(err)
		}
		if want := unhex(t, tc.want); !bytes.Equal(k, want) {
			t.Errorf("KDF(%d) = %X, want %X", tc.counter, k, want)
		}
	}
	kifd := unhex(t, "0B795240CB7049B01C19B33E32804F0B")
	kic := unhex(t, "0B4F80323EB3191CB04970CB4052790B")
	kseed := make([]byte, 16)
	for i := range kseed {
		kseed[i] = kifd[i] ^ kic[i]
	}
	enc, _ := DeriveKey(TDES, kseed, CounterEnc)
	mac, _ := DeriveKey(TDES, kseed, CounterMAC)
	if !bytes.Equal(enc, unhex(t, "979EC13B1CBFE9DCD01AB0FED307EAE5")) || !bytes.Equal(mac, unhex(t, "F1CB1F1FB5ADF208806B89DC579DC1F8")) {
		t.Errorf("KSenc %X KSmac %X", enc, mac)
	}
}

// ICAO 9303-11 Appendix D.3: MIFD is the retail MAC of EIFD.
func TestRetailMACAppendixD3(t *testing.T) {
	m, err := MAC(TDES, unhex(t, "7962D9ECE03D1ACD4C76089DCE131543"),
		unhex(t, "72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2"))
	if err != nil || !bytes.Equal(m, unhex(t, "5F1448EEA8AD90A7")) {
		t.Fatalf("MIFD = %X, %v", m, err)
	}
}

// RFC 4493 section 4, examples 1 to 4 (AES-128 CMAC, full 16 bytes).
func TestCMACRFC4493(t *testing.T) {
	key := unhex(t, "2b7e151628aed2a6abf7158809cf4f3c")
	msg := unhex(t, "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710")
	m, _ := newCMAC(key)
	for _, tc := range []struct {
		n    int
		want string
	}{
		{0, "bb1d6929e95937287fa37d129b756746"},
		{16, "070a16b46b4d4144f79bdd9dd04a287c"},
		{40, "dfa66747de9ae63030ca32611497c827"},
		{64, "51f0bebf7e3b9d92fc49741779363cfe"},
	} {
		if got := m.Sum(msg[:tc.n]); !bytes.Equal(got[:], unhex(t, tc.want)) {
			t.Errorf("CMAC(%d bytes) = %X, want %s", tc.n, got, tc.want)
		}
	}
}

// The three APDU pairs of ICAO 9303-11 Appendix D.4 (3DES), reader side
// and card side.
func TestChannelAppendixD4(t *testing.T) {
	ksEnc := unhex(t, "979EC13B1CBFE9DCD01AB0FED307EAE5")
	ksMac := unhex(t, "F1CB1F1FB5ADF208806B89DC579DC1F8")
	ssc := unhex(t, "887022120C06C226")
	reader, err := New(TDES, ksEnc, ksMac, ssc)
	if err != nil {
		t.Fatal(err)
	}
	card, _ := New(TDES, ksEnc, ksMac, ssc)
	steps := []struct {
		plain, protected, response, data string
	}{
		{"00A4020C02011E", "0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800", "990290008E08FA855A5D4C50A8ED9000", ""},
		{"00B0000004", "0CB000000D9701048E08ED6705417E96BA5500", "8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000", "60145F01"},
		{"00B0000412", "0CB000040D9701128E082EA28A70F3C7B53500",
			"871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08C8B2787EAEA07D749000",
			"04303130365F36063034303030305C026175"},
	}
	for i, st := range steps {
		cmd, err := apdu.ParseCommand(unhex(t, st.plain))
		if err != nil {
			t.Fatal(err)
		}
		p, err := reader.Wrap(&cmd)
		if err != nil {
			t.Fatal(err)
		}
		enc, _ := p.Encode()
		if want := unhex(t, st.protected); !bytes.Equal(enc, want) {
			t.Fatalf("step %d: protected %X, want %X", i+1, enc, want)
		}
		// Card side: unwrap the command, wrap the answer.
		got, err := card.UnwrapCommand(&p)
		if err != nil || got.INS != cmd.INS || !bytes.Equal(got.Data, cmd.Data) || got.Ne != cmd.Ne {
			t.Fatalf("step %d: card unwrap %+v, %v", i+1, got, err)
		}
		wantResp, _ := apdu.ParseResponse(unhex(t, st.response))
		cr, err := card.WrapResponse(apdu.Response{Data: unhex(t, st.data), SW: 0x9000})
		if err != nil || !bytes.Equal(cr.Encode(), wantResp.Encode()) {
			t.Fatalf("step %d: card response %X, want %X", i+1, cr.Encode(), wantResp.Encode())
		}
		r, err := reader.Unwrap(wantResp)
		if err != nil {
			t.Fatalf("step %d: %v", i+1, err)
		}
		if r.SW != 0x9000 || !bytes.Equal(r.Data, unhex(t, st.data)) {
			t.Fatalf("step %d: plain %X %04X", i+1, r.Data, r.SW)
		}
	}
}

// JMRTD's testStackOverflowTim vector (3DES, SSC 00AB1D2F337FD997D6 cut
// to 8 bytes): SELECT 011E and READ BINARY of 4 bytes.
func TestChannelJMRTDVector(t *testing.T) {
	ch, _ := New(TDES, unhex(t, "3DE649F8AEA41C04FB6D4CD9043757AD"), unhex(t, "8C34AD61974F68CEBA3E0EAEA1456476"), unhex(t, "AB1D2F337FD997D6"))
	for _, st := range [][2]string{
		{"00A4020C02011E", "0CA4020C15870901FF0E241E2F94B5088E0822FF803EC310433600"},
	} {
		cmd, _ := apdu.ParseCommand(unhex(t, st[0]))
		p, _ := ch.Wrap(&cmd)
		enc, _ := p.Encode()
		if !bytes.Equal(enc, unhex(t, st[1])) {
			t.Errorf("protected %X, want %s", enc, st[1])
		}
	}
}

// Every single-bit flip in a protected response is rejected, and the
// channel stays failed afterwards (sticky error).
func TestUnwrapRejectsBitFlips(t *testing.T) {
	ksEnc := unhex(t, "979EC13B1CBFE9DCD01AB0FED307EAE5")
	ksMac := unhex(t, "F1CB1F1FB5ADF208806B89DC579DC1F8")
	resp := unhex(t, "8709019FF0EC34F9922651990290008E08AD55CC17140B2DED")
	for _, c := range []Cipher{TDES} {
		for bit := range len(resp) * 8 {
			ch, _ := New(c, ksEnc, ksMac, unhex(t, "887022120C06C228"))
			b := bytes.Clone(resp)
			b[bit/8] ^= 1 << (bit % 8)
			if _, err := ch.Unwrap(apdu.Response{Data: b, SW: 0x9000}); !errors.Is(err, ErrSecureMessaging) {
				t.Fatalf("bit %d: err = %v", bit, err)
			}
			if _, err := ch.Unwrap(apdu.Response{Data: resp, SW: 0x9000}); !errors.Is(err, ErrSecureMessaging) || ch.Err() != err {
				t.Fatalf("bit %d: channel not poisoned", bit)
			}
		}
	}
	ch, _ := New(TDES, ksEnc, ksMac, unhex(t, "887022120C06C228"))
	if _, err := ch.Unwrap(apdu.Response{SW: 0x6988}); !errors.Is(err, ErrSecureMessaging) {
		t.Fatalf("plain 6988 accepted: %v", err)
	}
}

// AES round trip through both sides, short and extended, even and odd
// INS, with the largest plaintext a short response carries.
func TestChannelAESRoundTrip(t *testing.T) {
	for _, c := range []Cipher{AES128, AES192, AES256, TDES} {
		key := bytes.Repeat([]byte{0x42}, c.KeyLen())
		ssc := make([]byte, c.BlockSize())
		r, _ := New(c, key, key, ssc)
		k, _ := New(c, key, key, ssc)
		for _, tc := range []struct {
			cmd  apdu.Command
			resp int
		}{
			{apdu.Command{INS: 0xB0, P1: 0x9E, Ne: MaxPlain(c, 256)}, MaxPlain(c, 256)},
			{apdu.Command{INS: 0xB0, Ne: 65536}, 60000},
			{apdu.Command{INS: 0xB1, Data: []byte{0x54, 2, 0x80, 0}, Ne: 256}, 200},
			{apdu.Command{INS: 0xA4, P1: 2, P2: 0x0C, Data: []byte{1, 2}}, 0},
		} {
			p, err := r.Wrap(&tc.cmd)
			if err != nil {
				t.Fatal(err)
			}
			enc, _ := p.Encode()
			back, _ := apdu.ParseCommand(enc)
			got, err := k.UnwrapCommand(&back)
			if err != nil || !bytes.Equal(got.Data, tc.cmd.Data) || got.Ne != tc.cmd.Ne {
				t.Fatalf("%v: card got %+v, %v", c, got, err)
			}
			data := bytes.Repeat([]byte{7}, tc.resp)
			wr, _ := k.WrapResponse(apdu.Response{Data: data, SW: 0x9000})
			if tc.cmd.Ne == 256 && len(wr.Data) > 256 {
				t.Fatalf("%v: %d plain bytes need %d > 256 protected bytes", c, tc.resp, len(wr.Data))
			}
			plain, err := r.Unwrap(wr)
			if err != nil || !bytes.Equal(plain.Data, data) {
				t.Fatalf("%v: unwrap %v", c, err)
			}
		}
	}
	if got := MaxPlain(AES128, 256); got != 223 {
		t.Errorf("MaxPlain(AES, 256) = %d, want 223", got)
	}
}

func FuzzUnwrap(f *testing.F) {
	f.Add(unhex(f, "8709019FF0EC34F9922651990290008E08AD55CC17140B2DED"))
	f.Add(unhex(f, "990290008E08FA855A5D4C50A8ED"))
	ksEnc := unhex(f, "979EC13B1CBFE9DCD01AB0FED307EAE5")
	ksMac := unhex(f, "F1CB1F1FB5ADF208806B89DC579DC1F8")
	f.Fuzz(func(t *testing.T, b []byte) {
		ch, _ := New(TDES, ksEnc, ksMac, unhex(t, "887022120C06C228"))
		r, err := ch.Unwrap(apdu.Response{Data: b, SW: 0x9000})
		if err == nil && !bytes.Equal(b, unhex(t, "8709019FF0EC34F9922651990290008E08AD55CC17140B2DED")) {
			t.Fatalf("forged response accepted: %X → %X", b, r.Data)
		}
	})
}

func FuzzUnwrapCommand(f *testing.F) {
	f.Add(unhex(f, "0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800"))
	f.Add(unhex(f, "0CB000000D9701048E08ED6705417E96BA5500"))
	ksEnc := unhex(f, "979EC13B1CBFE9DCD01AB0FED307EAE5")
	ksMac := unhex(f, "F1CB1F1FB5ADF208806B89DC579DC1F8")
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := apdu.ParseCommand(b)
		if err != nil {
			return
		}
		ch, _ := New(TDES, ksEnc, ksMac, unhex(t, "887022120C06C226"))
		ch.UnwrapCommand(&c)
	})
}

func BenchmarkWrapUnwrapAES(b *testing.B) {
	key := bytes.Repeat([]byte{0x42}, 16)
	r, _ := New(AES128, key, key, make([]byte, 16))
	k, _ := New(AES128, key, key, make([]byte, 16))
	cmd := apdu.Command{INS: 0xB0, Ne: 223}
	data := make([]byte, 223)
	b.ReportAllocs()
	for b.Loop() {
		p, _ := r.Wrap(&cmd)
		k.UnwrapCommand(&p)
		wr, _ := k.WrapResponse(apdu.Response{Data: data, SW: 0x9000})
		if _, err := r.Unwrap(wr); err != nil {
			b.Fatal(err)
		}
	}
}

// An AES-128 protected command from a real chip-authentication trace
// (gmrtd iso7816/secure_messaging_test.go, TestSecureMessageEncode, AES
// case): MSE:Set AT for CA-ECDH-AES-CBC-CMAC-128 with keyId C3, SSC
// 00…BA before the increment. The reader produces the trace's bytes and
// the card side recovers the command.
func TestChannelAESRealTrace(t *testing.T) {
	ksEnc := unhex(t, "cc86415f2ed7e8fd663b754265695ae1")
	ksMac := unhex(t, "581e84b8ee06c4d3eee30461498d7fb3")
	ssc := make([]byte, 16)
	ssc[15] = 0xBA
	plain := apdu.Command{INS: 0x22, P1: 0x41, P2: 0xA4, Data: unhex(t, "800A04007F000702020302028401C3")}
	r, _ := New(AES128, ksEnc, ksMac, ssc)
	p, err := r.Wrap(&plain)
	if err != nil {
		t.Fatal(err)
	}
	enc, _ := p.Encode()
	want := unhex(t, "0c2241a41d871101980953d37f67558690045d78a853b18a8e08929767a2cef172e200")
	if !bytes.Equal(enc, want) {
		t.Fatalf("protected %X\nwant      %X", enc, want)
	}
	k, _ := New(AES128, ksEnc, ksMac, ssc)
	back, err := k.UnwrapCommand(&p)
	if err != nil || !bytes.Equal(back.Data, plain.Data) {
		t.Fatalf("card side: %X %v", back.Data, err)
	}
}

// TestCipherByArc: the last arcs of BSI TR-03110-3 A.1.1.1
// (id-PACE-ECDH-GM-AES-CBC-CMAC-128 ends in .2, -3DES-CBC-CBC in .1).
func TestCipherByArc(t *testing.T) {
	for arc, want := range map[int]Cipher{1: TDES, 2: AES128, 3: AES192, 4: AES256} {
		c, ok := CipherByArc(arc)
		if !ok || c != want || c.Arc() != arc {
			t.Errorf("CipherByArc(%d) = %v, %v; Arc %d", arc, c, ok, c.Arc())
		}
	}
	for _, arc := range []int{-1, 0, 5, 255} {
		if c, ok := CipherByArc(arc); ok {
			t.Errorf("CipherByArc(%d) = %v, want not ok", arc, c)
		}
	}
	if Cipher(0).Arc() != 0 || Cipher(9).Arc() != 0 {
		t.Error("an unknown cipher has an arc")
	}
}
