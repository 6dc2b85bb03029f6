//go:build !amd64 || purego

package brainpool

// mul4Fast and sqr4Fast are the 4-limb multiplication and squaring that
// field.mul, field.sqr and the 4-limb point formulas use: here the
// generated Go code.
func mul4Fast(z, x, y, p *fe, pInv uint64) { mul4(z, x, y, p, pInv) }

func sqr4Fast(z, x, p *fe, pInv uint64) { sqr4(z, x, p, pInv) }
