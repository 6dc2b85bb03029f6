package biometric

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unsafe"
)

// The gallery file, version 2 (written by [Gallery.WriteTo]), all
// integers little-endian, every section starting at a multiple of 8 bytes
// (zero padding) so that a little-endian host uses the arrays in place,
// memory-mapped:
//
//	header   "CCGALLRY", version u32 (2), lshTables u32, lshMinHashes u32,
//	         lshSeed u32 (the index layout; 0 when indexed is 0),
//	         entries u64, indexed u64, bucket bits u32, screenBits u32
//	         (0 when indexed is 0), reserved u64 (0)            64 bytes
//	entries  per entry: cylinders u8, minutiae u8, identifier length u16
//	ids      the identifiers, concatenated
//	cyl      per entry, per cylinder: 10 u64
//	bytes    per entry: n directions, n*n pairwise directions (u8), and
//	         the 257-byte direction lookup table
//	dist     per entry: n*n distances (u16)
//	index    when indexed > 0, per table: 2^bits+1 bucket starts (u32),
//	         then per table: the postings (u32 entry numbers)
//	codes    when indexed > 0, per indexed entry, per cylinder: its
//	         screening code (u64)
//	trailer  CRC-32C (Castagnoli) of everything before, u32
//
// Version 1 (still read, by copying, unless it holds an index, which
// predates the screening codes) has a 56-byte header, no padding and no
// lookup tables. Every entry's offsets follow from the counts, so no
// stored offset can point outside the arrays; the lookup tables are
// checked against the directions, the cylinders against their planes, the
// directions' order, the postings' range and order and the codes'
// directions, because the search relies on them. The checksum detects damage, not tampering: a gallery
// file is as trustworthy as the place it is kept.
const (
	galleryMagic    = "CCGALLRY"
	galleryVersion  = 2
	galleryHeader   = 64
	galleryHeaderV1 = 56
	fileChunk       = 1 << 20 // bytes read or written at a time
)

// ErrChecksum means a gallery file's CRC-32C does not match its contents.
var ErrChecksum = errors.New("biometric: gallery file checksum mismatch")

// GalleryFileError reports where a gallery file failed to load: the
// section ("header", "entries", "cylinders", "index"...), the byte offset
// and the reason: [ErrMagic], [ErrVersion], [ErrTruncated], [ErrLength],
// [ErrField] or [ErrChecksum], or the read error.
type GalleryFileError struct {
	Section string
	Offset  int64
	Err     error
}

// Error describes the failure without printing any template data.
func (e *GalleryFileError) Error() string {
	reason := "invalid"
	if e.Err != nil {
		reason = strings.TrimPrefix(e.Err.Error(), "biometric: ")
	}
	return fmt.Sprintf("biometric: gallery file: %s at offset %d: %s", e.Section, e.Offset, reason)
}

// Unwrap returns the reason so errors.Is works.
func (e *GalleryFileError) Unwrap() error { return e.Err }

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Save writes the gallery to path through a temporary file in the same
// directory, renamed over path once complete and synced, so a crash never
// leaves a half-written gallery under that name.
func (g *Gallery) Save(path string) error {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("biometric: save gallery: %w", err)
	}
	_, err = g.WriteTo(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		_ = os.Remove(f.Name())
		return fmt.Errorf("biometric: save gallery: %w", err)
	}
	return nil
}

// WriteTo writes the gallery file format (version 2) to w: the entries
// not removed, renumbered in order, and the index when one was built
// (entries added after it stay outside it, and [Gallery.SearchIndexed]
// compares them exactly until the next [Gallery.BuildIndex]). It fails
// with [ErrGalleryClosed] after [Gallery.Close].
func (g *Gallery) WriteTo(w io.Writer) (int64, error) {
	if g.closed {
		return 0, ErrGalleryClosed
	}
	fw := &fileWriter{w: bufio.NewWriterSize(w, 64<<10), crc: crc32.New(castagnoli)}
	// renum[i] is entry i's number in the file, or -1 when removed.
	renum := make([]int32, len(g.ents))
	live, indexed := 0, 0
	for i := range g.ents {
		renum[i] = -1
		if !g.isDead(i) {
			renum[i] = int32(live)
			live++
			if g.index != nil && i < g.index.n {
				indexed++
			}
		}
	}
	var h [galleryHeader]byte
	copy(h[:], galleryMagic)
	binary.LittleEndian.PutUint32(h[8:], galleryVersion)
	binary.LittleEndian.PutUint64(h[24:], uint64(live))
	binary.LittleEndian.PutUint64(h[32:], uint64(indexed))
	if g.index != nil && indexed > 0 {
		binary.LittleEndian.PutUint32(h[12:], lshTables)
		binary.LittleEndian.PutUint32(h[16:], lshMinHashes)
		binary.LittleEndian.PutUint32(h[20:], lshSeed)
		binary.LittleEndian.PutUint32(h[40:], uint32(g.index.bits))
		binary.LittleEndian.PutUint32(h[44:], screenBits)
	}
	fw.write(h[:])
	for i, e := range g.ents {
		if renum[i] >= 0 {
			var b [4]byte
			b[0], b[1] = e.n, e.minutiae
			binary.LittleEndian.PutUint16(b[2:], uint16(e.idLen))
			fw.write(b[:])
		}
	}
	fw.pad()
	for i, e := range g.ents {
		if renum[i] >= 0 {
			fw.write(g.seg[e.seg].ids[e.id : e.id+uint64(e.idLen)])
		}
	}
	fw.pad()
	for i, e := range g.ents {
		if renum[i] >= 0 {
			c := g.seg[e.seg].cyl[e.cyl : e.cyl+uint64(e.n)]
			if len(c) > 0 {
				writeArray(fw, unsafe.Slice(&c[0][0], len(c)*cylinderWords))
			}
		}
	}
	for i, e := range g.ents {
		if renum[i] >= 0 {
			n := uint64(e.n)
			fw.write(g.seg[e.seg].bytes[e.bytes : e.bytes+n+n*n+angleUnits+1])
		}
	}
	fw.pad()
	for i, e := range g.ents {
		if renum[i] >= 0 {
			n := uint64(e.n)
			writeArray(fw, g.seg[e.seg].dist[e.dist:e.dist+n*n])
		}
	}
	fw.pad()
	if ix := g.index; ix != nil && indexed > 0 {
		if indexed == ix.n {
			// Nothing removed from the indexed entries: the arrays as they are.
			for t := range lshTables {
				writeArray(fw, ix.start[t])
			}
			for t := range lshTables {
				writeArray(fw, ix.post[t])
			}
		} else {
			for t := range lshTables {
				start, post := ix.start[t], ix.post[t]
				var at uint32
				for b := range len(start) - 1 {
					fw.u32(at)
					for _, e := range post[start[b]:start[b+1]] {
						if renum[e] >= 0 {
							at++
						}
					}
				}
				fw.u32(at)
			}
			for t := range lshTables {
				for _, e := range ix.post[t] {
					if renum[e] >= 0 {
						fw.u32(uint32(renum[e]))
					}
				}
			}
		}
		fw.pad()
		for e := range ix.n {
			if renum[e] >= 0 {
				writeArray(fw, ix.code[ix.codeAt[e]:ix.codeAt[e+1]])
			}
		}
	}
	fw.u32(fw.crc.Sum32())
	if fw.err == nil {
		fw.err = fw.w.Flush()
	}
	return fw.n, fw.err
}

// fileWriter writes through a buffer, summing the CRC of what it wrote
// until the trailer, and keeps the first error.
type fileWriter struct {
	w   *bufio.Writer
	crc hash.Hash32
	n   int64
	err error
	b   [8]byte
	enc []byte // encoding buffer on big-endian hosts
}

func (w *fileWriter) write(b []byte) {
	if w.err != nil {
		return
	}
	w.crc.Write(b)
	var n int
	n, w.err = w.w.Write(b)
	w.n += int64(n)
}

// pad writes zeros up to the next multiple of 8 bytes.
func (w *fileWriter) pad() {
	var z [8]byte
	w.write(z[:(8-w.n%8)%8])
}

func (w *fileWriter) u32(v uint32) { binary.LittleEndian.PutUint32(w.b[:], v); w.write(w.b[:4]) }

// writeArray writes v little-endian: its memory as it is on a
// little-endian host, and converted a chunk at a time on a big-endian one.
func writeArray[T uint16 | uint32 | uint64](w *fileWriter, v []T) {
	if len(v) == 0 {
		return
	}
	size := int(unsafe.Sizeof(v[0]))
	if littleEndian() {
		w.write(unsafe.Slice((*byte)(unsafe.Pointer(&v[0])), size*len(v)))
		return
	}
	for ; len(v) > 0; v = v[min(len(v), fileChunk/size):] {
		w.enc = appendLE(w.enc[:0], v[:min(len(v), fileChunk/size)])
		w.write(w.enc)
	}
}

// appendLE appends v to dst little-endian, whatever the host's order.
func appendLE[T uint16 | uint32 | uint64](dst []byte, v []T) []byte {
	size := int(unsafe.Sizeof(T(0)))
	for _, x := range v {
		n := len(dst)
		// The low size bytes of x, least significant first.
		dst = binary.LittleEndian.AppendUint64(dst, uint64(x))[:n+size]
	}
	return dst
}

// littleEndian reports whether the host stores integers little-endian,
// as the gallery file does (then its arrays are used in place).
func littleEndian() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}

// LoadGallery opens a gallery file written by [Gallery.Save]. On a
// little-endian Unix host a version 2 file is memory-mapped read-only and
// private, and the gallery uses its arrays in place: the Go heap holds
// only a 40-byte entry table per template and whatever is added later,
// and the templates are not prepared again. The whole file is checked as
// [ReadGallery] checks it (checksum, counts, cylinders, directions,
// index) before the gallery is returned, which reads every page once.
// Elsewhere, for version 1 files, or when the file cannot be mapped, it
// is read into the Go heap by [ReadGallery].
//
// The caller owns the gallery and calls [Gallery.Close] to release the
// mapping. While it is mapped, the file must not be modified in place:
// the operating system may show the gallery the new bytes, unchecked, and
// truncating the file makes the process fault (SIGBUS) when a search
// reads past the new end. Replace a gallery file by writing a new file
// and renaming it over the old one, as [Gallery.Save] does; the mapping
// keeps the old file's contents until Close.
func LoadGallery(path string) (*Gallery, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("biometric: load gallery: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("biometric: load gallery: %w", err)
	}
	var h [12]byte
	if _, err := f.ReadAt(h[:], 0); err == nil && string(h[:8]) == galleryMagic &&
		binary.LittleEndian.Uint32(h[8:]) == galleryVersion && littleEndian() {
		if m, err := mapFile(f, st.Size()); err == nil {
			g, err := openV2(m, false)
			if err != nil {
				_ = unmapFile(m)
				return nil, err
			}
			g.mapped = m
			return g, nil
		}
	}
	return ReadGallery(f, st.Size())
}

// ReadGallery reads a gallery file of size bytes from r into the Go heap:
// a version 2 file into one buffer of size bytes that the gallery then
// uses in place, a version 1 file streamed a megabyte at a time into the
// gallery's arrays, each allocated only once the bytes it needs are known
// to be within size. Memory stays bounded by the file, and the templates
// are not prepared again. It returns a complete gallery, index included,
// or nil and a [*GalleryFileError]: a truncated file, trailing bytes, a
// checksum mismatch or an inconsistent count or index fails the whole
// load.
func ReadGallery(r io.Reader, size int64) (*Gallery, error) {
	fr := &fileReader{r: r, left: size, crc: crc32.New(castagnoli)}
	g, err := fr.gallery()
	if err != nil {
		return nil, err
	}
	return g, nil
}

// fileReader reads sections, tracking the offset, the bytes the caller
// said remain, and the CRC.
type fileReader struct {
	r       io.Reader
	off     int64
	left    int64
	crc     hash.Hash32
	section string
	buf     []byte
}

func (r *fileReader) fail(err error) error {
	return &GalleryFileError{Section: r.section, Offset: r.off, Err: err}
}

// need fails with ErrTruncated unless n more bytes remain (before the
// 4-byte trailer).
func (r *fileReader) need(n uint64) error {
	if r.left < 4 || n > uint64(r.left-4) {
		return r.fail(ErrTruncated)
	}
	return nil
}

// read reads n bytes (n at most fileChunk) into the reusable buffer.
func (r *fileReader) read(n int) ([]byte, error) {
	if cap(r.buf) < n {
		r.buf = make([]byte, max(n, 4096))
	}
	b := r.buf[:n]
	if _, err := io.ReadFull(r.r, b); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			err = ErrTruncated
		}
		return nil, r.fail(err)
	}
	r.crc.Write(b)
	r.off += int64(n)
	r.left -= int64(n)
	return b, nil
}

// each reads count items of width bytes, calling put with each chunk.
func (r *fileReader) each(count uint64, width int, put func(b []byte)) error {
	if err := r.need(count * uint64(width)); err != nil {
		return err
	}
	per := uint64(fileChunk / width)
	for count > 0 {
		n := min(count, per)
		b, err := r.read(int(n) * width)
		if err != nil {
			return err
		}
		put(b)
		count -= n
	}
	return nil
}

func (r *fileReader) gallery() (*Gallery, error) {
	r.section = "header"
	if err := r.need(12); err != nil {
		return nil, err
	}
	b, err := r.read(12)
	if err != nil {
		return nil, err
	}
	var h [galleryHeader]byte
	copy(h[:], b)
	if string(h[:8]) != galleryMagic {
		return nil, r.fail(ErrMagic)
	}
	switch binary.LittleEndian.Uint32(h[8:]) {
	case 1:
		if err := r.need(galleryHeaderV1 - 12); err != nil {
			return nil, err
		}
		b, err := r.read(galleryHeaderV1 - 12)
		if err != nil {
			return nil, err
		}
		copy(h[12:], b)
		hd, err := parseHeader(h[:galleryHeaderV1])
		if err != nil {
			return nil, r.fail(err)
		}
		return r.galleryV1(hd)
	case galleryVersion:
		return r.galleryV2(h[:12])
	}
	return nil, r.fail(ErrVersion)
}

// fileHeader is what a gallery file's header says.
type fileHeader struct {
	nEnt, indexed uint64
	bits          int
}

// parseHeader checks a header (56 bytes in version 1, 64 in version 2)
// and returns the reason it is invalid. The index layout fields (tables,
// minimum ranks, seed, screening bits) must be this package's when the
// file holds an index ([ErrVersion] otherwise: its buckets and codes mean
// something else), and are 0 in a version 2 file without one, so a
// gallery saved without its index loads whatever the index layout of the
// package reading it. A version 1 file with an index predates the
// screening codes: [ErrVersion].
func parseHeader(h []byte) (fileHeader, error) {
	le := binary.LittleEndian
	hd := fileHeader{nEnt: le.Uint64(h[24:]), indexed: le.Uint64(h[32:]), bits: int(le.Uint32(h[40:]))}
	layout := [4]uint32{le.Uint32(h[12:]), le.Uint32(h[16:]), le.Uint32(h[20:]), le.Uint32(h[44:])}
	switch {
	case string(h[:8]) != galleryMagic:
		return fileHeader{}, ErrMagic
	case hd.indexed > 0 && (layout != [4]uint32{lshTables, lshMinHashes, lshSeed, screenBits} || len(h) == galleryHeaderV1):
		return fileHeader{}, ErrVersion // another index layout
	case hd.indexed == 0 && len(h) > galleryHeaderV1 && layout != [4]uint32{}:
		return fileHeader{}, ErrField
	}
	if hd.indexed > hd.nEnt || (hd.indexed > 0) != (hd.bits >= minBucketBits && hd.bits <= maxBucketBits) ||
		(hd.indexed == 0 && hd.bits != 0) || layout[3] != 0 && hd.indexed == 0 || hd.nEnt > 1<<31 ||
		(len(h) > galleryHeaderV1 && le.Uint64(h[galleryHeaderV1:]) != 0) {
		return fileHeader{}, ErrField
	}
	return hd, nil
}

// galleryV2 reads the rest of a version 2 file, whose first bytes (read)
// are given, into one 8-byte aligned buffer and opens it in place.
func (r *fileReader) galleryV2(read []byte) (*Gallery, error) {
	if err := r.need(galleryHeader - uint64(len(read))); err != nil {
		return nil, err
	}
	size := uint64(r.off + r.left)
	words := make([]uint64, (size+7)/8)
	buf := unsafe.Slice((*byte)(unsafe.Pointer(&words[0])), size)
	copy(buf, read)
	r.section = "file"
	for at := len(read); at < len(buf); {
		n, err := io.ReadFull(r.r, buf[at:min(at+fileChunk, len(buf))])
		r.off += int64(n)
		at += n
		if err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
				err = ErrTruncated
			}
			return nil, r.fail(err)
		}
	}
	return openV2(buf, !littleEndian())
}

func (r *fileReader) galleryV1(hd fileHeader) (*Gallery, error) {
	le := binary.LittleEndian
	nEnt := hd.nEnt
	// Entries: their counts give every other section's size.
	r.section = "entries"
	if err := r.need(nEnt * 4); err != nil {
		return nil, err
	}
	g := &Gallery{ents: make([]entry, nEnt), dead: make([]uint64, (nEnt+63)/64)}
	s := &g.seg[0]
	var cyls, sq, ids uint64
	i := 0
	err := r.each(nEnt, 4, func(b []byte) {
		for ; len(b) > 0; b = b[4:] {
			n := uint64(b[0])
			g.ents[i] = entry{cyl: cyls, dist: sq, bytes: cyls + sq + uint64(i)*(angleUnits+1), id: ids, idLen: uint32(le.Uint16(b[2:])), n: b[0], minutiae: b[1]}
			cyls, sq, ids = cyls+n, sq+n*n, ids+uint64(le.Uint16(b[2:]))
			i++
		}
	})
	if err != nil {
		return nil, err
	}
	for _, e := range g.ents {
		if e.minutiae < e.n {
			return nil, r.fail(ErrField)
		}
	}
	r.section = "identifiers"
	if err := r.need(ids); err != nil {
		return nil, err
	}
	s.ids = make([]byte, 0, ids)
	if err := r.each(ids, 1, func(b []byte) { s.ids = append(s.ids, b...) }); err != nil {
		return nil, err
	}
	r.section = "cylinders"
	if err := r.need(cyls * cylinderWords * 8); err != nil {
		return nil, err
	}
	s.cyl = make([]cylinder, 0, cyls)
	if err := r.each(cyls, cylinderWords*8, func(b []byte) {
		for ; len(b) > 0; b = b[cylinderWords*8:] {
			var c cylinder
			for w := range c {
				c[w] = le.Uint64(b[8*w:])
			}
			s.cyl = append(s.cyl, c)
		}
	}); err != nil {
		return nil, err
	}
	// A cylinder as buildCylinder makes it: layer bits within the valid
	// cells, and the count planes summing the layers.
	if badCylinder(s.cyl) >= 0 {
		return nil, r.fail(ErrField)
	}
	r.section = "directions"
	if err := r.need(cyls + sq); err != nil {
		return nil, err
	}
	s.bytes = make([]byte, cyls+sq+nEnt*(angleUnits+1))
	e, done := 0, uint64(0) // the entry being filled and its bytes so far
	if err := r.each(cyls+sq, 1, func(b []byte) {
		for len(b) > 0 {
			for e < len(g.ents) && uint64(g.ents[e].n)*(1+uint64(g.ents[e].n)) == done {
				e, done = e+1, 0
			}
			en := &g.ents[e]
			k := copy(s.bytes[en.bytes+done:en.bytes+uint64(en.n)*(1+uint64(en.n))], b)
			b, done = b[k:], done+uint64(k)
		}
	}); err != nil {
		return nil, err
	}
	for i := range g.ents {
		en := &g.ents[i]
		n := uint64(en.n)
		theta := s.bytes[en.bytes : en.bytes+n]
		if !slices.IsSorted(theta) {
			return nil, r.fail(ErrField) // the comparer relies on the order
		}
		setFirst((*[angleUnits + 1]uint8)(s.bytes[en.bytes+n+n*n:]), theta)
	}
	r.section = "distances"
	if err := r.need(sq * 2); err != nil {
		return nil, err
	}
	s.dist = make([]uint16, 0, sq)
	if err := r.each(sq, 2, func(b []byte) {
		for ; len(b) > 0; b = b[2:] {
			s.dist = append(s.dist, le.Uint16(b))
		}
	}); err != nil {
		return nil, err
	}
	r.section = "trailer"
	sum := r.crc.Sum32()
	if r.left != 4 {
		return nil, r.fail(ErrLength)
	}
	t, err := r.read(4)
	if err != nil {
		return nil, err
	}
	if le.Uint32(t) != sum {
		return nil, r.fail(ErrChecksum)
	}
	return g, nil
}

// badCylinder returns the index of the first cylinder not as
// buildCylinder makes it, or -1: layer bits only within the valid cells,
// and the count planes summing the layers.
func badCylinder(cyl []cylinder) int {
	for i := range cyl {
		c := &cyl[i]
		ones, twos, fours := fold6(c[1], c[2], c[3], c[4], c[5], c[6])
		if (c[1]|c[2]|c[3]|c[4]|c[5]|c[6])&^c[0] != 0 || ones != c[7] || twos != c[8] || fours != c[9] {
			return i
		}
	}
	return -1
}

// validStarts reports whether bucket starts begin at 0 and never decrease.
func validStarts(s []uint32) bool {
	if s[0] != 0 {
		return false
	}
	for b := 1; b < len(s); b++ {
		if s[b] < s[b-1] {
			return false
		}
	}
	return true
}

// validPostings reports whether each bucket's entries increase and are
// below indexed (so a search's per-entry counts cannot overflow or point
// outside the gallery); start must be valid and end at len(post).
func validPostings(start, post []uint32, indexed int) bool {
	for b := range len(start) - 1 {
		bucket := post[start[b]:start[b+1]]
		for j, e := range bucket {
			if int(e) >= indexed || (j > 0 && e <= bucket[j-1]) {
				return false
			}
		}
	}
	return true
}
