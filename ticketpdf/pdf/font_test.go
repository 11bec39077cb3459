package pdf

import (
	"testing"
	"time"

	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// TestSubsetFont cuts Go Regular down to the glyphs of a name and checks with sfnt that
// the result is a valid font with the same glyph indexes, the used outlines (and the
// parts of composite glyphs such as ë) intact, and the others empty.
func TestSubsetFont(t *testing.T) {
	face := Regular.face()
	used := make([]bool, len(face.advance))
	for _, r := range "Zoë" {
		used[face.glyphOf(r)] = true
	}
	sub, err := subsetFont(goregular.TTF, used)
	if err != nil {
		t.Fatal(err)
	}
	if len(sub) > len(goregular.TTF)/3 {
		t.Errorf("subset is %d bytes of %d, want much smaller", len(sub), len(goregular.TTF))
	}
	f, err := sfnt.Parse(sub)
	if err != nil {
		t.Fatalf("subset does not parse: %v", err)
	}
	if f.NumGlyphs() != len(face.advance) {
		t.Fatalf("subset has %d glyphs, want %d (indexes kept)", f.NumGlyphs(), len(face.advance))
	}
	for r, wantOutline := range map[rune]bool{'Z': true, 'o': true, 'ë': true, 'Q': false, 'Ж': false} {
		segs, err := f.LoadGlyph(&sfnt.Buffer{}, sfnt.GlyphIndex(face.glyphOf(r)), fixed.I(100), nil)
		if err != nil {
			t.Fatalf("glyph of %q: %v", r, err)
		}
		if got := len(segs) > 0; got != wantOutline {
			t.Errorf("glyph of %q has outline %v, want %v", r, got, wantOutline)
		}
	}
}

func TestSubsetFontMalformed(t *testing.T) {
	for name, ttf := range map[string][]byte{
		"Empty":     nil,
		"Truncated": goregular.TTF[:100],
	} {
		if _, err := subsetFont(ttf, nil); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestPDFStrings(t *testing.T) {
	if got, want := pdfTextString("Zoë"), "<FEFF005A006F00EB>"; got != want {
		t.Errorf("pdfTextString = %s, want %s", got, want)
	}
	loc := time.FixedZone("CET", 3600)
	for tm, want := range map[time.Time]string{
		time.Date(2026, 3, 14, 19, 30, 5, 0, loc):      "D:20260314193005+01'00'",
		time.Date(2026, 3, 14, 19, 30, 5, 0, time.UTC): "D:20260314193005Z",
	} {
		if got := pdfDate(tm); got != want {
			t.Errorf("pdfDate(%v) = %s, want %s", tm, got, want)
		}
	}
}

// TestCompositeParts reads the components of a composite glyph. The Go fonts have none
// today, so the glyph is built here: two components, the first with word arguments, the
// second with byte arguments and a scale.
func TestCompositeParts(t *testing.T) {
	glyph := []byte{0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0}             // numberOfContours -1, bounding box
	glyph = append(glyph, 0x00, 0x21, 0x00, 0x05, 0, 1, 0, 2)       // MORE_COMPONENTS|ARG_WORDS, glyph 5
	glyph = append(glyph, 0x00, 0x08, 0x00, 0x07, 1, 2, 0x40, 0x00) // WE_HAVE_A_SCALE, glyph 7
	if got := compositeParts(glyph); len(got) != 2 || got[0] != 5 || got[1] != 7 {
		t.Fatalf("compositeParts = %v, want [5 7]", got)
	}
	glyf := append(make([]byte, 4), glyph...)
	ranges := [][2]uint32{{0, 4}, {4, uint32(len(glyf))}, {0, 0}, {0, 0}, {0, 0}, {0, 0}, {0, 0}, {0, 0}}
	keep := keptGlyphs(glyf, ranges, []bool{false, true})
	for g, want := range []bool{true, true, false, false, false, true, false, true} {
		if keep[g] != want {
			t.Errorf("glyph %d kept %v, want %v (kept: %v)", g, keep[g], want, keep)
		}
	}
	if simple := []byte{0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}; compositeParts(simple) != nil {
		t.Errorf("a simple glyph has parts")
	}
}
