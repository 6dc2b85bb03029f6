package biometric

import (
	"encoding/binary"
	"hash/crc32"
	"math/bits"
	"slices"
	"unsafe"
)

// openV2 checks a whole version 2 gallery file held in b and returns a
// gallery whose arrays are views into b: b must be 8-byte aligned (a
// memory mapping, or a buffer allocated as []uint64) and stay unchanged
// while the gallery is used. The checks are those of a version 1 load:
// counts, section lengths, the checksum, zero padding, then the
// cylinders, directions, lookup tables and index, in place. swap converts
// the arrays to a big-endian host's order after the checksum (b is then
// modified, so it must not be a read-only mapping).
func openV2(b []byte, swap bool) (*Gallery, error) {
	le := binary.LittleEndian
	size := uint64(len(b))
	fail := func(section string, off uint64, err error) error {
		return &GalleryFileError{Section: section, Offset: int64(off), Err: err}
	}
	if size < galleryHeader+4 {
		return nil, fail("header", 0, ErrTruncated)
	}
	if string(b[:8]) == galleryMagic && le.Uint32(b[8:]) != galleryVersion {
		return nil, fail("header", 8, ErrVersion)
	}
	hd, err := parseHeader(b[:galleryHeader])
	if err != nil {
		return nil, fail("header", 0, err)
	}
	end := size - 4 // the trailer's offset
	// Entries: their counts give every other section's size.
	off := uint64(galleryHeader)
	if hd.nEnt*4 > end-off {
		return nil, fail("entries", off, ErrTruncated)
	}
	g := &Gallery{ents: make([]entry, hd.nEnt), dead: make([]uint64, (hd.nEnt+63)/64)}
	var cyls, sq, ids, nb uint64
	for i := range g.ents {
		p := b[off+4*uint64(i):]
		if p[1] < p[0] {
			return nil, fail("entries", off+4*uint64(i), ErrField)
		}
		n, idLen := uint64(p[0]), le.Uint16(p[2:])
		g.ents[i] = entry{cyl: cyls, dist: sq, bytes: nb, id: ids, idLen: uint32(idLen), n: p[0], minutiae: p[1]}
		cyls, sq, ids, nb = cyls+n, sq+n*n, ids+uint64(idLen), nb+n+n*n+angleUnits+1
	}
	// Sections, each at a multiple of 8 bytes.
	secs := []struct {
		name    string
		off, ln uint64
	}{
		{"entries", off, 4 * hd.nEnt}, {"identifiers", 0, ids}, {"cylinders", 0, cyls * cylinderWords * 8},
		{"directions", 0, nb}, {"distances", 0, 2 * sq}, {"index", 0, 0}, {"postings", 0, 0}, {"codes", 0, 0},
	}
	codeAt := codeOffsets(g.ents[:hd.indexed])
	indexedCyls := codeAt[hd.indexed] // the indexed entries' cylinders: their codes
	nbk := uint64(1)<<hd.bits + 1     // bucket starts per table
	for i := 1; i < len(secs); i++ {
		prev := &secs[i-1]
		secs[i].off = prev.off + prev.ln
		if secs[i].name != "postings" {
			secs[i].off = (secs[i].off + 7) &^ 7
		}
		switch {
		case secs[i].name == "index" && hd.indexed > 0:
			secs[i].ln = lshTables * nbk * 4
		case secs[i].name == "postings" && hd.indexed > 0:
			for t := range uint64(lshTables) {
				secs[i].ln += 4 * uint64(le.Uint32(b[secs[i-1].off+(t*nbk+nbk-1)*4:]))
			}
		case secs[i].name == "codes":
			secs[i].ln = 8 * indexedCyls
		}
		if secs[i].off > end || secs[i].ln > end-secs[i].off {
			return nil, fail(secs[i].name, secs[i].off, ErrTruncated)
		}
	}
	last := secs[len(secs)-1]
	switch trailer := (last.off + last.ln + 7) &^ 7; {
	case trailer > end:
		return nil, fail("trailer", end, ErrTruncated)
	case trailer < end:
		return nil, fail("trailer", trailer, ErrLength)
	}
	if crc32.Checksum(b[:end], castagnoli) != le.Uint32(b[end:]) {
		return nil, fail("trailer", end, ErrChecksum)
	}
	for i, s := range secs {
		next := end
		if i+1 < len(secs) {
			next = secs[i+1].off
		}
		for at := s.off + s.ln; at < next; at++ {
			if b[at] != 0 {
				return nil, fail("padding", at, ErrField)
			}
		}
	}
	s := &g.seg[0]
	s.ids = b[secs[1].off : secs[1].off+ids : secs[1].off+ids]
	s.cyl = viewAs[cylinder](b, secs[2].off, cyls)
	s.bytes = b[secs[3].off : secs[3].off+nb : secs[3].off+nb]
	s.dist = viewAs[uint16](b, secs[4].off, sq)
	var ix *lshIndex
	if hd.indexed > 0 {
		ix = &lshIndex{n: int(hd.indexed), bits: hd.bits}
		at := secs[6].off
		for t := range lshTables {
			ix.start[t] = viewAs[uint32](b, secs[5].off+uint64(t)*nbk*4, nbk)
			n := uint64(le.Uint32(b[secs[5].off+(uint64(t)*nbk+nbk-1)*4:]))
			ix.post[t] = viewAs[uint32](b, at, n)
			at += 4 * n
		}
		ix.code = viewAs[uint64](b, secs[7].off, indexedCyls)
		ix.codeAt = codeAt
	}
	if swap {
		swapArrays(s, ix)
	}
	if i := badCylinder(s.cyl); i >= 0 {
		return nil, fail("cylinders", secs[2].off+uint64(i)*cylinderWords*8, ErrField)
	}
	var first [angleUnits + 1]uint8
	for i := range g.ents {
		e := &g.ents[i]
		n := uint64(e.n)
		theta := s.bytes[e.bytes : e.bytes+n]
		if !slices.IsSorted(theta) {
			return nil, fail("directions", secs[3].off+e.bytes, ErrField) // the comparer relies on the order
		}
		setFirst(&first, theta)
		if string(first[:]) != string(s.bytes[e.bytes+n+n*n:e.bytes+n+n*n+angleUnits+1]) {
			return nil, fail("directions", secs[3].off+e.bytes+n+n*n, ErrField)
		}
	}
	if ix != nil {
		for t := range lshTables {
			if !validStarts(ix.start[t]) || !validPostings(ix.start[t], ix.post[t], ix.n) {
				return nil, fail("index", secs[5].off+uint64(t)*nbk*4, ErrField)
			}
		}
		// A code carries its cylinder's direction, which screening's
		// direction window relies on.
		for e := range ix.n {
			en := &g.ents[e]
			theta := s.bytes[en.bytes : en.bytes+uint64(en.n)]
			for j, c := range ix.code[ix.codeAt[e]:ix.codeAt[e+1]] {
				if uint8(c>>screenBits) != theta[j] {
					return nil, fail("codes", secs[7].off+8*(ix.codeAt[e]+uint64(j)), ErrField)
				}
			}
		}
		g.index = ix
	}
	return g, nil
}

// viewAs returns the n values of type T at b[off:] as a slice sharing b's
// memory; b[off:] must be aligned for T and hold them.
func viewAs[T any](b []byte, off, n uint64) []T {
	if n == 0 {
		return nil
	}
	return unsafe.Slice((*T)(unsafe.Pointer(&b[off])), n)
}

// swapArrays turns the little-endian arrays of a file read on a
// big-endian host into the host's order.
func swapArrays(s *segment, ix *lshIndex) {
	for i := range s.cyl {
		for w := range s.cyl[i] {
			s.cyl[i][w] = bits.ReverseBytes64(s.cyl[i][w])
		}
	}
	for i := range s.dist {
		s.dist[i] = bits.ReverseBytes16(s.dist[i])
	}
	if ix == nil {
		return
	}
	for t := range lshTables {
		for _, a := range [][]uint32{ix.start[t], ix.post[t]} {
			for i := range a {
				a[i] = bits.ReverseBytes32(a[i])
			}
		}
	}
	for i := range ix.code {
		ix.code[i] = bits.ReverseBytes64(ix.code[i])
	}
}
