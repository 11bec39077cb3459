package ledger

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"
)

// Transaction kinds of selling.
const (
	TxTicketsReserved = "tickets_reserved"
	TxTicketReleased  = "ticket_released"
	TxTicketReissued  = "ticket_reissued"
)

// Limits of an order.
const (
	MaxSenderLen      = 100
	MaxNameLen        = 200
	MaxTicketsInOrder = 500
)

// SealedTicket is one ticket of an order as the ledger keeps it: ciphertexts and
// digests only, never a key or the plaintext secret.
type SealedTicket struct {
	Seat             Seat
	SecretCiphertext []byte // AES-256-CBC of the secret
	SecretDigest     []byte // SHA3-224 of the secret
	NameCiphertext   []byte // AES-256-CBC of the purchaser's name, under the identity policy
	NameDigest       []byte // HMAC-SHA256 of the name keyed by the name key
}

// Order is a purchase of one or more seats by one purchaser, all or nothing.
type Order struct {
	Sender  string // the purchaser's account as the shop knows it; the tickets' address
	Amount  *int64 // what was paid; nil means exactly the total price
	Tickets []SealedTicket
}

// OrderReceipt is a committed order: the transaction, each ticket's price in order (and,
// for a confirmed booking whose tickets have ticket types, each ticket's type, "" for the
// base price), the total, what was paid back of an over-payment, and the holder: the
// pseudonymous address (HolderAddress) under which the ticket list and the journal show
// the tickets.
type OrderReceipt struct {
	Receipt
	Prices   []int64  `json:"prices"`
	Types    []string `json:"types,omitempty"`
	Total    int64    `json:"total"`
	Refunded int64    `json:"refunded"`
	Holder   string   `json:"holder"`
}

// ReleaseRequest releases one ticket: by presenting its Secret (holding the ticket proves
// ownership, whichever key sends it), or by its holder's Sender, which only the contract's
// owner and the key that sold the ticket may give. Exactly one of the two.
type ReleaseRequest struct {
	Seat   Seat
	Sender string
	Secret string
}

// ReleaseReceipt is a committed release and the refund: price less fee, never below 0.
type ReleaseReceipt struct {
	Receipt
	Refund int64 `json:"refund"`
}

// ReissueRequest replaces a sold ticket's secret (and its name's sealing, under the
// identity policy) with a freshly sealed Ticket for the same seat and holder. Secret, the
// ticket's current secret, proves holding it with any key that may sell; without it only
// the contract's owner and the key that sold the ticket may reissue.
type ReissueRequest struct {
	Secret string
	Ticket SealedTicket
}

// ReissueReceipt is a committed reissue: the seat's price and its holder's address.
type ReissueReceipt struct {
	Receipt
	Price  int64  `json:"price"`
	Holder string `json:"holder"`
}

// Seller is the ledger's selling side, implemented by the SQL store. Its methods act for
// a box-office key, an organizer key on its own contracts, or the administrator; a
// release or reissue also needs proof of holding the ticket, or to be the contract's
// owner or the key that sold it (EREFUSED otherwise).
type Seller interface {
	Reserve(ctx context.Context, address string, o Order) (OrderReceipt, error)
	Release(ctx context.Context, address string, r ReleaseRequest) (ReleaseReceipt, error)
	// Reissue gives a sold ticket of the contract's latest sale, not yet checked in, a new
	// secret: from then on its old QR is refused at the gate.
	Reissue(ctx context.Context, address string, r ReissueRequest) (ReissueReceipt, error)
}

// ValidateOrder checks an order as its purchaser gives it, whoever seals or sells it: a
// sender (ValidateSender), one to MaxTicketsInOrder seats, none of them twice, and an
// amount paid that is not negative. EINVALID otherwise.
func ValidateOrder(sender string, seats []Seat, amount *int64) error {
	if err := ValidateSender(sender); err != nil {
		return err
	}
	switch {
	case len(seats) == 0:
		return Errorf(EINVALID, "An order needs at least one seat")
	case len(seats) > MaxTicketsInOrder:
		return Errorf(EINVALID, "An order may hold at most %d seats", MaxTicketsInOrder)
	case amount != nil && *amount < 0:
		return Errorf(EINVALID, "Amount must not be negative")
	}
	seen := make(map[string]bool, len(seats))
	for _, s := range seats {
		if seen[s.Key()] {
			return Errorf(EINVALID, "Seat %s is in the order twice", s)
		}
		seen[s.Key()] = true
	}
	return nil
}

// Seats returns the seats of the order's tickets, in order.
func (o Order) Seats() []Seat {
	seats := make([]Seat, len(o.Tickets))
	for i, t := range o.Tickets {
		seats[i] = t.Seat
	}
	return seats
}

// ValidateSender checks a purchaser account: non-empty text of at most MaxSenderLen.
func ValidateSender(sender string) error {
	if strings.TrimSpace(sender) == "" {
		return Errorf(EINVALID, "Sender must be given: the purchaser's account, customer number or e-mail")
	}
	if utf8.RuneCountInString(sender) > MaxSenderLen || !utf8.ValidString(sender) || strings.ContainsAny(sender, "\n\r\t") {
		return Errorf(EINVALID, "Sender must be one line of at most %d characters", MaxSenderLen)
	}
	return CheckText("Sender", sender)
}

// ValidateCustomerName checks a purchaser name under the identity policy.
func ValidateCustomerName(name string) error {
	if strings.TrimSpace(name) == "" {
		return identityRefusal(EREFUSED, msgNameRequired)
	}
	if utf8.RuneCountInString(name) > MaxNameLen || !utf8.ValidString(name) {
		return Errorf(EINVALID, "Customer name must be valid text of at most %d characters", MaxNameLen)
	}
	return CheckText("Customer name", name)
}

// The refusals of the identity policy: a ticket carries a customer name exactly when the
// contract requires one.
const (
	msgNameRequired = "Customer name is required"
	msgNameUnwanted = "The identity policy changed while reserving; try again"
)

// ErrIdentityPolicy is in the chain of every refusal of the identity policy (errors.Is):
// a ticket without a customer name where the contract requires one, or with one where it
// requires none. A seller who sealed its tickets under a policy it remembered can then
// read the contract's policy again and seal them anew. It is a mark, not a message: the
// refusal's code and sentence are those of its *Error.
var ErrIdentityPolicy = errors.New("the tickets do not follow the contract's identity policy")

// identityRefusal makes a refusal of the identity policy, marked with ErrIdentityPolicy.
func identityRefusal(code, message string) *Error {
	return &Error{Code: code, Message: message, rule: ErrIdentityPolicy}
}

// CheckIdentity refuses a ticket whose name does not follow the contract's identity
// policy (required: the contract requires names). Its refusals carry ErrIdentityPolicy.
func CheckIdentity(required bool, t SealedTicket) error {
	if named := len(t.NameCiphertext) > 0; required != named {
		if !named {
			return identityRefusal(EREFUSED, msgNameRequired)
		}
		return identityRefusal(ECONFLICT, msgNameUnwanted)
	}
	return nil
}

// SaleActive reports whether the contract has an active sale: begun and not yet ended by
// EndSale (its end height may have passed). While it has, its rules cannot change and no
// other sale can begin.
func SaleActive(c Contract) bool { return c.Sale != nil && c.Sale.Active }

// SaleOpen reports whether tickets can be bought at height: a sale is active and its end
// height is not reached.
func SaleOpen(c Contract, height int64) bool {
	return SaleActive(c) && height < c.Sale.Details.EndOfSale
}

// SaleEndable reports whether the contract's sale may be ended at height: it is active
// and its end height is reached.
func SaleEndable(c Contract, height int64) bool {
	return SaleActive(c) && height >= c.Sale.Details.EndOfSale
}
