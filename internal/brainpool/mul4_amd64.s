//go:build amd64 && !purego

#include "textflag.h"

// 4-limb Montgomery multiplication z = x·y·2^-256 mod p, CIOS (Koç, Acar
// and Kaliski 1996), the algorithm of mul4 in mul_generated.go, which the
// tests compare this against. Two versions: MULX with the two carry
// chains of ADCX (CF) and ADOX (OF) when the CPU has BMI2 and ADX, and
// MULQ otherwise.

// ADXROUND runs one round with DX = the word of y: t += x·y_i, then
// t = (t + m·p) / 2^64 with m = t0·pInv. t0..t4 hold t; t5 is a free
// register that ends up holding the new top word. After the round the
// new t is t1..t5 and t0 is zero.
#define ADXROUND(t0, t1, t2, t3, t4, t5) \
	XORQ  t5, t5 \
	MULXQ 0(SI), AX, BX \
	ADOXQ AX, t0 \
	ADCXQ BX, t1 \
	MULXQ 8(SI), AX, BX \
	ADOXQ AX, t1 \
	ADCXQ BX, t2 \
	MULXQ 16(SI), AX, BX \
	ADOXQ AX, t2 \
	ADCXQ BX, t3 \
	MULXQ 24(SI), AX, BX \
	ADOXQ AX, t3 \
	ADCXQ BX, t4 \
	MOVQ  $0, AX \
	ADOXQ AX, t4 \
	ADCXQ AX, t5 \
	ADOXQ AX, t5 \
	MOVQ  pInv+32(FP), DX \
	IMULQ t0, DX \
	XORQ  AX, AX \
	MULXQ 0(DI), AX, BX \
	ADOXQ AX, t0 \
	ADCXQ BX, t1 \
	MULXQ 8(DI), AX, BX \
	ADOXQ AX, t1 \
	ADCXQ BX, t2 \
	MULXQ 16(DI), AX, BX \
	ADOXQ AX, t2 \
	ADCXQ BX, t3 \
	MULXQ 24(DI), AX, BX \
	ADOXQ AX, t3 \
	ADCXQ BX, t4 \
	MOVQ  $0, AX \
	ADOXQ AX, t4 \
	ADCXQ AX, t5 \
	ADOXQ AX, t5

// MULQROUND is ADXROUND with MULQ and one carry chain; CX = the word of
// y, and BX carries between limbs.
#define MULQROUND(t0, t1, t2, t3, t4, t5) \
	XORQ t5, t5 \
	MOVQ 0(SI), AX \
	MULQ CX \
	ADDQ AX, t0 \
	ADCQ $0, DX \
	MOVQ DX, BX \
	MOVQ 8(SI), AX \
	MULQ CX \
	ADDQ BX, AX \
	ADCQ $0, DX \
	ADDQ AX, t1 \
	ADCQ $0, DX \
	MOVQ DX, BX \
	MOVQ 16(SI), AX \
	MULQ CX \
	ADDQ BX, AX \
	ADCQ $0, DX \
	ADDQ AX, t2 \
	ADCQ $0, DX \
	MOVQ DX, BX \
	MOVQ 24(SI), AX \
	MULQ CX \
	ADDQ BX, AX \
	ADCQ $0, DX \
	ADDQ AX, t3 \
	ADCQ $0, DX \
	ADDQ DX, t4 \
	ADCQ $0, t5 \
	MOVQ pInv+32(FP), CX \
	IMULQ t0, CX \
	MOVQ 0(DI), AX \
	MULQ CX \
	ADDQ AX, t0 \
	ADCQ $0, DX \
	MOVQ DX, BX \
	MOVQ 8(DI), AX \
	MULQ CX \
	ADDQ BX, AX \
	ADCQ $0, DX \
	ADDQ AX, t1 \
	ADCQ $0, DX \
	MOVQ DX, BX \
	MOVQ 16(DI), AX \
	MULQ CX \
	ADDQ BX, AX \
	ADCQ $0, DX \
	ADDQ AX, t2 \
	ADCQ $0, DX \
	MOVQ DX, BX \
	MOVQ 24(DI), AX \
	MULQ CX \
	ADDQ BX, AX \
	ADCQ $0, DX \
	ADDQ AX, t3 \
	ADCQ $0, DX \
	ADDQ DX, t4 \
	ADCQ $0, t5

// func mul4Asm(z, x, y, p *fe, pInv uint64)
TEXT ·mul4Asm(SB), NOSPLIT, $0-40
	MOVQ x+8(FP), SI
	MOVQ y+16(FP), CX
	MOVQ p+24(FP), DI
	XORQ R8, R8
	XORQ R9, R9
	XORQ R10, R10
	XORQ R11, R11
	XORQ R12, R12
	CMPB ·hasADX(SB), $1
	JNE  mulq

	MOVQ 0(CX), DX
	ADXROUND(R8, R9, R10, R11, R12, R13)
	MOVQ 8(CX), DX
	ADXROUND(R9, R10, R11, R12, R13, R8)
	MOVQ 16(CX), DX
	ADXROUND(R10, R11, R12, R13, R8, R9)
	MOVQ 24(CX), DX
	ADXROUND(R11, R12, R13, R8, R9, R10)
	JMP reduce

mulq:
	MOVQ 0(CX), CX
	MULQROUND(R8, R9, R10, R11, R12, R13)
	MOVQ y+16(FP), CX
	MOVQ 8(CX), CX
	MULQROUND(R9, R10, R11, R12, R13, R8)
	MOVQ y+16(FP), CX
	MOVQ 16(CX), CX
	MULQROUND(R10, R11, R12, R13, R8, R9)
	MOVQ y+16(FP), CX
	MOVQ 24(CX), CX
	MULQROUND(R11, R12, R13, R8, R9, R10)

reduce:
	// t = R12, R13, R8, R9 with top word R10, t < 2p: subtract p and keep
	// t instead (CMOV, no branch) when that borrows.
	MOVQ R12, AX
	SUBQ 0(DI), AX
	MOVQ R13, BX
	SBBQ 8(DI), BX
	MOVQ R8, CX
	SBBQ 16(DI), CX
	MOVQ R9, DX
	SBBQ 24(DI), DX
	SBBQ $0, R10
	CMOVQCS R12, AX
	CMOVQCS R13, BX
	CMOVQCS R8, CX
	CMOVQCS R9, DX
	MOVQ z+0(FP), SI
	MOVQ AX, 0(SI)
	MOVQ BX, 8(SI)
	MOVQ CX, 16(SI)
	MOVQ DX, 24(SI)
	RET

// func cpuid(leaf, sub uint32) (eax, ebx, ecx, edx uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL leaf+0(FP), AX
	MOVL sub+4(FP), CX
	CPUID
	MOVL AX, eax+8(FP)
	MOVL BX, ebx+12(FP)
	MOVL CX, ecx+16(FP)
	MOVL DX, edx+20(FP)
	RET
