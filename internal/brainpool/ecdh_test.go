package brainpool

import (
	"bytes"
	"encoding/hex"
	"math/big"
	"testing"
)

func ecdhHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// RFC 7027 Appendix A.1: dA·QB = dB·QA = Z through the regular
// multiplication of ecdh.go, and dA·G = QA through ScalarBaseMult.
func TestScalarMultRFC7027(t *testing.T) {
	c := P256r1()
	dA := ecdhHex(t, "81DB1EE100150FF2EA338D708271BE38300CB54241D79950F77B063039804F1D")
	dB := ecdhHex(t, "55E40BC41E37E3E2AD25C3C6654511FFA8474A91A0032087593852D3E7D76BD3")
	qA := ecdhHex(t, "04"+"44106E913F92BC02A1705D9953A8414DB95E1AAA49E81D9E85F929A8E3100BE5"+"8AB4846F11CACCB73CE49CBDD120F5A900A69FD32C272223F789EF10EB089BDC")
	qB := ecdhHex(t, "04"+"8D2D688C6CF93E1160AD04CC4429117DC2C41825E1E9FCA0ADDD34E6F1B39F7B"+"990C57520812BE512641E47034832106BC7D3E8DD0E4C7F1136D7006547CEC6A")
	z := ecdhHex(t, "04"+"89AFC39D41D3B327814B80940B042590F96556EC91E6AE7939BCE31F3A18BF2B"+"49C27868F4ECA2179BFD7D59B1E3BF34C1DBDE61AE12931648F43E59632504DE")
	if got, err := c.ScalarBaseMult(dA); err != nil || !bytes.Equal(got, qA) {
		t.Fatalf("dA·G = %X, %v", got, err)
	}
	if got, err := c.ScalarMult(dA, qB); err != nil || !bytes.Equal(got, z) {
		t.Fatalf("dA·QB = %X, %v", got, err)
	}
	if got, err := c.ScalarMult(dB, qA); err != nil || !bytes.Equal(got, z) {
		t.Fatalf("dB·QA = %X, %v", got, err)
	}
}

// Property: the regular multiplication agrees with the variable-time
// wNAF multiplication for small, even, odd and near-N scalars on every
// curve, and AddPoints agrees with (a+b)·G.
func TestScalarMultMatchesWNAF(t *testing.T) {
	for _, c := range Curves() {
		nm1 := new(big.Int).Sub(c.N, big.NewInt(1))
		for _, k := range []*big.Int{big.NewInt(1), big.NewInt(2), big.NewInt(31), big.NewInt(32), big.NewInt(33), nm1,
			new(big.Int).Rsh(c.N, 1), new(big.Int).Sub(c.N, big.NewInt(2))} {
			want := c.arith.scalarMult(&c.g, k)
			wb, _ := c.encodeJacobian(&want)
			got, err := c.ScalarBaseMult(k.Bytes())
			if err != nil || !bytes.Equal(got, wb) {
				t.Fatalf("%s: k=%v: %v", c.Name, k, err)
			}
		}
		a, _ := c.ScalarBaseMult([]byte{5})
		b, _ := c.ScalarBaseMult([]byte{7})
		sum, err := c.AddPoints(a, b)
		want, _ := c.ScalarBaseMult([]byte{12})
		if err != nil || !bytes.Equal(sum, want) {
			t.Fatalf("%s: 5G+7G: %v", c.Name, err)
		}
		for _, bad := range [][]byte{nil, {0}, c.N.Bytes(), make([]byte, 40)} {
			if _, err := c.ScalarBaseMult(bad); err == nil {
				t.Errorf("%s: scalar %X accepted", c.Name, bad)
			}
		}
	}
}

func BenchmarkScalarMult(b *testing.B) {
	c := P256r1()
	k := ecdhHex(b, "81DB1EE100150FF2EA338D708271BE38300CB54241D79950F77B063039804F1D")
	q := ecdhHex(b, "04"+"8D2D688C6CF93E1160AD04CC4429117DC2C41825E1E9FCA0ADDD34E6F1B39F7B"+"990C57520812BE512641E47034832106BC7D3E8DD0E4C7F1136D7006547CEC6A")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.ScalarMult(k, q); err != nil {
			b.Fatal(err)
		}
	}
}
