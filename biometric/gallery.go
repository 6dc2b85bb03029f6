package biometric

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// searchChunk is how many gallery entries a search worker takes at a time;
// the context is checked between chunks.
const searchChunk = 256

// Gallery is a set of prepared templates searched 1:N, exactly with
// [Gallery.Search] or through its index with [Gallery.SearchIndexed]. Add
// and Remove entries, then search from any number of goroutines; Add,
// Remove and BuildIndex must not run concurrently with a search or with
// each other.
//
// The templates are packed into a few large arrays without pointers (the
// cylinders of every entry in one, the pairwise distances in another, the
// directions in a third, the identifiers in a fourth), so the garbage
// collector does not scan them and a search reads memory in gallery
// order; see [Gallery.Search] for the measured cost. A gallery loaded by
// [LoadGallery] keeps the arrays of the file in place, memory-mapped, and
// the entries added afterwards in a second set of arrays on the Go heap;
// [Gallery.Close] releases the mapping.
//
// It holds personal data: it prints as its size only.
type Gallery struct {
	seg    [2]segment // 0: the entries of a loaded file, 1: those added
	ents   []entry
	dead   []uint64 // bit i set: entry i was removed
	nDead  int
	index  *lshIndex // nil until BuildIndex
	mapped []byte    // the file's memory mapping, released by Close
	closed bool
}

// segment is one set of packed arrays: the entries of a gallery file
// (memory-mapped, or read into one heap buffer) or those added since.
type segment struct {
	cyl   []cylinder
	dist  []uint16
	bytes []uint8 // per entry: theta (n), dir (n*n), first (angleUnits+1)
	ids   []byte
}

// entry locates one template in its segment's arrays.
type entry struct {
	cyl, dist, bytes uint64 // offsets in cyl, dist and bytes
	id               uint64 // offset of the identifier in ids
	idLen            uint32
	n, minutiae      uint8 // cylinders, minutiae of the view
	seg              uint8 // index in Gallery.seg
}

// ErrGalleryClosed means a gallery was used after [Gallery.Close].
var ErrGalleryClosed = errors.New("biometric: gallery is closed")

// Candidate is one search result.
type Candidate struct {
	ID    string  // the identifier given to [Gallery.Add]
	Index int     // the entry's position in the gallery, in order of Add
	Score float64 // the [Compare] score against the probe
}

// Add appends a copy of a prepared template under an identifier of the
// caller's choosing (identifiers need not be unique; at most 65535 bytes).
// A nil (or zero) template is stored as an empty one, which scores 0. The index, if
// built, covers the new entry from the next [Gallery.BuildIndex]. The
// copy goes to the Go heap, also in a gallery whose file is mapped. Add
// does nothing on a closed gallery.
func (g *Gallery) Add(id string, p *Prepared) {
	if g.closed {
		return
	}
	if p == nil || p.first == nil { // nil, or a zero Prepared not made by Prepare
		p = newPrepared(0)
	}
	s := &g.seg[1]
	n := len(p.cyl)
	e := entry{
		cyl: uint64(len(s.cyl)), dist: uint64(len(s.dist)), bytes: uint64(len(s.bytes)),
		id: uint64(len(s.ids)), idLen: uint32(min(len(id), maxIDLen)),
		n: uint8(n), minutiae: uint8(min(p.minutiae, maxMinutiae)), seg: 1,
	}
	s.cyl = append(s.cyl, p.cyl...)
	s.dist = append(s.dist, p.dist...)
	s.bytes = append(s.bytes, p.theta...)
	s.bytes = append(s.bytes, p.dir...)
	s.bytes = append(s.bytes, p.first[:]...)
	s.ids = append(s.ids, id[:e.idLen]...)
	g.ents = append(g.ents, e)
	if len(g.ents) > 64*len(g.dead) {
		g.dead = append(g.dead, 0)
	}
}

// maxIDLen caps an identifier's length; Add keeps its first 65535 bytes.
const maxIDLen = 1<<16 - 1

// Remove deletes every entry whose identifier is id and returns how many
// it removed. The entries' positions ([Candidate.Index]) of the others do
// not change until the gallery is saved and loaded again; the space is
// reclaimed then.
func (g *Gallery) Remove(id string) int {
	removed := 0
	for i := range g.ents {
		if !g.isDead(i) && g.id(i) == id {
			g.dead[i/64] |= 1 << (i % 64)
			removed++
		}
	}
	g.nDead += removed
	return removed
}

func (g *Gallery) isDead(i int) bool { return g.dead[i/64]&(1<<(i%64)) != 0 }

// id returns entry i's identifier as a view into ids (no copy when it is
// compared; converting it to a string copies it).
func (g *Gallery) id(i int) string {
	e := &g.ents[i]
	return string(g.seg[e.seg].ids[e.id : e.id+uint64(e.idLen)])
}

// view points p at entry i's data in the gallery's arrays; p must not be
// modified or kept beyond the gallery's next Add or Close.
func (g *Gallery) view(i int, p *Prepared) {
	e := &g.ents[i]
	s := &g.seg[e.seg]
	n := uint64(e.n)
	p.cyl = s.cyl[e.cyl : e.cyl+n : e.cyl+n]
	p.dist = s.dist[e.dist : e.dist+n*n : e.dist+n*n]
	b := s.bytes[e.bytes : e.bytes+n+n*n+angleUnits+1]
	p.theta = b[:n:n]
	p.dir = b[n : n+n*n : n+n*n]
	p.first = (*[angleUnits + 1]uint8)(b[n+n*n:])
	p.minutiae = int(e.minutiae)
}

// touch loads every cache line of entry i's cylinders, geometry and
// lookup table and returns a value that keeps the loads. SearchIndexed's
// candidates are scattered over the gallery, so each comparison would
// otherwise wait on its entry's cache misses one after another; loaded
// all at once, one comparison ahead, they overlap.
func (g *Gallery) touch(i int) uint16 {
	e := &g.ents[i]
	s := &g.seg[e.seg]
	n := uint64(e.n)
	var v uint16
	for k := e.cyl; k < e.cyl+n; k++ { // 80-byte cylinders: every line
		v ^= uint16(s.cyl[k][0]) ^ uint16(s.cyl[k][7])
	}
	for k := e.dist; k < e.dist+n*n; k += 32 {
		v ^= s.dist[k]
	}
	for k := e.bytes; k < e.bytes+n+n*n+angleUnits+1; k += 64 {
		v ^= uint16(s.bytes[k])
	}
	return v
}

// Len returns the number of entries, removed ones excluded (0 once
// closed).
func (g *Gallery) Len() int { return len(g.ents) - g.nDead }

// cylinders returns the number of cylinders of every entry.
func (g *Gallery) cylinders() int { return len(g.seg[0].cyl) + len(g.seg[1].cyl) }

// Close releases the gallery: the memory mapping of the file it was
// loaded from, if any, and its arrays. Afterwards [Gallery.Search],
// [Gallery.SearchIndexed], [Gallery.BuildIndex] and [Gallery.WriteTo]
// fail with [ErrGalleryClosed], Add and Remove do nothing and Len is 0.
// Close must not run concurrently with any other method. Closing twice
// returns nil. A gallery that was not memory-mapped holds only Go memory,
// and Close merely lets the garbage collector have it; a mapped gallery
// that is dropped without Close keeps its mapping (address space and page
// cache, not Go heap) until the process exits.
func (g *Gallery) Close() error {
	if g.closed {
		return nil
	}
	m := g.mapped
	*g = Gallery{closed: true}
	if m != nil {
		if err := unmapFile(m); err != nil {
			return fmt.Errorf("biometric: close gallery: %w", err)
		}
	}
	return nil
}

// String describes the gallery by its size only.
func (g *Gallery) String() string {
	if g == nil {
		return "biometric.Gallery(nil)"
	}
	return fmt.Sprintf("biometric.Gallery{%d templates}", g.Len())
}

// GoString masks %#v like String.
func (g *Gallery) GoString() string { return g.String() }

// Format masks every fmt verb, also on a Gallery value (not a pointer).
func (g Gallery) Format(f fmt.State, _ rune) { fmt.Fprint(f, g.String()) }

// LogValue gives slog the size only.
func (g *Gallery) LogValue() slog.Value {
	if g == nil {
		return slog.StringValue("biometric.Gallery(nil)")
	}
	return slog.GroupValue(slog.Int("templates", g.Len()))
}

// Search compares probe with every entry on runtime.GOMAXPROCS(0)
// goroutines and returns the k best candidates, highest score first (ties
// by gallery order). It is the reference for [Gallery.SearchIndexed]. It
// returns ctx.Err() if the context ends first; the context is checked
// every 256 comparisons per goroutine. It fails with [ErrGalleryClosed]
// after [Gallery.Close].
//
// A comparison inside the gallery reads the entry in place from the
// packed arrays and allocates nothing: BenchmarkSearch (10,000 entries,
// one core) spent a median 7.6 µs of CPU per comparison where the 1:1
// BenchmarkCompare spent 9.4 µs, 0.81 times as much (six runs each in one
// go test run, shared machine).
func (g *Gallery) Search(ctx context.Context, probe *Prepared, k int) ([]Candidate, error) {
	if g.closed {
		return nil, ErrGalleryClosed
	}
	return g.rank(ctx, probe, nil, len(g.ents), k)
}

// rank compares probe with the entries listed in cand (every entry when
// cand is nil; then n is the number of entries, else len(cand)) and
// returns the k best live ones.
func (g *Gallery) rank(ctx context.Context, probe *Prepared, cand []uint32, n, k int) ([]Candidate, error) {
	if k <= 0 || g.Len() == 0 || n == 0 {
		return nil, ctx.Err()
	}
	k = min(k, g.Len())
	workers := min(runtime.GOMAXPROCS(0), (n+searchChunk-1)/searchChunk)
	tops := make([]topK, workers)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		top := &tops[w]
		top.items = make([]Candidate, 0, k)
		wg.Go(func() {
			c := comparers.Get().(*Comparer)
			defer comparers.Put(c)
			var entry Prepared
			for ctx.Err() == nil {
				start := int(next.Add(searchChunk)) - searchChunk
				if start >= n {
					return
				}
				end := min(start+searchChunk, n)
				for j := start; j < end; j++ {
					i := j
					if cand != nil {
						i = int(cand[j])
						if j+1 < n {
							c.touch ^= g.touch(int(cand[j+1]))
						}
					}
					if g.isDead(i) {
						continue
					}
					g.view(i, &entry)
					top.offer(i, c.Compare(probe, &entry), k)
				}
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var all []Candidate
	for _, t := range tops {
		all = append(all, t.items...)
	}
	slices.SortFunc(all, func(a, b Candidate) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return a.Index - b.Index
	})
	all = all[:min(k, len(all))]
	for i := range all {
		all[i].ID = g.id(all[i].Index)
	}
	return all, nil
}

// topK keeps the k best (score, index) seen, as a min-heap on score so the
// weakest is at the root and a new score is compared with it in O(1).
type topK struct {
	items []Candidate
}

// worse reports whether a ranks below b: lower score, or equal score and
// later in the gallery.
func worse(a, b Candidate) bool {
	return a.Score < b.Score || a.Score == b.Score && a.Index > b.Index
}

func (t *topK) offer(index int, score float64, k int) {
	c := Candidate{Index: index, Score: score}
	h := t.items
	if len(h) < k {
		h = append(h, c)
		for i := len(h) - 1; i > 0; { // sift up
			p := (i - 1) / 2
			if !worse(h[i], h[p]) {
				break
			}
			h[i], h[p] = h[p], h[i]
			i = p
		}
		t.items = h
		return
	}
	if !worse(h[0], c) {
		return
	}
	h[0] = c
	for i := 0; ; { // sift down
		l, smallest := 2*i+1, i
		if l < len(h) && worse(h[l], h[smallest]) {
			smallest = l
		}
		if r := l + 1; r < len(h) && worse(h[r], h[smallest]) {
			smallest = r
		}
		if smallest == i {
			break
		}
		h[i], h[smallest] = h[smallest], h[i]
		i = smallest
	}
}
