package sqlstore

import (
	"encoding/json"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// The state tables are a projection of the journal. Verify replays the journal in seq
// order into the in-memory projection below and compares it with the tables (see
// verify_compare.go), so a row altered behind the store's back is reported.

// projection is the state the journal implies so far. holderKey checks the tables'
// senders against the journal's pseudonymous holders (ledger.HolderAddress).
type projection struct {
	contracts map[string]*projContract
	customers map[int64]*projCustomer
	holderKey []byte
}

// projCustomer is what the journal says of a customer: the key that created it, and
// whether it was erased (the table's personal columns must then be blank).
type projCustomer struct {
	createdBy string
	erased    bool
	seen      bool
}

type projContract struct {
	holderKey     []byte
	venue, owner  string
	createdHeight int64
	seats         []ledger.Seat
	standing      []ledger.StandingSection
	seatIdx       map[string]int // seat key to index, built at the first check-in
	rules         ledger.Rules
	saleNumber    int64
	saleActive    bool
	sales         map[int64]*projSale
	offers        map[int64]*projOffer // resale offers by id (verify_resale.go)
	seen          bool
}

type projSale struct {
	details      ledger.SaleDetails
	begun, ended int64
	tickets      []projTicket
	terms        ledger.ResaleTerms // the resale terms the journal set (termsSet)
	termsSet     bool
	devices      map[int]*projDevice       // the device keys registered, by seat index (verify_devices.go)
	doubles      map[doubleKey]*projDouble // the double entries (verify_double.go)
	gatePolicy   ledger.GatePolicy         // as the journal last set it (verify_door.go)
	seen         bool
}

// projTicket is one ticket's columns as the journal implies them; an empty owner with
// sold false is NULL, an available ticket. The journal names the sender (owner) only in
// records from before holders were pseudonymous (ownerKnown); since then it records the
// holder address, which the owner column must yield under the holder key, and the
// selling key (the transaction's actor).
type projTicket struct {
	price                                      int64
	sold, ownerKnown                           bool
	owner, holder, soldBy                      string
	secretCT, secretDigest, nameCT, nameDigest string
	paid                                       int64
	checkedIn                                  int64
	booking                                    int64  // the booking holding or issued it; 0 for none
	format                                     string // its booking's format from the hold on; "" for PDF
	ticketType                                 string // the ticket type it is held or issued as; "" for the base price
	typePrice                                  int64  // that type's price for the seat
	gate, nonce                                string
	exitedAt                                   int64  // when the holder went out; 0 while inside (verify_door.go)
	moveNonce                                  string // the nonce of the last exit or re-entry
	seen                                       bool
}

func newProjection(holderKey []byte) *projection {
	return &projection{contracts: map[string]*projContract{}, customers: map[int64]*projCustomer{}, holderKey: holderKey}
}

// apply replays one transaction whose hash and body already checked out.
func (p *projection) apply(rep *ledger.VerifyReport, seq int64, hash string, b ledger.TxBody) {
	if b.Kind == ledger.TxContractCreated {
		p.create(rep, seq, hash, b)
		return
	}
	if ledger.IsCustomerKind(b.Kind) {
		p.customer(rep, seq, hash, b)
		return
	}
	c := p.contracts[b.Contract]
	if c == nil {
		problem(rep, "transaction %d (%s): %s on contract %s, which the journal never created", seq, hash, b.Kind, b.Contract)
		return
	}
	var err error
	switch b.Kind {
	case ledger.TxRulesSet:
		err = json.Unmarshal(b.Effect, &c.rules)
	case ledger.TxContractOwner:
		err = c.transfer(b)
	case ledger.TxSaleBegun:
		err = c.beginSale(rep, seq, hash, b)
	case ledger.TxSaleEnded:
		err = c.endSale(rep, seq, hash, b)
	case ledger.TxTicketsReserved:
		err = c.reserve(rep, seq, hash, b)
	case ledger.TxTicketReleased:
		err = c.release(rep, seq, hash, b)
	case ledger.TxTicketReissued:
		err = c.reissue(rep, seq, hash, b)
	case ledger.TxCheckIn:
		err = c.checkIn(rep, seq, hash, b)
	case ledger.TxGatePolicySet:
		err = c.setGatePolicy(rep, seq, hash, b)
	case ledger.TxDeviceRegistered:
		err = c.registerDevice(rep, seq, hash, b)
	case ledger.TxTicketsHeld:
		err = c.hold(rep, seq, hash, b)
	case ledger.TxTicketFreed, ledger.TxBookingCancelled, ledger.TxHoldExpired:
		err = c.free(rep, seq, hash, b)
	case ledger.TxBookingConfirmed:
		err = c.confirm(rep, seq, hash, b)
	case ledger.TxTicketTransferred, ledger.TxResaleTermsSet, ledger.TxResaleOffered, ledger.TxResaleWithdrawn, ledger.TxResaleSold:
		err = c.resale(rep, seq, hash, b)
	default:
		problem(rep, "transaction %d (%s): unknown kind %q", seq, hash, b.Kind)
	}
	if err != nil {
		problem(rep, "transaction %d (%s): its %s effect is unreadable: %v", seq, hash, b.Kind, err)
	}
}

func (p *projection) create(rep *ledger.VerifyReport, seq int64, hash string, b ledger.TxBody) {
	if p.contracts[b.Contract] != nil {
		problem(rep, "transaction %d (%s): creates contract %s a second time", seq, hash, b.Contract)
		return
	}
	var e ledger.ContractCreatedEffect
	if err := json.Unmarshal(b.Effect, &e); err != nil {
		problem(rep, "transaction %d (%s): its %s effect is unreadable: %v", seq, hash, b.Kind, err)
		return
	}
	p.contracts[b.Contract] = &projContract{holderKey: p.holderKey, venue: e.Venue, owner: e.Owner, createdHeight: b.Height,
		seats: ledger.ContractSeats(e.Seats, e.Standing), standing: e.Standing, sales: map[int64]*projSale{}}
}

// customer replays a customer's creation, change or erasure, which name it by id alone.
func (p *projection) customer(rep *ledger.VerifyReport, seq int64, hash string, b ledger.TxBody) {
	var e ledger.CustomerEffect
	if err := json.Unmarshal(b.Effect, &e); err != nil {
		problem(rep, "transaction %d (%s): its %s effect is unreadable: %v", seq, hash, b.Kind, err)
		return
	}
	c := p.customers[e.Customer]
	switch {
	case b.Kind == ledger.TxCustomerCreated && c != nil:
		problem(rep, "transaction %d (%s): creates customer %d a second time", seq, hash, e.Customer)
	case b.Kind == ledger.TxCustomerCreated:
		p.customers[e.Customer] = &projCustomer{createdBy: b.Actor}
	case c == nil:
		problem(rep, "transaction %d (%s): %s on customer %d, which the journal never created", seq, hash, b.Kind, e.Customer)
	case c.erased:
		problem(rep, "transaction %d (%s): %s on customer %d, which the journal erased before", seq, hash, b.Kind, e.Customer)
	case b.Kind == ledger.TxCustomerErased:
		c.erased = true
	}
}

// transfer replays a change of owner.
func (c *projContract) transfer(b ledger.TxBody) error {
	var e ledger.ContractTransferredEffect
	if err := json.Unmarshal(b.Effect, &e); err != nil {
		return err
	}
	c.owner = e.Owner
	return nil
}

func (c *projContract) beginSale(rep *ledger.VerifyReport, seq int64, hash string, b ledger.TxBody) error {
	var e ledger.SaleBegunEffect
	if err := json.Unmarshal(b.Effect, &e); err != nil {
		return err
	}
	if len(e.Prices) != len(c.seats) {
		problem(rep, "transaction %d (%s): sale %d of contract %s prices %d seats of %d", seq, hash, e.Sale, b.Contract, len(e.Prices), len(c.seats))
	}
	s := &projSale{details: e.Details, begun: b.Height, tickets: make([]projTicket, len(e.Prices)), gatePolicy: ledger.DefaultGatePolicy()}
	for i, price := range e.Prices {
		s.tickets[i].price = price
	}
	c.sales[e.Sale] = s
	c.saleNumber, c.saleActive = e.Sale, true
	return nil
}

func (c *projContract) endSale(rep *ledger.VerifyReport, seq int64, hash string, b ledger.TxBody) error {
	var e ledger.SaleEndedEffect
	if err := json.Unmarshal(b.Effect, &e); err != nil {
		return err
	}
	s := c.sale(rep, seq, hash, b, e.Sale)
	if s == nil {
		return nil
	}
	s.ended = b.Height
	c.saleActive = false
	return nil
}

// sale returns the sale the transaction acts on, or reports that the journal never began it.
func (c *projContract) sale(rep *ledger.VerifyReport, seq int64, hash string, b ledger.TxBody, number int64) *projSale {
	s := c.sales[number]
	if s == nil {
		problem(rep, "transaction %d (%s): %s on sale %d of contract %s, which the journal never began", seq, hash, b.Kind, number, b.Contract)
	}
	return s
}

// ticket returns the sale's ticket at idx, or reports that the sale has none there.
func (s *projSale) ticket(rep *ledger.VerifyReport, seq int64, hash string, b ledger.TxBody, idx int) *projTicket {
	if idx < 0 || idx >= len(s.tickets) {
		problem(rep, "transaction %d (%s): %s on seat index %d of contract %s, which has %d", seq, hash, b.Kind, idx, b.Contract, len(s.tickets))
		return nil
	}
	return &s.tickets[idx]
}

func (c *projContract) reserve(rep *ledger.VerifyReport, seq int64, hash string, b ledger.TxBody) error {
	var e ledger.TicketsReservedEffect
	if err := json.Unmarshal(b.Effect, &e); err != nil {
		return err
	}
	s := c.sale(rep, seq, hash, b, e.Sale)
	if s == nil {
		return nil
	}
	for _, rt := range e.Tickets {
		t := s.ticket(rep, seq, hash, b, rt.Index)
		if t == nil {
			continue
		}
		t.sold, t.paid = true, t.price
		if e.Holder != "" {
			t.holder, t.soldBy = e.Holder, b.Actor
		} else { // an order journaled before holders were pseudonymous, sender in clear
			t.ownerKnown, t.owner = true, e.Sender
			t.holder = ledger.HolderAddress(c.holderKey, b.Contract, "", e.Sender)
		}
		t.setSealing(rt)
	}
	return nil
}

// setSealing records a ticket's sealed secret and name as the journal gives them.
func (t *projTicket) setSealing(rt ledger.ReservedTicket) {
	t.secretCT, t.secretDigest, t.nameCT, t.nameDigest = rt.SecretCiphertext, rt.SecretDigest, rt.NameCiphertext, rt.NameDigest
}

// reissue gives a sold ticket its new sealing.
func (c *projContract) reissue(rep *ledger.VerifyReport, seq int64, hash string, b ledger.TxBody) error {
	var e ledger.TicketReissuedEffect
	if err := json.Unmarshal(b.Effect, &e); err != nil {
		return err
	}
	s := c.sale(rep, seq, hash, b, e.Sale)
	if s == nil {
		return nil
	}
	t := s.ticket(rep, seq, hash, b, e.Index)
	switch {
	case t == nil:
	case !t.sold || t.holder != e.Holder:
		problem(rep, "transaction %d (%s): reissues seat index %d of contract %s, which its holder does not hold", seq, hash, e.Index, b.Contract)
	default:
		t.setSealing(e.ReservedTicket)
	}
	return nil
}

func (c *projContract) release(rep *ledger.VerifyReport, seq int64, hash string, b ledger.TxBody) error {
	var e ledger.TicketReleasedEffect
	if err := json.Unmarshal(b.Effect, &e); err != nil {
		return err
	}
	s := c.sale(rep, seq, hash, b, e.Sale)
	if s == nil {
		return nil
	}
	if t := s.ticket(rep, seq, hash, b, e.Index); t != nil {
		*t = projTicket{price: t.price}
	}
	return nil
}

// checkIn admits, in the contract's latest sale, each ticket the attempt admitted that
// was not admitted before (a retry of the same request reports admitted again): as of
// the transaction's time, or an uploaded offline admission's own (At). A double entry
// is kept once per ticket and nonce (verify_double.go).
// Exits and re-entries move the ticket out and in (verify_door.go).
func (c *projContract) checkIn(rep *ledger.VerifyReport, seq int64, hash string, b ledger.TxBody) error {
	var e ledger.CheckInEffect
	if err := json.Unmarshal(b.Effect, &e); err != nil {
		return err
	}
	at := b.Time
	if e.Offline && e.At != 0 {
		at = e.At
	}
	for _, res := range e.Results {
		if res.Status != ledger.StatusAdmitted && res.Status != ledger.StatusDoubleEntry && !isMove(res.Status) {
			continue
		}
		s := c.sale(rep, seq, hash, b, c.saleNumber)
		if s == nil {
			return nil
		}
		idx, ok := c.index(res.Seat)
		if !ok {
			problem(rep, "transaction %d (%s): admits seat %s, which contract %s lacks", seq, hash, res.Seat, b.Contract)
			continue
		}
		t := s.ticket(rep, seq, hash, b, idx)
		switch {
		case t == nil:
		case isMove(res.Status):
			t.move(rep, seq, hash, b, res, e.Nonce, at)
		case res.Status == ledger.StatusDoubleEntry:
			s.doubleEntry(rep, seq, hash, b, idx, e, t)
		case t.checkedIn == 0:
			t.checkedIn, t.gate, t.nonce = at, e.Gate, e.Nonce
		}
	}
	return nil
}

// index returns the index of the seat in the contract.
func (c *projContract) index(seat ledger.Seat) (int, bool) {
	if c.seatIdx == nil {
		c.seatIdx = make(map[string]int, len(c.seats))
		for i, s := range c.seats {
			c.seatIdx[s.Key()] = i
		}
	}
	i, ok := c.seatIdx[seat.Key()]
	return i, ok
}
