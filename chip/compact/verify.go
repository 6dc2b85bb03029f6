package compact

import (
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"time"

	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/internal/cose"
	"github.com/cancuoc/sdk/internal/ed25519z"
)

// VerifyOptions tune Verify and VerifyBatch. Trust is required (nil is
// ErrNoTrust); the zero value of every other field is a sensible default.
// Require names items of this package's namespace (the Elem constants); a
// name that is not one is ErrUnknownElement, not a missing item.
type VerifyOptions struct {
	Trust   *TrustStore
	Now     time.Time // verification time; zero: time.Now()
	Require []string  // element identifiers that must be disclosed
	DocType string    // expected docType; empty: DocType
	Rand    io.Reader // extra key for VerifyBatch's coefficients; nil: crypto/rand (any reader is safe)
}

// Card is the verified content of an object: only disclosed items, each
// checked against the signed digests. It holds personal data and prints
// masked; read the fields for the values.
type Card struct {
	DocType    string
	Kid        []byte    // the kid the object named (nil for x5chain-only objects)
	Signed     time.Time // validityInfo
	ValidFrom  time.Time
	ValidUntil time.Time
	Holder     chip.Holder // disclosed fields; the others are zero (Name joins family and given name)
	FaceSHA256 []byte      // SHA-256 of the face image, when disclosed
	Items      []Item      // every verified item, in received order

	familyName, givenName string
	expiryDisclosed       bool
}

// Item is one verified item.
type Item struct {
	NameSpace  string
	DigestID   uint64
	Identifier string
	Value      []byte // the elementValue's CBOR, as received
}

// Identifiers returns the identifiers of the verified items, in received
// order.
func (c Card) Identifiers() []string {
	ids := make([]string, len(c.Items))
	for i, it := range c.Items {
		ids[i] = it.Identifier
	}
	return ids
}

// Has reports whether the item id was disclosed and verified.
func (c Card) Has(id string) bool { return slices.Contains(c.Identifiers(), id) }

// NoExpiry reports whether the card states, signed, that it never expires.
func (c Card) NoExpiry() bool { return c.expiryDisclosed && c.Holder.ExpiryDate.IsZero() }

// String prints the docType, the masked number and the item names only.
func (c Card) String() string {
	if c.Holder.Number.IsZero() {
		return fmt.Sprintf("compact.Card{%s, items %v}", c.DocType, c.Identifiers())
	}
	return fmt.Sprintf("compact.Card{%s, number %v, items %v}", c.DocType, c.Holder.Number, c.Identifiers())
}

// GoString is String: a Card never prints its values.
func (c Card) GoString() string { return c.String() }

// Format prints String for every verb.
func (c Card) Format(f fmt.State, _ rune) { fmt.Fprint(f, c.String()) }

// LogValue logs the masked form.
func (c Card) LogValue() slog.Value { return slog.StringValue(c.String()) }

// String prints the identifier only, never the value.
func (it Item) String() string { return fmt.Sprintf("compact.Item{%s}", it.Identifier) }

// GoString is String.
func (it Item) GoString() string { return it.String() }

// Format prints String for every verb.
func (it Item) Format(f fmt.State, _ rune) { fmt.Fprint(f, it.String()) }

// LogValue logs the identifier only.
func (it Item) LogValue() slog.Value { return slog.StringValue(it.String()) }

// Verify checks obj against opts.Trust and returns its verified content.
// On failure it returns a *VerifyError whose Reason says why; item problems
// (altered, unsigned, repeated, missing required) are listed per item.
func Verify(obj []byte, opts VerifyOptions) (*Card, error) {
	p, err := prepare(obj, &opts)
	if err != nil {
		return nil, err
	}
	if !ed25519z.Verify(p.pub, p.tbs, p.o.auth.Signature) {
		return nil, fail(ErrSignature, nil)
	}
	return p.finish(&opts)
}

// VerifyBatch verifies many objects, checking their signatures together
// (Ed25519 batch verification under the ZIP-215 rules: one multi-scalar
// multiplication for the batch, bisection to find failures). cards[i] and errs[i] are what Verify
// would return for objs[i]; the two never disagree.
//
// Trust rule: a signature is accepted only if it alone satisfies the
// ZIP-215 equation. The batch coefficients are non-zero 128-bit values
// derived from a hash of every signature, key and message in the batch,
// keyed with up to 32 bytes of opts.Rand, so a zero, constant, short or
// failing opts.Rand cannot make a forged object pass (nor a valid one
// fail).
func VerifyBatch(objs [][]byte, opts VerifyOptions) (cards []*Card, errs []error) {
	cards = make([]*Card, len(objs))
	errs = make([]error, len(objs))
	prep := make([]*pending, len(objs))
	var batch ed25519z.BatchVerifier
	var index []int
	for i, obj := range objs {
		p, err := prepare(obj, &opts)
		if err != nil {
			errs[i] = err
			continue
		}
		prep[i] = p
		batch.Add(p.pub, p.tbs, p.o.auth.Signature)
		index = append(index, i)
	}
	// One multi-scalar multiplication when all are valid; bisection
	// otherwise.
	ok := batch.VerifyAll(opts.Rand)
	for n, i := range index {
		if !ok[n] {
			errs[i] = fail(ErrSignature, nil)
			continue
		}
		cards[i], errs[i] = prep[i].finish(&opts)
	}
	return cards, errs
}

// check reports the programming errors in opts: no trust store, or a
// required item this package's namespace does not define.
func (opts *VerifyOptions) check() error {
	if opts.Trust == nil {
		return fail(ErrNoTrust, nil)
	}
	if opts.DocType != "" && opts.DocType != DocType {
		return nil // another namespace: its identifiers are the caller's
	}
	var unknown []*ItemError
	for _, id := range opts.Require {
		if lookup(id) == nil {
			unknown = append(unknown, &ItemError{Index: -1, Identifier: id, Err: ErrUnknownElement})
		}
	}
	if len(unknown) > 0 {
		return &VerifyError{Reason: ErrUnknownElement, Items: unknown}
	}
	return nil
}

// pending is an object decoded and bound to its issuer key, whose
// signature is still to be checked.
type pending struct {
	o   *object
	pub ed25519.PublicKey
	tbs []byte
	now time.Time
}

func prepare(obj []byte, opts *VerifyOptions) (*pending, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	o, err := parseObject(obj)
	if err != nil {
		return nil, err
	}
	if o.auth.Alg != cose.AlgEdDSA {
		return nil, fail(ErrAlgorithm, nil)
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	pub, err := opts.Trust.lookup(o.auth.Kid, o.auth.X5Chain, now)
	if err != nil {
		return nil, err
	}
	tbs, err := o.auth.ToBeSigned(nil)
	if err != nil {
		return nil, fail(ErrMalformed, err)
	}
	return &pending{o: o, pub: pub, tbs: tbs, now: now}, nil
}

// finish checks the signed payload and the items of an object whose
// signature verified.
func (p *pending) finish(opts *VerifyOptions) (*Card, error) {
	var mso msoWire
	if err := cose.Unmarshal(p.o.auth.Payload, &mso, "payload"); err != nil {
		return nil, fail(ErrPayload, err)
	}
	want := opts.DocType
	if want == "" {
		want = DocType
	}
	switch {
	case mso.Version != msoVersion:
		return nil, fail(ErrPayload, errors.New("unsupported version"))
	case mso.DigestAlgorithm != digestAlgorithm:
		return nil, fail(ErrPayload, errors.New("unsupported digestAlgorithm"))
	case mso.DocType != want:
		return nil, fail(ErrDocType, nil)
	}
	v := mso.ValidityInfo
	const maxTime = 253402300799 // 9999-12-31T23:59:59Z
	if v.Signed == 0 || v.Signed > maxTime || v.ValidFrom == 0 || v.ValidUntil <= v.ValidFrom || v.ValidUntil > maxTime {
		return nil, fail(ErrPayload, errors.New("invalid validityInfo"))
	}
	c := &Card{
		DocType:    mso.DocType,
		Kid:        p.o.auth.Kid,
		Signed:     time.Unix(int64(v.Signed), 0).UTC(),
		ValidFrom:  time.Unix(int64(v.ValidFrom), 0).UTC(),
		ValidUntil: time.Unix(int64(v.ValidUntil), 0).UTC(),
	}
	switch {
	case p.now.Before(c.ValidFrom):
		return nil, fail(ErrNotYetValid, nil)
	case p.now.After(c.ValidUntil):
		return nil, fail(ErrExpired, nil)
	}
	for ns, digests := range mso.ValueDigests {
		for _, d := range digests {
			if len(d) != sha256.Size {
				return nil, fail(ErrPayload, fmt.Errorf("digest in %q is not %d bytes", ns, sha256.Size))
			}
		}
	}

	var problems []*ItemError
	type nsID struct {
		ns string
		id uint64
	}
	type nsElem struct{ ns, elem string }
	seenID := map[nsID]bool{}
	seenElem := map[nsElem]bool{}
	for _, ns := range p.o.nameSpaces {
		digests := mso.ValueDigests[ns.name]
		for i, raw := range ns.items {
			sum := sha256.Sum256(raw.tagged)
			w, err := decodeItem(raw.content)
			if err != nil {
				// An item no digest covers was altered; one that is signed
				// but undecodable was malformed by its issuer.
				ie := &ItemError{Index: i, Err: ErrDigestMismatch}
				if coversAny(digests, sum[:]) {
					ie.Err = ErrItemValue
				}
				problems = append(problems, ie)
				continue
			}
			ie := ItemError{Index: i, Identifier: w.ElementIdentifier, DigestID: w.DigestID}
			d, signed := digests[w.DigestID]
			switch {
			case !signed:
				ie.Err = ErrUnsignedItem
			case string(sum[:]) != string(d):
				ie.Err = ErrDigestMismatch
			case seenID[nsID{ns.name, w.DigestID}] || seenElem[nsElem{ns.name, w.ElementIdentifier}]:
				ie.Err = ErrDuplicateItem
			case len(w.Random) < SaltSize || w.ElementValue == nil:
				ie.Err = ErrItemValue
			}
			if ie.Err == nil && ns.name == DocType {
				if e := lookup(w.ElementIdentifier); e != nil {
					if err := e.set(c, w.ElementValue); err != nil {
						ie.Err = ErrItemValue
					}
				}
			}
			if ie.Err != nil {
				failed := ie // only failures reach the heap
				problems = append(problems, &failed)
				continue
			}
			seenID[nsID{ns.name, w.DigestID}] = true
			seenElem[nsElem{ns.name, w.ElementIdentifier}] = true
			c.Items = append(c.Items, Item{NameSpace: ns.name, DigestID: w.DigestID, Identifier: w.ElementIdentifier, Value: w.ElementValue})
		}
	}
	if len(problems) > 0 {
		return nil, &VerifyError{Reason: ErrItems, Items: problems}
	}
	for _, id := range opts.Require {
		if !c.Has(id) {
			problems = append(problems, &ItemError{Identifier: id, Err: ErrMissingItem})
		}
	}
	if len(problems) > 0 {
		return nil, &VerifyError{Reason: ErrMissingItem, Items: problems}
	}
	c.Holder.Name = joinName(c.familyName, c.givenName)
	return c, nil
}

func joinName(family, given string) string {
	switch {
	case family == "":
		return given
	case given == "":
		return family
	}
	return family + " " + given
}

func coversAny(digests map[uint64][]byte, sum []byte) bool {
	for _, d := range digests {
		if string(d) == string(sum) {
			return true
		}
	}
	return false
}
