package pdf_test

import (
	"bytes"
	"fmt"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ticketpdf/pdf"
)

// A document of one A6 page: text in two of the embedded fonts and a rule, written as the
// page is drawn. The same pages give the same bytes.
func ExampleWriter() {
	draw := func() []byte {
		var out bytes.Buffer
		w := pdf.NewWriter(&out, 105, 148) // mm
		p := w.NewPage(nil)
		p.SetFont(pdf.Bold, 18) // points
		p.Text(10, 20, "Hamlet")
		p.SetLineWidth(0.3)
		p.Line(10, 24, 95, 24)
		p.SetFont(pdf.Regular, 10)
		p.Text(10, 32, "Zoë Łukasiewicz-Ødegård")
		if err := w.WritePage(p); err != nil {
			fmt.Println(err)
		}
		if err := w.Close("An example", time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
			fmt.Println(err)
		}
		return out.Bytes()
	}
	doc := draw()
	fmt.Printf("%s\n", doc[:8])
	fmt.Println(bytes.Contains(doc, []byte("/Count 1")), bytes.HasSuffix(doc, []byte("%%EOF\n")), bytes.Equal(doc, draw()))
	// Output:
	// %PDF-1.4
	// true true true
}
