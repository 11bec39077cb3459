package season

import (
	"strings"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// The names the API gives what Ticketbooth leaves unnamed: the section of a seat of no
// section, and the row of a standing place (a seat without a letter).
const (
	mainSection = "MAIN"
	standingRow = "GA"
)

// seatFields are a seat's fields as the real API names them: section_name (the seat's
// section, "MAIN" for none), row_name (its letter, "GA" for a standing place) and
// seat_num (its number).
func seatFields(s ledger.Seat) map[string]any {
	section, row := s.Section, s.Letter
	if section == "" {
		section = mainSection
	}
	if row == "" {
		row = standingRow
	}
	return map[string]any{"section_name": section, "row_name": row, "seat_num": s.Number}
}

// seatOf reads a seat back from its fields (seatFields' inverse).
func seatOf(section, row string, num int) ledger.Seat {
	if strings.EqualFold(section, mainSection) {
		section = ""
	}
	if strings.EqualFold(row, standingRow) {
		row = ""
	}
	return ledger.Seat{Number: num, Letter: row, Section: section}
}

// amount writes minor units of the currency as the real API writes money: major units
// with the currency's decimals and no code, "50.00".
func amount(currency string, minor int64) string {
	_, text, _ := strings.Cut(ledger.FormatAmount(currency, minor), " ")
	return text
}
