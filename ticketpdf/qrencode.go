package ticketpdf

import (
	"sync"

	"github.com/skip2/go-qrcode"
)

// This file encodes QR symbols (ISO/IEC 18004): a text in byte mode, at any error
// correction level, in the smallest of versions 1 to 40 that holds it, with the mask of
// the lowest penalty. It is ours rather than go-qrcode's because a confirmation mail's
// ticket spent a quarter of its CPU in go-qrcode's symbol (its Reed-Solomon allocates a
// polynomial a step, its mask penalties read the symbol module by module through
// bitsets). Here what a version's symbols share (the function patterns, where each data
// bit goes, the eight masks over the data bits) is drawn once per version and kept, the
// error correction uses log tables, and the penalties scan plain slices. The modules are
// those go-qrcode draws for the same mask (TestQRMatchesGoQRCode); the penalty rules are
// the standard's, so the chosen mask may differ where go-qrcode scores differently.

// qrBlocks[level][v] is the version's error correction: codewords a block, and blocks
// (ISO/IEC 18004, table 9), by go-qrcode's level order L, M, Q, H.
var qrBlocks = [4][41]struct{ ec, blocks uint8 }{}

func init() {
	ec := [4][41]uint8{
		{0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30},
		{0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28},
		{0, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30},
		{0, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30},
	}
	blocks := [4][41]uint8{
		{0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25},
		{0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49},
		{0, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68},
		{0, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81},
	}
	for l := range qrBlocks {
		for v := range qrBlocks[l] {
			qrBlocks[l][v].ec, qrBlocks[l][v].blocks = ec[l][v], blocks[l][v]
		}
	}
}

// qrFormatLevel is each level's two bits in the format information.
var qrFormatLevel = [4]int{qrcode.Low: 1, qrcode.Medium: 0, qrcode.High: 3, qrcode.Highest: 2}

// qrRawModules returns how many modules of a version's symbol carry data and error
// correction: all but the function patterns and the format and version information.
func qrRawModules(v int) int {
	n := (16*v+128)*v + 64
	if v >= 2 {
		align := v/7 + 2
		n -= (25*align-10)*align - 55
		if v >= 7 {
			n -= 36
		}
	}
	return n
}

// qrDataCodewords returns how many data codewords a version holds at a level.
func qrDataCodewords(v int, level qrcode.RecoveryLevel) int {
	b := qrBlocks[level][v]
	return qrRawModules(v)/8 - int(b.ec)*int(b.blocks)
}

// qrCountBits is the width of byte mode's character count in a version.
func qrCountBits(v int) int {
	if v < 10 {
		return 8
	}
	return 16
}

// qrFitVersion returns the smallest version that holds n bytes in byte mode at the
// level, 0 when none does.
func qrFitVersion(n int, level qrcode.RecoveryLevel) int {
	for v := 1; v <= 40; v++ {
		if 4+qrCountBits(v)+8*n <= 8*qrDataCodewords(v, level) {
			return v
		}
	}
	return 0
}

// encodeQR builds the symbol of text in version v at the level, with the mask of the
// lowest penalty; mask 0 to 7 forces that mask instead (tests compare masks with go-qrcode).
func encodeQR(text string, v int, level qrcode.RecoveryLevel, mask int) *qrSymbol {
	t := qrTemplates[v]()
	words := qrCodewords(text, v, level)
	s := &qrSymbol{size: t.size, dark: make([]bool, len(t.base))}
	if mask >= 0 {
		t.draw(s.dark, words, level, mask)
		return s
	}
	data, grid, score := t.dataGrid(words), newQRGrid(t.size), newQRScorer(t.size)
	best, bestMask := -1, 0
	for m := range 8 {
		t.maskGrid(grid, data, level, m)
		if p := score.penalty(grid); best < 0 || p < best {
			best, bestMask = p, m
		}
	}
	t.draw(s.dark, words, level, bestMask)
	return s
}

// qrTemplate is what every symbol of one version shares.
type qrTemplate struct {
	size     int
	base     []bool     // the function patterns, format information light
	grid     *qrGrid    // base as bit sets
	maskBits [8]*qrGrid // each mask's inverted data modules as bit sets
	function []bool     // which modules are function patterns or format and version information
	order    []int32    // the data modules, in the order the bits go
	orderBit []qrBit    // the same in a grid
	masks    [8][]byte  // each mask over the data bits, eight bits a byte as codewords are
	format   [4][8]int  // the 15 format bits by level and mask
	formatAt [2][15]int // where the two copies of each format bit go
}

// qrTemplates[v] returns version v's template, drawn on first use.
var qrTemplates = func() (t [41]func() *qrTemplate) {
	for v := 1; v <= 40; v++ {
		t[v] = sync.OnceValue(func() *qrTemplate { return newQRTemplate(v) })
	}
	return t
}()

func newQRTemplate(v int) *qrTemplate {
	n := 17 + 4*v
	t := &qrTemplate{size: n, base: make([]bool, n*n), function: make([]bool, n*n)}
	t.drawTiming()
	for _, c := range [][2]int{{3, 3}, {n - 4, 3}, {3, n - 4}} {
		t.drawFinder(c[0], c[1])
	}
	t.drawAlignments(v)
	t.reserveFormat()
	t.drawVersion(v)
	t.placeOrder()
	t.drawMasks()
	t.orderBit = make([]qrBit, len(t.order))
	for i, at := range t.order {
		t.orderBit[i] = qrBitAt(int(at)%n, int(at)/n)
	}
	t.grid = newQRGrid(n)
	for i, dark := range t.base {
		if dark {
			t.grid.setDark(i%n, i/n)
		}
	}
	for m := range t.maskBits {
		t.maskBits[m] = t.dataGrid(nil)
		for i, at := range t.orderBit {
			if t.masks[m][i/8]&(0x80>>(i%8)) != 0 {
				t.maskBits[m].set(at)
			}
		}
	}
	return t
}

func (t *qrTemplate) set(x, y int, dark bool) {
	t.base[y*t.size+x] = dark
	t.function[y*t.size+x] = true
}

func (t *qrTemplate) drawTiming() {
	for i := range t.size {
		t.set(6, i, i%2 == 0)
		t.set(i, 6, i%2 == 0)
	}
}

// drawFinder draws a finder pattern centred on (cx, cy), with its light separator.
func (t *qrTemplate) drawFinder(cx, cy int) {
	for dy := -4; dy <= 4; dy++ {
		for dx := -4; dx <= 4; dx++ {
			x, y := cx+dx, cy+dy
			if x >= 0 && y >= 0 && x < t.size && y < t.size {
				d := max(abs(dx), abs(dy))
				t.set(x, y, d != 2 && d != 4)
			}
		}
	}
}

// drawAlignments draws the alignment patterns of version v, all but the three that
// would overlap the finder patterns.
func (t *qrTemplate) drawAlignments(v int) {
	at := qrAlignments(v)
	last := len(at) - 1
	for i, cx := range at {
		for j, cy := range at {
			if (i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0) {
				continue
			}
			for dy := -2; dy <= 2; dy++ {
				for dx := -2; dx <= 2; dx++ {
					t.set(cx+dx, cy+dy, max(abs(dx), abs(dy)) != 1)
				}
			}
		}
	}
}

// qrAlignments returns the rows (and columns) of version v's alignment pattern centres:
// 6, then evenly spaced up to size-7, the spacing even and rounded up.
func qrAlignments(v int) []int {
	if v == 1 {
		return nil
	}
	count := v/7 + 2
	step := (v*8 + count*3 + 5) / (count*4 - 4) * 2
	at := make([]int, count)
	at[0] = 6
	for i, pos := count-1, 17+4*v-7; i >= 1; i, pos = i-1, pos-step {
		at[i] = pos
	}
	return at
}

// reserveFormat marks where the format information goes (drawn per mask) and draws the
// dark module beside it.
func (t *qrTemplate) reserveFormat() {
	n := t.size
	for i := range 15 {
		var a, b [2]int // (x, y) of the copy by the top-left finder, and of the other
		switch {
		case i <= 5:
			a = [2]int{8, i}
		case i == 6:
			a = [2]int{8, 7}
		case i == 7:
			a = [2]int{8, 8}
		case i == 8:
			a = [2]int{7, 8}
		default:
			a = [2]int{14 - i, 8}
		}
		if i < 8 {
			b = [2]int{n - 1 - i, 8}
		} else {
			b = [2]int{8, n - 15 + i}
		}
		t.formatAt[0][i], t.formatAt[1][i] = a[1]*n+a[0], b[1]*n+b[0]
		t.set(a[0], a[1], false)
		t.set(b[0], b[1], false)
	}
	t.set(8, n-8, true)
	for l := range t.format {
		for m := range t.format[l] {
			t.format[l][m] = qrFormatBits(qrFormatLevel[l]<<3 | m)
		}
	}
}

// qrFormatBits is the 15-bit format information of 5 data bits: BCH(15,5), masked.
func qrFormatBits(data int) int {
	rem := data
	for range 10 {
		rem = rem<<1 ^ (rem>>9)*0x537
	}
	return (data<<10 | rem) ^ 0x5412
}

// drawVersion draws the version information of versions 7 and up, BCH(18,6), twice.
func (t *qrTemplate) drawVersion(v int) {
	if v < 7 {
		return
	}
	rem := v
	for range 12 {
		rem = rem<<1 ^ (rem>>11)*0x1f25
	}
	bits := v<<12 | rem
	for i := range 18 {
		dark := bits>>i&1 == 1
		a, b := t.size-11+i%3, i/3
		t.set(a, b, dark)
		t.set(b, a, dark)
	}
}

// placeOrder lists the data modules in the order the bits go: two columns at a time from
// the right, upwards then downwards, skipping the vertical timing pattern.
func (t *qrTemplate) placeOrder() {
	n := t.size
	t.order = make([]int32, 0, n*n)
	for right := n - 1; right >= 1; right -= 2 {
		if right == 6 {
			right = 5
		}
		upward := (right+1)&2 == 0
		for i := range n {
			y := i
			if upward {
				y = n - 1 - i
			}
			for x := right; x > right-2; x-- {
				if !t.function[y*n+x] {
					t.order = append(t.order, int32(y*n+x))
				}
			}
		}
	}
}

// qrMasks are the eight data masks: true where a data module is inverted.
var qrMasks = [8]func(x, y int) bool{
	func(x, y int) bool { return (x+y)%2 == 0 },
	func(x, y int) bool { return y%2 == 0 },
	func(x, y int) bool { return x%3 == 0 },
	func(x, y int) bool { return (x+y)%3 == 0 },
	func(x, y int) bool { return (y/2+x/3)%2 == 0 },
	func(x, y int) bool { return x*y%2+x*y%3 == 0 },
	func(x, y int) bool { return (x*y%2+x*y%3)%2 == 0 },
	func(x, y int) bool { return ((x+y)%2+x*y%3)%2 == 0 },
}

// drawMasks lays each mask over the data bits, packed as the codewords are.
func (t *qrTemplate) drawMasks() {
	for m, inverts := range qrMasks {
		bits := make([]byte, (len(t.order)+7)/8)
		for i, at := range t.order {
			if inverts(int(at)%t.size, int(at)/t.size) {
				bits[i/8] |= 0x80 >> (i % 8)
			}
		}
		t.masks[m] = bits
	}
}

// draw writes into dark the symbol of the codewords under the mask, with its format
// information.
func (t *qrTemplate) draw(dark []bool, words []byte, level qrcode.RecoveryLevel, mask int) {
	copy(dark, t.base)
	bits := t.masks[mask]
	for i, at := range t.order {
		b := bits[i/8]
		if i/8 < len(words) {
			b ^= words[i/8]
		}
		dark[at] = b&(0x80>>(i%8)) != 0
	}
	format := t.format[level][mask]
	for i := range 15 {
		on := format>>i&1 == 1
		dark[t.formatAt[0][i]], dark[t.formatAt[1][i]] = on, on
	}
}

// dataGrid returns the data modules of the codewords, unmasked, as bit sets.
func (t *qrTemplate) dataGrid(words []byte) *qrGrid {
	g := newQRGrid(t.size)
	for i, w := range words {
		for b, at := range t.orderBit[8*i : 8*i+8] {
			if w&(0x80>>b) != 0 {
				g.set(at)
			}
		}
	}
	return g
}

// maskGrid writes into g the symbol of the data modules under the mask with its format
// information, as draw does, for scoring: masking the data is one exclusive or a word.
func (t *qrTemplate) maskGrid(g, data *qrGrid, level qrcode.RecoveryLevel, mask int) {
	m := t.maskBits[mask]
	for i := range g.rows {
		g.rows[i] = t.grid.rows[i] | data.rows[i] ^ m.rows[i]
		g.cols[i] = t.grid.cols[i] | data.cols[i] ^ m.cols[i]
	}
	format := t.format[level][mask]
	for i := range 15 {
		if format>>i&1 == 1 {
			for _, at := range t.formatAt {
				g.setDark(at[i]%t.size, at[i]/t.size)
			}
		}
	}
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
