//go:build amd64 && !purego

package brainpool

// hasADX reports whether the CPU has the BMI2 (MULX) and ADX (ADCX, ADOX)
// instructions, from CPUID leaf 7 (Intel SDM vol. 2A, CPUID). It is set
// once when the package loads and only read afterwards.
var hasADX = detectADX()

func detectADX() bool {
	if maxLeaf, _, _, _ := cpuid(0, 0); maxLeaf < 7 {
		return false
	}
	_, ebx, _, _ := cpuid(7, 0)
	const bmi2, adx = 1 << 8, 1 << 19
	return ebx&bmi2 != 0 && ebx&adx != 0
}

func cpuid(leaf, sub uint32) (eax, ebx, ecx, edx uint32)

// mul4Asm is mul4 in assembly (mul4_amd64.s). Go compiles the word
// products with MULQ and materialises every carry in a register; MULX
// with two independent carry chains does the same work in far fewer
// instructions, and P224r1 and P256r1 spend most of a verification here.
//
//go:noescape
func mul4Asm(z, x, y, p *fe, pInv uint64)

// mul4Fast and sqr4Fast are the 4-limb multiplication and squaring that
// field.mul, field.sqr and the 4-limb point formulas use.
func mul4Fast(z, x, y, p *fe, pInv uint64) { mul4Asm(z, x, y, p, pInv) }

func sqr4Fast(z, x, p *fe, pInv uint64) { mul4Asm(z, x, x, p, pInv) }
