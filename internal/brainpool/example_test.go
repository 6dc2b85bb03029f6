package brainpool_test

import (
	"crypto/sha256"
	"encoding/asn1"
	"fmt"

	"github.com/cancuoc/sdk/internal/brainpool"
)

// seqReader stands in for a seeded test reader; never use it for real keys.
type seqReader struct{ b byte }

func (r *seqReader) Read(p []byte) (int, error) {
	for i := range p {
		r.b++
		p[i] = r.b
	}
	return len(p), nil
}

func Example() {
	curve := brainpool.CurveByOID(asn1.ObjectIdentifier{1, 3, 36, 3, 3, 2, 8, 1, 1, 7})
	priv, err := brainpool.GenerateKey(curve, &seqReader{})
	if err != nil {
		panic(err)
	}
	digest := sha256.Sum256([]byte("EF.SOD signed attributes"))
	sig, err := brainpool.SignASN1(&seqReader{}, priv, digest[:])
	if err != nil {
		panic(err)
	}

	// A verifier receives the encoded point and the DER signature.
	pub, err := brainpool.ParsePublicKey(curve, priv.PublicKey.Bytes())
	if err != nil {
		panic(err)
	}
	fmt.Println(curve, brainpool.VerifyASN1(pub, digest[:], sig))
	digest[0] ^= 1
	fmt.Println(curve, brainpool.VerifyASN1(pub, digest[:], sig))
	// Output:
	// brainpoolP256r1 true
	// brainpoolP256r1 false
}

func ExampleCurveByParams() {
	c := brainpool.P384r1()
	// Explicit parameters, as decoded from a certificate's SPKI.
	found := brainpool.CurveByParams(c.P, c.A, c.B, c.Gx, c.Gy, c.N)
	fmt.Println(found.Name, found.OID)
	// Output: brainpoolP384r1 1.3.36.3.3.2.8.1.1.11
}
