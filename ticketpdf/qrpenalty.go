package ticketpdf

import "math/bits"

// This file scores a drawn QR symbol as ISO/IEC 18004 (7.8.3) does to choose its mask
// (the lowest score wins): runs of five or more modules of one colour in a row or column,
// 2×2 blocks of one colour, finder-like patterns 1:1:3:1:1 with four light modules on a
// side (outside the symbol counts as light), and a share of dark modules away from half.
// Each row and column is a bit set, so that the rules are a few word operations a line
// instead of a few operations a module: the eight masks are scored in a small part of
// the symbol's cost.

// qrLine is one row or column of a symbol, module i at bit i+4: four light modules pad
// each side, the width of the longest symbol (177) and its padding fit in 192 bits.
type qrLine [3]uint64

// qrGrid is a symbol as bit sets: its rows, and its columns, each a qrLine of three
// words, one after the other.
type qrGrid struct {
	size       int
	rows, cols []uint64
}

func newQRGrid(size int) *qrGrid {
	return &qrGrid{size: size, rows: make([]uint64, 3*size), cols: make([]uint64, 3*size)}
}

func (g *qrGrid) row(y int) qrLine { return qrLine(g.rows[3*y : 3*y+3]) }
func (g *qrGrid) col(x int) qrLine { return qrLine(g.cols[3*x : 3*x+3]) }

// setDark makes module (x, y) dark.
func (g *qrGrid) setDark(x, y int) { g.set(qrBitAt(x, y)) }

// qrBit is where a module is in a grid: its row's word and bit, its column's word and bit.
type qrBit struct {
	row, col       int32
	rowBit, colBit uint8
}

func qrBitAt(x, y int) qrBit {
	return qrBit{row: int32(y*3 + (x+4)/64), rowBit: uint8((x + 4) % 64), col: int32(x*3 + (y+4)/64), colBit: uint8((y + 4) % 64)}
}

// set makes the module at b dark.
func (g *qrGrid) set(b qrBit) {
	g.rows[b.row] |= 1 << b.rowBit
	g.cols[b.col] |= 1 << b.colBit
}

// down returns l with module i+k at i (k < 64).
func (l qrLine) down(k uint) qrLine {
	return qrLine{l[0]>>k | l[1]<<(64-k), l[1]>>k | l[2]<<(64-k), l[2] >> k}
}

// up returns l with module i-k at i (k < 64).
func (l qrLine) up(k uint) qrLine {
	return qrLine{l[0] << k, l[1]<<k | l[0]>>(64-k), l[2]<<k | l[1]>>(64-k)}
}

func (l qrLine) and(m qrLine) qrLine { return qrLine{l[0] & m[0], l[1] & m[1], l[2] & m[2]} }
func (l qrLine) or(m qrLine) qrLine  { return qrLine{l[0] | m[0], l[1] | m[1], l[2] | m[2]} }

// same returns the positions where l and m are of one colour.
func (l qrLine) same(m qrLine) qrLine { return qrLine{^(l[0] ^ m[0]), ^(l[1] ^ m[1]), ^(l[2] ^ m[2])} }
func (l qrLine) not() qrLine          { return qrLine{^l[0], ^l[1], ^l[2]} }

func (l qrLine) count() int {
	return bits.OnesCount64(l[0]) + bits.OnesCount64(l[1]) + bits.OnesCount64(l[2])
}

// qrSpan returns the line with the bits of modules from to to (inclusive) set.
func qrSpan(from, to int) qrLine {
	var l qrLine
	for i := from + 4; i <= to+4; i++ {
		l[i/64] |= 1 << (i % 64)
	}
	return l
}

// qrScorer holds what scoring symbols of one size needs.
type qrScorer struct {
	pairs   qrLine // modules i with i and i+1 in the symbol
	finders qrLine // modules where a seven-module pattern can start
}

func newQRScorer(size int) qrScorer {
	return qrScorer{pairs: qrSpan(0, size-2), finders: qrSpan(0, size-7)}
}

// penalty scores the symbol.
func (s qrScorer) penalty(g *qrGrid) int {
	score, dark := 0, 0
	for i := range g.size {
		r := g.row(i)
		score += s.line(r) + s.line(g.col(i))
		dark += r.count()
	}
	for y := range g.size - 1 {
		a, b := g.row(y), g.row(y+1)
		blocks := a.same(a.down(1)).and(a.same(b)).and(b.same(b.down(1))).and(s.pairs)
		score += 3 * blocks.count()
	}
	total := g.size * g.size
	return score + 10*(abs(dark*100-total*50)/(total*5))
}

// line scores one row or column: 3 for a run of five modules of one colour and 1 for each
// module more; 40 for each finder-like pattern.
func (s qrScorer) line(l qrLine) int {
	next := l.down(1)
	eq := l.same(next).and(s.pairs) // module i is of i+1's colour
	two := eq.and(eq.down(1))
	four := two.and(two.down(2)) // i to i+4: five of one colour
	// a run of n >= 5 has n-4 such starts, the first of them not preceded by one: n-2 in all
	score := four.count() + 2*four.and(four.up(1).not()).count()
	// the pattern dark, light, dark, dark, dark, light, dark from i on: "dark, light" at i
	// and i+4, "dark, dark" at i+2, dark at i+6
	darkLight, darkDark := l.and(next.not()), l.and(next)
	core := darkLight.and(darkLight.down(4)).and(darkDark.down(2)).and(l.down(6)).and(s.finders)
	if core == (qrLine{}) {
		return score
	}
	light := l.not()
	twoLight := light.and(light.down(1))
	fourLight := twoLight.and(twoLight.down(2)) // i to i+3 light
	return score + 40*core.and(fourLight.up(4).or(fourLight.down(7))).count()
}
