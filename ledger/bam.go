package ledger

import "context"

// Seed 002's wallet platform (served under /bam/) names events, timeslots, sectors, ticket
// configs and tickets by numbers. This project maps them onto its own records: an event
// is a contract, a timeslot is one of its sales, a sector is one of its sections, a
// ticket config is a ticket type of a sale (the base price when the sale names none),
// and a ticket is a seat of a sale. The numbers of events, timeslots, sectors and ticket
// configs are random and kept by the store (BamIDs); a ticket's number is computed from
// its timeslot's and its seat's index: BamTicketID.
const (
	// BamMaxRecordID bounds the ids of events, timeslots, sectors and ticket configs, so
	// that every ticket id (BamTicketID) stays below 2^53, which JavaScript reads whole.
	BamMaxRecordID = 9_000_000_000
	// bamSeatsPerTimeslot: a ticket id holds its seat's index below this (MaxContractSeats
	// is smaller).
	bamSeatsPerTimeslot = 1_000_000
)

// The ticket statuses of seed 002's platform, as this ledger's ticket statuses map onto
// them: available, reserved (held by a booking), issued, and activated (checked in at
// the gate).
const (
	BamAvailable = "available"
	BamReserved  = "reserved"
	BamIssued    = "issued"
	BamActivated = "activated"
)

// BamStatus returns the platform's status of a ticket of this ledger's status.
func BamStatus(status string) string {
	if status == TicketCheckedIn {
		return BamActivated
	}
	return status
}

// BamTicketID returns the platform's id of the ticket of the timeslot's seat of index idx.
func BamTicketID(timeslot int64, idx int) int64 {
	return timeslot*bamSeatsPerTimeslot + int64(idx) + 1
}

// BamTicketSeat splits a ticket id into its timeslot and seat index: EINVALID for a
// number that is no ticket id.
func BamTicketSeat(id int64) (timeslot int64, idx int, err error) {
	timeslot, rest := id/bamSeatsPerTimeslot, id%bamSeatsPerTimeslot
	if id <= 0 || timeslot == 0 || timeslot >= BamMaxRecordID || rest == 0 || rest > MaxContractSeats {
		return 0, 0, Errorf(EINVALID, "The number %d is not a ticket id: use the ids that reserve answered", id)
	}
	return timeslot, int(rest - 1), nil
}

// BamEvent is a contract as the platform sees it: an event with its sectors (the
// contract's sections), timeslots (its sales, the latest last) and each timeslot's ticket
// configs.
type BamEvent struct {
	ID        int64
	Contract  string
	Venue     string
	Sectors   []BamSector
	Timeslots []BamTimeslot
}

// BamSector is a section of the event's contract ("" for seats without a section).
type BamSector struct {
	ID      int64
	Section string
}

// BamTimeslot is a sale of the event's contract: its number, its name and show time
// (unix seconds), whether it is on sale now, and its ticket configs.
type BamTimeslot struct {
	ID            int64
	Sale          int64
	Name          string
	Time          int64
	OnSale        bool
	TicketConfigs []BamTicketConfig
}

// BamTicketConfig is a ticket type of a sale; Type "" is the sale's base prices.
type BamTicketConfig struct {
	ID   int64
	Type string
}

// Sector returns the event's sector with the id.
func (e BamEvent) Sector(id int64) (BamSector, bool) {
	for _, s := range e.Sectors {
		if s.ID == id {
			return s, true
		}
	}
	return BamSector{}, false
}

// Timeslot returns the event's timeslot with the id.
func (e BamEvent) Timeslot(id int64) (BamTimeslot, bool) {
	for _, t := range e.Timeslots {
		if t.ID == id {
			return t, true
		}
	}
	return BamTimeslot{}, false
}

// TicketConfig returns the timeslot's ticket config with the id.
func (t BamTimeslot) TicketConfig(id int64) (BamTicketConfig, bool) {
	for _, c := range t.TicketConfigs {
		if c.ID == id {
			return c, true
		}
	}
	return BamTicketConfig{}, false
}

// BamTicket is a ticket as the platform sees it: its id and those of its event,
// timeslot, sector and ticket config; the seat, its price and status (a ledger status: TicketAvailable,
// TicketReserved, TicketIssued, TicketCheckedIn) and format (FormatPDF, FormatSecure);
// and, while reserved or issued, its booking and that booking's customer (the owner).
type BamTicket struct {
	ID       int64
	Event    int64
	Timeslot int64
	Sector   int64
	// TicketConfig is the number of the ticket's type (Type; "" the sale's base prices).
	TicketConfig int64
	Type         string
	Contract     string
	Sale         int64
	Seat         Seat
	Price        int64
	Status       string
	Format       string
	Booking      int64
	Customer     int64
	// Expired: the ticket is available because the hold of its booking (Booking) passed
	// before the booking was confirmed.
	Expired bool
}

// BamIDs keeps the platform's numbers of this ledger's records, implemented by the SQL
// store. Its methods act for the keys that may sell on the contract (see Seller).
type BamIDs interface {
	// BamEvent returns the contract as an event, numbering its sections, sales and
	// ticket types the first time it sees them (the same numbers ever after).
	BamEvent(ctx context.Context, address string) (BamEvent, error)
	// BamEventByID returns the event with the id, as BamEvent does: ENOTFOUND for an
	// unknown id.
	BamEventByID(ctx context.Context, id int64) (BamEvent, error)
	// BamTickets reads the tickets with the ids, in their order: ENOTFOUND naming the
	// first unknown one.
	BamTickets(ctx context.Context, ids []int64) ([]BamTicket, error)
	// BamBookingTickets reads the tickets a booking holds or was issued, in seat order.
	BamBookingTickets(ctx context.Context, booking int64) ([]BamTicket, error)
}
