package tlv

// Node is one decoded element. Raw and Value are sub-slices of the input
// given to Parse.
type Node struct {
	Tag    uint32
	Offset int    // offset of the element in the input
	Raw    []byte // the whole element as received: tag, length, value
	Value  []byte // the contents, without end-of-contents octets
	// Indefinite reports a BER indefinite length (80 ... 00 00).
	Indefinite bool
	// Children holds the elements of a constructed value; nil for a
	// primitive one.
	Children []Node
}

// Parse decodes b as a sequence of elements, descending into every
// constructed value (tag bit 6 set) to at most MaxDepth levels. Errors are
// *Error with the offset in b.
func Parse(b []byte) ([]Node, error) {
	return parseSeq(b, 0, 0)
}

// ParseOne decodes b as exactly one element (see Parse). Bytes after it
// are an *Error wrapping ErrTrailing.
func ParseOne(b []byte) (Node, error) {
	_, _, n, e := next(b)
	if e != nil {
		return Node{}, e
	}
	if n != len(b) {
		return Node{}, &Error{Offset: n, Err: ErrTrailing}
	}
	nodes, err := parseSeq(b, 0, 0)
	if err != nil {
		return Node{}, err
	}
	return nodes[0], nil
}

func parseSeq(b []byte, base, depth int) ([]Node, error) {
	if depth > MaxDepth {
		return nil, &Error{Offset: base, Err: ErrDepth}
	}
	var nodes []Node
	for pos := 0; pos < len(b); {
		tag, value, n, err := next(b[pos:])
		if err != nil {
			err.Offset += base + pos
			return nil, err
		}
		nd := Node{
			Tag:    tag,
			Offset: base + pos,
			Raw:    b[pos : pos+n],
			Value:  value,
		}
		nd.Indefinite = isIndefinite(nd.Raw)
		if Constructed(tag) {
			hlen := n - len(value)
			if nd.Indefinite {
				hlen -= 2
			}
			kids, err := parseSeq(value, base+pos+hlen, depth+1)
			if err != nil {
				return nil, err
			}
			if kids == nil {
				kids = []Node{}
			}
			nd.Children = kids
		}
		nodes = append(nodes, nd)
		pos += n
	}
	return nodes, nil
}

// isIndefinite reports whether the element e has an indefinite length.
func isIndefinite(e []byte) bool {
	h, err := decodeHeader(e)
	return err == nil && h.vlen < 0
}
