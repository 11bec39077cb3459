package ledger

import (
	"context"
	"strconv"
	"time"
)

// Transaction kinds of bookings: seats held for a booking, a held seat freed, a booking
// cancelled (its seats freed), confirmed (its held seats issued as tickets, an order), or
// expired (its seats back on sale because it was not confirmed in time).
const (
	TxTicketsHeld       = "tickets_held"
	TxTicketFreed       = "ticket_freed"
	TxBookingCancelled  = "booking_cancelled"
	TxBookingConfirmed  = "booking_confirmed"
	TxHoldExpired       = "hold_expired"
	DefaultHoldTime     = 30 * time.Minute
	MinHoldTime         = time.Minute
	MaxHoldTime         = 24 * time.Hour
	MaxTicketsInBooking = MaxTicketsInOrder
)

// The states of a booking. A booking is open from NewBooking until it is confirmed,
// cancelled, or its hold expires; only an open booking holds seats.
const (
	BookingOpen      = "open"
	BookingConfirmed = "confirmed"
	BookingCancelled = "cancelled"
	BookingExpired   = "expired"
)

// The status flow of every ticket: available -> reserved (held by a booking) -> issued ->
// checked in; reserved -> available (freed, cancelled, expired); issued -> available
// (released). A booking's tickets are reserved or, once it is confirmed, issued.
const (
	TicketAvailable = "available"
	TicketReserved  = "reserved"
	TicketIssued    = "issued"
	TicketCheckedIn = "checked in"
)

// Booking is a customer's booking on a contract's sale: the seats it holds until Expires
// (zero before its first hold), and once confirmed the tickets it was issued. Customer is
// the customer's id; the booking keeps nothing else about them. Format is its tickets'
// format, FormatPDF or FormatSecure.
type Booking struct {
	ID       int64          `json:"id"`
	Customer int64          `json:"customer"`
	Contract string         `json:"contract"`
	Sale     int64          `json:"sale"`
	State    string         `json:"state"`
	Format   string         `json:"format"`
	Expires  time.Time      `json:"expires,omitzero"`
	Tickets  []BookedTicket `json:"tickets"`
	Total    int64          `json:"total"`
}

// BookedTicket is one seat of a booking, its ticket type ("": the base price), its price
// (the type's) and its status (TicketReserved, TicketIssued or TicketCheckedIn).
type BookedTicket struct {
	Seat   Seat   `json:"seat"`
	Type   string `json:"type,omitempty"`
	Price  int64  `json:"price"`
	Status string `json:"status"`
}

// Seats returns the booking's seats in its order.
func (b Booking) Seats() []Seat {
	seats := make([]Seat, len(b.Tickets))
	for i, t := range b.Tickets {
		seats[i] = t.Seat
	}
	return seats
}

// BookingReceipt is a committed change of a booking and the booking as it then is.
type BookingReceipt struct {
	Receipt
	Booking Booking `json:"booking"`
}

// BookingSender is the purchaser account a confirmed booking's tickets are sold to: the
// customer, by id. Its holder address is derived from it as for any order.
func BookingSender(customer int64) string { return "customer:" + strconv.FormatInt(customer, 10) }

// Bookings is the ledger's booking side, implemented by the SQL store: a booking holds
// seats of a contract's open sale for a customer until it is confirmed (its held seats
// issued as tickets, exactly as an order), freed, cancelled, or its hold expires. Its
// methods act for the keys that may sell on the contract (see Seller).
type Bookings interface {
	// NewBooking opens an empty booking for the customer on the contract's open sale, of
	// PDF tickets: OpenBooking with the default format.
	NewBooking(ctx context.Context, address string, customer int64) (Booking, error)
	// OpenBooking opens an empty booking as r asks: for its customer on its contract's
	// open sale, its tickets in its format.
	OpenBooking(ctx context.Context, r BookingRequest) (Booking, error)
	// Hold takes the items' seats out of the available pool for the booking, all or
	// nothing, until the booking's hold expires: the sale's hold time after its first
	// hold. Each seat is held as its item's ticket type, at that type's price for it
	// (no type: the seat's base price); a type the sale does not offer for the seat is
	// refused (EREFUSED).
	Hold(ctx context.Context, booking int64, items []HoldItem) (BookingReceipt, error)
	// Free returns one held seat of an open booking to sale.
	Free(ctx context.Context, booking int64, seat Seat) (BookingReceipt, error)
	// Cancel ends an open booking and returns its held seats to sale.
	Cancel(ctx context.Context, booking int64) (BookingReceipt, error)
	// Confirm issues the booking's held seats within its hold: o carries a freshly sealed
	// ticket for each held seat, its sender is BookingSender of the booking's customer.
	// After the hold expired, ECONFLICT.
	Confirm(ctx context.Context, booking int64, o Order) (OrderReceipt, error)
	// HoldBest chooses the seats the pick asks for and holds them for the booking, in one
	// transaction, so that two buyers never get the same seat: the best available in a
	// seated section (BestSeats), any free places in a standing one. EREFUSED, saying how
	// many remain, when fewer are free; ENOTFOUND when the sale has no such section or
	// price level.
	HoldBest(ctx context.Context, booking int64, p Pick) (BookingReceipt, error)
	// Booking reads a booking and its tickets.
	Booking(ctx context.Context, booking int64) (Booking, error)
}

// HoldItem is one seat of a hold and the ticket type it is held as ("": the seat's base
// price in the sale).
type HoldItem struct {
	Seat Seat   `json:"seat"`
	Type string `json:"type,omitempty"`
}

// HoldSeats returns the seats as hold items, all of the ticket type typ ("": the base price).
func HoldSeats(typ string, seats ...Seat) []HoldItem {
	items := make([]HoldItem, len(seats))
	for i, s := range seats {
		items[i] = HoldItem{Seat: s, Type: typ}
	}
	return items
}

// HeldSeats returns the seats of the hold items, in their order.
func HeldSeats(items []HoldItem) []Seat {
	seats := make([]Seat, len(items))
	for i, it := range items {
		seats[i] = it.Seat
	}
	return seats
}

// ValidateHold checks the items of a hold: one to MaxTicketsInBooking valid seats, none
// of them twice, each type name well formed (ValidateTypeName). EINVALID otherwise.
func ValidateHold(items []HoldItem) error {
	switch {
	case len(items) == 0:
		return Errorf(EINVALID, "Give at least one seat to hold")
	case len(items) > MaxTicketsInBooking:
		return Errorf(EINVALID, "A booking may hold at most %d seats", MaxTicketsInBooking)
	}
	seen := make(map[string]bool, len(items))
	for _, it := range items {
		if err := it.Seat.Validate(); err != nil {
			return err
		}
		if err := ValidateTypeName(it.Type); err != nil {
			return err
		}
		if seen[it.Seat.Key()] {
			return Errorf(EINVALID, "Seat %s is in the request twice", it.Seat)
		}
		seen[it.Seat.Key()] = true
	}
	return nil
}

// ValidateBookingID checks a booking id: a positive number.
func ValidateBookingID(id int64) error {
	if id <= 0 {
		return Errorf(EINVALID, "Booking id must be a positive number")
	}
	return nil
}

// HoldDuration returns how long the sale's bookings hold their seats: its HoldTime, or
// DefaultHoldTime when it names none.
func (d SaleDetails) HoldDuration() time.Duration {
	if d.HoldTime == 0 {
		return DefaultHoldTime
	}
	return time.Duration(d.HoldTime)
}

// BookingRefusal words why the booking cannot change or be confirmed, as the store and
// the issuer refuse it: confirmed (its tickets are issued), cancelled or expired
// (ECONFLICT), or holding no seats (EREFUSED); nil for an open booking holding seats.
func BookingRefusal(b Booking) error {
	switch b.State {
	case BookingConfirmed:
		return Errorf(ECONFLICT, "Booking %d is already confirmed: its tickets are issued, and only releasing a ticket returns its seat", b.ID)
	case BookingCancelled:
		return Errorf(ECONFLICT, "Booking %d was cancelled", b.ID)
	case BookingExpired:
		return Errorf(ECONFLICT, "Booking %d expired at %s before it was confirmed: its seats are back on sale; start a new booking",
			b.ID, b.Expires.UTC().Format("2006-01-02 15:04:05 MST"))
	}
	if len(b.Tickets) == 0 {
		return Errorf(EREFUSED, "Booking %d holds no seats", b.ID)
	}
	return nil
}
