package apdu

import (
	"bytes"
	"encoding/hex"
	"testing"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Commands of ICAO 9303-11 Appendix D.3/D.4 and the seven cases of
// ISO/IEC 7816-4 section 5.1.
func TestEncodeCases(t *testing.T) {
	big := bytes.Repeat([]byte{0xAA}, 300)
	cases := []struct {
		name string
		c    Command
		want string
	}{
		{"case 1", Command{CLA: 0, INS: 0xA4, P1: 0, P2: 0x0C}, "00A4000C"},
		{"GET CHALLENGE (D.3)", Command{INS: 0x84, Ne: 8}, "0084000008"},
		{"SELECT EF.COM (D.4)", Command{INS: 0xA4, P1: 2, P2: 0x0C, Data: []byte{1, 0x1E}}, "00A4020C02011E"},
		{"case 2S Le 256", Command{INS: 0xB0, Ne: 256}, "00B0000000"},
		{"case 4S", Command{CLA: 0x0C, INS: 0xB0, Data: []byte{1, 2}, Ne: 256}, "0CB00000020102" + "00"},
		{"case 2E", Command{INS: 0xB0, Ne: 65536}, "00B00000000000"},
		{"case 2E 1000", Command{INS: 0xB0, Ne: 1000}, "00B000000003E8"},
		{"case 3E", Command{INS: 0xD6, Data: big}, "00D60000" + "00012C" + hex.EncodeToString(big)},
		{"case 4E", Command{INS: 0xB1, Data: []byte{0x54, 2, 0x80, 0}, Ne: 65536}, "00B10000" + "000004" + "54028000" + "0000"},
	}
	for _, tc := range cases {
		got, err := tc.c.Encode()
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if want := unhex(t, tc.want); !bytes.Equal(got, want) {
			t.Errorf("%s: got %X, want %X", tc.name, got, want)
		}
		back, err := ParseCommand(got)
		if err != nil {
			t.Fatalf("%s: parse: %v", tc.name, err)
		}
		if back.CLA != tc.c.CLA || back.INS != tc.c.INS || back.P1 != tc.c.P1 || back.P2 != tc.c.P2 ||
			!bytes.Equal(back.Data, tc.c.Data) || back.Ne != tc.c.Ne {
			t.Errorf("%s: round trip %+v, want %+v", tc.name, back, tc.c)
		}
	}
}

func TestEncodeRejects(t *testing.T) {
	for _, c := range []Command{{Ne: -1}, {Ne: 65537}, {Data: make([]byte, 65536)}} {
		if _, err := c.Encode(); err == nil {
			t.Errorf("Encode(%d data bytes, Ne %d) succeeded", len(c.Data), c.Ne)
		}
	}
}

func TestParseResponse(t *testing.T) {
	r, err := ParseResponse(unhex(t, "4608F919887022129000"))
	if err != nil || !r.OK() || !bytes.Equal(r.Data, unhex(t, "4608F91988702212")) {
		t.Fatalf("got %X %04X %v", r.Data, r.SW, err)
	}
	if _, err := ParseResponse([]byte{0x90}); err == nil {
		t.Error("one-byte response accepted")
	}
	if got := SWString(0x6982); got != "6982 (security status not satisfied)" {
		t.Errorf("SWString = %q", got)
	}
}

func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{"00A4020C02011E", "0084000008", "00B00000000000", "00B10000000004540280000000", "00", "00A4000C0000"} {
		f.Add(unhex(f, s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ParseCommand(b)
		if err != nil {
			return
		}
		out, err := c.Encode()
		if err != nil {
			t.Fatalf("parsed command does not encode: %v", err)
		}
		// The encoding is canonical except for a needlessly extended one.
		if !c.Extended() && len(b) > 4 && b[4] == 0 && len(b) > 5 {
			return
		}
		if !bytes.Equal(out, b) {
			t.Fatalf("round trip %X → %X", b, out)
		}
	})
}

func FuzzParseResponse(f *testing.F) {
	f.Add(unhex(f, "9000"))
	f.Add(unhex(f, "4608F919887022129000"))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := ParseResponse(b)
		if err != nil {
			return
		}
		if !bytes.Equal(r.Encode(), b) {
			t.Fatal("round trip")
		}
	})
}

func BenchmarkEncode(b *testing.B) {
	c := Command{CLA: 0x0C, INS: 0xB0, P1: 0x81, Data: make([]byte, 32), Ne: 65536}
	buf := make([]byte, 0, 64)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.AppendEncode(buf[:0]); err != nil {
			b.Fatal(err)
		}
	}
}
