package compact

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/internal/cose"
	"github.com/fxamacker/cbor/v2"
)

// SaltSize is the length of each item's random salt (ISO/IEC 18013-5 asks
// for at least 16 bytes).
const SaltSize = 16

// DefaultValidity is how long an object is valid when SignOptions gives no
// end. As in ISO/IEC 18013-5 the object's validity is independent of the
// card's own expiry (the expiry_date item): a verifier that needs an
// unexpired card checks Card.Holder.ExpiryDate.
const DefaultValidity = 365 * 24 * time.Hour

// SignOptions tune Sign. The zero value signs every present item, now, for
// DefaultValidity, with kid KeyID(signer's key).
type SignOptions struct {
	Kid        []byte    // unprotected kid; nil: KeyID of the signer's key
	X5Chain    [][]byte  // DER certificates for the unprotected x5chain, leaf first
	Now        time.Time // signing time; zero: time.Now()
	ValidFrom  time.Time // zero: Now
	ValidUntil time.Time // zero: ValidFrom + DefaultValidity
	Include    []string  // element identifiers to sign; nil: all present
}

// ErrSign reports holder data or options Sign cannot use.
var ErrSign = errors.New("compact: cannot sign")

// Sign returns a card object for h, signed by signer (an Ed25519 key: its
// Public must be an ed25519.PublicKey). Each item's 16-byte salt is read
// from rand (nil: crypto/rand); with a seeded reader and a fixed
// opts.Now the output is reproducible.
//
// Sign holds its output to the limits Verify enforces, so everything it
// signs verifies: an object over MaxObjectSize (long text fields) is an
// error matching both ErrSign and ErrTooLarge. A nil signer is ErrSign.
func Sign(rnd io.Reader, h chip.Holder, signer crypto.Signer, opts SignOptions) ([]byte, error) {
	if rnd == nil {
		rnd = rand.Reader
	}
	if signer == nil {
		return nil, fmt.Errorf("%w: nil signer", ErrSign)
	}
	if k, ok := signer.(ed25519.PrivateKey); ok && len(k) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("%w: Ed25519 private key of %d bytes, want %d", ErrSign, len(k), ed25519.PrivateKeySize)
	}
	pub, ok := signer.Public().(ed25519.PublicKey)
	if !ok {
		return nil, fmt.Errorf("%w: %w", ErrSign, cose.ErrSignerKey)
	}
	if err := h.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSign, err)
	}
	for _, id := range opts.Include {
		if lookup(id) == nil {
			return nil, fmt.Errorf("%w: %w: %q", ErrSign, ErrUnknownElement, id)
		}
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	from, until := opts.ValidFrom, opts.ValidUntil
	if from.IsZero() {
		from = now
	}
	if until.IsZero() {
		until = from.Add(DefaultValidity)
	}
	if !until.After(from) {
		return nil, fmt.Errorf("%w: validity ends before it starts", ErrSign)
	}

	digests := map[uint64][]byte{}
	var items []cbor.RawMessage
	for _, e := range elements {
		if opts.Include != nil && !slices.Contains(opts.Include, e.id) {
			continue
		}
		v, present := e.get(&h)
		if !present {
			continue
		}
		salt := make([]byte, SaltSize)
		if _, err := io.ReadFull(rnd, salt); err != nil {
			return nil, fmt.Errorf("%w: reading salt: %w", ErrSign, err)
		}
		id := uint64(len(items))
		content, err := cose.Marshal(itemWire{DigestID: id, Random: salt, ElementIdentifier: e.id, ElementValue: mustRaw(v)})
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrSign, err)
		}
		tagged, err := cose.Marshal(cbor.Tag{Number: cose.TagEncodedCBOR, Content: content})
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrSign, err)
		}
		d := sha256.Sum256(tagged)
		digests[id] = d[:]
		items = append(items, tagged)
	}
	payload, err := cose.Marshal(msoWire{
		Version:         msoVersion,
		DigestAlgorithm: digestAlgorithm,
		DocType:         DocType,
		ValueDigests:    map[string]map[uint64][]byte{DocType: digests},
		ValidityInfo:    validityWire{Signed: unix(now), ValidFrom: unix(from), ValidUntil: unix(until)},
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSign, err)
	}
	kid := opts.Kid
	if kid == nil {
		kid = KeyID(pub)
	}
	auth, err := cose.SignEd25519(rnd, signer, payload, cose.Sign1Options{Kid: kid, X5Chain: opts.X5Chain})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSign, err)
	}
	obj, err := cose.Marshal(map[string]any{
		keyIssuerAuth: cbor.RawMessage(auth),
		keyNameSpaces: map[string][]cbor.RawMessage{DocType: items},
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSign, err)
	}
	// The decoder Verify uses judges the result: its size and framing
	// limits (MaxObjectSize, cose.MaxContainer) are the ones that count.
	if _, err := parseObject(obj); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSign, err)
	}
	return obj, nil
}

// mustRaw encodes an element value; values come from the element table
// (strings, integers, byte strings, nil), which always encode.
func mustRaw(v any) cbor.RawMessage {
	b, err := cose.Marshal(v)
	if err != nil {
		panic("compact: element value does not encode: " + err.Error())
	}
	return b
}

func unix(t time.Time) uint64 {
	if t.Unix() < 0 {
		return 0
	}
	return uint64(t.Unix())
}

// The signed payload (mobile-security-object style).
const (
	msoVersion      = "1.0"
	digestAlgorithm = "SHA-256"
)

type msoWire struct {
	Version         string                       `cbor:"version"`
	DigestAlgorithm string                       `cbor:"digestAlgorithm"`
	DocType         string                       `cbor:"docType"`
	ValueDigests    map[string]map[uint64][]byte `cbor:"valueDigests"`
	ValidityInfo    validityWire                 `cbor:"validityInfo"`
}

type validityWire struct {
	Signed     uint64 `cbor:"signed"`
	ValidFrom  uint64 `cbor:"validFrom"`
	ValidUntil uint64 `cbor:"validUntil"`
}

// Disclose returns obj with only the items named in keep, for a holder who
// shares part of a card. The signature and the kept items are copied
// verbatim, so the result verifies as long as obj did. It fails if obj is
// malformed or keep names an item obj does not have.
func Disclose(obj []byte, keep ...string) ([]byte, error) {
	o, err := parseObject(obj)
	if err != nil {
		return nil, err
	}
	found := map[string]bool{}
	for i := range o.nameSpaces {
		ns := &o.nameSpaces[i]
		var kept []rawItem
		for _, it := range ns.items {
			w, err := decodeItem(it.content)
			if err != nil {
				return nil, fail(ErrMalformed, err)
			}
			if slices.Contains(keep, w.ElementIdentifier) {
				kept = append(kept, it)
				found[w.ElementIdentifier] = true
			}
		}
		ns.items = kept
	}
	var missing []*ItemError
	for _, id := range keep {
		if !found[id] {
			missing = append(missing, &ItemError{Identifier: id, Err: ErrMissingItem})
		}
	}
	if len(missing) > 0 {
		return nil, &VerifyError{Reason: ErrMissingItem, Items: missing}
	}
	return o.encode()
}
