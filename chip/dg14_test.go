package chip

import (
	"bytes"
	"encoding/asn1"
	"errors"
	"testing"

	"github.com/cancuoc/sdk/internal/tlv"
)

// Expected content: ../testdata/lds/README.md ("chip-authentication
// public key (brainpoolP384r1, explicit parameters), CA info, TA info, two
// PACEInfo v2 entries"); protocol identifiers and parameter ids as
// openssl asn1parse shows them.
func TestParseDG14Sample(t *testing.T) {
	b := readLDS(t, "gmrtd_sample_DG14.bin")
	d, err := ParseDG14(b)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		kind    SecurityInfoKind
		oid     string
		version int
		param   int
	}{
		{KindChipAuthenticationPublicKey, "0.4.0.127.0.7.2.2.1.2", 0, -1},
		{KindChipAuthentication, "0.4.0.127.0.7.2.2.3.2.4", 1, -1},
		{KindTerminalAuthentication, "0.4.0.127.0.7.2.2.2", 1, -1},
		{KindPACE, "0.4.0.127.0.7.2.2.4.2.4", 2, 16},
		{KindPACE, "0.4.0.127.0.7.2.2.4.6.4", 2, 16},
	}
	if len(d.Infos) != len(want) {
		t.Fatalf("%d infos", len(d.Infos))
	}
	for i, w := range want {
		si := d.Infos[i]
		if si.Kind != w.kind || si.Protocol.String() != w.oid || si.Version != w.version || si.ParameterID != w.param || si.Err != nil {
			t.Errorf("info %d: %v %v v%d p%d %v", i, si.Kind, si.Protocol, si.Version, si.ParameterID, si.Err)
		}
	}
	pk := d.Infos[0].PublicKey
	if pk == nil || pk.Curve != "brainpoolP384r1" || pk.PublicKey == nil || pk.KeyErr != nil {
		t.Errorf("CA public key: %+v", pk)
	}
	if _, ok := d.ActiveAuthenticationInfo(); ok {
		t.Error("sample has no AA info")
	}
	if out, err := d.Encode(); err != nil || !bytes.Equal(out, b) {
		t.Errorf("Encode differs: %v", err)
	}
}

func TestDG14BuildAndOddInfos(t *testing.T) {
	ecdsaSHA256 := asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	// An unknown protocol, and a PACEInfo whose version is a string.
	unknown := unhex(t, "30 08 06 03 2A 03 04 02 01 07")
	badPACE := unhex(t, "30 0F 06 0A 04007F00070202040204 0C 01 32")
	dh := unhex(t, "30 0F 06 0A 04007F00070202040204 02 01 02") // PACEInfo without parameterId
	d := &DG14{Infos: []SecurityInfo{
		NewActiveAuthenticationInfo(ecdsaSHA256),
		{Raw: unknown}, {Raw: badPACE}, {Raw: dh},
	}}
	b, err := d.Encode()
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseDG14(b)
	if err != nil {
		t.Fatal(err)
	}
	aa, ok := got.ActiveAuthenticationInfo()
	if !ok || aa.Version != 1 || !aa.SignatureAlgorithm.Equal(ecdsaSHA256) {
		t.Errorf("AA info: %+v", aa)
	}
	// The AA info hand-encoded (X.690): OID 2.23.136.1.1.5 = 06 06 67 81 08 01 01 05 (8 bytes),
	// version 02 01 01 (3), ecdsa-with-SHA256 06 08 2A8648CE3D040302 (10): 30 15.
	if want := unhex(t, "30 15 06 06 678108010105 020101 06 08 2A8648CE3D040302"); !bytes.Equal(got.Infos[0].Raw, want) {
		t.Errorf("AA info bytes % X", got.Infos[0].Raw)
	}
	if got.Infos[1].Kind != KindUnknown || got.Infos[1].Protocol.String() != "1.2.3.4" || got.Infos[1].Err != nil {
		t.Errorf("unknown info: %+v", got.Infos[1])
	}
	if got.Infos[2].Kind != KindPACE || !errors.Is(got.Infos[2].Err, ErrMalformed) {
		t.Errorf("bad PACE info: %v", got.Infos[2].Err)
	}
	if got.Infos[3].ParameterID != -1 || got.Infos[3].Version != 2 {
		t.Errorf("PACE without parameterId: %+v", got.Infos[3])
	}
	// Structural damage is an error with an offset.
	// A SecurityInfo without a protocol is kept, with its error.
	noProto, err := ParseDG14(unhex(t, "6E 06 31 04 3000 3000"))
	if err != nil || len(noProto.Infos) != 2 || noProto.Infos[0].Kind != KindUnknown || !errors.Is(noProto.Infos[1].Err, ErrMalformed) {
		t.Errorf("no protocol: %v", err)
	}
	for _, bad := range [][]byte{
		unhex(t, "6E 04 31 02 0500"),             // not a SEQUENCE
		unhex(t, "6E 02 3000"),                   // not a SET
		readLDS(t, "gmrtd_sample_DG14.bin")[:99], // truncated
	} {
		var pe *ParseError
		if d, err := ParseDG14(bad); d != nil || !errors.As(err, &pe) || !errors.Is(err, ErrMalformed) {
			t.Errorf("% X: %v", bad, err)
		}
	}
}

// A DH chip-authentication key (id-PK-DH with dhpublicnumber, X9.42
// parameters p = 23, g = 5, q = 11 and y = 8; tiny numbers, structure only).
func TestDG14DHKey(t *testing.T) {
	var key tlv.Builder
	key.AddConstructed(0x30, func(b *tlv.Builder) {
		b.AddConstructed(0x30, func(b *tlv.Builder) {
			b.AddRaw(unhex(t, "06 07 2A8648CE3E0201"))
			b.AddConstructed(0x30, func(b *tlv.Builder) {
				b.AddInt(0x02, 23)
				b.AddInt(0x02, 5)
				b.AddInt(0x02, 11)
			})
		})
		b.AddTLV(0x03, unhex(t, "00 020108"))
	})
	spki, _ := key.Bytes()
	var info tlv.Builder
	info.AddConstructed(0x30, func(b *tlv.Builder) {
		b.AddRaw(unhex(t, "06 09 04007F000702020101"))
		b.AddRaw(spki)
		b.AddInt(0x02, 1)
	})
	raw, _ := info.Bytes()
	b, err := (&DG14{Infos: []SecurityInfo{{Raw: raw}}}).Encode()
	if err != nil {
		t.Fatal(err)
	}
	d, err := ParseDG14(b)
	if err != nil {
		t.Fatal(err)
	}
	si := d.Infos[0]
	if si.Kind != KindChipAuthenticationPublicKey || si.Err != nil || si.PublicKey.DH == nil ||
		si.PublicKey.DH.P.Int64() != 23 || si.PublicKey.DH.Q.Int64() != 11 || si.PublicKey.DH.Y.Int64() != 8 || si.KeyID.Int64() != 1 {
		t.Fatalf("DH info: %+v %v", si, si.Err)
	}
}
