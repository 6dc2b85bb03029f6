package tlv

import (
	"bytes"
	"errors"
	"testing"
)

// encodeNodes re-encodes a parsed tree with definite, minimal lengths.
func encodeNodes(b *Builder, nodes []Node) {
	for _, n := range nodes {
		if n.Children != nil {
			b.AddConstructed(n.Tag, func(b *Builder) { encodeNodes(b, n.Children) })
		} else {
			b.AddTLV(n.Tag, n.Value)
		}
	}
}

// canonical reports whether every header in the tree is definite and
// minimal, so that encodeNodes must reproduce the input exactly.
func canonical(nodes []Node) bool {
	for _, n := range nodes {
		if n.Indefinite {
			return false
		}
		h := AppendLength(AppendTag(nil, n.Tag), len(n.Value))
		if !bytes.Equal(h, n.Raw[:len(n.Raw)-len(n.Value)]) || !canonical(n.Children) {
			return false
		}
	}
	return true
}

func sameTree(a, b []Node) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Tag != b[i].Tag || (a[i].Children == nil) != (b[i].Children == nil) {
			return false
		}
		if a[i].Children == nil && !bytes.Equal(a[i].Value, b[i].Value) {
			return false
		}
		if !sameTree(a[i].Children, b[i].Children) {
			return false
		}
	}
	return true
}

func FuzzRead(f *testing.F) {
	for _, b := range sharedFiles(f) {
		// The 600 KB master list would make every mutation slow.
		if len(b) <= 64<<10 {
			f.Add(b)
		}
	}
	for _, s := range []string{
		"30 80 A080 020105 0000 0402AABB 0000",
		"7F61 0A 020101 7F60 04 A1 02 8001",
		"6D 0A 30 08 02 01 01 31 03 0C 01 41",
		"5F1F 81 03 414243",
	} {
		f.Add(unhex(f, s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		// The String reader and Next agree element by element.
		s := String(in)
		rest := in
		for !s.Empty() {
			var v String
			var tag uint32
			ok := s.ReadAnyTLV(&v, &tag)
			ntag, nv, elem, r, err := Next(rest)
			if ok != (err == nil) {
				t.Fatalf("ReadAnyTLV %v but Next error %v", ok, err)
			}
			if !ok {
				var te *Error
				if !errors.As(err, &te) || te.Offset < 0 || te.Offset > len(rest) {
					t.Fatalf("bad error %v", err)
				}
				break
			}
			if ntag != tag || !bytes.Equal(nv, v) || len(elem)+len(r) != len(rest) || len(r) != len(s) {
				t.Fatal("ReadAnyTLV and Next disagree")
			}
			rest = r
		}

		nodes, err := Parse(in)
		if err != nil {
			var te *Error
			if nodes != nil || !errors.As(err, &te) || te.Offset < 0 || te.Offset > len(in) {
				t.Fatalf("bad error %v", err)
			}
			return
		}
		var b Builder
		encodeNodes(&b, nodes)
		out, err := b.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		again, err := Parse(out)
		if err != nil || !sameTree(nodes, again) {
			t.Fatalf("re-encoding does not parse to the same tree: %v", err)
		}
		if canonical(nodes) && !bytes.Equal(out, in) {
			t.Fatalf("canonical input re-encodes differently:\n% X\n% X", in, out)
		}
	})
}
