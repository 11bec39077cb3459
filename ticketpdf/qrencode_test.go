package ticketpdf

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/skip2/go-qrcode"

	"github.com/ticketbooth-go/ticketbooth/issuer"
)

// byteOnlyText returns n pseudo-random bytes that no encoder packs other than in byte
// mode (small letters and bytes over 0x7f: neither digits nor QR's alphanumerics), so
// that go-qrcode and ours encode the same bits.
func byteOnlyText(tb testing.TB, n int) string {
	b := make([]byte, n)
	for i := range b {
		if c := source(tb).IntN(26 + 128); c < 26 {
			b[i] = 'a' + byte(c)
		} else {
			b[i] = 0x80 + byte(c-26)
		}
	}
	return string(b)
}

// qrcodeSymbol is go-qrcode's symbol of text (quiet zone left out) and the mask it chose,
// read back from its format information.
func qrcodeSymbol(tb testing.TB, text string, level qrcode.RecoveryLevel) (version int, bitmap [][]bool, mask int) {
	tb.Helper()
	q, err := qrcode.New(text, level)
	if err != nil {
		tb.Fatal(err)
	}
	q.DisableBorder = true
	bitmap = q.Bitmap()
	format := 0
	for i, at := range qrTemplates[q.VersionNumber]().formatAt[0] {
		if bitmap[at/len(bitmap)][at%len(bitmap)] {
			format |= 1 << i
		}
	}
	format ^= 0x5412
	if got := format >> 13; got != qrFormatLevel[level] {
		tb.Fatalf("go-qrcode's format information says level bits %02b, want %02b", got, qrFormatLevel[level])
	}
	return q.VersionNumber, bitmap, format >> 10 & 7
}

// TestQRMatchesGoQRCode: for every level and version, from the shortest text of the version
// to the longest, our symbol under the mask go-qrcode chose is go-qrcode's, module for
// module: the capacity and block tables, the error correction, the interleaving, the
// function patterns, the placement and the format and version information agree.
func TestQRMatchesGoQRCode(t *testing.T) {
	for level := qrcode.Low; level <= qrcode.Highest; level++ {
		for v := 1; v <= 40; v++ {
			longest := (8*qrDataCodewords(v, level) - 4 - qrCountBits(v)) / 8
			shortest := 1
			if v > 1 {
				shortest = (8*qrDataCodewords(v-1, level)-4-qrCountBits(v-1))/8 + 1
			}
			for _, n := range []int{shortest, longest} {
				text := byteOnlyText(t, n)
				gotV := qrFitVersion(n, level)
				wantV, want, mask := qrcodeSymbol(t, text, level)
				if gotV != v || wantV != v {
					t.Fatalf("level %d, %d bytes: version %d, go-qrcode %d, want %d", level, n, gotV, wantV, v)
				}
				got := encodeQR(text, v, level, mask)
				if diff := firstDifference(got, want); diff != "" {
					t.Fatalf("level %d version %d, %d bytes, mask %d: %s", level, v, n, mask, diff)
				}
			}
		}
	}
}

func firstDifference(s *qrSymbol, want [][]bool) string {
	if s.size != len(want) {
		return fmt.Sprintf("size %d, want %d", s.size, len(want))
	}
	for y, row := range want {
		for x, dark := range row {
			if s.dark[y*s.size+x] != dark {
				return fmt.Sprintf("module (%d,%d) dark=%v, want %v", x, y, !dark, dark)
			}
		}
	}
	return ""
}

// TestQRTemplates: every version's template has as many data modules as the standard's
// count, and its alignment patterns where table E.1 puts them.
func TestQRTemplates(t *testing.T) {
	for v := 1; v <= 40; v++ {
		if got, want := len(qrTemplates[v]().order), qrRawModules(v); got != want {
			t.Errorf("version %d: %d data modules, want %d", v, got, want)
		}
	}
	for v, want := range map[int][]int{1: nil, 2: {6, 18}, 7: {6, 22, 38}, 15: {6, 26, 48, 70},
		32: {6, 34, 60, 86, 112, 138}, 36: {6, 24, 50, 76, 102, 128, 154}, 40: {6, 30, 58, 86, 114, 142, 170}} {
		if got := qrAlignments(v); !slices.Equal(got, want) {
			t.Errorf("version %d: alignment patterns at %v, want %v", v, got, want)
		}
	}
}

// TestQRVersionIsTheIssuers: at level M the version a text needs is the issuer's for every
// length a symbol holds, and one byte more than version 40 holds fits nowhere.
func TestQRVersionIsTheIssuers(t *testing.T) {
	for n := 1; ; n++ {
		want, ok := issuer.VersionM(strings.Repeat("a", n))
		got := qrFitVersion(n, qrcode.Medium)
		if got != want {
			t.Fatalf("%d bytes: version %d, the issuer's %d", n, got, want)
		}
		if !ok {
			return
		}
	}
}

// TestQRMasksRead: a symbol under each of the eight masks, at each level, reads back with
// zbarimg, whatever mask the penalty would choose; and the chosen one does too.
func TestQRMasksRead(t *testing.T) {
	dir := t.TempDir()
	var files, want []string
	for level := qrcode.Low; level <= qrcode.Highest; level++ {
		text := qrPayload(t, stallSeats(1), level < qrcode.High)
		v := qrFitVersion(len(text), level)
		for mask := -1; mask < 8; mask++ {
			file := filepath.Join(dir, fmt.Sprintf("l%d-m%d.png", level, mask))
			writeSymbolPNG(t, file, encodeQR(text, v, level, mask))
			files, want = append(files, file), append(want, text)
		}
	}
	for i, file := range files {
		if got := zbarTexts(t, file); len(got) != 1 || got[0] != want[i] {
			t.Errorf("%s: zbarimg read %q, want %q", filepath.Base(file), got, want[i])
		}
	}
}

func writeSymbolPNG(tb testing.TB, file string, s *qrSymbol) {
	tb.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, s.image(3)); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(file, b.Bytes(), 0o600); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkQREncode measures our encoder on a one-seat ticket's text, mask chosen.
func BenchmarkQREncode(b *testing.B) {
	text := qrPayload(b, stallSeats(1), true)
	v := qrFitVersion(len(text), qrcode.Medium)
	for b.Loop() {
		encodeQR(text, v, qrcode.Medium, -1)
	}
}
