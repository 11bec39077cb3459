package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"sort"
	"sync/atomic"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Selling is the ledger's selling side (ledger.Seller): reservations, releases and
// reissues, under the pseudonymous holder addresses (holders.go). On PostgreSQL,
// reservations are group-committed in pipelined round trips (pipeline.go).
type Selling struct {
	*db
	holders holderKey
	pipe    *pipeliner // PostgreSQL's group commit of reservations; nil on SQLite
	// pipelined counts the reservations committed by pipelined groups (pipeline.go).
	pipelined atomic.Int64
}

var _ ledger.Seller = (*Selling)(nil)

func newSelling(d *db, holders holderKey) *Selling {
	s := &Selling{db: d, holders: holders}
	if d.d.sharedLocksSQL != nil {
		s.pipe = startPipeliner(s, pipelineWorkers)
	}
	return s
}

// stop lets the queued reservations finish (PostgreSQL).
func (s *Selling) stop() {
	if s.pipe != nil {
		s.pipe.stop()
	}
}

// Contract returns the contract at address, as Contracts.Contract does: a seller reads
// the identity policy of the sale it seals tickets for.
func (s *Selling) Contract(ctx context.Context, address string) (ledger.Contract, error) {
	return readContract(ctx, s.db, address)
}

// holderAddress is the pseudonymous address of sender's tickets sold by seller on the
// contract.
func (s *Selling) holderAddress(contract, seller, sender string) string {
	return s.holders.address(contract, seller, sender)
}

// seatIndex returns the index of the seat in the contract: EREFUSED "Invalid seat" when
// the contract has no such seat.
func seatIndex(w *wtx, address string, seat ledger.Seat) (int, error) {
	var idx int
	err := w.row(seatIndexSQL, address, seat.Section, seat.Number, seat.Letter).Scan(&idx)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, errInvalidSeat(seat)
	}
	return idx, err
}

// seatIndexSQL finds a seat of a contract.
const seatIndexSQL = `SELECT idx FROM seats WHERE contract = ? AND section = ? AND number = ? AND letter = ?`

// The refusals of an order, as Ticketbooth words them.
func errInvalidSeat(s ledger.Seat) error { return ledger.ErrNoSuchSeat(s) }
func errNotAvailable(s ledger.Seat) error {
	return ledger.Errorf(ledger.EREFUSED, "Ticket for seat %s not available to purchase", s)
}

// Reserve sells the order's seats to its sender, all or nothing, each by one conditional
// update of an available ticket, with Ticketbooth's checks in its order. On PostgreSQL it
// first tries the same in a pipelined group commit (pipeline.go).
func (s *Selling) Reserve(ctx context.Context, address string, o ledger.Order) (ledger.OrderReceipt, error) {
	if err := validateOrder(o); err != nil {
		return ledger.OrderReceipt{}, err
	}
	if actor, err := ledger.Authorize(ctx, ledger.RoleBoxOffice, ledger.RoleOrganizer); err == nil && s.pipe != nil &&
		ctx.Err() == nil && ledger.ValidateAddress(address) == nil {
		if out, done, err := s.pipe.reserve(ctx, actor, address, o); done && err != nil {
			return out, s.internal("reserving tickets", err)
		} else if done {
			return out, nil
		}
	}
	var out ledger.OrderReceipt
	err := s.writeContract(ctx, "reserving tickets", address, asSeller, func(w *wtx, c ledger.Contract) error {
		eff, err := reserveAll(w, c, o, s.holderAddress(address, w.actor.ID(), o.Sender))
		if err != nil {
			return err
		}
		rc, err := w.journal(ledger.TxTicketsReserved, address, eff)
		out = orderReceipt(rc, eff)
		return err
	})
	return out, err
}

// orderReceipt is the receipt of a reservation with its effect.
func orderReceipt(rc ledger.Receipt, eff ledger.TicketsReservedEffect) ledger.OrderReceipt {
	out := ledger.OrderReceipt{Receipt: rc, Total: eff.Total, Refunded: eff.Refunded, Holder: eff.Holder}
	typed := false
	for _, t := range eff.Tickets {
		out.Prices = append(out.Prices, t.Price)
		out.Types = append(out.Types, t.Type)
		typed = typed || t.Type != ""
	}
	if !typed {
		out.Types = nil
	}
	return out
}

// validateOrder checks the order by the ledger's rule (ledger.ValidateOrder) and that
// every ticket comes sealed.
func validateOrder(o ledger.Order) error {
	if err := ledger.ValidateOrder(o.Sender, o.Seats(), o.Amount); err != nil {
		return err
	}
	for _, t := range o.Tickets {
		if len(t.SecretDigest) == 0 || len(t.SecretCiphertext) == 0 {
			return ledger.Errorf(ledger.EINVALID, "Ticket for seat %s has no sealed secret", t.Seat)
		}
	}
	return nil
}

// reserveAll applies the order's checks and conditional updates inside w, in
// Ticketbooth's order: an unknown seat, then the sale's state, then a seat taken. Seats
// are taken in seat order, so two orders racing for the same seats on PostgreSQL wait
// for each other instead of deadlocking. holder is the sender's address for this contract
// and selling key.
func reserveAll(w *wtx, c ledger.Contract, o ledger.Order, holder string) (ledger.TicketsReservedEffect, error) {
	eff := ledger.TicketsReservedEffect{Holder: holder}
	if !ledger.SaleOpen(c, w.height) {
		if err := checkSeats(w, c.Address, o.Tickets); err != nil {
			return eff, err
		}
		return eff, ledger.Errorf(ledger.ECONFLICT, "Sale is not currently open")
	}
	eff.Sale = c.Sale.Number
	taken := make([]takenSeat, len(o.Tickets))
	for _, i := range seatOrder(o.Tickets) {
		var err error
		taken[i], err = take(w, c, o.Tickets[i], seller{sender: o.Sender, holder: holder, by: w.actor.ID()})
		if errors.Is(err, errNotTaken) {
			taken[i], err = takeReclaimed(w, c, o, i, holder)
		}
		if err != nil {
			return eff, err
		}
	}
	return orderEffect(eff, o, taken)
}

// takeReclaimed words why the order's ticket i was not taken, in Ticketbooth's order
// (the closed mark, a seat the hall lacks, the seat taken), unless a booking whose hold
// has passed holds it: that booking then expires first (reclaimSeat) and the seat is
// sold.
func takeReclaimed(w *wtx, c ledger.Contract, o ledger.Order, i int, holder string) (takenSeat, error) {
	if err := w.aboveMark(); err != nil {
		return takenSeat{}, err // takeSQL refused the height, not the seat
	}
	if err := checkSeats(w, c.Address, o.Tickets); err != nil {
		return takenSeat{}, err
	}
	reclaimed, err := reclaimSeat(w, c.Address, c.Sale.Number, o.Tickets[i].Seat)
	if err != nil || !reclaimed {
		return takenSeat{}, cmp.Or(err, errNotAvailable(o.Tickets[i].Seat))
	}
	ts, err := take(w, c, o.Tickets[i], seller{sender: o.Sender, holder: holder, by: w.actor.ID()})
	if errors.Is(err, errNotTaken) {
		return ts, errChanged
	}
	return ts, err
}

// orderEffect completes the effect of an order whose seats are taken: its tickets in the
// order's order, the total, and the refund of what was paid beyond it.
func orderEffect(eff ledger.TicketsReservedEffect, o ledger.Order, taken []takenSeat) (ledger.TicketsReservedEffect, error) {
	for i, t := range o.Tickets {
		eff.Total += taken[i].price
		eff.Tickets = append(eff.Tickets, ledger.NewReservedTicket(taken[i].idx, taken[i].price, t))
	}
	eff.Amount = eff.Total
	if o.Amount != nil {
		eff.Amount = *o.Amount
	}
	if eff.Amount < eff.Total {
		return eff, ledger.Errorf(ledger.EREFUSED, "Not enough funds: %d paid, %d due", eff.Amount, eff.Total)
	}
	eff.Refunded = eff.Amount - eff.Total
	return eff, nil
}

// checkSeats returns "Invalid seat" for the first ticket whose seat the contract lacks.
func checkSeats(w *wtx, address string, tickets []ledger.SealedTicket) error {
	for _, t := range tickets {
		if _, err := seatIndex(w, address, t.Seat); err != nil {
			return err
		}
	}
	return nil
}

// seatOrder returns the positions of the tickets sorted by seat.
func seatOrder(tickets []ledger.SealedTicket) []int {
	order := make([]int, len(tickets))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool {
		x, y := tickets[order[a]].Seat, tickets[order[b]].Seat
		if x.Section != y.Section {
			return x.Section < y.Section
		}
		if x.Number != y.Number {
			return x.Number < y.Number
		}
		return x.Letter < y.Letter
	})
	return order
}

// takenSeat is a seat sold by take: its index in the contract and its price.
type takenSeat struct {
	idx   int
	price int64
}

// errNotTaken: the seat is unknown, or its ticket not available.
var errNotTaken = errors.New("seat not taken")

// takeSQL marks the ticket of one available seat sold (or, confirming a booking, of a
// seat the booking holds), finding the seat and the
// contract's current sale in the same statement: the conditional update that makes
// double-selling impossible, whatever runs at the same time. On PostgreSQL a racing buyer
// waits on the row and then finds it taken. It also refuses a height below the closed
// mark, so a write whose height was chosen before its locks were held (a pipelined group)
// cannot land in a closed block. It charges the seat's price in the sale, or the price of
// the ticket type a booking holds it as (tickets.type_price), and returns what it charged.
const takeSQL = `UPDATE tickets SET owner = ?, holder = ?, sold_by = ?, secret_ct = ?, secret_digest = ?, name_ct = ?, name_digest = ?,
	paid = CASE WHEN ticket_type = '' THEN price ELSE type_price END
	WHERE contract = ? AND owner IS NULL AND booking = ?
	AND sale = (SELECT sale_number FROM contracts WHERE address = ?)
	AND idx = (SELECT idx FROM seats WHERE contract = ? AND section = ? AND number = ? AND letter = ?)
	AND (SELECT closed FROM seal_mark WHERE id = 1) <= ?
	RETURNING idx, paid`

// seller is who a ticket is sold to and by: the sender, its holder address, and the
// actor ID of the selling key; and the booking whose held seat it is (0: an outright
// sale, which takes only seats no booking holds).
type seller struct {
	sender, holder, by string
	booking            int64
}

// takeArgs are takeSQL's arguments for one ticket of an order at a height.
func takeArgs(address string, t ledger.SealedTicket, to seller, height int64) []any {
	return []any{to.sender, to.holder, to.by, hex.EncodeToString(t.SecretCiphertext), hex.EncodeToString(t.SecretDigest),
		hex.EncodeToString(t.NameCiphertext), hex.EncodeToString(t.NameDigest),
		address, to.booking, address, address, t.Seat.Section, t.Seat.Number, t.Seat.Letter, height}
}

// take runs takeSQL for one ticket: errNotTaken when nothing was updated.
func take(w *wtx, c ledger.Contract, t ledger.SealedTicket, to seller) (takenSeat, error) {
	var ts takenSeat
	err := w.row(takeSQL, takeArgs(c.Address, t, to, w.height)...).Scan(&ts.idx, &ts.price)
	if errors.Is(err, sql.ErrNoRows) {
		return ts, errNotTaken
	}
	if err != nil {
		return ts, err
	}
	return ts, ledger.CheckIdentity(c.Rules.RequireIdentityVerification, t)
}

// Release returns a sold ticket to sale and refunds its price less the fee, with
// Ticketbooth's checks in its order: seat, sale open, release window, ownership.
func (s *Selling) Release(ctx context.Context, address string, r ledger.ReleaseRequest) (ledger.ReleaseReceipt, error) {
	if (r.Sender == "") == (r.Secret == "") {
		return ledger.ReleaseReceipt{}, ledger.Errorf(ledger.EINVALID, "Give exactly one of sender or secret to release a ticket")
	}
	if err := validateRelease(r); err != nil {
		return ledger.ReleaseReceipt{}, err
	}
	var out ledger.ReleaseReceipt
	err := s.writeContract(ctx, "releasing the ticket", address, asSeller, func(w *wtx, c ledger.Contract) error {
		eff, err := release(w, c, r)
		if err != nil {
			return err
		}
		rc, err := w.journal(ledger.TxTicketReleased, address, eff)
		out = ledger.ReleaseReceipt{Receipt: rc, Refund: eff.Refund}
		return err
	})
	return out, err
}

func release(w *wtx, c ledger.Contract, r ledger.ReleaseRequest) (ledger.TicketReleasedEffect, error) {
	idx, err := seatIndex(w, c.Address, r.Seat)
	if err != nil {
		return ledger.TicketReleasedEffect{}, err
	}
	if !ledger.SaleOpen(c, w.height) {
		return ledger.TicketReleasedEffect{}, ledger.Errorf(ledger.ECONFLICT, "Sale is not currently open")
	}
	if !ledger.ReleaseOpen(w.height, c.Rules.NoReleaseBlocks, c.Sale.Details.EndOfSale) {
		return ledger.TicketReleasedEffect{}, ledger.Errorf(ledger.ECONFLICT, "Ticket release is no longer available")
	}
	t, err := readHeld(w, c.Address, c.Sale.Number, idx)
	if err != nil {
		return ledger.TicketReleasedEffect{}, err
	}
	if err := ledger.ProveHolding(w.actor, c, r.Seat, t.holding(), r.Secret, r.Sender); err != nil {
		return ledger.TicketReleasedEffect{}, err
	}
	if t.checkedIn != 0 {
		return ledger.TicketReleasedEffect{}, ledger.Errorf(ledger.ECONFLICT, "Ticket for seat %s was used at the gate and cannot be released", r.Seat)
	}
	res, err := w.exec(`UPDATE tickets SET owner = NULL, holder = '', sold_by = '', secret_ct = '', secret_digest = '', name_ct = '',
		name_digest = '', paid = 0, booking = 0, format = 'PDF', ticket_type = '', type_price = 0
		WHERE contract = ? AND sale = ? AND idx = ? AND owner = ? AND secret_digest = ? AND checked_in_at = 0`,
		c.Address, c.Sale.Number, idx, t.owner.String, t.digest)
	if err := changedUnlessOne(res, err); err != nil {
		return ledger.TicketReleasedEffect{}, err
	}
	fee := c.Rules.ReleaseFee
	return ledger.TicketReleasedEffect{Sale: c.Sale.Number, Index: idx, Seat: r.Seat, Holder: t.holder, Price: t.price, Fee: fee,
		Refund: ledger.Refund(t.price, fee)}, nil
}

// heldTicket is a ticket's holding as a release or reissue reads it; price is what was
// paid for it (its ticket type's price, or its seat's).
type heldTicket struct {
	owner                  sql.NullString
	digest, holder, soldBy string
	price, checkedIn       int64
	sale                   int64 // the sale and seat index, when a move read it (soldTicket)
	idx                    int
}

// readHeld reads the holding of the ticket at idx of the sale.
func readHeld(w *wtx, address string, sale int64, idx int) (heldTicket, error) {
	var t heldTicket
	err := w.row(`SELECT owner, secret_digest, holder, sold_by, paid, checked_in_at FROM tickets WHERE contract = ? AND sale = ? AND idx = ?`,
		address, sale, idx).Scan(&t.owner, &t.digest, &t.holder, &t.soldBy, &t.price, &t.checkedIn)
	return t, err
}

// holding is what ledger.ProveHolding decides on.
func (t heldTicket) holding() ledger.Holding {
	digest, _ := hex.DecodeString(t.digest) // nil when damaged: no secret then proves holding
	return ledger.Holding{Sold: t.owner.Valid, Sender: t.owner.String, SecretDigest: digest, SoldBy: t.soldBy}
}

// validateRelease checks the seat and sender of a release before they reach a query.
func validateRelease(r ledger.ReleaseRequest) error {
	if err := r.Seat.Validate(); err != nil {
		return err
	}
	if r.Sender != "" {
		return ledger.ValidateSender(r.Sender)
	}
	return nil
}
