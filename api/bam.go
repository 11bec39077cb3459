package api

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// BamPrefix is the path prefix of the facade of seed 002's wallet platform: its bodies
// are snake_case, as that platform's are, and its numbers map onto this ledger's records
// as ledger.BamIDs says.
const BamPrefix = "/bam/"

// BamReserveRequest is the body of POST /bam/ticket/reserve.
type BamReserveRequest struct {
	EventID int64                `json:"event_id"`
	OwnerID BamOwner             `json:"owner_id"`
	Format  string               `json:"format"`
	Items   []BamReservationItem `json:"ticket_reservation_items"`
}

// BamReservationItem asks for quantity tickets of a ticket config in a timeslot's sector.
// Seats, which the platform does not have, names the seats instead of leaving the choice
// to the ledger.
type BamReservationItem struct {
	TicketConfigID int64         `json:"ticket_config_id"`
	Quantity       int           `json:"quantity"`
	TimeslotID     int64         `json:"timeslot_id"`
	SectorID       int64         `json:"sector_id"`
	Seats          []ledger.Seat `json:"seats,omitempty"`
}

// BamOwner is an owner's enrollment: this ledger's customer id, sent as a number or as a
// string of digits (the platform's enrollment ids are strings).
type BamOwner int64

// UnmarshalJSON reads a positive customer id from a number or a string of digits.
func (o *BamOwner) UnmarshalJSON(data []byte) error {
	text := string(bytes.TrimSpace(data))
	if strings.HasPrefix(text, `"`) {
		if err := json.Unmarshal(data, &text); err != nil {
			return ledger.Errorf(ledger.EINVALID, "owner_id must be the customer's id")
		}
	}
	id, err := strconv.ParseInt(strings.TrimSpace(text), 10, 64)
	if text == "null" || err != nil || id <= 0 {
		return ledger.Errorf(ledger.EINVALID, "owner_id must be the id of a customer (a positive whole number, or one as a string), not %s", clip(string(data), 40))
	}
	*o = BamOwner(id)
	return nil
}

// clip shortens text for a message.
func clip(text string, n int) string {
	if len(text) > n {
		return text[:n] + "..."
	}
	return text
}

// Check checks the body as far as it can without the ledger: an event, an owner, a
// format (PDF when empty; any case), and one to ledger.MaxTicketsInBooking tickets in
// items of one timeslot, each of a quantity of at least 1 (the number of its seats when
// it names seats and no quantity). It returns the body with the format and quantities
// filled in.
func (b BamReserveRequest) Check() (BamReserveRequest, error) {
	switch {
	case b.EventID <= 0:
		return b, ledger.Errorf(ledger.EINVALID, "event_id must be the id of an event (a positive whole number)")
	case b.OwnerID <= 0:
		return b, ledger.Errorf(ledger.EINVALID, "owner_id must be the id of the customer the tickets are reserved for")
	case len(b.Items) == 0:
		return b, ledger.Errorf(ledger.EINVALID, "ticket_reservation_items must list at least one item")
	}
	format, err := ledger.ParseTicketFormat(strings.TrimSpace(b.Format))
	if err != nil {
		return b, err
	}
	b.Format, b.Items = format, slicesClone(b.Items)
	total := 0
	for i := range b.Items {
		if err := b.Items[i].check(i+1, b.Items[0].TimeslotID); err != nil {
			return b, err
		}
		if len(b.Items[i].Seats) > 0 && b.Items[i].Quantity == 0 {
			b.Items[i].Quantity = len(b.Items[i].Seats)
		}
		total += b.Items[i].Quantity
	}
	if total > ledger.MaxTicketsInBooking {
		return b, ledger.Errorf(ledger.EINVALID, "A reservation may hold at most %d tickets; these items ask for %d", ledger.MaxTicketsInBooking, total)
	}
	return b, nil
}

func slicesClone(items []BamReservationItem) []BamReservationItem {
	return append([]BamReservationItem(nil), items...)
}

// check checks item n of a reservation whose first item's timeslot is slot.
func (it BamReservationItem) check(n int, slot int64) error {
	switch {
	case it.TicketConfigID <= 0:
		return ledger.Errorf(ledger.EINVALID, "Item %d: ticket_config_id must be the id of a ticket config (a positive whole number)", n)
	case it.TimeslotID <= 0:
		return ledger.Errorf(ledger.EINVALID, "Item %d: timeslot_id must be the id of a timeslot (a positive whole number)", n)
	case it.SectorID <= 0:
		return ledger.Errorf(ledger.EINVALID, "Item %d: sector_id must be the id of a sector (a positive whole number)", n)
	case it.TimeslotID != slot:
		return ledger.Errorf(ledger.EINVALID, "Item %d is for timeslot %d and item 1 for timeslot %d: reserve each timeslot's tickets in a request of its own", n, it.TimeslotID, slot)
	case it.Quantity < 0 || it.Quantity == 0 && len(it.Seats) == 0:
		return ledger.Errorf(ledger.EINVALID, "Item %d: quantity must be at least 1", n)
	case it.Quantity > ledger.MaxTicketsInBooking:
		return ledger.Errorf(ledger.EINVALID, "Item %d: quantity %d is more than the %d tickets a reservation may hold", n, it.Quantity, ledger.MaxTicketsInBooking)
	case len(it.Seats) > 0 && len(it.Seats) != it.Quantity:
		return ledger.Errorf(ledger.EINVALID, "Item %d names %d seats but asks for a quantity of %d", n, len(it.Seats), it.Quantity)
	}
	for _, s := range it.Seats {
		if err := s.Validate(); err != nil {
			return ledger.Errorf(ledger.EINVALID, "Item %d: %s", n, ledger.ErrorMessage(err))
		}
	}
	return nil
}

// BamTicketIDs is the body of POST /bam/ticket/free and /bam/ticket/issue: the ids of
// reserved tickets, as ids (or ticket_ids).
type BamTicketIDs struct {
	IDs       []int64 `json:"ids"`
	TicketIDs []int64 `json:"ticket_ids"`
}

// Check returns the ids: one to ledger.MaxTicketsInBooking, none twice.
func (b BamTicketIDs) Check() ([]int64, error) {
	ids := append(append([]int64(nil), b.IDs...), b.TicketIDs...)
	switch {
	case len(ids) == 0:
		return nil, ledger.Errorf(ledger.EINVALID, "ids must list the ids of the tickets")
	case len(ids) > ledger.MaxTicketsInBooking:
		return nil, ledger.Errorf(ledger.EINVALID, "At most %d tickets at a time", ledger.MaxTicketsInBooking)
	}
	seen := map[int64]bool{}
	for _, id := range ids {
		if _, _, err := ledger.BamTicketSeat(id); err != nil {
			return nil, err
		}
		if seen[id] {
			return nil, ledger.Errorf(ledger.EINVALID, "Ticket %d is in the request twice", id)
		}
		seen[id] = true
	}
	return ids, nil
}

// BamTicket is a ticket as the platform shows it: Format is ledger.FormatPDF or
// ledger.FormatSecure. OwnerID is the customer's id as a
// string (null while available); EnrollmentID repeats it when asked for
// (with_enrollment_id). QR and Secret come once, in the answer of issue.
type BamTicket struct {
	ID             int64              `json:"id"`
	Status         string             `json:"status"`
	Format         string             `json:"format"`
	EventID        int64              `json:"event_id"`
	TimeslotID     int64              `json:"timeslot_id"`
	SectorID       int64              `json:"sector_id"`
	TicketConfigID int64              `json:"ticket_config_id"`
	OwnerID        *string            `json:"owner_id"`
	EnrollmentID   *string            `json:"enrollment_id,omitempty"`
	Seat           ledger.Seat        `json:"seat"`
	Price          int64              `json:"price"`
	QR             string             `json:"qr,omitempty"`
	Secret         *issuer.SecretKeys `json:"secret,omitempty"`
}

// BamTicketOf returns the ticket as the platform shows it.
func BamTicketOf(t ledger.BamTicket) BamTicket {
	out := BamTicket{ID: t.ID, Status: ledger.BamStatus(t.Status), Format: t.Format, EventID: t.Event, TimeslotID: t.Timeslot,
		SectorID: t.Sector, TicketConfigID: t.TicketConfig, Seat: t.Seat, Price: t.Price}
	if t.Customer != 0 {
		owner := strconv.FormatInt(t.Customer, 10)
		out.OwnerID = &owner
	}
	return out
}

// BamData is the platform's envelope of an answer: {"data": ...}.
type BamData[T any] struct {
	Data T `json:"data"`
}

// BamEventRequest is the body of POST /bam/v1/event: the contract to see as an event.
type BamEventRequest struct {
	Contract string `json:"contract"`
}

// BamEvent is an event as the facade shows it: the contract, its sectors (sections),
// timeslots (sales) and ticket configs (each of a timeslot).
type BamEvent struct {
	ID           int64             `json:"id"`
	Name         string            `json:"name"`
	Contract     string            `json:"contract"`
	Sector       []BamSector       `json:"sector"`
	Timeslot     []BamTimeslot     `json:"timeslot"`
	TicketConfig []BamTicketConfig `json:"ticket_config"`
}

// BamSector is a section; Name "" is the seats without a section.
type BamSector struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// BamTimeslot is a sale: its name, show time (unix seconds) and whether it is on sale.
type BamTimeslot struct {
	ID      int64  `json:"id"`
	Name    string `json:"name"`
	StartAt int64  `json:"start_at"`
	OnSale  bool   `json:"on_sale"`
}

// BamTicketConfig is a ticket type of a timeslot; Name "" is the sale's base prices.
type BamTicketConfig struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	TimeslotID int64  `json:"timeslot_id"`
}

// BamEventOf returns the event as the facade shows it; its name is the latest sale's,
// or the venue before the first sale.
func BamEventOf(e ledger.BamEvent) BamEvent {
	out := BamEvent{ID: e.ID, Name: e.Venue, Contract: e.Contract, Sector: []BamSector{}, Timeslot: []BamTimeslot{}, TicketConfig: []BamTicketConfig{}}
	for _, s := range e.Sectors {
		out.Sector = append(out.Sector, BamSector{ID: s.ID, Name: s.Section})
	}
	for _, t := range e.Timeslots {
		out.Timeslot = append(out.Timeslot, BamTimeslot{ID: t.ID, Name: t.Name, StartAt: t.Time, OnSale: t.OnSale})
		for _, c := range t.TicketConfigs {
			out.TicketConfig = append(out.TicketConfig, BamTicketConfig{ID: c.ID, Name: c.Type, TimeslotID: t.ID})
		}
		if t.Name != "" {
			out.Name = t.Name
		}
	}
	return out
}
