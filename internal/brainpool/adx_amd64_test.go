//go:build amd64 && !purego

package brainpool

// setADXForTest switches the assembly between its MULX and MULQ paths
// (only down to what the CPU has) and reports whether there is a choice.
func setADXForTest(on bool) bool {
	if !detectADX() {
		return false
	}
	hasADX = on
	return true
}
