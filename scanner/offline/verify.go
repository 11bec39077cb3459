package offline

import (
	"time"

	"github.com/ticketbooth-go/ticketbooth/crypto"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/scanner"
)

// Verify decides the tickets of a QR text from the copy without admitting them: one
// result per ticket, with the ledger's statuses (valid, already_checked_in when the
// copy knows an admission, invalid, not_sold, unknown_seat, no_sale), or a single
// malformed result for text that does not parse (scanner.ParseQR, or
// ledger.ParseRotatingCode for a rotating code). Secrets are compared by their
// digests, in constant time; a rotating code's signature is checked with the phone's
// key and its step against Now.
func (c *Copy) Verify(qr string) []ledger.CheckResult {
	res, _ := c.decide(qr, "", "", false)
	return res
}

// Admit decides the tickets of a QR text as Verify does and admits the valid ones
// locally: each is recorded in the copy at the gate (ledger.CleanGate's spelling) at
// Now, so a second scan at this device is refused as already_checked_in, and the
// Admission (with a fresh nonce when none is given) is returned for upload; its Seats
// are empty when nothing was admitted. A retry of the scan that admitted a ticket
// (the same nonce at the same gate) is admitted again, as online.
func (c *Copy) Admit(qr, gate, nonce string) ([]ledger.CheckResult, Admission) {
	if nonce == "" {
		nonce = scanner.NewNonce()
	}
	if g, err := ledger.CleanGate(gate); err == nil {
		gate = g
	} else {
		gate = ledger.DefaultGate
	}
	return c.decide(qr, gate, nonce, true)
}

// decide verifies the QR text's tickets and, with admit, records the admission.
func (c *Copy) decide(qr, gate, nonce string, admit bool) ([]ledger.CheckResult, Admission) {
	c.mu.Lock()
	defer c.mu.Unlock()
	a := Admission{QR: qr, Gate: gate, At: c.now().UTC(), Nonce: nonce}
	tickets, code, err := parse(qr)
	if err != nil {
		return []ledger.CheckResult{{Status: ledger.StatusMalformed, Reason: ledger.ErrorMessage(err)}}, Admission{}
	}
	var results []ledger.CheckResult
	var digests [][]byte
	for _, t := range tickets {
		res, st := c.checkStatic(t)
		results, digests = append(results, c.finish(res, st, &a, admit)), append(digests, crypto.SecretDigest(t.Secret))
	}
	if code != nil {
		res, st := c.checkCode(*code, a.At)
		results = append(results, c.finish(res, st, &a, admit))
		if st != nil {
			digests = append(digests, st.ticket.SecretDigest)
		}
	}
	c.record(a, tickets, code, digests)
	return results, a
}

// parse reads a static QR or a rotating code.
func parse(qr string) ([]ledger.QRTicket, *ledger.RotatingCode, error) {
	if ledger.IsRotatingCode(qr) {
		code, err := ledger.ParseRotatingCode(qr)
		return nil, &code, err
	}
	tickets, err := scanner.ParseQR(qr)
	return tickets, nil, err
}

// lookup finds a seat's ticket, answering (with the result's Status set) a copy of no
// sale, a seat the sale lacks and a ticket not sold.
func (c *Copy) lookup(seat ledger.Seat) (ledger.CheckResult, *seatState) {
	res := ledger.CheckResult{Seat: seat}
	st, ok := c.seats[seat]
	switch {
	case c.sale == 0:
		res.Status, res.Reason = ledger.StatusNoSale, "this contract has had no sale"
	case !ok:
		res.Status, res.Reason = ledger.StatusUnknownSeat, "no seat "+seat.String()+" at "+c.venue
	case !st.ticket.Sold:
		res.Status, res.Reason = ledger.StatusNotSold, "seat "+seat.String()+" is not sold (free or released)"
	default:
		res.IdentityCheckRequired = len(st.ticket.NameCiphertext) > 0
		return res, st
	}
	return res, nil
}

// checkStatic verifies a static QR's ticket: its secret against the digest, its name
// keys against the sealed name, and a SECURE ticket's phone.
func (c *Copy) checkStatic(q ledger.QRTicket) (ledger.CheckResult, *seatState) {
	res, st := c.lookup(q.Seat)
	if st == nil {
		return res, nil
	}
	t := st.ticket
	if len(t.SecretDigest) == 0 || !crypto.Equal(crypto.SecretDigest(q.Secret), t.SecretDigest) {
		res.Status, res.Reason = ledger.StatusInvalid, "the secret does not match this seat's ticket"
		return res, nil
	}
	status, reason, name := ledger.VerifyTicketName(q, t.NameCiphertext, t.NameDigest)
	if status != "" {
		res.Status, res.Reason = status, reason
		return res, nil
	}
	if t.Secure && len(t.DeviceKey) > 0 && crypto.Equal(t.DeviceDigest, t.SecretDigest) {
		res.Status, res.Reason = ledger.StatusInvalid, ledger.MsgStaticSecure
		return res, nil
	}
	res.Name = name
	return res, st
}

// checkCode verifies a rotating code: of this contract, for a sold SECURE ticket whose
// phone was registered for its current secret, signed by that phone, and current.
func (c *Copy) checkCode(code ledger.RotatingCode, now time.Time) (ledger.CheckResult, *seatState) {
	if code.Contract != c.contract {
		return ledger.CheckResult{Seat: code.Seat, Status: ledger.StatusInvalid, Reason: ledger.MsgOtherCode}, nil
	}
	res, st := c.lookup(code.Seat)
	if st == nil {
		return res, nil
	}
	t := st.ticket
	switch {
	case !t.Secure || len(t.DeviceKey) == 0:
		res.Status, res.Reason = ledger.StatusInvalid, ledger.MsgNoDevice
	case !crypto.Equal(t.DeviceDigest, t.SecretDigest):
		res.Status, res.Reason = ledger.StatusInvalid, ledger.MsgDeviceStale
	default:
		if why := ledger.VerifyRotatingCode(code, t.DeviceKey, now); why != "" {
			res.Status, res.Reason = ledger.StatusInvalid, why
		}
	}
	if res.Status != "" {
		return res, nil
	}
	return res, st
}

// finish decides a genuine ticket (st not nil): already admitted (by the server, or
// here), valid, or admitted now; with admit the seat joins the admission.
func (c *Copy) finish(res ledger.CheckResult, st *seatState, a *Admission, admit bool) ledger.CheckResult {
	if st == nil {
		return res
	}
	if at, gate, ok := st.admitted(); ok {
		res.Status, res.CheckedInAt, res.Gate = ledger.StatusAlreadyCheckedIn, &at, gate
		if admit && st.local != nil && st.local.Nonce == a.Nonce && st.local.Gate == a.Gate && st.ticket.CheckedInAt.IsZero() {
			res.Status = ledger.StatusAdmitted
		}
		return res
	}
	if !admit {
		res.Status = ledger.StatusValid
		return res
	}
	at := a.At
	res.Status, res.CheckedInAt, res.Gate = ledger.StatusAdmitted, &at, a.Gate
	a.Seats = append(a.Seats, res.Seat)
	return res
}

// record keeps the admission's seats admitted here, each with the digest of the
// ticket admitted.
func (c *Copy) record(a Admission, tickets []ledger.QRTicket, code *ledger.RotatingCode, digests [][]byte) {
	if len(a.Seats) == 0 {
		return
	}
	c.admissions = append(c.admissions, a)
	kept := &a
	seats := make([]ledger.Seat, 0, len(digests))
	for _, t := range tickets {
		seats = append(seats, t.Seat)
	}
	if code != nil {
		seats = append(seats, code.Seat)
	}
	for i, seat := range seats {
		if st := c.seats[seat]; st != nil && st.local == nil && slicesContains(a.Seats, seat) && i < len(digests) {
			st.local, st.localDigest = kept, digests[i]
		}
	}
}

// Restore records an admission this device made before (kept in its queue across a
// restart) into a copy made anew: its seats are admitted here again, unless the
// server's copy shows them admitted already or another ticket on the seat.
func (c *Copy) Restore(a Admission) {
	c.mu.Lock()
	defer c.mu.Unlock()
	tickets, code, err := parse(a.QR)
	if err != nil {
		return
	}
	var digests [][]byte
	for _, t := range tickets {
		digests = append(digests, crypto.SecretDigest(t.Secret))
	}
	if code != nil {
		if st := c.seats[code.Seat]; st != nil {
			digests = append(digests, st.ticket.SecretDigest)
		}
	}
	c.record(a, tickets, code, digests)
	c.keepAdmissions()
}

func slicesContains(seats []ledger.Seat, s ledger.Seat) bool {
	for _, v := range seats {
		if v == s {
			return true
		}
	}
	return false
}
