package pdfscan

import (
	"errors"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/issuer"
)

// FuzzParse reads arbitrary bytes as a PDF as far as painting its pages and decoding its
// images' samples (the QR decoder, fuzzed on its own, is left out to keep runs fast): it
// must never panic, and every error must be an EINVALID one in words. Seeds: the
// issuer's real PDFs and the hand-made ones of the tests.
func FuzzParse(f *testing.F) {
	for _, layout := range []issuer.Layout{issuer.LayoutA4, issuer.LayoutA6} {
		f.Add(issue(f, layout, purchase{seats: []string{"1A", "1B"}, name: "Zoë Łukasiewicz-Ødegård", perQR: 1}).pdf)
	}
	f.Add(onePage([]byte("q 1 0 0 1 5 5 cm 0 g 0 0 10 10 re 20 20 m 30 20 l 25 30 c h f* Q BI /W 2 /H 2 /CS /G /BPC 8 ID\nabcd\nEI /X Do"),
		"/XObject <</X 5 0 R>>", streamObj("/Subtype /Form /Matrix [2 0 0 2 0 0]", []byte("0.5 0 0 0 k 0 0 1 1 re f"))))
	f.Add(buildPDF(obj("<</Type /Catalog /Pages 2 0 R>>"), obj("<</Type /Pages /Kids [3 0 R]>>"),
		obj("<</Type /Page /Contents 4 0 R /Resources <</XObject <</I 5 0 R>>>>>>"), streamObj("", []byte("/I Do")),
		streamObj("/Subtype /Image /Width 4 /Height 2 /BitsPerComponent 4 /ColorSpace [/Indexed /DeviceRGB 1 <000000ffffff>] /Filter /ASCII85Decode", []byte("z~>"))))
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := Limits{MaxRasterPixels: 200_000, MaxOperators: 100_000, MaxStreamBytes: 1 << 20}
		err := parseAndPaint(data, lim)
		if err != nil && (!isReaderError(err) || !(errors.Is(err, ErrNotPDF) || errors.Is(err, ErrMalformed) || errors.Is(err, ErrTooLarge))) {
			t.Fatalf("error %v (%T) is not one of the reader's", err, err)
		}
	})
}

// parseAndPaint is Decode without the QR decoder.
func parseAndPaint(data []byte, lim Limits) error {
	d, err := open(data, lim)
	if err != nil {
		return err
	}
	pages, err := d.pages()
	if err != nil {
		return err
	}
	for _, pg := range pages {
		if _, err := d.paint(pg); err != nil {
			return err
		}
	}
	return nil
}
