package pdf_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/internal/testtool"
	"github.com/ticketbooth-go/ticketbooth/ticketpdf/pdf"
)

// writeDocument writes two A7 pages, with text in each font, shapes and a grid of cells,
// and returns the PDF.
func writeDocument(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	w := pdf.NewWriter(&b, 74, 105)
	var buf []byte
	for i, line := range []string{"Zoë Ελένη Дмитрий", "second page"} {
		pg := w.NewPage(buf)
		pg.SetTextColor(pdf.Color{R: 22, G: 26, B: 36})
		for k, font := range []pdf.Font{pdf.Regular, pdf.Bold, pdf.Mono} {
			pg.SetFont(font, 10)
			pg.Text(5, 10+6*float64(k), line)
		}
		pg.SetFillColor(pdf.Color{R: 236, G: 241, B: 247})
		pg.RoundedRect(5, 30, 40, 10, 1.5, "1234", true)
		pg.SetDrawColor(pdf.Color{R: 170, G: 178, B: 192})
		pg.SetLineWidth(0.3)
		pg.SetDash(1.2, 1)
		pg.Line(5, 45, 69, 45)
		pg.Grid(10, 50, 2, func(fill func(row, col, n int)) {
			fill(0, 0, 3)
			fill(2, 1, 1+i)
		})
		if err := w.WritePage(pg); err != nil {
			t.Fatal(err)
		}
		buf = pg.Content()
	}
	if err := w.Close("A document", time.Date(2026, 3, 14, 19, 30, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestWriterReadBack: poppler reads back the text of every page, in every font, with its
// Greek and Cyrillic, and the same pages give the same bytes.
func TestWriterReadBack(t *testing.T) {
	doc := writeDocument(t)
	if again := writeDocument(t); !bytes.Equal(doc, again) {
		t.Error("the same pages gave different bytes")
	}
	pdftotext := testtool.Need(t, "pdftotext", "poppler-utils")
	file := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(file, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(pdftotext, "-layout", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(string(out), "\f")
	for i, want := range []string{"Zoë Ελένη Дмитрий", "second page"} {
		if i >= len(pages) || strings.Count(pages[i], want) != 3 {
			t.Errorf("page %d does not read %q three times:\n%s", i+1, want, out)
		}
	}
}

// TestFontHas: the embedded fonts cover Latin, Greek and Cyrillic, not CJK.
func TestFontHas(t *testing.T) {
	for r, want := range map[rune]bool{'Z': true, 'ë': true, 'Ж': true, 'λ': true, '€': true, '漢': false} {
		for _, f := range []pdf.Font{pdf.Regular, pdf.Bold, pdf.Mono} {
			if got := f.Has(r); got != want {
				t.Errorf("font %d has %q: %v, want %v", f, r, got, want)
			}
		}
	}
}
