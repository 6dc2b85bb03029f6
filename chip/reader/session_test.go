package reader_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/chip/reader"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// script is a card replaying a document: each command must equal the
// document's bytes, each answer is the document's.
type script struct {
	t     *testing.T
	steps [][2]string
}

func (s *script) Transmit(_ context.Context, cmd []byte) ([]byte, error) {
	s.t.Helper()
	if len(s.steps) == 0 {
		s.t.Fatalf("unexpected command %X", cmd)
	}
	st := s.steps[0]
	s.steps = s.steps[1:]
	if want := unhex(s.t, st[0]); !bytes.Equal(cmd, want) {
		s.t.Fatalf("command %X, want %X", cmd, want)
	}
	return unhex(s.t, st[1]), nil
}

type fixedRand []byte

func (f *fixedRand) Read(p []byte) (int, error) {
	n := copy(p, *f)
	*f = (*f)[n:]
	return n, nil
}

// ICAO 9303-11 Appendix D.3 (BAC) and D.4 (secure messaging) through the
// low-level API with the document's RND.IFD and K.IFD: every command the
// session sends equals the document's, and the plain answers come back.
func TestSessionAppendixD(t *testing.T) {
	card := &script{t: t, steps: [][2]string{
		{"0084000008", "4608F919887022129000"},
		{"008200002872C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F25F1448EEA8AD90A728",
			"46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D74499000"},
		{"0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800", "990290008E08FA855A5D4C50A8ED9000"},
		{"0CB000000D9701048E08ED6705417E96BA5500", "8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000"},
		{"0CB000040D9701128E082EA28A70F3C7B53500",
			"871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08C8B2787EAEA07D749000"},
	}}
	rnd := fixedRand(unhex(t, "781723860C06C226"+"0B795240CB7049B01C19B33E32804F0B"))
	s := reader.NewSession(card, reader.SessionOptions{Rand: &rnd})
	pw, err := reader.MRZ("L898902C", "690806", "940623")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := s.BAC(ctx, pw); err != nil {
		t.Fatal(err)
	}
	if err := s.SelectFile(ctx, 0x011E); err != nil {
		t.Fatal(err)
	}
	head, err := s.ReadBinary(ctx, 0, 4)
	if err != nil || !bytes.Equal(head, unhex(t, "60145F01")) {
		t.Fatalf("%X %v", head, err)
	}
	rest, err := s.ReadBinary(ctx, 4, 0x12)
	if err != nil || !bytes.Equal(rest, unhex(t, "04303130365F36063034303030305C026175")) {
		t.Fatalf("%X %v", rest, err)
	}
	if s.APDUs() != 5 {
		t.Errorf("%d APDUs", s.APDUs())
	}
}

// The PACE ECDH-GM brainpoolP256r1 worked example (ICAO 9303-11 Appendix
// G.1; the APDUs as ZeroPass/dmrtd test/pace_test_ecdh.dart lists them)
// through the low-level API, from the worked example's EF.CardAccess, with
// the terminal's mapping and ephemeral keys injected. The sources elide the
// middle of the terminal's mapping key (7ACF3EFC…CC5E, 544552DC…922D);
// termMapPK is its private key times G, with those ends.
func TestSessionPACEWorkedExample(t *testing.T) {
	const (
		chipMapPK = "04824FBA91C9CBE26BEF53A0EBE7342A3BF178CEA9F45DE0B70AA601651FBA3F57" +
			"30D8C879AAA9C9F73991E61B58F4D52EB87A0A0C709A49DC63719363CCD13C54"
		termMapPK = "047ACF3EFC982EC45565A4B155129EFBC74650DCBFA6362D896FC70262E0C2CC5E" +
			"544552DCB6725218799115B55C9BAA6D9F6BC3A9618E70C25AF71777A9C4922D"
		termEphPK = "042DB7A64C0355044EC9DF190514C625CBA2CEA48754887122F3A5EF0D5EDD301C" +
			"3556F3B3B186DF10B857B58F6A7EB80F20BA5DC7BE1D43D9BF850149FBB36462"
		chipEphPK = "049E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB" +
			"7764B22277A2EDDC3C265A9F018F9CB852E111B768B326904B59A0193776F094"
	)
	card := &script{t: t, steps: [][2]string{
		{"0022C1A40F800A04007F00070202040202830101", "9000"},
		{"10860000027C0000", "7C12801095A3A016522EE98D01E76CB6B98B42C39000"},
		{"10860000457C438141" + termMapPK + "00", "7C438241" + chipMapPK + "9000"},
		{"10860000457C438341" + termEphPK + "00", "7C438441" + chipEphPK + "9000"},
		{"008600000C7C0A8508C2B0BD78D94BA86600", "7C0A86083ABB9674BCE93C089000"},
	}}
	rnd := fixedRand(unhex(t, "7F4EF07B9EA82FD78AD689B38D0BC78CF21F249D953BC46F4C6E19259C010F99"+
		"A73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595"))
	acc, err := chip.ParseCardAccess(unhex(t, "31143012060A04007F0007020204020202010202010D"))
	if err != nil {
		t.Fatal(err)
	}
	info, ok := reader.SupportedPACE(acc)
	if !ok || info.String() != "PACE-ECDH-GM-AES-128" {
		t.Fatalf("PACEInfo %v", info)
	}
	pw, _ := reader.MRZ("T22000129", "640812", "101031")
	s := reader.NewSession(card, reader.SessionOptions{Rand: &rnd})
	if err := s.PACE(context.Background(), pw, info); err != nil {
		t.Fatal(err)
	}
	if !s.Secure() {
		t.Fatal("no secure messaging after PACE")
	}
}
