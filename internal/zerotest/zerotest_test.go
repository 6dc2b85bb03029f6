package zerotest

import (
	"fmt"
	"strings"
	"testing"
)

// recorder is a testing.TB that keeps what Errorf reports.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, a ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, a...))
}

// TestNoPanics: a panicking call is reported by name, a quiet one is not,
// and the calls after a panic still run.
func TestNoPanics(t *testing.T) {
	r := &recorder{TB: t}
	ran := 0
	NoPanics(r, map[string]func(){
		"quiet":  func() { ran++ },
		"panics": func() { ran++; panic("boom") },
		"after":  func() { ran++ },
	})
	if ran != 3 {
		t.Errorf("%d calls ran, want 3", ran)
	}
	if len(r.errs) != 1 || !strings.HasPrefix(r.errs[0], "panics panics on zero or nil input: boom") {
		t.Errorf("reported %q, want one report naming the panicking call", r.errs)
	}
}
