package ledger

import (
	"context"
	"time"
)

// The season-ticketing command API of seed 004 (package season) reads the ledger's sales
// as events: a contract whose latest sale is active is an event, on the date of its show.
// SeasonEvents lists them; the other reads go through the ledger's Contracts.

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

// SeasonEvents lists the ledger's events for the command API. Box-office and organizer
// keys and the administrator may use it (an organizer key sees its own contracts only):
// EUNAUTHORIZED without a key, EFORBIDDEN for another.
type SeasonEvents interface {
	// SeasonEvents returns the events the query finds: EINVALID for a limit out of
	// bounds or a To before From, ENOTFOUND for an After that is no event.
	SeasonEvents(ctx context.Context, q SeasonEventQuery) ([]SeasonEvent, error)
	// SeasonEvent returns the contract at address as an event: ENOTFOUND when there is no
	// such contract or its latest sale is not active.
	SeasonEvent(ctx context.Context, address string) (SeasonEvent, error)
	// DatabaseStatus says whether the database answers and how many connections are open;
	// it needs no key and never fails (an unanswering database is Available false).
	DatabaseStatus(ctx context.Context) DatabaseStatus
}
