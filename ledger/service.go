package ledger

import "context"

// Service is the ledger as its users see it: the operations of the Ticketbooth contract,
// its contracts and sales and its journal. The HTTP client implements it whole; the SQL
// store implements its two parts apart and joins them (Joined). So every command runs one
// code path in-process or against a server. Writes act for the Actor carried by the
// context (WithActor) and fail with EUNAUTHORIZED without one, EFORBIDDEN when it may not.
type Service interface {
	Contracts
	Journal
}

// Contracts is the ledger's contracts and sales: contracts of seats, their rules, owners
// and sales, and the ticket list.
type Contracts interface {
	// CreateContract creates a contract of seats under a venue, owned by the actor, with
	// the standing (general-admission) sections given, whose places follow the seats
	// (ContractSeats).
	CreateContract(ctx context.Context, venue string, seats []Seat, standing ...StandingSection) (Contract, Receipt, error)
	// Contract returns the contract at address: ENOTFOUND when there is none.
	Contract(ctx context.Context, address string) (Contract, error)
	// Tickets returns the contract's ticket list in seat order. Sold tickets show their
	// holder's pseudonymous address; the real sender only to the contract's owner and the
	// administrator (Ticket.Sender).
	Tickets(ctx context.Context, address string) ([]Ticket, error)
	// SetReleaseFee, SetNoReleaseBlocks and SetIdentityPolicy change one rule; ECONFLICT
	// while a sale is active.
	SetReleaseFee(ctx context.Context, address string, fee int64) (Receipt, error)
	SetNoReleaseBlocks(ctx context.Context, address string, count int64) (Receipt, error)
	SetIdentityPolicy(ctx context.Context, address string, require bool) (Receipt, error)
	// SetRules changes the rules the change gives, all in one transaction; ECONFLICT while
	// a sale is active, EINVALID for a change that changes nothing.
	SetRules(ctx context.Context, address string, change RulesChange) (Receipt, error)
	// TransferContract makes the organizer key owner ("key:N", as Contract.Owner shows it)
	// the contract's owner; the owner or the administrator may. ENOTFOUND for an unknown
	// key, EREFUSED for a revoked or non-organizer key.
	TransferContract(ctx context.Context, address, owner string) (Receipt, error)
	// BeginSale opens a sale with exactly one price for every seat.
	BeginSale(ctx context.Context, address string, prices []SeatPrice, details SaleDetails) (Receipt, error)
	// EndSale closes the active sale once its end height is reached.
	EndSale(ctx context.Context, address string) (Receipt, error)
}

// Journal is the ledger's record: the clock, the receipts of transactions, and the
// verification of the whole journal and its blocks.
type Journal interface {
	// Info returns the current block height and the clock's parameters.
	Info(ctx context.Context) (Info, error)
	// Receipt returns what the transaction with the hash did: ENOTFOUND when unknown.
	Receipt(ctx context.Context, hash string) (Receipt, error)
	// Verify closes and chains what blocks it can and checks every transaction hash, every
	// block, and that the state tables match a replay of the journal; and that each anchor
	// (a block recorded outside the database earlier) is still in the chain unchanged.
	Verify(ctx context.Context, anchors ...BlockRef) (VerifyReport, error)
}

// Joined is a Service made of its two parts, for a backend that implements them apart
// (the SQL store's Ledger).
type Joined struct {
	Contracts
	Journal
}

var _ Service = Joined{}

// TicketPage is part of a contract's ticket list: the tickets from some seat index on,
// the number of the sale they belong to (0 when no sale is active and every seat is
// listed as available) and Total, the number of tickets of the whole list (the contract's
// seats: seat indexes run from 0 to Total-1), read without reading the list.
type TicketPage struct {
	Sale    int64
	Tickets []Ticket
	Total   int
}

// TicketPager reads a contract's ticket list a page at a time, so that a stadium's list
// can be sent without holding all of it in memory.
type TicketPager interface {
	// TicketsPage returns at most limit tickets of the list (see Contracts.Tickets) from
	// seat index offset on (a range of the seat index, never a scan of what comes
	// before): fewer, or none, past the end. EINVALID for a negative offset
	// or limit; ENOTFOUND for an unknown contract.
	TicketsPage(ctx context.Context, address string, offset, limit int) (TicketPage, error)
}
