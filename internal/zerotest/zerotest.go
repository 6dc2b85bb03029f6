// Package zerotest runs the packages' zero-value tests: each exported
// entry point called with zero and nil values must return an error or an
// empty result, never panic. Only tests import it.
package zerotest

import "testing"

// NoPanics calls every function in calls and fails t, naming the call,
// for each one that panics.
func NoPanics(t testing.TB, calls map[string]func()) {
	t.Helper()
	for name, f := range calls {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s panics on zero or nil input: %v", name, r)
				}
			}()
			f()
		}()
	}
}
