package ticketpdf

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/skip2/go-qrcode"

	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ticketpdf/pdf"
)

// PrintedTicket is what one printed ticket shows. One page (one QR) may admit several
// seats of one purchase.
type PrintedTicket struct {
	ShowName, Organiser, Venue string
	// ShowTime is printed in its own location, with the zone abbreviation and UTC offset.
	ShowTime time.Time
	// Seats are the seats this QR admits, 1 to issuer.MaxSeatsPerTicket.
	Seats []PrintedSeat
	// Currency is the display code of the prices, e.g. "EUR".
	Currency string
	// PurchaserName is non-empty only under the identity policy; it is printed with
	// "bring a matching ID".
	PurchaserName string
	// ReleaseDeadline zero means the ticket cannot be released; otherwise the ticket reads
	// "Refundable until <date time zone>", in the location of ShowTime, or "Refund period
	// ended <date>" when it is not after Now. Paper shows dates only, never "in about 3
	// days": the page is read long after it is printed.
	ReleaseDeadline time.Time
	// ReleaseFee is the fee of a release, in minor units of Currency.
	ReleaseFee int64
	// Reference is a short human-readable reference, e.g. "TB-7KQ2-91XA".
	Reference string
	// TransactionHash is the 64-hex hash of the reservation's journal transaction.
	TransactionHash string
	// QRText is the exact QR payload.
	QRText string
	// Code and Codes say which of the purchase's QR codes this page carries, "code 1 of
	// 2", printed when Codes > 1; zero for both when the purchase has one code.
	Code, Codes int
	// Now is when the ticket is printed: it dates the document and decides whether the
	// refund period has ended; zero means time.Now().
	Now time.Time
}

// PrintedSeat is one seat of a printed ticket with its price in minor units of the
// ticket's currency (4500 prints as "EUR 45.00"), and its ticket type's name ("" for the
// base price), printed beside the price.
type PrintedSeat struct {
	Seat  ledger.Seat
	Type  string
	Price int64
}

// WritePDF writes all tickets into one PDF, one ticket a page, in the layout, with QR
// codes at DefaultRecovery. It returns an EINVALID error (and writes nothing) for no
// tickets, an unknown layout, a ticket without seats or with more than
// issuer.MaxSeatsPerTicket, an invalid seat, a negative price or fee, a zero show time, a QR
// text that is empty or would print with modules under issuer.MinModuleMM on the layout (see
// issuer.PrintableQRTexts), or a code number out of range; and the writer's error if writing
// fails.
func WritePDF(w io.Writer, layout issuer.Layout, tickets []PrintedTicket) error {
	return WritePDFLevel(w, layout, DefaultRecovery, tickets)
}

// WritePDFLevel is WritePDF with the QR error correction level chosen by the caller.
// Pages are written to w as they are drawn, so memory stays flat however many tickets
// there are; QR symbols are built on every core ahead of the page being drawn, so a
// batch costs little more than building its symbols. On a write error the PDF is cut
// short and the error returned.
func WritePDFLevel(w io.Writer, layout issuer.Layout, level qrcode.RecoveryLevel, tickets []PrintedTicket) error {
	s, err := NewPDFStream(w, layout, level)
	if err != nil {
		return err
	}
	if err := s.Write(tickets); err != nil {
		return err
	}
	return s.Close()
}

// PDFStream writes tickets into one PDF as they come, chunk by chunk, for batches too
// large to hold: memory stays that of one chunk. The document's title and date come from
// the first ticket written.
type PDFStream struct {
	doc     *pdf.Writer
	layout  issuer.Layout
	level   qrcode.RecoveryLevel
	content []byte // one page's content buffer, reused
	title   string
	created time.Time
	pages   int
}

// NewPDFStream starts a PDF on w in the layout with QR codes at the level: EINVALID for
// an unknown layout or level.
func NewPDFStream(w io.Writer, layout issuer.Layout, level qrcode.RecoveryLevel) (*PDFStream, error) {
	if err := validateOptions(layout, level); err != nil {
		return nil, err
	}
	width, height := pageSize(layout)
	doc := pdf.NewWriter(w, width, height)
	doc.Embed(pdf.Mono, monoAlphabet)
	return &PDFStream{doc: doc, layout: layout, level: level}, nil
}

// monoAlphabet is every character the monospaced font prints: references
// (issuer.Reference: "TB-", digits and the capitals of its base-32 alphabet) and
// transaction hashes (small hex digits). Embedding all of them, drawn or not, makes the
// monospaced subset the same in every document, so a batch of mails cuts and compresses
// it once instead of once a mail (a random reference draws a new set of capitals nearly
// every time); it costs about 2 KB a document.
const monoAlphabet = "-0123456789ABCDEFGHJKMNPQRSTVWXYZabcdef"

// Write draws the tickets, one a page, after checking all of them (EINVALID, and no page
// of them drawn, for a bad ticket). Pages reach the writer as its buffer fills.
func (s *PDFStream) Write(tickets []PrintedTicket) error {
	if len(tickets) == 0 {
		return nil
	}
	if err := validateBatch(s.layout, s.level, tickets); err != nil {
		return err
	}
	if s.pages == 0 {
		s.title, s.created = printable(tickets[0].ShowName), creationTime(&tickets[0])
	}
	stop := make(chan struct{})
	defer close(stop)
	i := 0
	for p := range buildSymbols(tickets, s.level, stop) {
		<-p.done
		if p.err != nil {
			return fmt.Errorf("ticket %d: %w", s.pages+1, p.err)
		}
		page := s.doc.NewPage(s.content)
		drawTicket(s.layout, newCard(page, &tickets[i]), p.sym)
		if err := s.doc.WritePage(page); err != nil {
			return fmt.Errorf("write PDF: %w", err)
		}
		s.content = page.Content()
		s.pages++
		i++
	}
	return nil
}

// Close finishes the PDF (fonts, page tree, cross-reference table): EINVALID when no
// ticket was written.
func (s *PDFStream) Close() error {
	if s.pages == 0 {
		return ledger.Errorf(ledger.EINVALID, "Invalid tickets: there is no ticket to print")
	}
	if err := s.doc.Close(s.title, s.created); err != nil {
		return fmt.Errorf("write PDF: %w", err)
	}
	return nil
}

// pageSize returns the layout's page width and height in mm: A4 portrait, or ISO A6
// (105 x 148 mm) landscape.
func pageSize(l issuer.Layout) (width, height float64) {
	if l == issuer.LayoutA6 {
		return 148, 105
	}
	return 210, 297
}

// creationTime dates the document by the first ticket's Now, so that the same tickets
// give the same bytes.
func creationTime(t *PrintedTicket) time.Time {
	if t.Now.IsZero() {
		return time.Now()
	}
	return t.Now
}

// drawTicket draws one ticket with its QR symbol on its page in the layout.
func drawTicket(layout issuer.Layout, c *card, sym *qrSymbol) {
	if layout == issuer.LayoutA6 {
		drawA6(c, sym)
		return
	}
	drawA4(c, sym)
}

// validateBatch checks the whole input before the first byte is written, the capacity
// of each QR text included (cheap: it encodes the data without building the symbol).
func validateBatch(layout issuer.Layout, level qrcode.RecoveryLevel, tickets []PrintedTicket) error {
	if err := validateOptions(layout, level); err != nil {
		return err
	}
	if len(tickets) == 0 {
		return ledger.Errorf(ledger.EINVALID, "Invalid tickets: there is no ticket to print")
	}
	for i := range tickets {
		if err := validateTicket(&tickets[i], layout, level); err != nil {
			return ledger.Errorf(ledger.EINVALID, "Invalid ticket %d: %s", i+1, ledger.ErrorMessage(err))
		}
	}
	return nil
}

// validateOptions checks the layout and the QR recovery level.
func validateOptions(layout issuer.Layout, level qrcode.RecoveryLevel) error {
	if layout != issuer.LayoutA4 && layout != issuer.LayoutA6 {
		return ledger.Errorf(ledger.EINVALID, "Invalid layout %d: use issuer.LayoutA4 or issuer.LayoutA6", int(layout))
	}
	if level < qrcode.Low || level > qrcode.Highest {
		return ledger.Errorf(ledger.EINVALID, "Invalid QR recovery level %d: use 0 (L) to 3 (H)", level)
	}
	return nil
}

func validateTicket(t *PrintedTicket, layout issuer.Layout, level qrcode.RecoveryLevel) error {
	switch {
	case len(t.Seats) == 0 || len(t.Seats) > issuer.MaxSeatsPerTicket:
		return ledger.Errorf(ledger.EINVALID, "a printed ticket admits 1 to %d seats, not %d", issuer.MaxSeatsPerTicket, len(t.Seats))
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
	return validateCode(t, layout, level)
}

// validateCode checks that the ticket's QR text fits in a QR code that prints on the
// layout with modules of at least issuer.MinModuleMM, and that it says which of the purchase's
// codes it is.
func validateCode(t *PrintedTicket, layout issuer.Layout, level qrcode.RecoveryLevel) error {
	v, err := qrVersion(t.QRText, level)
	if err != nil {
		return err
	}
	if mm := layout.VersionModuleMM(v); mm < issuer.MinModuleMM {
		return ledger.Errorf(ledger.EINVALID, "the QR code of %d bytes would print with %.2f mm modules on %s, under the %.1f mm a scanner needs: put fewer tickets in one QR code",
			len(t.QRText), mm, strings.ToUpper(layout.String()), issuer.MinModuleMM)
	}
	if t.Codes < 0 || t.Code < 0 || t.Code > t.Codes || (t.Codes > 0) != (t.Code > 0) {
		return ledger.Errorf(ledger.EINVALID, "code %d of %d is not a code of the purchase", t.Code, t.Codes)
	}
	return nil
}
