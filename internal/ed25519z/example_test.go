package ed25519z_test

import (
	"crypto/ed25519"
	"fmt"

	"github.com/cancuoc/sdk/internal/ed25519z"
)

func ExampleBatchVerifier() {
	priv := ed25519.NewKeyFromSeed(make([]byte, 32)) // synthetic key
	pub := priv.Public().(ed25519.PublicKey)

	var batch ed25519z.BatchVerifier
	for _, m := range []string{"first", "second", "third"} {
		batch.Add(pub, []byte(m), ed25519.Sign(priv, []byte(m)))
	}
	batch.Add(pub, []byte("forged"), ed25519.Sign(priv, []byte("other")))

	fmt.Println(batch.Verify(nil))    // one bad entry fails the batch
	fmt.Println(batch.VerifyAll(nil)) // and bisection finds it
	// Output:
	// false
	// [true true true false]
}

func ExampleCheckPublicKey() {
	identity := make([]byte, 32)
	identity[0] = 1 // the encoding of the neutral element: small order
	fmt.Println(ed25519z.CheckPublicKey(identity))
	// Output: ed25519z: public key has small order
}
