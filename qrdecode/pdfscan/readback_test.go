package pdfscan

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/issuer"
)

// TestIssuedPDFsReadBack reads the issuer's own PDFs, A4 and A6, with several tickets,
// codes and purchasers (names in three scripts), and expects every QR text the issuer
// returned, on its page, in order.
func TestIssuedPDFsReadBack(t *testing.T) {
	purchases := []purchase{
		{seats: []string{"1A"}, name: "Zoë Łukasiewicz-Ødegård"},
		{seats: []string{"1B", "1C", "1D", "1E", "1F"}, name: "Ελένη Παπαδοπούλου"},
		{seats: []string{"2A", "2B"}, name: "Дмитрий Шостакович", perQR: 1},
	}
	for _, layout := range []issuer.Layout{issuer.LayoutA4, issuer.LayoutA6} {
		t.Run(layout.String(), func(t *testing.T) {
			doc := issue(t, layout, purchases...)
			start := time.Now()
			codes, err := Decode(context.Background(), doc.pdf, Limits{})
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			t.Logf("%d pages of %d bytes read in %s", len(doc.texts), len(doc.pdf), time.Since(start))
			var texts []string
			for i, c := range codes {
				if c.Page != i+1 {
					t.Errorf("code %d is on page %d, want %d", i+1, c.Page, i+1)
				}
				texts = append(texts, c.Text)
			}
			if !slices.Equal(texts, doc.texts) {
				t.Fatalf("read %d codes:\n%q\nthe issuer returned %d:\n%q", len(texts), texts, len(doc.texts), doc.texts)
			}
		})
	}
}
