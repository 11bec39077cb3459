package issuer

import (
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// This file decides how big a QR module prints on each layout, and so how many tickets
// one printed code may carry. It knows QR symbols only by their capacity table, so that
// selling links no QR encoder.

// MinModuleMM is the smallest width, in millimetres, that a QR module may print at: below
// it a cheap scan (100 dpi) or a phone held at arm's length misses codes. A 4-ticket code
// under the identity policy holds about 1,400 bytes, version 30 or more, and would print
// at 0.39 mm on A6.
const MinModuleMM = 0.5

// byteCapacityM[v-1] is how many bytes a version v symbol holds at level M in byte mode
// (ISO/IEC 18004, table 7; TestByteCapacityM checks it against go-qrcode).
var byteCapacityM = [40]int{14, 26, 42, 62, 84, 106, 122, 152, 180, 213, 251, 287, 331, 362,
	412, 450, 504, 560, 624, 666, 711, 779, 857, 911, 997, 1059, 1125, 1190, 1264, 1370, 1452,
	1538, 1628, 1722, 1809, 1911, 1989, 2099, 2213, 2331}

// VersionM returns the version (1 to 40) of the smallest QR symbol at error correction
// level M, the level tickets' codes are printed at, that holds text in byte mode: read
// from byteCapacityM, without building the symbol (which costs about a millisecond, a
// purchase's whole budget in a rush). An encoder never needs a larger version (it may
// pack runs of digits denser). ok is false for a text longer than any symbol holds in
// byte mode, 2,331 bytes.
func VersionM(text string) (version int, ok bool) {
	for i, c := range byteCapacityM {
		if len(text) <= c {
			return i + 1, true
		}
	}
	return 0, false
}

// ModuleMM returns the printed width in mm of one module of text's QR code, at level M,
// on a ticket of the layout; EINVALID for a text longer than a QR code holds in byte
// mode (as every ticket QR text is: JSON).
func ModuleMM(layout Layout, text string) (float64, error) {
	v, ok := VersionM(text)
	if !ok {
		return 0, ledger.Errorf(ledger.EINVALID, "the QR text of %d bytes does not fit in a QR code (content too long to encode)", len(text))
	}
	return layout.VersionModuleMM(v), nil
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
