package pdf

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// This file knows the three embedded Go fonts: which glyph draws each character, how wide
// it is, and how to cut a font down to the glyphs a document used for embedding.

// Font names one of the embedded Go fonts. Every document embeds all three, each cut
// down to the glyphs its pages drew.
type Font int

// The fonts.
const (
	Regular Font = iota // Go Regular
	Bold                // Go Bold
	Mono                // Go Mono, fixed pitch
	numFonts
)

// fontFace is the metrics of one TrueType font, read once per process.
type fontFace struct {
	baseName   string // PostScript name in the PDF
	ttf        []byte
	unitsPerEm float64
	glyph      []uint16 // glyph index of every BMP character, 0 for none
	advance    []uint16 // advance width of every glyph, in font units
	ascent     int      // in thousandths of an em, for the font descriptor
	descent    int
	capHeight  int
	bbox       [4]int
	fixedPitch bool
}

var faceSources = [numFonts]struct {
	name  string
	ttf   []byte
	fixed bool
}{
	Regular: {"GoRegular", goregular.TTF, false},
	Bold:    {"GoBold", gobold.TTF, false},
	Mono:    {"GoMono", gomono.TTF, true},
}

var faces [numFonts]func() *fontFace

func init() {
	for id := range faces {
		src := faceSources[id]
		faces[id] = sync.OnceValue(func() *fontFace { return mustLoadFace(src.name, src.ttf, src.fixed) })
	}
}

// face returns the metrics of the font, loading them on first use.
func (id Font) face() *fontFace { return faces[id]() }

// Has reports whether the font has a glyph for r. The Go fonts cover WGL4: Latin, Greek,
// Cyrillic and common symbols; a character without a glyph draws as an empty box.
func (id Font) Has(r rune) bool { return id.face().glyphOf(r) != 0 }

// mustLoadFace reads the metrics of an embedded font; the fonts are part of the binary,
// so a failure is a build fault and panics at first use in every test.
func mustLoadFace(name string, ttf []byte, fixedPitch bool) *fontFace {
	f, err := sfnt.Parse(ttf)
	if err != nil {
		panic(fmt.Sprintf("embedded font %s: %v", name, err))
	}
	var buf sfnt.Buffer
	upem := fixed.Int26_6(f.UnitsPerEm()) << 6 // ppem = units per em: metrics in font units
	face := &fontFace{baseName: name, ttf: ttf, unitsPerEm: float64(f.UnitsPerEm()),
		glyph: make([]uint16, 0x10000), advance: make([]uint16, f.NumGlyphs()), fixedPitch: fixedPitch}
	for r := rune(0); r < 0x10000; r++ {
		if g, err := f.GlyphIndex(&buf, r); err == nil {
			face.glyph[r] = uint16(g)
		}
	}
	for g := range face.advance {
		if adv, err := f.GlyphAdvance(&buf, sfnt.GlyphIndex(g), upem, font.HintingNone); err == nil {
			face.advance[g] = uint16(adv >> 6)
		}
	}
	face.readMetrics(f, &buf, upem)
	return face
}

func (face *fontFace) readMetrics(f *sfnt.Font, buf *sfnt.Buffer, upem fixed.Int26_6) {
	thousandths := func(v fixed.Int26_6) int { return int(float64(v>>6) * 1000 / face.unitsPerEm) }
	if m, err := f.Metrics(buf, upem, font.HintingNone); err == nil {
		face.ascent, face.descent, face.capHeight = thousandths(m.Ascent), -thousandths(m.Descent), thousandths(m.CapHeight)
	}
	if b, err := f.Bounds(buf, upem, font.HintingNone); err == nil {
		// sfnt's bounds are y-down; PDF's FontBBox is y-up.
		face.bbox = [4]int{thousandths(b.Min.X), -thousandths(b.Max.Y), thousandths(b.Max.X), -thousandths(b.Min.Y)}
	}
}

// glyphOf returns the glyph of r, 0 (.notdef) when the font has none.
func (face *fontFace) glyphOf(r rune) uint16 {
	if r < 0 || r >= 0x10000 {
		return 0
	}
	return face.glyph[r]
}

// width returns the advance of glyph g in thousandths of an em.
func (face *fontFace) width(g uint16) float64 {
	if int(g) >= len(face.advance) {
		return 0
	}
	return float64(face.advance[g]) * 1000 / face.unitsPerEm
}

// stringWidth returns the width of s at size points, in points.
func (face *fontFace) stringWidth(s string, size float64) float64 {
	var w float64
	for _, r := range s {
		w += face.width(face.glyphOf(r))
	}
	return w * size / 1000
}

// TrueType table layout used when cutting a font down.
const (
	ttfHeadIndexToLoc  = 50 // int16 in head: 0 short loca, 1 long loca
	ttfHeadCheckAdjust = 8  // uint32 in head
	ttfMaxpNumGlyphs   = 4  // uint16 in maxp
)

type ttfTable struct {
	tag  string
	data []byte
}

var errBadFont = errors.New("malformed TrueType font")

// readTables splits a TrueType font into its tables.
func readTables(ttf []byte) ([]ttfTable, error) {
	if len(ttf) < 12 {
		return nil, errBadFont
	}
	n := int(binary.BigEndian.Uint16(ttf[4:]))
	if len(ttf) < 12+16*n {
		return nil, errBadFont
	}
	tables := make([]ttfTable, n)
	for i := range tables {
		rec := ttf[12+16*i:]
		off, size := binary.BigEndian.Uint32(rec[8:]), binary.BigEndian.Uint32(rec[12:])
		if uint64(off)+uint64(size) > uint64(len(ttf)) {
			return nil, errBadFont
		}
		tables[i] = ttfTable{tag: string(rec[:4]), data: ttf[off : off+size]}
	}
	return tables, nil
}

func findTable(tables []ttfTable, tag string) []byte {
	for _, t := range tables {
		if t.tag == tag {
			return t.data
		}
	}
	return nil
}

// glyphRanges returns the byte range in glyf of every glyph, from loca.
func glyphRanges(tables []ttfTable) ([][2]uint32, error) {
	head, maxp, loca := findTable(tables, "head"), findTable(tables, "maxp"), findTable(tables, "loca")
	if len(head) < 54 || len(maxp) < 6 {
		return nil, errBadFont
	}
	n := int(binary.BigEndian.Uint16(maxp[ttfMaxpNumGlyphs:]))
	long := binary.BigEndian.Uint16(head[ttfHeadIndexToLoc:]) == 1
	at := func(i int) uint32 {
		if long {
			return binary.BigEndian.Uint32(loca[4*i:])
		}
		return 2 * uint32(binary.BigEndian.Uint16(loca[2*i:]))
	}
	if (long && len(loca) < 4*(n+1)) || (!long && len(loca) < 2*(n+1)) {
		return nil, errBadFont
	}
	ranges := make([][2]uint32, n)
	for i := range ranges {
		ranges[i] = [2]uint32{at(i), at(i + 1)}
	}
	return ranges, nil
}

// compositeParts returns the glyphs a composite glyph is built from; none for a simple
// glyph.
func compositeParts(glyph []byte) []uint16 {
	if len(glyph) < 10 || int16(binary.BigEndian.Uint16(glyph)) >= 0 {
		return nil
	}
	var parts []uint16
	for p := 10; p+4 <= len(glyph); {
		flags := binary.BigEndian.Uint16(glyph[p:])
		parts = append(parts, binary.BigEndian.Uint16(glyph[p+2:]))
		p += 4
		if flags&0x0001 != 0 { // ARG_1_AND_2_ARE_WORDS
			p += 4
		} else {
			p += 2
		}
		switch {
		case flags&0x0008 != 0: // WE_HAVE_A_SCALE
			p += 2
		case flags&0x0040 != 0: // WE_HAVE_AN_X_AND_Y_SCALE
			p += 4
		case flags&0x0080 != 0: // WE_HAVE_A_TWO_BY_TWO
			p += 8
		}
		if flags&0x0020 == 0 { // MORE_COMPONENTS
			break
		}
	}
	return parts
}

// subsetFont returns the font with every glyph outside used emptied: glyph indexes stay
// the same (so the PDF can map characters to glyphs one to one) while the outlines of
// unused glyphs are dropped. Components of used composite glyphs are kept.
func subsetFont(ttf []byte, used []bool) ([]byte, error) {
	tables, err := readTables(ttf)
	if err != nil {
		return nil, err
	}
	ranges, err := glyphRanges(tables)
	if err != nil {
		return nil, err
	}
	glyf := findTable(tables, "glyf")
	keep := keptGlyphs(glyf, ranges, used)
	newGlyf, newLoca := make([]byte, 0, len(glyf)/4), make([]byte, 0, 4*(len(ranges)+1))
	for g, r := range ranges {
		newLoca = binary.BigEndian.AppendUint32(newLoca, uint32(len(newGlyf)))
		if keep[g] && r[0] <= r[1] && int(r[1]) <= len(glyf) {
			newGlyf = append(newGlyf, glyf[r[0]:r[1]]...)
			for len(newGlyf)%4 != 0 {
				newGlyf = append(newGlyf, 0)
			}
		}
	}
	newLoca = binary.BigEndian.AppendUint32(newLoca, uint32(len(newGlyf)))
	var kept []ttfTable
	for _, t := range tables {
		switch t.tag {
		case "name", "gasp": // font names and grid fitting: not used in a PDF
			continue
		case "post":
			if len(t.data) < 32 {
				return nil, errBadFont
			}
			post := append([]byte(nil), t.data[:32]...) // version 3: no glyph names
			binary.BigEndian.PutUint32(post, 0x00030000)
			t.data = post
		case "glyf":
			t.data = newGlyf
		case "loca":
			t.data = newLoca
		case "head":
			head := append([]byte(nil), t.data...)
			binary.BigEndian.PutUint16(head[ttfHeadIndexToLoc:], 1)
			binary.BigEndian.PutUint32(head[ttfHeadCheckAdjust:], 0)
			t.data = head
		}
		kept = append(kept, t)
	}
	return writeTables(binary.BigEndian.Uint32(ttf), kept), nil
}

// keptGlyphs is used plus .notdef plus every component of a kept composite glyph.
func keptGlyphs(glyf []byte, ranges [][2]uint32, used []bool) []bool {
	keep := make([]bool, len(ranges))
	var todo []uint16
	mark := func(g uint16) {
		if int(g) < len(keep) && !keep[g] {
			keep[g] = true
			todo = append(todo, g)
		}
	}
	mark(0)
	for g, u := range used {
		if u {
			mark(uint16(g))
		}
	}
	for len(todo) > 0 {
		g := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if r := ranges[g]; r[0] < r[1] && int(r[1]) <= len(glyf) {
			for _, part := range compositeParts(glyf[r[0]:r[1]]) {
				mark(part)
			}
		}
	}
	return keep
}

// writeTables assembles a TrueType font of the sfnt version from its tables (sorted by
// tag, as read), with checksums and the head checksum adjustment.
func writeTables(version uint32, tables []ttfTable) []byte {
	n := len(tables)
	pow := 1
	for pow*2 <= n {
		pow *= 2
	}
	out := binary.BigEndian.AppendUint32(nil, version)
	out = binary.BigEndian.AppendUint16(out, uint16(n))
	out = binary.BigEndian.AppendUint16(out, uint16(16*pow))                // searchRange
	out = binary.BigEndian.AppendUint16(out, uint16(bits.Len(uint(pow))-1)) // entrySelector
	out = binary.BigEndian.AppendUint16(out, uint16(16*n-16*pow))           // rangeShift
	offset := 12 + 16*len(tables)
	out = append(out, make([]byte, 16*len(tables))...)
	headAt := -1
	for i, t := range tables {
		rec := out[12+16*i:]
		copy(rec, t.tag)
		binary.BigEndian.PutUint32(rec[4:], ttfChecksum(t.data))
		binary.BigEndian.PutUint32(rec[8:], uint32(offset))
		binary.BigEndian.PutUint32(rec[12:], uint32(len(t.data)))
		if t.tag == "head" {
			headAt = offset
		}
		out = append(out, t.data...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
		offset = len(out)
	}
	if headAt >= 0 {
		binary.BigEndian.PutUint32(out[headAt+ttfHeadCheckAdjust:], 0xB1B0AFBA-ttfChecksum(out))
	}
	return out
}

// ttfChecksum is the TrueType checksum: the sum of big-endian uint32 words, zero padded.
func ttfChecksum(b []byte) uint32 {
	var sum uint32
	for i := 0; i < len(b); i += 4 {
		var word [4]byte
		copy(word[:], b[i:])
		sum += binary.BigEndian.Uint32(word[:])
	}
	return sum
}
