package issuer

import (
	"context"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// ResendRequest asks for a confirmed booking's tickets to be sent again: under the
// identity policy the purchaser's name to seal into the new tickets ("": the customer's
// name on record).
type ResendRequest struct {
	CustomerName string `json:"customerName,omitempty"`
}

// SkippedTicket is a ticket of a booking that was not sent again, and why: checked in at
// the gate (the person admitted holds its code), or refused by the ledger.
type SkippedTicket struct {
	Seat   ledger.Seat `json:"seat"`
	Reason string      `json:"reason"`
}

// Resent says what sending a booking's tickets again did: the seats reissued (new
// secrets: their old QR codes are refused from then on) and mailed in one e-mail, and the
// seats skipped.
type Resent struct {
	Booking  int64           `json:"booking"`
	Reissued []ledger.Seat   `json:"reissued"`
	Skipped  []SkippedTicket `json:"skipped,omitempty"`
}

// Resender sends a confirmed booking's tickets to its customer again: delivery's in
// process, the HTTP client remotely. The ledger never keeps a ticket's keys, so sending
// again means reissuing each ticket not yet checked in and mailing the new ones; ECONFLICT
// for a booking that is not confirmed or has no ticket left to reissue.
type Resender interface {
	ResendBooking(ctx context.Context, booking int64, r ResendRequest) (Resent, error)
}
