package brainpool

// The point formulas, written once against the field's dispatching
// methods. gen_formulas.go copies them into formulas_generated.go with
// every field call bound to the 4-limb functions and "Any" renamed "L4";
// edit this file and run go generate, never the copy.

//go:generate go run gen_formulas.go

// doubleAny sets r = 2p for an arbitrary curve coefficient a
// (dbl-1998-cmo-2, Cohen, Miyaji and Ono):
//
//	S = 4·X·Y², M = 3·X² + a·Z⁴, X' = M² − 2S, Y' = M·(S − X') − 8·Y⁴, Z' = 2·Y·Z
func (c *arith) doubleAny(r, p *jacobian) {
	f := c.f
	if p.z.isZero() || p.y.isZero() {
		// Y = 0 would be a point of order 2; brainpool curves have prime
		// order, but the result is still the point at infinity.
		*r = jacobian{}
		return
	}
	if c.aIsMinus3 {
		c.doubleMinus3Any(r, p)
		return
	}
	var xx, yy, zz, s, m, t, y4 fe
	f.sqr(&xx, &p.x)
	f.sqr(&yy, &p.y)
	f.sqr(&zz, &p.z)

	f.mul(&s, &p.x, &yy)
	f.add(&s, &s, &s)
	f.add(&s, &s, &s) // S = 4·X·Y²

	f.sqr(&t, &zz)
	f.mul(&t, &t, &c.a) // a·Z⁴
	f.add(&m, &xx, &xx)
	f.add(&m, &m, &xx)
	f.add(&m, &m, &t) // M = 3·X² + a·Z⁴

	var z3 fe
	f.mul(&z3, &p.y, &p.z)
	f.add(&z3, &z3, &z3) // Z' = 2·Y·Z (before r may overwrite p)

	f.sqr(&y4, &yy)
	f.add(&y4, &y4, &y4)
	f.add(&y4, &y4, &y4)
	f.add(&y4, &y4, &y4) // 8·Y⁴

	var x3, y3 fe
	f.sqr(&x3, &m)
	f.sub(&x3, &x3, &s)
	f.sub(&x3, &x3, &s) // X' = M² − 2S

	f.sub(&y3, &s, &x3)
	f.mul(&y3, &y3, &m)
	f.sub(&y3, &y3, &y4) // Y' = M·(S − X') − 8·Y⁴

	r.x, r.y, r.z = x3, y3, z3
}

// doubleMinus3Any is doubleAny for a = −3: dbl-2001-b of Bernstein and
// Lange's Explicit-Formulas Database (3M + 5S) rearranged to 4M + 4S and
// fewer additions by working with 2Y: with Y₂ = 2Y, 4γ = Y₂², 4β = X·Y₂²,
//
//	α = 3·(X − Z²)·(X + Z²), X' = α² − 2·4β, Z' = Y₂·Z,
//	Y' = α·(4β − X') − (4γ)²/2
func (c *arith) doubleMinus3Any(r, p *jacobian) {
	f := c.f
	var delta, y2, g4, b4, alpha, t, x3, y3, z3 fe
	f.sqr(&delta, &p.z)
	f.add(&y2, &p.y, &p.y)
	f.mul(&z3, &y2, &p.z) // Z' = 2·Y·Z
	f.sqr(&g4, &y2)       // 4γ = 4·Y²
	f.mul(&b4, &p.x, &g4) // 4β = 4·X·Y²

	f.sub(&t, &p.x, &delta)
	f.add(&alpha, &p.x, &delta)
	f.mul(&alpha, &alpha, &t)
	f.add(&t, &alpha, &alpha)
	f.add(&alpha, &alpha, &t) // α = 3·(X − δ)·(X + δ)

	f.sqr(&x3, &alpha)
	f.sub(&x3, &x3, &b4)
	f.sub(&x3, &x3, &b4) // X' = α² − 8β

	f.sub(&y3, &b4, &x3)
	f.mul(&y3, &y3, &alpha)
	f.sqr(&g4, &g4)
	f.half(&g4, &g4)     // 8γ² = (4γ)²/2
	f.sub(&y3, &y3, &g4) // Y' = α·(4β − X') − 8γ²

	r.x, r.y, r.z = x3, y3, z3
}

// addAny sets r = p + q (add-1998-cmo-2), handling the point at infinity,
// p = q (doubling) and p = −q. When q.z is one it skips the Z₂ products
// (mixed addition).
func (c *arith) addAny(r, p, q *jacobian) {
	f := c.f
	if p.z.isZero() {
		*r = *q
		return
	}
	if q.z.isZero() {
		*r = *p
		return
	}
	qAffine := q.z.equal(&f.one)

	var z1z1, u1, u2, s1, s2 fe
	f.sqr(&z1z1, &p.z)
	if qAffine {
		u1, s1 = p.x, p.y
	} else {
		var z2z2 fe
		f.sqr(&z2z2, &q.z)
		f.mul(&u1, &p.x, &z2z2)
		f.mul(&s1, &p.y, &z2z2)
		f.mul(&s1, &s1, &q.z) // S1 = Y1·Z2³
	}
	f.mul(&u2, &q.x, &z1z1)
	f.mul(&s2, &q.y, &z1z1)
	f.mul(&s2, &s2, &p.z) // S2 = Y2·Z1³

	var h, rr fe
	f.sub(&h, &u2, &u1)
	f.sub(&rr, &s2, &s1)
	if h.isZero() {
		if rr.isZero() {
			c.doubleAny(r, p)
			return
		}
		*r = jacobian{} // p = −q
		return
	}

	var hh, hhh, v, x3, y3, z3 fe
	f.sqr(&hh, &h)
	f.mul(&hhh, &hh, &h)
	f.mul(&v, &u1, &hh)

	f.sqr(&x3, &rr)
	f.sub(&x3, &x3, &hhh)
	f.sub(&x3, &x3, &v)
	f.sub(&x3, &x3, &v) // X3 = R² − H³ − 2·U1·H²

	f.sub(&y3, &v, &x3)
	f.mul(&y3, &y3, &rr)
	f.mul(&s1, &s1, &hhh)
	f.sub(&y3, &y3, &s1) // Y3 = R·(V − X3) − S1·H³

	if qAffine {
		f.mul(&z3, &p.z, &h)
	} else {
		f.mul(&z3, &p.z, &q.z)
		f.mul(&z3, &z3, &h) // Z3 = Z1·Z2·H
	}
	r.x, r.y, r.z = x3, y3, z3
}
