package ticketpdf

import (
	"time"

	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Printed lays a purchase out for printing: one PrintedTicket per QR code, numbered
// "code 1 of 2" when there are several, with the show's details from the contract's sale
// and the release deadline from the clock.
// EINVALID when the contract has no sale or the purchase has no QR.
func Printed(p issuer.Purchase, c ledger.Contract, clock ledger.Clock) ([]PrintedTicket, error) {
	if c.Sale == nil {
		return nil, ledger.Errorf(ledger.EINVALID, "contract %s has no sale to print tickets for", c.Address)
	}
	per := p.TicketsPerQR
	if per <= 0 {
		per = issuer.MaxSeatsPerTicket
	}
	if len(p.QR) == 0 || (len(p.Tickets)+per-1)/per != len(p.QR) {
		return nil, ledger.Errorf(ledger.EINVALID, "purchase %s has %d tickets but %d QR codes", p.TransactionHash, len(p.Tickets), len(p.QR))
	}
	d := c.Sale.Details
	base := PrintedTicket{
		ShowName: d.Name, Organiser: d.Organiser, Venue: c.Venue,
		ShowTime: time.Unix(d.Time, 0).In(d.Location()), Currency: d.Currency,
		PurchaserName: p.CustomerName, ReleaseFee: c.Rules.ReleaseFee,
		ReleaseDeadline: ReleaseDeadline(c, clock, p.Height).In(d.Location()),
		Reference:       issuer.Reference(p.TransactionHash), TransactionHash: p.TransactionHash,
	}
	out := make([]PrintedTicket, len(p.QR))
	for i, text := range p.QR {
		t := base
		t.QRText = text
		if len(p.QR) > 1 {
			t.Code, t.Codes = i+1, len(p.QR)
		}
		for _, it := range p.Tickets[i*per : min((i+1)*per, len(p.Tickets))] {
			t.Seats = append(t.Seats, PrintedSeat{Seat: it.Seat, Type: it.Type, Price: it.Price})
		}
		out[i] = t
	}
	return out, nil
}

// ReleaseDeadline is when releases of the contract's active sale stop (the start of the
// first block inside the no-release window), or the zero time when a ticket bought at
// height can never be released.
func ReleaseDeadline(c ledger.Contract, clock ledger.Clock, height int64) time.Time {
	if c.Sale == nil || !ledger.ReleaseOpen(height, c.Rules.NoReleaseBlocks, c.Sale.Details.EndOfSale) {
		return time.Time{}
	}
	return clock.TimeOf(c.Sale.Details.EndOfSale - c.Rules.NoReleaseBlocks)
}
