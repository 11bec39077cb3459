package pdfscan

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/qrdecode"
)

// codeTexts decodes a PDF and returns the texts of its codes.
func codeTexts(t *testing.T, pdf []byte) []string {
	t.Helper()
	codes, err := Decode(context.Background(), pdf, Limits{})
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	var texts []string
	for _, c := range codes {
		texts = append(texts, c.Text)
	}
	return texts
}

// A scanned or photographed ticket saved as a PDF holds a JPEG (DCTDecode) image.
func TestJPEGPhotoInPDF(t *testing.T) {
	jpg := photo(t, "a photo of a ticket")
	pdf := onePage([]byte("q 400 0 0 311 100 400 cm /Im1 Do Q"), "/XObject <</Im1 5 0 R>>",
		streamObj("/Type /XObject /Subtype /Image /Width 900 /Height 700 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode", jpg))
	if got := codeTexts(t, pdf); !slices.Equal(got, []string{"a photo of a ticket"}) {
		t.Fatalf("read %q", got)
	}
}

// A generator that stores the code at one pixel a module, without a quiet zone, as
// Flate-compressed grey samples with a PNG predictor; another as an inline image of one
// bit a sample.
func TestSmallImagesInPDF(t *testing.T) {
	long := strings.Repeat("a ticket's payload of several hundred bytes, ", 8)
	g := qrGrey(t, long, 1, true)
	w, h := g.Rect.Dx(), g.Rect.Dy()
	var rows []byte
	for y := range h {
		rows = append(append(rows, 2), g.Pix[y*g.Stride:y*g.Stride+w]...) // filter Up
		for x := range w {
			if y > 0 {
				rows[len(rows)-w+x] = g.Pix[y*g.Stride+x] - g.Pix[(y-1)*g.Stride+x]
			}
		}
	}
	inline := inlineBits(t, "an inline image")
	content := fmt.Appendf(nil, "q 200 0 0 200 100 500 cm /Im1 Do Q\nq 200 0 0 200 100 100 cm %s Q", inline)
	pdf := onePage(content, "/XObject <</Im1 5 0 R>>",
		streamObj(fmt.Sprintf("/Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /DecodeParms <</Predictor 12 /Columns %d>>", w, h, w), deflate(rows)))
	got := codeTexts(t, pdf)
	if !slices.Equal(got, []string{long, "an inline image"}) {
		t.Fatalf("read %q", got)
	}
}

// inlineBits is an inline image (BI … ID … EI) of the code at one bit a sample, ASCII-hex
// encoded.
func inlineBits(t *testing.T, text string) []byte {
	g := qrGrey(t, text, 2, false)
	w, h := g.Rect.Dx(), g.Rect.Dy()
	b := fmt.Appendf(nil, "BI /W %d /H %d /BPC 1 /CS /G /F /AHx ID\n", w, h)
	for y := range h {
		for x := 0; x < w; x += 8 {
			var v byte
			for i := range 8 {
				if x+i < w && g.Pix[y*g.Stride+x+i] > 127 {
					v |= 0x80 >> i
				}
			}
			b = fmt.Appendf(b, "%02x", v)
		}
	}
	return append(b, ">\nEI"...)
}

// A page with text only says in words that no code was found.
func TestPDFWithoutCode(t *testing.T) {
	pdf := onePage([]byte("BT /F1 12 Tf 100 700 Td (No ticket here) Tj ET"), "")
	_, err := Decode(context.Background(), pdf, Limits{})
	if !errors.Is(err, qrdecode.ErrNoCode) || err.Error() != "No ticket code was found in this PDF; upload a photo or screenshot of the code" {
		t.Fatalf("Decode: %v", err)
	}
}

// DecodeFile reads a PDF, an image with several codes, and refuses anything else in words.
func TestDecodeFile(t *testing.T) {
	doc := issue(t, issuer.LayoutA6, purchase{seats: []string{"1A", "1B"}, perQR: 1})
	codes, err := DecodeFile(context.Background(), doc.pdf, Limits{})
	if err != nil || len(codes) != 2 || codes[1] != (Code{Page: 2, Text: doc.texts[1]}) {
		t.Fatalf("PDF: %v %v", codes, err)
	}
	_, err = DecodeFile(context.Background(), []byte("PK\x03\x04 a zip file"), Limits{})
	if !errors.Is(err, ErrNotPDF) || !errors.Is(err, qrdecode.ErrImageFormat) || !isReaderError(err) {
		t.Fatalf("zip: %v", err)
	}
	codes, err = DecodeFile(context.Background(), photo(t, "on a photo"), Limits{})
	if err != nil || len(codes) != 1 || codes[0] != (Code{Text: "on a photo"}) {
		t.Fatalf("photo: %v %v", codes, err)
	}
}

// Two ways generators store a code as samples: 1-bit indices into an RGB palette (white
// first), and black samples shaped by a soft mask (a code on a transparent background).
func TestPaletteAndSoftMaskImages(t *testing.T) {
	g := qrGrey(t, "palette", 3, false)
	w, h := g.Rect.Dx(), g.Rect.Dy()
	stride := (w + 7) / 8
	bits := make([]byte, stride*h)
	for y := range h {
		for x := range w {
			if g.Pix[y*g.Stride+x] < 128 {
				bits[y*stride+x/8] |= 0x80 >> (x % 8)
			}
		}
	}
	palette := onePage([]byte("q 300 0 0 300 100 400 cm /Im Do Q"), "/XObject <</Im 5 0 R>>",
		streamObj(fmt.Sprintf("/Subtype /Image /Width %d /Height %d /BitsPerComponent 1 /ColorSpace [/Indexed /DeviceRGB 1 <ffffff000000>] /Filter /FlateDecode", w, h), deflate(bits)))
	if got := codeTexts(t, palette); !slices.Equal(got, []string{"palette"}) {
		t.Errorf("palette image: read %q", got)
	}
	m := qrGrey(t, "soft mask", 3, false)
	alpha := make([]byte, len(m.Pix))
	for i, v := range m.Pix {
		alpha[i] = 255 - v // opaque where the module is dark
	}
	masked := onePage([]byte("q 300 0 0 300 100 400 cm /Im Do Q"), "/XObject <</Im 5 0 R>>",
		streamObj(fmt.Sprintf("/Subtype /Image /Width %d /Height %d /BitsPerComponent 8 /ColorSpace /DeviceGray /SMask 6 0 R /Filter /FlateDecode", m.Rect.Dx(), m.Rect.Dy()), deflate(make([]byte, len(m.Pix)))),
		streamObj(fmt.Sprintf("/Subtype /Image /Width %d /Height %d /BitsPerComponent 8 /ColorSpace /DeviceGray /Filter /FlateDecode", m.Rect.Dx(), m.Rect.Dy()), deflate(alpha)))
	if got := codeTexts(t, masked); !slices.Equal(got, []string{"soft mask"}) {
		t.Errorf("soft-masked image: read %q", got)
	}
}

// A scan wider than a camera frame is skipped within the server's limits and read within
// the larger ones the command line gives.
func TestBigScanInPDF(t *testing.T) {
	jpg := photoSized(t, "a big scan", 5000, 900)
	pdf := onePage([]byte("q 500 0 0 90 50 400 cm /Im1 Do Q"), "/XObject <</Im1 5 0 R>>",
		streamObj("/Subtype /Image /Width 5000 /Height 900 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode", jpg))
	if _, err := Decode(context.Background(), pdf, Limits{}); !errors.Is(err, qrdecode.ErrNoCode) {
		t.Errorf("within the gate's limits: %v", err)
	}
	codes, err := Decode(context.Background(), pdf, Limits{Pictures: qrdecode.FileLimits})
	if err != nil || len(codes) != 1 || codes[0].Text != "a big scan" {
		t.Errorf("within the file limits: %v %v", codes, err)
	}
}
