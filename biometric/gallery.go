package biometric

import (
	"cmp"
	"context"
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

// Gallery is a set of prepared templates searched 1:N. Add entries, then
// call [Gallery.Search] from any number of goroutines; Add must not run
// concurrently with Search.
//
// It holds personal data: it prints as its size only.
type Gallery struct {
	ids   []string
	items []*Prepared
}

// Candidate is one search result.
type Candidate struct {
	ID    string  // the identifier given to [Gallery.Add]
	Index int     // the entry's position in the gallery, in order of Add
	Score float64 // the [Compare] score against the probe
}

// Add appends a prepared template under an identifier of the caller's
// choosing (identifiers need not be unique).
func (g *Gallery) Add(id string, p *Prepared) {
	g.ids = append(g.ids, id)
	g.items = append(g.items, p)
}

// Len returns the number of entries.
func (g *Gallery) Len() int { return len(g.items) }

// String describes the gallery by its size only.
func (g *Gallery) String() string {
	if g == nil {
		return "biometric.Gallery(nil)"
	}
	return fmt.Sprintf("biometric.Gallery{%d templates}", len(g.items))
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
	return slog.GroupValue(slog.Int("templates", len(g.items)))
}

// Search compares probe with every entry on runtime.GOMAXPROCS(0)
// goroutines and returns the k best candidates, highest score first (ties
// by gallery order). It returns ctx.Err() if the context ends first; the
// context is checked every 256 comparisons per goroutine.
func (g *Gallery) Search(ctx context.Context, probe *Prepared, k int) ([]Candidate, error) {
	if k <= 0 || len(g.items) == 0 {
		return nil, ctx.Err()
	}
	k = min(k, len(g.items))
	workers := min(runtime.GOMAXPROCS(0), (len(g.items)+searchChunk-1)/searchChunk)
	tops := make([]topK, workers)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		top := &tops[w]
		top.items = make([]Candidate, 0, k)
		wg.Go(func() {
			c := comparers.Get().(*Comparer)
			defer comparers.Put(c)
			for ctx.Err() == nil {
				start := int(next.Add(searchChunk)) - searchChunk
				if start >= len(g.items) {
					return
				}
				end := min(start+searchChunk, len(g.items))
				for i := start; i < end; i++ {
					top.offer(i, c.Compare(probe, g.items[i]), k)
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
		all[i].ID = g.ids[all[i].Index]
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
