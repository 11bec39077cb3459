package ticketpdf

import (
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/issuer"
)

// TestWritePDFTicketTypes: a ticket of a ticket type prints the type's name beside the
// price of its one seat, or beside each seat of a list.
func TestWritePDFTicketTypes(t *testing.T) {
	one := newPrintedTicket(t, 1, "")
	one.Seats[0].Type = "Reduced"
	two := newPrintedTicket(t, 2, "")
	two.Seats[0].Type, two.Seats[1].Type = "Child", "Student"
	for _, layout := range []issuer.Layout{issuer.LayoutA4, issuer.LayoutA6} {
		pages := pdfPageTexts(t, mustWritePDF(t, layout, []PrintedTicket{one, two}))
		for i, want := range [][]string{{"Reduced"}, {"Child", "Student"}} {
			for _, w := range want {
				if !strings.Contains(pages[i], w) {
					t.Errorf("%s page %d lacks the type %q:\n%s", layout, i+1, w, pages[i])
				}
			}
		}
	}
}
