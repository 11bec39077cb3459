package offline

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/ticketbooth-go/ticketbooth/crypto"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/scanner"
)

// Copy is a gate device's copy of a sale: the server's state of each seat (as the
// last GateCopy and increments gave it) and the admissions this device made from it.
// It is safe for concurrent use.
type Copy struct {
	// Now is the device's clock (time.Now when nil): the time of local admissions, and
	// the clock rotating codes are checked against.
	Now func() time.Time

	mu         sync.Mutex
	contract   string
	venue      string
	sale       int64
	cursor     string
	policy     ledger.GatePolicy
	seats      map[ledger.Seat]*seatState
	admissions []Admission
}

// seatState is one seat: the server's ticket, and this device's admission of it when
// the server does not know it yet.
type seatState struct {
	ticket ledger.GateTicket
	local  *Admission
	// localDigest is the secret digest of the ticket this device admitted.
	localDigest []byte
}

// Admission is a scan this device admitted from its copy, to be uploaded: the QR text
// scanned (the server checks it again), the seats it admitted, the gate, the time on
// the device's clock and the scan's nonce.
type Admission struct {
	QR    string        `json:"qr"`
	Seats []ledger.Seat `json:"seats"`
	Gate  string        `json:"gate"`
	At    time.Time     `json:"at"`
	Nonce string        `json:"nonce"`
}

// New makes a device's copy from a whole GateCopy (Full): EINVALID for an increment.
func New(full ledger.GateCopy) (*Copy, error) {
	if !full.Full {
		return nil, ledger.Errorf(ledger.EINVALID, "A gate copy starts from the whole sale, not from changes")
	}
	c := &Copy{}
	c.replace(full)
	return c, nil
}

// Apply brings the copy up to date with what the server answered to its Cursor: a whole
// copy replaces the server's state (local admissions of tickets it still has unchanged
// are kept), an increment replaces the seats it lists. An increment of another contract
// or sale is EINVALID and changes nothing. A local admission is forgotten once the
// server's copy shows the ticket admitted, or shows another ticket on its seat.
func (c *Copy) Apply(inc ledger.GateCopy) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if inc.Contract != c.contract {
		return ledger.Errorf(ledger.EINVALID, "This gate copy is of contract %s, not %s", c.contract, inc.Contract)
	}
	if inc.Full {
		c.replace(inc)
		return nil
	}
	if inc.Sale != c.sale {
		return ledger.Errorf(ledger.EINVALID, "These changes are of sale %d, and this gate copy of sale %d", inc.Sale, c.sale)
	}
	for _, t := range inc.Tickets {
		c.put(t)
	}
	c.cursor, c.policy = inc.Cursor, inc.GatePolicy
	c.keepAdmissions()
	return nil
}

// replace takes a whole copy, keeping the local admissions still pending.
func (c *Copy) replace(full ledger.GateCopy) {
	old := c.seats
	c.contract, c.venue, c.sale, c.cursor, c.policy = full.Contract, full.Venue, full.Sale, full.Cursor, full.GatePolicy
	c.seats = make(map[ledger.Seat]*seatState, len(full.Tickets))
	for _, t := range full.Tickets {
		c.seats[t.Seat] = &seatState{ticket: t}
		if prev, ok := old[t.Seat]; ok {
			c.seats[t.Seat].local, c.seats[t.Seat].localDigest = prev.local, prev.localDigest
		}
	}
	c.keepAdmissions()
}

// put replaces one seat's server state, keeping its local admission.
func (c *Copy) put(t ledger.GateTicket) {
	if st, ok := c.seats[t.Seat]; ok {
		st.ticket = t
		return
	}
	c.seats[t.Seat] = &seatState{ticket: t}
}

// keepAdmissions forgets the local admissions the server's state has overtaken: the
// ticket admitted there, or no longer the ticket that was admitted (released,
// reissued, passed on).
func (c *Copy) keepAdmissions() {
	for _, st := range c.seats {
		if st.local != nil && (!st.ticket.Sold || !st.ticket.CheckedInAt.IsZero() ||
			!crypto.Equal(st.localDigest, st.ticket.SecretDigest)) {
			st.local, st.localDigest = nil, nil
		}
	}
}

// Contract is the contract the copy is of.
func (c *Copy) Contract() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.contract
}

// Sale is the number of the sale the copy is of (0: the contract had no sale).
func (c *Copy) Sale() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sale
}

// GatePolicy is the sale's gate policy as the server's last answer gave it: a device
// must not admit offline (Admit) when its OfflineAdmission is false.
func (c *Copy) GatePolicy() ledger.GatePolicy {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.policy
}

// Cursor is what to ask the server's GateCopy with for the changes since.
func (c *Copy) Cursor() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cursor
}

// Admissions returns the admissions this device made, oldest first, that the server's
// copy does not show yet.
func (c *Copy) Admissions() []Admission {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := []Admission{}
	for _, a := range c.admissions {
		for _, seat := range a.Seats {
			if st := c.seats[seat]; st != nil && st.local != nil && st.local.Nonce == a.Nonce {
				out = append(out, a)
				break
			}
		}
	}
	return out
}

func (c *Copy) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

var _ scanner.Service = (*Copy)(nil)

// CheckIn decides a scan from the copy as the ledger would online: it verifies, and
// unless VerifyOnly admits, the tickets of the QR text (see Admit). A scan of another
// contract, or an image, is EINVALID: offline, a device reads QR text only.
func (c *Copy) CheckIn(ctx context.Context, address string, s scanner.Scan) ([]ledger.CheckResult, error) {
	if address != c.Contract() {
		return nil, ledger.Errorf(ledger.EINVALID, "This device's gate copy is of contract %s, not %s", c.Contract(), address)
	}
	if len(s.Image) > 0 {
		return nil, ledger.Errorf(ledger.EINVALID, "Offline, this gate reads QR text only, not pictures")
	}
	if s.VerifyOnly {
		return c.Verify(s.QR), nil
	}
	res, _ := c.Admit(s.QR, s.Gate, s.Nonce)
	return res, nil
}

// CheckIns reports the sale's sold and admitted tickets as the copy knows them, the
// local admissions included.
func (c *Copy) CheckIns(ctx context.Context, address string) (ledger.CheckInReport, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	rep := ledger.CheckInReport{Sale: c.sale, PerGate: map[string]int64{}, CheckIns: []ledger.CheckInEntry{}}
	for _, st := range c.seats {
		if !st.ticket.Sold {
			continue
		}
		rep.Sold++
		if at, gate, ok := st.admitted(); ok {
			rep.CheckIns = append(rep.CheckIns, ledger.CheckInEntry{Seat: st.ticket.Seat, Gate: gate, CheckedInAt: at})
			rep.PerGate[gate]++
			rep.Admitted++
		}
	}
	slices.SortFunc(rep.CheckIns, func(a, b ledger.CheckInEntry) int { return a.CheckedInAt.Compare(b.CheckedInAt) })
	rep.ToCome = rep.Sold - rep.Admitted
	return rep, nil
}

// admitted returns the first admission of the seat's ticket: the server's, or this
// device's.
func (st *seatState) admitted() (time.Time, string, bool) {
	switch {
	case !st.ticket.CheckedInAt.IsZero():
		return st.ticket.CheckedInAt, st.ticket.Gate, true
	case st.local != nil:
		return st.local.At, st.local.Gate, true
	}
	return time.Time{}, "", false
}
