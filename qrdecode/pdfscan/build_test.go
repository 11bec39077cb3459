package pdfscan

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
	"testing"

	"golang.org/x/image/draw"
	"golang.org/x/image/math/f64"

	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ticketpdf"
)

// This file builds small PDFs by hand for the tests: objects numbered from 1 in order,
// object 1 the catalog, a cross-reference table and a trailer.

// buildPDF writes the objects' bodies as a PDF.
func buildPDF(objs ...[]byte) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, body := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n", i+1)
		b.Write(body)
		b.WriteString("\nendobj\n")
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<</Size %d /Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// obj is a body written as text.
func obj(format string, args ...any) []byte { return fmt.Appendf(nil, format, args...) }

// streamObj is a stream with the dictionary entries and data, its length given.
func streamObj(entries string, data []byte) []byte {
	b := fmt.Appendf(nil, "<<%s /Length %d>>\nstream\n", entries, len(data))
	b = append(b, data...)
	return append(b, "\nendstream"...)
}

// deflate compresses data with zlib.
func deflate(data []byte) []byte {
	var b bytes.Buffer
	z := zlib.NewWriter(&b)
	z.Write(data)
	z.Close()
	return b.Bytes()
}

// onePage is a catalog, a page tree and one A4 page with the content and resources.
func onePage(content []byte, resources string, more ...[]byte) []byte {
	objs := [][]byte{
		obj("<</Type /Catalog /Pages 2 0 R>>"),
		obj("<</Type /Pages /Kids [3 0 R] /Count 1>>"),
		obj("<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources <<%s>> /Contents 4 0 R>>", resources),
		streamObj("/Filter /FlateDecode", deflate(content)),
	}
	return buildPDF(append(objs, more...)...)
}

// qrGrey renders text as a grey QR image with modulePx pixels a module, its quiet zone
// cut off when tight.
func qrGrey(t testing.TB, text string, modulePx int, tight bool) *image.Gray {
	t.Helper()
	data, err := ticketpdf.QRPNG(text, ticketpdf.DefaultRecovery, modulePx)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	if tight {
		q := issuer.QuietZone * modulePx
		b = b.Inset(q)
	}
	g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(g, g.Rect, img, b.Min, draw.Src)
	return g
}

// photo renders a code as a phone photo of a printed ticket might show it: turned by a
// few degrees on grey paper, softened and noisy, saved as a JPEG.
func photo(t testing.TB, text string) []byte { return photoSized(t, text, 900, 700) }

// photoSized is photo on a canvas of w x h pixels, the code in its middle.
func photoSized(t testing.TB, text string, w, h int) []byte {
	t.Helper()
	code := qrGrey(t, text, 6, false)
	canvas := image.NewGray(image.Rect(0, 0, w, h))
	draw.Draw(canvas, canvas.Rect, image.NewUniform(color.Gray{170}), image.Point{}, draw.Src)
	a := 7 * math.Pi / 180
	cx, cy := float64(code.Rect.Dx())/2, float64(code.Rect.Dy())/2
	mx, my := float64(w)/2, float64(h)/2
	m := f64.Aff3{math.Cos(a), -math.Sin(a), mx - cx*math.Cos(a) + cy*math.Sin(a),
		math.Sin(a), math.Cos(a), my - cx*math.Sin(a) - cy*math.Cos(a)}
	draw.BiLinear.Transform(canvas, m, code, code.Rect, draw.Over, nil)
	rng := rand.New(rand.NewPCG(1, 2))
	for i, v := range canvas.Pix {
		canvas.Pix[i] = byte(max(0, min(255, int(v)*85/100+20+rng.IntN(13)-6)))
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, canvas, &jpeg.Options{Quality: 75}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
