package ledger

import (
	"context"
	"time"
)

// The season-ticketing command API of seed 004 (package season) reads the ledger's sales
// as events: a contract whose latest sale is active is an event, on the date of its show.
// SeasonRecords lists them; the other reads go through the ledger's Contracts.

// SeasonEvent is a contract on sale as the command API shows an event: the contract with
// its active sale (and the sale's ticket types), and how many of its seats are in each
// status of the ticket flow now (TicketStatuses: available, reserved, issued, checked in).
type SeasonEvent struct {
	Contract Contract
	Counts   map[string]int
}

// SeasonEventQuery asks for the events whose show is at or after From and before To,
// ordered by the show's time and then the contract's address. Venue, when not "", keeps
// the contracts of that venue (ignoring the case of ASCII letters). After asks for the
// events that follow the event with that address in this order (it must be an event of
// the query's); Limit bounds the answer (0: DefaultSeasonEvents, at most MaxSeasonEvents).
type SeasonEventQuery struct {
	From, To time.Time
	Venue    string
	After    string
	Limit    int
}

// The bounds of an event list.
const (
	DefaultSeasonEvents = 100
	MaxSeasonEvents     = 1000
)

// DatabaseStatus is what the store says of its database: whether it answers now and how
// many connections its pools have open (in use or idle).
type DatabaseStatus struct {
	Available   bool
	Connections int
}

// SoldSeat is a seat sold to an account (a ticket issued by a confirmed booking of the
// customer, not released since): the ticket, its seat, its base price (FullPrice), its
// ticket type ("": the base price) and what it cost (Paid, the type's price), the sale's
// currency, whether it was checked in, and its booking and when that was opened.
type SoldSeat struct {
	Ticket    TicketID
	Seat      Seat
	FullPrice int64
	Type      string
	Paid      int64
	Currency  string
	CheckedIn bool
	Booking   int64
	Ordered   time.Time
}

// SoldSeatQuery asks for the seats sold to the customer, of the Contracts named (none:
// of every contract), in the order of contract, sale and seat index: Limit of them (0:
// DefaultSoldSeats, at most MaxSoldSeats) after the ticket After (its TicketID's text;
// "" from the first).
type SoldSeatQuery struct {
	Customer  int64
	Contracts []string
	After     string
	Limit     int
}

// SoldSeatPage is a page of an account's sold seats: Total is how many the query finds
// in all, Next the After of the next page ("" on the last).
type SoldSeatPage struct {
	Seats []SoldSeat
	Total int
	Next  string
}

// The bounds of a page of sold seats.
const (
	DefaultSoldSeats = 500
	MaxSoldSeats     = 5000
	MaxSoldContracts = 100
)

// SeasonRecords are the ledger's reads for the command API: its events, an account's
// sold seats and the database's status. Box-office and organizer keys and the
// administrator may use it (an organizer key sees its own contracts only): EUNAUTHORIZED
// without a key, EFORBIDDEN for another.
type SeasonRecords interface {
	// SeasonEvents returns the events the query finds: EINVALID for a limit out of
	// bounds or a To before From, ENOTFOUND for an After that is no event.
	SeasonEvents(ctx context.Context, q SeasonEventQuery) ([]SeasonEvent, error)
	// SeasonEvent returns the contract at address as an event: ENOTFOUND when there is no
	// such contract or its latest sale is not active.
	SeasonEvent(ctx context.Context, address string) (SeasonEvent, error)
	// SoldSeats returns a page of the seats sold to the customer: ENOTFOUND for no such
	// customer (or one the key may not see), EINVALID for a malformed query.
	SoldSeats(ctx context.Context, q SoldSeatQuery) (SoldSeatPage, error)
	// DatabaseStatus says whether the database answers and how many connections are open;
	// it needs no key and never fails (an unanswering database is Available false).
	DatabaseStatus(ctx context.Context) DatabaseStatus
}
