package issuer

import (
	"fmt"
	"strings"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// This file names the pages tickets are printed on, and the size of the QR square each
// gives a code: what the issuer needs to know to group a purchase's tickets into codes
// that print large enough (qrsize.go). ticketpdf draws the pages.

// MaxSeatsPerTicket is how many seats one printed ticket (one QR) may admit.
const MaxSeatsPerTicket = 4

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

// QuietZone is the width, in modules, of the white margin around every QR symbol, as
// the QR standard asks: part of the printed QR square.
const QuietZone = 4

// qrSidesMM is the side in mm of the white QR square each layout prints, quiet zone
// included: the most each page holds beside the ticket's details.
var qrSidesMM = [...]float64{LayoutA4: 80, LayoutA6: 60}

// QRSideMM returns the side in mm of the QR square, quiet zone included, that a ticket of
// the layout prints its code in.
func (l Layout) QRSideMM() float64 { return qrSidesMM[l] }

// VersionModuleMM returns the printed width in mm of one module of a QR symbol of the
// version (1 to 40) on the layout: the layout's QR square divided among its modules,
// quiet zone included.
func (l Layout) VersionModuleMM(version int) float64 {
	return l.QRSideMM() / float64(17+4*version+2*QuietZone)
}
