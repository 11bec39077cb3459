package ledger

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// Role is what an API key may do.
type Role string

// The roles of API keys.
const (
	RoleOrganizer Role = "organizer"  // creates and manages contracts, issues tickets
	RoleBoxOffice Role = "box-office" // reserves and releases tickets for customers
	RoleScanner   Role = "scanner"    // checks tickets in at the gate
	// RolePartner (partner.go) calls the command API of seed 004 only.
)

// ParseRole returns the role named s, or an EINVALID error listing the roles.
func ParseRole(s string) (Role, error) {
	switch r := Role(s); r {
	case RoleOrganizer, RoleBoxOffice, RoleScanner, RolePartner:
		return r, nil
	}
	return "", Errorf(EINVALID, "unknown role %q: use organizer, box-office, scanner or partner", s)
}

// Actor is who performs a call: the holder of an API key, or the database's administrator
// (whoever opens the database file in-process).
type Actor struct {
	KeyID int64  // 0 for the administrator
	Name  string // the key's name, for the journal
	Role  Role
	Admin bool
	// Wallet: a customer acting through their wallet link, whose token the server
	// checked (WalletActor); journaled as "wallet", never as a key.
	Wallet bool
}

// WalletActor is the actor of the writes a customer makes through their wallet link.
var WalletActor = Actor{Name: "wallet", Wallet: true}

// ID is the owner identifier the ledger records for contracts the actor creates.
func (a Actor) ID() string {
	if a.Admin {
		return "admin"
	}
	if a.Wallet {
		return "wallet"
	}
	return "key:" + itoa(a.KeyID)
}

// ParseOwner reads an owner identifier as Actor.ID writes it for a key ("key:7") and
// returns the key's id: EINVALID for anything else.
func ParseOwner(owner string) (int64, error) {
	digits, ok := strings.CutPrefix(owner, "key:")
	id, err := strconv.ParseInt(digits, 10, 64)
	if !ok || err != nil || id <= 0 || digits != strconv.FormatInt(id, 10) {
		return 0, Errorf(EINVALID, "Invalid owner %q: an organizer key written key:ID, as the contract's owner is shown", clip(owner, 40))
	}
	return id, nil
}

type actorKey struct{}

// WithActor returns a context carrying the actor of the calls made with it.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor carried by ctx and whether there is one.
func ActorFrom(ctx context.Context) (Actor, bool) {
	a, ok := ctx.Value(actorKey{}).(Actor)
	return a, ok
}

// Rules are a contract's ticket rules; they can change only while no sale is active.
type Rules struct {
	ReleaseFee                  int64 `json:"fee"`
	NoReleaseBlocks             int64 `json:"noReleaseBlocks"`
	RequireIdentityVerification bool  `json:"requireIdentityVerification"`
}

// SaleDetails describe the show a sale is for. Time is the show's unix time in seconds;
// EndOfSale the block height at which the sale ends.
type SaleDetails struct {
	Name      string `json:"name"`
	Organiser string `json:"organiser"`
	Time      int64  `json:"time"`
	EndOfSale int64  `json:"endOfSale"`
	Currency  string `json:"currency,omitempty"`
	// TimeZone is the IANA zone the show's time is printed in (e.g. "Europe/Zurich");
	// empty means the issuing machine's local zone.
	TimeZone string `json:"timeZone,omitempty"`
	// HoldTime is how long a booking holds its seats before they return to sale, from
	// its first hold; zero means DefaultHoldTime.
	HoldTime Duration `json:"holdTime,omitempty"`
	// TicketTypes are the named types the sale offers besides its base prices, each
	// with its own prices (see TicketType); none: every ticket costs its seat's price.
	TicketTypes []TicketType `json:"ticketTypes,omitempty"`
}

// Location returns the show's time zone: TimeZone, or time.Local when unset or unknown.
func (d SaleDetails) Location() *time.Location {
	if d.TimeZone == "" {
		return time.Local
	}
	if loc, err := time.LoadLocation(d.TimeZone); err == nil {
		return loc
	}
	return time.Local
}

// DefaultCurrency is the currency label of a sale that names none.
const DefaultCurrency = "EUR"

// SeatPrice is the price of one seat in a sale, in minor units of the sale's currency.
type SeatPrice struct {
	Seat  Seat  `json:"seat"`
	Price int64 `json:"price"`
}

// Sale is one run of ticket sales on a contract. Active from BeginSale until EndSale;
// its tickets stay verifiable at the gate until the next sale begins.
type Sale struct {
	Number      int64       `json:"number"`
	Details     SaleDetails `json:"details"`
	Active      bool        `json:"active"`
	BegunHeight int64       `json:"begunHeight"`
	EndedHeight int64       `json:"endedHeight,omitempty"`
	GatePolicy  GatePolicy  `json:"gatePolicy"` // the organizer's rules at the gates
}

// Contract is a collection of seats under a venue, with its rules and latest sale.
// SeatCount counts the places of its standing sections too. Standing lists the
// general-admission sections (read by Contracts.Contract; writes leave it empty).
type Contract struct {
	Address       string            `json:"address"`
	Venue         string            `json:"venue"`
	Owner         string            `json:"owner"`
	SeatCount     int               `json:"seatCount"`
	Standing      []StandingSection `json:"standing,omitempty"`
	Rules         Rules             `json:"rules"`
	Sale          *Sale             `json:"sale,omitempty"` // the latest sale, nil before the first
	CreatedHeight int64             `json:"createdHeight"`
}

// Ticket is a seat's ticket in the contract's ticket list, as Ticketbooth shows it: the
// owner address is ZeroAddress while available and the holder's pseudonymous address
// (HolderAddress) once sold; Secret and CustomerIdentifier are the hex ciphertexts of the
// secret and the purchaser's name (empty when absent). Sender, the account that bought
// the ticket, is filled only for the contract's owner and the administrator. Status is
// TicketReserved for a seat a booking holds (its hold running): not for sale, though its
// address stays the zero address and nothing names the booking or its customer; it is
// empty otherwise, so a list without holds reads exactly as Ticketbooth's.
type Ticket struct {
	Seat               Seat   `json:"seat"`
	Price              int64  `json:"price"`
	Address            string `json:"address"`
	Secret             string `json:"secret"`
	CustomerIdentifier string `json:"customerIdentifier"`
	Sender             string `json:"sender,omitempty"`
	Status             string `json:"status,omitempty"`
}

// Available reports whether the ticket's seat is for sale: nobody holds it, neither a
// buyer nor a booking.
func (t Ticket) Available() bool { return t.Address == ZeroAddress && t.Status == "" }

// Receipt is what a committed transaction did and at which height.
type Receipt struct {
	TransactionHash string          `json:"transactionHash"`
	Height          int64           `json:"height"`
	Time            time.Time       `json:"time"`
	Kind            string          `json:"kind"`
	Contract        string          `json:"contract,omitempty"`
	Actor           string          `json:"actor"`
	Effect          json.RawMessage `json:"effect"`
	Block           *BlockRef       `json:"block,omitempty"` // nil until its block is sealed
}

// BlockRef names a sealed block by its height and hash: the block a transaction is in, or
// an anchor for Verify.
type BlockRef struct {
	Height int64  `json:"height"`
	Hash   string `json:"hash"`
}

// Info describes the ledger's clock.
type Info struct {
	Height        int64     `json:"height"`
	BlockInterval Duration  `json:"blockInterval"`
	Genesis       time.Time `json:"genesis"`
	ZeroAddress   string    `json:"zeroAddress"`
}

// VerifyReport is the outcome of checking the journal and its blocks.
type VerifyReport struct {
	OK           bool     `json:"ok"`
	Transactions int64    `json:"transactions"`
	Blocks       int64    `json:"blocks"`
	Height       int64    `json:"height"`
	Problems     []string `json:"problems,omitempty"`
	// Head is the newest sealed block, nil while none is. Kept outside the database, it
	// is an anchor for a later Verify: the chain can then no longer be cut short or
	// rewritten up to it unnoticed.
	Head *BlockRef `json:"head,omitempty"`
}

// Duration is a time.Duration that travels in JSON as text such as "16s".
type Duration time.Duration

// MarshalJSON writes the duration as text.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// UnmarshalJSON reads the duration from text.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := time.ParseDuration(s)
	*d = Duration(v)
	return err
}
