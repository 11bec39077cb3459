package ledger

import "context"

// Service is the ledger as its users see it: the operations of the Ticketbooth contract.
// The SQL store implements it in-process and the HTTP client over the API, so every command
// runs one code path either way. Writes act for the Actor carried by the context
// (WithActor) and fail with EUNAUTHORIZED without one, EFORBIDDEN when it may not.
type Service interface {
	// Info returns the current block height and the clock's parameters.
	Info(ctx context.Context) (Info, error)
	// CreateContract creates a contract of seats under a venue, owned by the actor.
	CreateContract(ctx context.Context, venue string, seats []Seat) (Contract, Receipt, error)
	// Contract returns the contract at address: ENOTFOUND when there is none.
	Contract(ctx context.Context, address string) (Contract, error)
	// Tickets returns the contract's ticket list in seat order.
	Tickets(ctx context.Context, address string) ([]Ticket, error)
	// SetReleaseFee, SetNoReleaseBlocks and SetIdentityPolicy change one rule; ECONFLICT
	// while a sale is active.
	SetReleaseFee(ctx context.Context, address string, fee int64) (Receipt, error)
	SetNoReleaseBlocks(ctx context.Context, address string, count int64) (Receipt, error)
	SetIdentityPolicy(ctx context.Context, address string, require bool) (Receipt, error)
	// BeginSale opens a sale with exactly one price for every seat.
	BeginSale(ctx context.Context, address string, prices []SeatPrice, details SaleDetails) (Receipt, error)
	// EndSale closes the active sale once its end height is reached.
	EndSale(ctx context.Context, address string) (Receipt, error)
	// Receipt returns what the transaction with the hash did: ENOTFOUND when unknown.
	Receipt(ctx context.Context, hash string) (Receipt, error)
	// Verify seals what can be sealed and checks every transaction hash, every block, and
	// that the state tables match a replay of the journal; and that each anchor (a block
	// recorded outside the database earlier) is still in the chain unchanged.
	Verify(ctx context.Context, anchors ...BlockRef) (VerifyReport, error)
}
