package issuer

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"
	"github.com/skip2/go-qrcode"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// MaxSeatsPerTicket is how many seats one printed ticket (one QR) may admit.
const MaxSeatsPerTicket = 4

// PrintedTicket is what one printed ticket shows. One page (one QR) may admit several
// seats of one purchase.
type PrintedTicket struct {
	ShowName, Organiser, Venue string
	// ShowTime is printed in its own location, with the zone abbreviation and UTC offset.
	ShowTime time.Time
	// Seats are the seats this QR admits, 1 to MaxSeatsPerTicket.
	Seats []PrintedSeat
	// Currency is the display code of the prices, e.g. "EUR".
	Currency string
	// PurchaserName is non-empty only under the identity policy; it is printed with
	// "bring a matching ID".
	PurchaserName string
	// ReleaseDeadline zero means the ticket cannot be released; otherwise the ticket reads
	// "Refundable until <date time zone> (in about 3 days)", relative to Now, in the
	// location of ShowTime.
	ReleaseDeadline time.Time
	// ReleaseFee is the fee of a release, in minor units of Currency.
	ReleaseFee int64
	// Reference is a short human-readable reference, e.g. "TB-7KQ2-91XA".
	Reference string
	// TransactionHash is the 64-hex hash of the reservation's journal transaction.
	TransactionHash string
	// QRText is the exact QR payload.
	QRText string
	// Now anchors the "in about ..." wording; zero means time.Now().
	Now time.Time
}

// PrintedSeat is one seat of a printed ticket with its price in minor units of the
// ticket's currency (4500 prints as "EUR 45.00").
type PrintedSeat struct {
	Seat  ledger.Seat
	Price int64
}

// Layout is the page format of PDF tickets.
type Layout int

// The layouts: A4 portrait, one ticket a page, for printing at home; A6 landscape, one
// ticket a page, for ticket stock in the organiser's printer.
const (
	LayoutA4 Layout = iota
	LayoutA6
)

// ParseLayout reads a layout name, "a4" or "a6" in any case, and returns an EINVALID
// error for anything else.
func ParseLayout(s string) (Layout, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "a4":
		return LayoutA4, nil
	case "a6":
		return LayoutA6, nil
	}
	return 0, ledger.Errorf(ledger.EINVALID, "Invalid layout %q: use a4 or a6", s)
}

// String returns the layout's name as ParseLayout reads it.
func (l Layout) String() string {
	switch l {
	case LayoutA4:
		return "a4"
	case LayoutA6:
		return "a6"
	}
	return fmt.Sprintf("Layout(%d)", int(l))
}

// WritePDF writes all tickets into one PDF, one ticket a page, in the layout, with QR
// codes at DefaultRecovery. It returns an EINVALID error (and writes nothing) for no
// tickets, an unknown layout, a ticket without seats or with more than
// MaxSeatsPerTicket, an invalid seat, a negative price or fee, a zero show time, or a QR
// text that is empty or does not fit in a QR code; and the writer's error if writing
// fails.
func WritePDF(w io.Writer, layout Layout, tickets []PrintedTicket) error {
	return WritePDFLevel(w, layout, DefaultRecovery, tickets)
}

// WritePDFLevel is WritePDF with the QR error correction level chosen by the caller.
// QR symbols are built on every core, ahead of the pages that draw them, so a batch of
// many tickets costs little more than building its symbols.
func WritePDFLevel(w io.Writer, layout Layout, level qrcode.RecoveryLevel, tickets []PrintedTicket) error {
	if err := validateBatch(layout, tickets); err != nil {
		return err
	}
	doc := newDocument(layout, &tickets[0])
	stop := make(chan struct{})
	defer close(stop)
	i := 0
	for p := range buildSymbols(tickets, level, stop) {
		<-p.done
		if p.err != nil {
			return fmt.Errorf("ticket %d: %w", i+1, p.err)
		}
		doc.page(&tickets[i], p.sym)
		i++
	}
	if err := doc.pdf.Output(w); err != nil {
		return fmt.Errorf("write PDF: %w", err)
	}
	return nil
}

// validateBatch checks everything about the input that can be checked before drawing.
func validateBatch(layout Layout, tickets []PrintedTicket) error {
	if layout != LayoutA4 && layout != LayoutA6 {
		return ledger.Errorf(ledger.EINVALID, "Invalid layout %d: use LayoutA4 or LayoutA6", int(layout))
	}
	if len(tickets) == 0 {
		return ledger.Errorf(ledger.EINVALID, "Invalid tickets: there is no ticket to print")
	}
	for i := range tickets {
		if err := validateTicket(&tickets[i]); err != nil {
			return ledger.Errorf(ledger.EINVALID, "Invalid ticket %d: %s", i+1, ledger.ErrorMessage(err))
		}
	}
	return nil
}

func validateTicket(t *PrintedTicket) error {
	switch {
	case len(t.Seats) == 0 || len(t.Seats) > MaxSeatsPerTicket:
		return ledger.Errorf(ledger.EINVALID, "a printed ticket admits 1 to %d seats, not %d", MaxSeatsPerTicket, len(t.Seats))
	case t.QRText == "":
		return ledger.Errorf(ledger.EINVALID, "the QR text is empty")
	case t.ShowTime.IsZero():
		return ledger.Errorf(ledger.EINVALID, "the show time is missing")
	case t.ReleaseFee < 0:
		return ledger.Errorf(ledger.EINVALID, "the release fee is negative")
	}
	for _, s := range t.Seats {
		if err := s.Seat.Validate(); err != nil {
			return err
		}
		if s.Price < 0 {
			return ledger.Errorf(ledger.EINVALID, "the price of seat %s is negative", s.Seat)
		}
	}
	return nil
}

// Font families registered in every document.
const (
	fontSans = "go"
	fontMono = "gomono"
)

// document is one PDF being written: the gofpdf instance with the fonts loaded once, and
// the layout that draws each page.
type document struct {
	pdf    *gofpdf.Fpdf
	layout Layout
}

func newDocument(layout Layout, first *PrintedTicket) *document {
	init := &gofpdf.InitType{OrientationStr: "P", UnitStr: "mm", SizeStr: "A4"}
	if layout == LayoutA6 { // ISO A6 is 105 x 148 mm; gofpdf's "A6" is 148.5 mm long
		init.OrientationStr, init.Size = "L", gofpdf.SizeType{Wd: 105, Ht: 148}
	}
	pdf := gofpdf.NewCustom(init)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(0, 0, 0)
	pdf.SetCompression(true)
	pdf.SetCatalogSort(true) // the same tickets give the same bytes
	if !first.Now.IsZero() {
		pdf.SetCreationDate(first.Now)
	}
	pdf.SetProducer("Ticketbooth", false)
	pdf.SetTitle(printable(first.ShowName), true)
	pdf.AddUTF8FontFromBytes(fontSans, "", goregular.TTF)
	pdf.AddUTF8FontFromBytes(fontSans, "B", gobold.TTF)
	pdf.AddUTF8FontFromBytes(fontMono, "", gomono.TTF)
	return &document{pdf: pdf, layout: layout}
}

// page adds one page for the ticket with its QR symbol.
func (d *document) page(t *PrintedTicket, sym *qrSymbol) {
	d.pdf.AddPage()
	c := newCard(d.pdf, t)
	if d.layout == LayoutA6 {
		drawA6(c, sym)
		return
	}
	drawA4(c, sym)
}
