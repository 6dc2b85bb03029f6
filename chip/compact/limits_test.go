package compact

import (
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"
)

// TestSignRespectsVerifyLimits signs holders whose fields grow past what
// Verify accepts: Sign must refuse with ErrTooLarge (and ErrSign), and
// everything it does sign must verify (issue 14 item 5). The sizes are
// hand-picked around MaxObjectSize: a 28,649-byte object was the report.
func TestSignRespectsVerifyLimits(t *testing.T) {
	trust := testStore(t, testIssuer(t))
	for _, n := range []int{100, 8 << 10, 15 << 10, 16 << 10, 20 << 10, 28 << 10, 100_000} {
		h := testHolder(t)
		h.PlaceOfResidence = strings.Repeat("a", n)
		obj, err := Sign(seeded(1), h, testIssuer(t), SignOptions{Now: testNow})
		if err != nil {
			if !errors.Is(err, ErrTooLarge) || !errors.Is(err, ErrSign) {
				t.Errorf("address of %d bytes: %v, want ErrSign and ErrTooLarge", n, err)
			}
			continue
		}
		if len(obj) > MaxObjectSize {
			t.Errorf("address of %d bytes: signed %d bytes, over MaxObjectSize %d", n, len(obj), MaxObjectSize)
		}
		if _, err := Verify(obj, VerifyOptions{Trust: trust, Now: testNow}); err != nil {
			t.Errorf("address of %d bytes: signed %d bytes that do not verify: %v", n, len(obj), err)
		}
	}
}

// TestSignNilSigner signs with no signer, and with a signer of the wrong
// kind: an error, never a panic (issue 14 item 3).
func TestSignNilSigner(t *testing.T) {
	h := testHolder(t)
	if _, err := Sign(nil, h, nil, SignOptions{}); !errors.Is(err, ErrSign) {
		t.Errorf("nil signer: %v, want ErrSign", err)
	}
	var nilKey ed25519.PrivateKey
	if _, err := Sign(nil, h, nilKey, SignOptions{}); !errors.Is(err, ErrSign) {
		t.Errorf("empty key: %v, want ErrSign", err)
	}
}
