package sqlstore_test

import (
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// ticketFormat reads the stored format of the ticket of a seat of the contract's sale.
func (b *bookingEnv) ticketFormat(t *testing.T, seat string) string {
	t.Helper()
	s := parseSeats(t, seat)[0]
	var format string
	err := b.rawDB(t).QueryRow(`SELECT t.format FROM tickets t JOIN seats s ON s.contract = t.contract AND s.idx = t.idx
		WHERE t.contract = ? AND s.section = ? AND s.number = ? AND s.letter = ?`, b.contract, s.Section, s.Number, s.Letter).Scan(&format)
	mustNil(t, err, "reading a ticket's format")
	return format
}

// TestBookingFormat: a SECURE booking's held and issued tickets are SECURE, a freed or
// released one PDF again, the booking reads its format, a format other than PDF or
// SECURE is refused in words, and the journal replays the formats.
func TestBookingFormat(t *testing.T) {
	b := openBookings(t, 0, "1A", "1B", "1C")
	_, err := b.store.Bookings.OpenBooking(b.org, ledger.BookingRequest{Contract: b.contract, Customer: b.customer(t), Format: "pkpass"})
	wantMessage(t, err, ledger.EINVALID, "not one of PDF or SECURE")
	bk, err := b.store.Bookings.OpenBooking(b.org, ledger.BookingRequest{Contract: b.contract, Customer: b.customer(t), Format: "secure"})
	mustNil(t, err, "OpenBooking")
	if bk.Format != ledger.FormatSecure {
		t.Fatalf("opened booking's format = %q", bk.Format)
	}
	rc, err := b.store.Bookings.Hold(b.org, bk.ID, ledger.HoldSeats("", parseSeats(t, "1A", "1B")...))
	mustNil(t, err, "Hold")
	if rc.Booking.Format != ledger.FormatSecure || !strings.Contains(string(rc.Effect), `"format":"SECURE"`) {
		t.Errorf("hold: booking %+v, effect %s", rc.Booking, rc.Effect)
	}
	plain := b.book(t, "1C")
	if plain.Format != ledger.FormatPDF || b.ticketFormat(t, "1C") != ledger.FormatPDF {
		t.Errorf("NewBooking's format %q, its ticket's %q; want PDF", plain.Format, b.ticketFormat(t, "1C"))
	}
	_, err = b.store.Bookings.Free(b.org, bk.ID, parseSeats(t, "1B")[0])
	mustNil(t, err, "Free")
	_, err = b.store.Bookings.Confirm(b.org, bk.ID, confirmOrder(t, bk, "1A"))
	mustNil(t, err, "Confirm")
	if got := [2]string{b.ticketFormat(t, "1A"), b.ticketFormat(t, "1B")}; got != [2]string{"SECURE", "PDF"} {
		t.Errorf("issued 1A and freed 1B are %v, want [SECURE PDF]", got)
	}
	if rep := mustVerify(t, b.env); !rep.OK {
		t.Fatalf("verify: %v", rep.Problems)
	}
	_, err = b.store.Selling.Release(b.org, b.contract, ledger.ReleaseRequest{Seat: parseSeats(t, "1A")[0], Sender: ledger.BookingSender(bk.Customer)})
	mustNil(t, err, "Release")
	if got := b.ticketFormat(t, "1A"); got != ledger.FormatPDF {
		t.Errorf("released ticket's format = %q, want PDF", got)
	}
	if rep := mustVerify(t, b.env); !rep.OK {
		t.Fatalf("verify: %v", rep.Problems)
	}
}

// TestVerifyTicketFormat: a ticket whose stored format is not the one the journal
// implies is reported.
func TestVerifyTicketFormat(t *testing.T) {
	b := openBookings(t, 0, "1A", "1B")
	b.book(t, "1A")
	mustExec(t, b.rawDB(t), `UPDATE tickets SET format = 'SECURE' WHERE contract = ?`, b.contract)
	rep := mustVerify(t, b.env)
	if rep.OK || !strings.Contains(strings.Join(rep.Problems, "\n"), "format is SECURE in the table, PDF by the journal") {
		t.Errorf("verify of a changed format: %+v", rep)
	}
}
