package compact

import (
	"fmt"

	"github.com/cancuoc/sdk/internal/cose"
	"github.com/fxamacker/cbor/v2"
)

// MaxObjectSize bounds the objects Verify reads: a full card with a
// certificate chain is under 4 KiB.
const MaxObjectSize = 16 << 10

// Top-level keys of an object.
const (
	keyIssuerAuth = "issuerAuth"
	keyNameSpaces = "nameSpaces"
)

// object is a decoded but unverified card object.
type object struct {
	authRaw    []byte      // the tagged COSE_Sign1 as received
	auth       *cose.Sign1 // decoded headers, payload and signature
	nameSpaces []nameSpace // in received order
}

type nameSpace struct {
	name  string
	items []rawItem
}

// rawItem is one tag-24 item as received.
type rawItem struct {
	tagged  []byte // 24(bstr): what the digest covers
	content []byte // the bstr's content: an IssuerSignedItem
}

// itemWire is an IssuerSignedItem (ISO/IEC 18013-5 section 8.3.2.1.2.2).
type itemWire struct {
	DigestID          uint64          `cbor:"digestID"`
	Random            []byte          `cbor:"random"`
	ElementIdentifier string          `cbor:"elementIdentifier"`
	ElementValue      cbor.RawMessage `cbor:"elementValue"`
}

// parseObject strictly decodes the envelope and the item framing; it
// checks neither signature nor digests.
func parseObject(b []byte) (*object, error) {
	if len(b) > MaxObjectSize {
		return nil, fail(ErrTooLarge, fmt.Errorf("%d bytes, limit MaxObjectSize %d", len(b), MaxObjectSize))
	}
	c := cose.NewCursor(b)
	n, err := c.MapHead("object")
	if err != nil {
		return nil, fail(ErrMalformed, err)
	}
	o := &object{}
	seen := map[string]bool{}
	for range n {
		at := c.Offset()
		key, err := c.Text("object key")
		if err != nil {
			return nil, fail(ErrMalformed, err)
		}
		if seen[key] {
			return nil, fail(ErrMalformed, &cose.DecodeError{Field: "object", Offset: at, Err: cose.ErrDuplicateKey})
		}
		seen[key] = true
		switch key {
		case keyIssuerAuth:
			start := c.Offset()
			if o.auth, err = cose.ReadSign1(c); err != nil {
				return nil, fail(ErrMalformed, err)
			}
			o.authRaw = b[start:c.Offset()]
		case keyNameSpaces:
			if o.nameSpaces, err = readNameSpaces(c, b); err != nil {
				return nil, fail(ErrMalformed, err)
			}
		default:
			return nil, fail(ErrMalformed, &cose.DecodeError{Field: "object", Offset: at, Err: cose.ErrUnknownField})
		}
	}
	if err := c.End("object"); err != nil {
		return nil, fail(ErrMalformed, err)
	}
	if o.auth == nil {
		return nil, fail(ErrMalformed, &cose.DecodeError{Field: keyIssuerAuth, Offset: 0, Err: cose.ErrType, Detail: "missing"})
	}
	if !seen[keyNameSpaces] {
		return nil, fail(ErrMalformed, &cose.DecodeError{Field: keyNameSpaces, Offset: 0, Err: cose.ErrType, Detail: "missing"})
	}
	return o, nil
}

// readNameSpaces reads the nameSpaces map; b is the cursor's input.
func readNameSpaces(c *cose.Cursor, b []byte) ([]nameSpace, error) {
	n, err := c.MapHead(keyNameSpaces)
	if err != nil {
		return nil, err
	}
	var out []nameSpace
	for range n {
		at := c.Offset()
		name, err := c.Text("namespace")
		if err != nil {
			return nil, err
		}
		for _, ns := range out {
			if ns.name == name {
				return nil, &cose.DecodeError{Field: keyNameSpaces, Offset: at, Err: cose.ErrDuplicateKey}
			}
		}
		count, err := c.ArrayHead("items")
		if err != nil {
			return nil, err
		}
		ns := nameSpace{name: name, items: make([]rawItem, 0, count)}
		for range count {
			start := c.Offset()
			if err := c.Tag(cose.TagEncodedCBOR, "item"); err != nil {
				return nil, err
			}
			content, err := c.Bytes("item")
			if err != nil {
				return nil, err
			}
			ns.items = append(ns.items, rawItem{tagged: b[start:c.Offset()], content: content})
		}
		out = append(out, ns)
	}
	return out, nil
}

// encode writes o with every received piece (the COSE_Sign1 and the tagged
// items) copied verbatim, in deterministic order.
func (o *object) encode() ([]byte, error) {
	spaces := make(map[string][]cbor.RawMessage, len(o.nameSpaces))
	for _, ns := range o.nameSpaces {
		items := make([]cbor.RawMessage, len(ns.items))
		for i, it := range ns.items {
			items[i] = it.tagged
		}
		spaces[ns.name] = items
	}
	return cose.Marshal(map[string]any{
		keyIssuerAuth: cbor.RawMessage(o.authRaw),
		keyNameSpaces: spaces,
	})
}

// IssuerSignedItem keys.
const (
	keyDigestID   = "digestID"
	keyRandom     = "random"
	keyIdentifier = "elementIdentifier"
	keyValue      = "elementValue"
)

// decodeItem strictly decodes an IssuerSignedItem. It reads the map by hand
// (the reflection decoder was most of a card's verification time) with the
// same rules: definite lengths, no tags, text keys, no duplicate, unknown
// or missing key, nothing after the map. elementValue is any well-formed
// tag-free item, checked by the strict decoder.
func decodeItem(content []byte) (itemWire, error) {
	var w itemWire
	c := cose.NewCursor(content)
	n, err := c.MapHead("item")
	if err != nil {
		return w, err
	}
	var seen [4]bool
	for range n {
		at := c.Offset()
		key, err := c.TextBytes("item key")
		if err != nil {
			return w, err
		}
		var k int
		switch string(key) { // no allocation: the compiler compares in place
		case keyDigestID:
			w.DigestID, err = c.Uint(keyDigestID)
		case keyRandom:
			k = 1
			w.Random, err = c.Bytes(keyRandom)
		case keyIdentifier:
			k = 2
			w.ElementIdentifier, err = c.Text(keyIdentifier)
		case keyValue:
			k = 3
			w.ElementValue, err = c.Raw(keyValue)
		default:
			return w, &cose.DecodeError{Field: "item", Offset: at, Err: cose.ErrUnknownField}
		}
		if err != nil {
			return w, err
		}
		if seen[k] {
			return w, &cose.DecodeError{Field: "item", Offset: at, Err: cose.ErrDuplicateKey}
		}
		seen[k] = true
	}
	if seen != [4]bool{true, true, true, true} {
		return w, &cose.DecodeError{Field: "item", Offset: 0, Err: cose.ErrType, Detail: "missing key"}
	}
	return w, c.End("item")
}
