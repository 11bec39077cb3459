package ticketpdf

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ticketpdf/pdf"
)

// This file turns ticket data into the words printed on a ticket: money, dates, the
// refund sentence, and text cleaned to what the embedded fonts can draw.

// formatMoney prints minor units with the currency's decimals after its code, as the
// CLI does (ledger.FormatAmount): "EUR 45.00", "JPY 4500"; "45.00" without a code.
func formatMoney(currency string, minor int64) string {
	if currency == "" {
		return strings.TrimPrefix(ledger.FormatAmount(ledger.DefaultCurrency, minor), ledger.DefaultCurrency+" ")
	}
	return ledger.FormatAmount(currency, minor)
}

// formatDay prints the calendar day of t in its own location: "Saturday 14 March 2026".
func formatDay(t time.Time) string { return t.Format("Monday 2 January 2006") }

// formatClock prints the time of day of t with its zone: "19:30 CET (UTC+01:00)".
func formatClock(t time.Time) string { return t.Format("15:04 MST (UTC-07:00)") }

// formatMoment prints a short date and time with its zone: "Fri 13 Mar 2026, 18:00 CET
// (UTC+01:00)".
func formatMoment(t time.Time) string { return t.Format("Mon 2 Jan 2006, ") + formatClock(t) }

// refundSentence is the release wording of a ticket printed at now: until when and at
// what fee it may be released, or that it cannot be. It names dates only: words such as
// "in about 2 hours" are wrong by the time the paper is read.
func refundSentence(t *PrintedTicket, now time.Time) string {
	if t.ReleaseDeadline.IsZero() {
		return "Not refundable: this ticket cannot be released."
	}
	deadline := t.ReleaseDeadline.In(t.ShowTime.Location())
	if !deadline.After(now) {
		return "Refund period ended " + formatMoment(deadline) + "."
	}
	fee := "no release fee"
	if t.ReleaseFee > 0 {
		fee = "release fee " + formatMoney(t.Currency, t.ReleaseFee)
	}
	return fmt.Sprintf("Refundable until %s; %s.", formatMoment(deadline), fee)
}

// admits is the header word of a ticket: "ADMIT ONE" or "ADMITS 3", followed by which
// code of the purchase it is when there are several: "ADMITS 2 · CODE 1 OF 3".
func admits(seats, code, codes int) string {
	word := "ADMIT ONE"
	if seats != 1 {
		word = fmt.Sprintf("ADMITS %d", seats)
	}
	if codes > 1 {
		word += " · " + strings.ToUpper(codeOf(code, codes))
	}
	return word
}

// codeOf says which of a purchase's codes a page carries: "code 1 of 2".
func codeOf(code, codes int) string { return fmt.Sprintf("code %d of %d", code, codes) }

// totalPrice adds up the seat prices of a ticket.
func totalPrice(seats []PrintedSeat) int64 {
	var sum int64
	for _, s := range seats {
		sum += s.Price
	}
	return sum
}

// printable returns s as the embedded fonts can draw it: invalid UTF-8 and control
// characters become spaces, and characters the Go fonts lack (they cover WGL4: Latin,
// Greek, Cyrillic and common symbols) become '?', rather than an empty box.
func printable(s string) string {
	clean := true
	for _, r := range s {
		if !drawable(r) {
			clean = false
			break
		}
	}
	if clean && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for _, r := range strings.ToValidUTF8(s, " ") {
		switch {
		case unicode.IsControl(r) || unicode.IsSpace(r):
			b.WriteByte(' ')
		case !drawable(r):
			b.WriteByte('?')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// drawable reports whether r is a printing character with a glyph in the Go fonts.
func drawable(r rune) bool {
	if r == ' ' {
		return true
	}
	if unicode.IsControl(r) || unicode.IsSpace(r) {
		return false
	}
	return pdf.Regular.Has(r)
}
