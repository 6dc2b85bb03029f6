// Command tour walks through every package of the SDK on synthetic,
// embedded data and prints what each step shows. It takes no flags and
// needs no network:
//
//	go run ./examples/tour
//
// Each chapter lives in its own file and registers itself in init with an
// order number; the tour runs them in that order.
package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// chapter is one section of the tour.
type chapter struct {
	order int    // position in the tour
	title string // printed as a heading
	run   func(w io.Writer) error
}

// chapters is filled by the init functions of the chapter files.
var chapters []chapter

func register(c chapter) { chapters = append(chapters, c) }

func main() {
	if err := tour(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "tour:", err)
		os.Exit(1)
	}
}

func tour(w io.Writer) error {
	sort.Slice(chapters, func(i, j int) bool { return chapters[i].order < chapters[j].order })
	fmt.Fprintln(w, "cancuoc SDK tour: Vietnamese citizen identity cards, on synthetic data")
	for i, c := range chapters {
		heading := fmt.Sprintf("%d. %s", i+1, c.title)
		fmt.Fprintf(w, "\n%s\n%s\n", heading, strings.Repeat("=", len(heading)))
		if err := c.run(w); err != nil {
			return fmt.Errorf("chapter %q: %w", c.title, err)
		}
	}
	return nil
}
