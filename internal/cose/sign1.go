package cose

import (
	"crypto"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"

	"github.com/fxamacker/cbor/v2"
)

// COSE constants used by the SDK (IANA COSE registries, RFC 9052/9053/9360).
const (
	TagSign1       = 18 // COSE_Sign1 (RFC 9052 section 4.2)
	TagEncodedCBOR = 24 // encoded CBOR data item (RFC 8949 section 3.4.5.1)

	HeaderAlg     = 1  // protected: algorithm
	HeaderCrit    = 2  // protected: critical headers
	HeaderKid     = 4  // unprotected: key identifier
	HeaderX5Chain = 33 // unprotected: certificate chain (RFC 9360)

	AlgEdDSA = -8 // RFC 9053 section 2.2
)

// Errors specific to COSE_Sign1 headers, wrapped in *DecodeError.
var (
	ErrUnknownCritical = errors.New("cose: unknown critical header")
	ErrUnknownHeader   = errors.New("cose: unknown unprotected header")
	ErrAlgorithm       = errors.New("cose: unsupported or missing algorithm")
	ErrHeader          = errors.New("cose: malformed header")
)

// Sign1 is a decoded COSE_Sign1 message. Protected and Payload are the
// byte strings as received, which is what the signature covers.
type Sign1 struct {
	Protected []byte   // serialized protected header map, as received
	Alg       int64    // from the protected header
	Kid       []byte   // unprotected kid (label 4), nil when absent
	X5Chain   [][]byte // unprotected x5chain (label 33), DER certificates, leaf first
	Payload   []byte
	Signature []byte
}

// sign1Wire is the COSE_Sign1 array without its tag.
type sign1Wire struct {
	_           struct{} `cbor:",toarray"`
	Protected   []byte
	Unprotected map[int64]cbor.RawMessage
	Payload     []byte
	Signature   []byte
}

// ReadSign1 reads a tagged COSE_Sign1 at the cursor. It checks the headers
// strictly but not the signature: see [Sign1.ToBeSigned].
func ReadSign1(c *Cursor) (*Sign1, error) {
	const field = "COSE_Sign1"
	if err := c.Tag(TagSign1, field); err != nil {
		return nil, err
	}
	start := c.Offset()
	var w sign1Wire
	if err := c.Value(&w, field); err != nil {
		return nil, err
	}
	fail := func(err error, detail string) error {
		return &DecodeError{Field: field, Offset: start, Err: err, Detail: detail}
	}
	if w.Payload == nil {
		return nil, fail(ErrType, "detached or nil payload")
	}
	m := &Sign1{Protected: w.Protected, Payload: w.Payload, Signature: w.Signature}

	// Protected header: a serialized map (RFC 9052 section 3).
	var prot map[int64]cbor.RawMessage
	if err := Unmarshal(w.Protected, &prot, "protected header"); err != nil {
		return nil, err
	}
	alg, ok := prot[HeaderAlg]
	if !ok {
		return nil, fail(ErrAlgorithm, "no alg in the protected header")
	}
	if err := Unmarshal(alg, &m.Alg, "alg"); err != nil {
		return nil, err
	}
	if raw, ok := prot[HeaderCrit]; ok {
		var crit []int64
		if err := Unmarshal(raw, &crit, "crit"); err != nil {
			return nil, err
		}
		if len(crit) == 0 {
			return nil, fail(ErrHeader, "empty crit")
		}
		for _, label := range crit {
			if _, present := prot[label]; !present {
				return nil, fail(ErrHeader, fmt.Sprintf("critical label %d absent", label))
			}
			// This verifier understands alg only; anything else marked
			// critical must make it stop (RFC 9052 section 3.1).
			if label != HeaderAlg {
				return nil, fail(ErrUnknownCritical, fmt.Sprintf("label %d", label))
			}
		}
	}

	// A kid may be protected too (RFC 9052 section 3.1).
	if raw, ok := prot[HeaderKid]; ok {
		if err := Unmarshal(raw, &m.Kid, "kid"); err != nil {
			return nil, err
		}
		if len(m.Kid) == 0 {
			return nil, fail(ErrHeader, "empty kid")
		}
	}

	// Unprotected header: only kid and x5chain, never a protected label.
	for label, raw := range w.Unprotected {
		if _, dup := prot[label]; dup {
			return nil, fail(ErrHeader, fmt.Sprintf("label %d in both headers", label))
		}
		switch label {
		case HeaderKid:
			if err := Unmarshal(raw, &m.Kid, "kid"); err != nil {
				return nil, err
			}
			if len(m.Kid) == 0 {
				return nil, fail(ErrHeader, "empty kid")
			}
		case HeaderX5Chain:
			// A single certificate is a bstr, several an array (RFC 9360).
			var one []byte
			if err := Unmarshal(raw, &one, "x5chain"); err == nil {
				m.X5Chain = [][]byte{one}
				break
			}
			if err := Unmarshal(raw, &m.X5Chain, "x5chain"); err != nil {
				return nil, err
			}
			if len(m.X5Chain) < 2 {
				return nil, fail(ErrHeader, "x5chain array with fewer than two certificates")
			}
		default:
			return nil, fail(ErrUnknownHeader, fmt.Sprintf("label %d", label))
		}
	}
	return m, nil
}

// ParseSign1 decodes b as exactly one tagged COSE_Sign1.
func ParseSign1(b []byte) (*Sign1, error) {
	c := NewCursor(b)
	m, err := ReadSign1(c)
	if err != nil {
		return nil, err
	}
	if err := c.End("COSE_Sign1"); err != nil {
		return nil, err
	}
	return m, nil
}

// ToBeSigned returns the Sig_structure (RFC 9052 section 4.4) over the
// received protected header and payload:
// ["Signature1", protected, external_aad, payload].
func (m *Sign1) ToBeSigned(externalAAD []byte) ([]byte, error) {
	return sigStructure(m.Protected, externalAAD, m.Payload)
}

func sigStructure(protected, aad, payload []byte) ([]byte, error) {
	if aad == nil {
		aad = []byte{}
	}
	return Marshal([]any{"Signature1", protected, aad, payload})
}

// Sign1Options are the optional headers of [SignEd25519].
type Sign1Options struct {
	Kid         []byte   // unprotected kid (label 4); omitted when empty
	X5Chain     [][]byte // unprotected x5chain (label 33), leaf first
	ExternalAAD []byte
}

// ErrSignerKey reports a signer whose public key is not Ed25519.
var ErrSignerKey = errors.New("cose: signer does not hold an Ed25519 key")

// SignEd25519 returns a tagged COSE_Sign1 with alg EdDSA over payload,
// signed by signer (whose Public must be an ed25519.PublicKey). rand is
// passed to signer.Sign; Ed25519 signing ignores it.
func SignEd25519(rand io.Reader, signer crypto.Signer, payload []byte, opts Sign1Options) ([]byte, error) {
	if _, ok := signer.Public().(ed25519.PublicKey); !ok {
		return nil, ErrSignerKey
	}
	protected, err := Marshal(map[int64]int64{HeaderAlg: AlgEdDSA})
	if err != nil {
		return nil, err
	}
	tbs, err := sigStructure(protected, opts.ExternalAAD, payload)
	if err != nil {
		return nil, err
	}
	sig, err := signer.Sign(rand, tbs, crypto.Hash(0))
	if err != nil {
		return nil, fmt.Errorf("cose: signing: %w", err)
	}
	unprotected := map[int64]any{}
	if len(opts.Kid) > 0 {
		unprotected[HeaderKid] = opts.Kid
	}
	switch len(opts.X5Chain) {
	case 0:
	case 1:
		unprotected[HeaderX5Chain] = opts.X5Chain[0]
	default:
		unprotected[HeaderX5Chain] = opts.X5Chain
	}
	return Marshal(cbor.Tag{Number: TagSign1, Content: []any{protected, unprotected, payload, sig}})
}
