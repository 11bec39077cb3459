package ledger

import "encoding/hex"

// The journal's effects: the JSON shape of each transaction kind's TxBody.Effect. The
// store writes them and `ledger verify` replays them; a receipt carries its effect as
// raw JSON, which callers may decode into these types. They are part of the journal's
// format: a field renamed here would no longer read the rows already hashed and chained.
//
// TxRulesSet's effect is the Rules as they then are.

// ContractCreatedEffect is the effect of TxContractCreated: the seats, then the standing
// sections, whose places follow the seats in the contract's seat order (ContractSeats).
type ContractCreatedEffect struct {
	Venue    string            `json:"venue"`
	Owner    string            `json:"owner"`
	Seats    []Seat            `json:"seats"`
	Standing []StandingSection `json:"standing,omitempty"`
}

// ContractTransferredEffect is the effect of TxContractOwner: the new owner and the one
// before.
type ContractTransferredEffect struct {
	Owner    string `json:"owner"`
	Previous string `json:"previous"`
}

// SaleBegunEffect is the effect of TxSaleBegun. Prices are by seat index, in the
// contract's seat order.
type SaleBegunEffect struct {
	Sale    int64       `json:"sale"`
	Details SaleDetails `json:"details"`
	Prices  []int64     `json:"prices"`
}

// SaleEndedEffect is the effect of TxSaleEnded.
type SaleEndedEffect struct {
	Sale int64 `json:"sale"`
}

// ReservedTicket is one ticket of a TicketsReservedEffect (and the new sealing of a
// TicketReissuedEffect): its seat index and seat, its ticket type (only a confirmed
// booking's tickets have one; "", omitted: the base price), its price, and its sealing
// in hex.
type ReservedTicket struct {
	Index            int    `json:"index"`
	Seat             Seat   `json:"seat"`
	Type             string `json:"type,omitempty"`
	Price            int64  `json:"price"`
	SecretDigest     string `json:"secretDigest"`
	SecretCiphertext string `json:"secretCiphertext"`
	NameCiphertext   string `json:"nameCiphertext,omitempty"`
	NameDigest       string `json:"nameDigest,omitempty"`
}

// NewReservedTicket is the journal's record of the sealed ticket t sold at seat index idx
// for price.
func NewReservedTicket(idx int, price int64, t SealedTicket) ReservedTicket {
	return ReservedTicket{Index: idx, Seat: t.Seat, Price: price,
		SecretDigest: hex.EncodeToString(t.SecretDigest), SecretCiphertext: hex.EncodeToString(t.SecretCiphertext),
		NameCiphertext: hex.EncodeToString(t.NameCiphertext), NameDigest: hex.EncodeToString(t.NameDigest)}
}

// TicketsReservedEffect is the effect of TxTicketsReserved, the record of an order.
// Holder is the buyer's pseudonymous address (HolderAddress); Sender, the account in
// clear, is only in the records written before holders were pseudonymous, which cannot
// be rewritten (their hashes are chained), and is never written again.
type TicketsReservedEffect struct {
	Sale     int64            `json:"sale"`
	Sender   string           `json:"sender,omitempty"`
	Holder   string           `json:"holder,omitempty"`
	Amount   int64            `json:"amount"`
	Total    int64            `json:"total"`
	Refunded int64            `json:"refunded"`
	Tickets  []ReservedTicket `json:"tickets"`
}

// TicketReleasedEffect is the effect of TxTicketReleased. Holder is the pseudonymous
// address (in records written before holders were pseudonymous: the sender in clear).
type TicketReleasedEffect struct {
	Sale   int64  `json:"sale"`
	Index  int    `json:"index"`
	Seat   Seat   `json:"seat"`
	Holder string `json:"holder"`
	Price  int64  `json:"price"`
	Fee    int64  `json:"fee"`
	Refund int64  `json:"refund"`
}

// TicketReissuedEffect is the effect of TxTicketReissued: the ticket's new sealing, for
// the same seat, price and holder (its pseudonymous address).
type TicketReissuedEffect struct {
	Sale   int64  `json:"sale"`
	Holder string `json:"holder"`
	ReservedTicket
}

// CheckInEffect is the effect of TxCheckIn, the record of one attempt at the gate: the
// gate, the request's nonce, and the seats with their statuses, never names; or, for a
// QR that could not be read, why (Malformed) and no results. An uploaded offline
// admission (Offline) also records when it happened on the device (At, unix
// nanoseconds; the transaction's time is the upload's), the device, and whether the
// sale's gate policy forbade it (AgainstPolicy). An out scan records its direction
// (Direction, DirectionOut; omitted for in).
type CheckInEffect struct {
	Gate          string        `json:"gate"`
	Nonce         string        `json:"nonce,omitempty"`
	Malformed     string        `json:"malformed,omitempty"`
	Results       []CheckedSeat `json:"results,omitempty"`
	Offline       bool          `json:"offline,omitempty"`
	At            int64         `json:"at,omitempty"`
	Device        string        `json:"device,omitempty"`
	AgainstPolicy bool          `json:"againstPolicy,omitempty"`
	Direction     string        `json:"direction,omitempty"`
}

// CheckedSeat is one seat's status in a CheckInEffect.
type CheckedSeat struct {
	Seat   Seat   `json:"seat"`
	Status string `json:"status"`
}

// NewCheckInEffect is the journal's record of the attempt r and its results.
func NewCheckInEffect(r CheckInRequest, results []CheckResult) CheckInEffect {
	e := CheckInEffect{Gate: r.Gate, Nonce: r.Nonce, Offline: r.Offline, Device: r.Device}
	if r.Offline {
		e.At = r.At.UnixNano()
	}
	if r.Direction == DirectionOut {
		e.Direction = DirectionOut
	}
	for _, res := range results {
		e.Results = append(e.Results, CheckedSeat{Seat: res.Seat, Status: res.Status})
		e.AgainstPolicy = e.AgainstPolicy || res.AgainstPolicy
	}
	return e
}

// GatePolicyEffect is the effect of TxGatePolicySet: the sale and the gate policy it has
// from then on (whole, not only the parts changed).
type GatePolicyEffect struct {
	Sale   int64      `json:"sale"`
	Policy GatePolicy `json:"policy"`
}

// CustomerEffect is the effect of TxCustomerCreated, TxCustomerChanged and
// TxCustomerErased: the customer's ID, and nothing of their personal data.
type CustomerEffect struct {
	Customer int64 `json:"customer"`
}

// HeldTicket is one seat of a booking's hold in the journal: its index, seat, ticket type
// ("", omitted: the base price) and price (the type's price for the seat).
type HeldTicket struct {
	Index int    `json:"index"`
	Seat  Seat   `json:"seat"`
	Type  string `json:"type,omitempty"`
	Price int64  `json:"price"`
}

// TicketsHeldEffect is the effect of TxTicketsHeld: the seats the booking took out of
// the pool, until Expires (unix nanoseconds). It names the booking, never its customer.
// Format is the booking's ticket format when it is not FormatPDF ("" for PDF, as every
// hold journaled before formats reads).
type TicketsHeldEffect struct {
	Sale    int64        `json:"sale"`
	Booking int64        `json:"booking"`
	Expires int64        `json:"expires"`
	Tickets []HeldTicket `json:"tickets"`
	Format  string       `json:"format,omitempty"`
}

// BookingSeatsEffect is the effect of TxTicketFreed, TxBookingCancelled and
// TxHoldExpired: the held seats the booking returned to the pool.
type BookingSeatsEffect struct {
	Sale    int64        `json:"sale"`
	Booking int64        `json:"booking"`
	Tickets []HeldTicket `json:"tickets"`
}

// BookingConfirmedEffect is the effect of TxBookingConfirmed: the booking's held seats
// sold as an order (its holder the pseudonymous address of the customer's account).
type BookingConfirmedEffect struct {
	Booking int64 `json:"booking"`
	TicketsReservedEffect
}

// TicketTransferredEffect is the effect of TxTicketTransferred: the ticket's new sealing,
// moved from the holder From to Holder (pseudonymous addresses), for the same seat and
// face value.
type TicketTransferredEffect struct {
	Sale   int64  `json:"sale"`
	From   string `json:"from"`
	Holder string `json:"holder"`
	ReservedTicket
}

// ResaleTermsEffect is the effect of TxResaleTermsSet: the terms of the sale.
type ResaleTermsEffect struct {
	Sale  int64       `json:"sale"`
	Terms ResaleTerms `json:"terms"`
}

// ResaleOfferedEffect is the effect of TxResaleOffered: the offer, the ticket's seat and
// index, the seller's holder address, the price, and the digest of the secret the ticket
// had when offered (an offer is void once the ticket has another).
type ResaleOfferedEffect struct {
	Offer        int64  `json:"offer"`
	Sale         int64  `json:"sale"`
	Index        int    `json:"index"`
	Seat         Seat   `json:"seat"`
	Holder       string `json:"holder"`
	Price        int64  `json:"price"`
	SecretDigest string `json:"secretDigest"`
}

// ResaleWithdrawnEffect is the effect of TxResaleWithdrawn.
type ResaleWithdrawnEffect struct {
	Offer int64 `json:"offer"`
	Sale  int64 `json:"sale"`
}

// ResaleSoldEffect is the effect of TxResaleSold: the offer, its seller (From) and buyer
// (Holder) as holder addresses, the price, the release fee and the seller's credit, and
// the ticket's new sealing.
type ResaleSoldEffect struct {
	Offer  int64  `json:"offer"`
	Sale   int64  `json:"sale"`
	From   string `json:"from"`
	Holder string `json:"holder"`
	Paid   int64  `json:"paid"`
	Fee    int64  `json:"fee"`
	Credit int64  `json:"credit"`
	ReservedTicket
}

// DeviceRegisteredEffect is the effect of TxDeviceRegistered: the ticket (sale, seat
// index, seat, its holder's pseudonymous address), its device number, and KeyDigest, a
// digest of the public key under the ledger's holder key (DeviceKeyDigest), so `ledger
// verify` can check the stored key while the journal shows no key material and nobody
// can link one phone's tickets.
type DeviceRegisteredEffect struct {
	Sale      int64  `json:"sale"`
	Index     int    `json:"index"`
	Seat      Seat   `json:"seat"`
	Holder    string `json:"holder"`
	Device    int64  `json:"device"`
	KeyDigest string `json:"keyDigest"`
}
