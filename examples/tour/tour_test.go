package main

import (
	"bytes"
	"testing"
)

// TestTour runs the whole tour: every chapter must finish without error and
// print something.
func TestTour(t *testing.T) {
	var out bytes.Buffer
	if err := tour(&out); err != nil {
		t.Fatal(err)
	}
	if len(chapters) == 0 {
		t.Fatal("the tour has no chapters")
	}
	if out.Len() == 0 {
		t.Fatal("the tour printed nothing")
	}
}
