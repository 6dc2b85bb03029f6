package chip

import (
	"bytes"
	"encoding/hex"
	"errors"
	"testing"
)

// The EF.CardAccess Vietnamese reader apps hard-code for iOS (NghiaLio/
// NFC_CCCD_Reader keyAccessDataNFCIos): TA, CA-ECDH-AES-128 and
// PACE-ECDH-GM-AES-128 on brainpoolP256r1 (parameter 13); and the ICAO
// 9303-11 worked example's file (Appendix G.1).
func TestParseCardAccess(t *testing.T) {
	vn, _ := hex.DecodeString("3134300d060804007f0007020202020101300f060a04007f000702020302020201013012060a04007f0007020204020202010202010d")
	c, err := ParseCardAccess(vn)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Infos) != 3 || c.Infos[0].Kind != KindTerminalAuthentication || c.Infos[1].Kind != KindChipAuthentication {
		t.Fatalf("infos %+v", c.Infos)
	}
	p := c.PACEInfos()
	if len(p) != 1 || p[0].Protocol.String() != "0.4.0.127.0.7.2.2.4.2.2" || p[0].ParameterID != 13 || p[0].Version != 2 {
		t.Fatalf("PACEInfos %+v", p)
	}
	icao, _ := hex.DecodeString("31143012060A04007F0007020204020202010202010D")
	c2, err := ParseCardAccess(icao)
	if err != nil || len(c2.PACEInfos()) != 1 {
		t.Fatal(err)
	}
	built := &CardAccess{Infos: []SecurityInfo{NewPACEInfo([]int{0, 4, 0, 127, 0, 7, 2, 2, 4, 2, 2}, 13)}}
	b, err := built.Encode()
	if err != nil || !bytes.Equal(b, icao) {
		t.Fatalf("Encode = %X, %v", b, err)
	}
	for _, bad := range [][]byte{nil, {0x31}, {0x30, 0}, append(bytes.Clone(icao), 0)} {
		if _, err := ParseCardAccess(bad); err == nil || !(errors.Is(err, ErrMalformed) || errors.Is(err, ErrTrailingData)) {
			t.Errorf("ParseCardAccess(%X) = %v", bad, err)
		}
	}
}

func FuzzParseCardAccess(f *testing.F) {
	vn, _ := hex.DecodeString("3134300d060804007f0007020202020101300f060a04007f000702020302020201013012060a04007f0007020204020202010202010d")
	f.Add(vn)
	f.Add([]byte{0x31, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ParseCardAccess(b)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		c.PACEInfos()
	})
}
