package issuer

import (
	"github.com/skip2/go-qrcode"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// This file decides how big a QR module prints on each layout, and so how many tickets
// one printed code may carry.

// MinModuleMM is the smallest width, in millimetres, that a QR module may print at: below
// it a cheap scan (100 dpi) or a phone held at arm's length misses codes. A 4-ticket code
// under the identity policy holds about 1,400 bytes, version 30 or more, and would print
// at 0.39 mm on A6.
const MinModuleMM = 0.5

// qrVersion returns the version (1 to 40) of text's QR symbol at the level, as go-qrcode
// picks it: EINVALID for a text that fits in no symbol.
func qrVersion(text string, level qrcode.RecoveryLevel) (int, error) {
	q, err := qrcode.New(text, level)
	if err != nil {
		return 0, ledger.Errorf(ledger.EINVALID, "the QR text of %d bytes does not fit in a QR code (%v)", len(text), err)
	}
	return q.VersionNumber, nil
}

// moduleMM returns the printed width in mm of one module of a symbol of the version on
// the layout: the layout's QR square, quiet zone included, divided among its modules.
func (l Layout) moduleMM(version int) float64 {
	return qrBoxes[l].side / float64(17+4*version+2*QuietZone)
}

// ModuleMM returns the printed width in mm of one module of text's QR code, at
// DefaultRecovery, on a ticket of the layout; EINVALID for a text that fits in no QR
// code.
func ModuleMM(layout Layout, text string) (float64, error) {
	v, err := qrVersion(text, DefaultRecovery)
	if err != nil {
		return 0, err
	}
	return layout.moduleMM(v), nil
}

// PrintableQRTexts groups the tickets into QR texts of at most perQR tickets each (0 means
// MaxSeatsPerTicket), lowering perQR until every code prints on the layout with modules
// of at least MinModuleMM. It returns the texts and the tickets per QR used. One ticket a
// code always prints: ledger limits keep its text near 370 bytes, a version 15 symbol.
func PrintableQRTexts(tickets []IssuedTicket, perQR int, layout Layout) ([]string, int, error) {
	if perQR <= 0 || perQR > MaxSeatsPerTicket {
		perQR = MaxSeatsPerTicket
	}
	for ; ; perQR-- {
		texts, err := QRTexts(tickets, perQR)
		if err != nil || perQR == 1 {
			return texts, perQR, err
		}
		if printsOn(layout, texts) {
			return texts, perQR, nil
		}
	}
}

// printsOn reports whether every text prints on the layout with modules of at least
// MinModuleMM.
func printsOn(layout Layout, texts []string) bool {
	for _, text := range texts {
		if mm, err := ModuleMM(layout, text); err != nil || mm < MinModuleMM {
			return false
		}
	}
	return true
}
