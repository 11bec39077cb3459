package sqlstore

import (
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Exits and re-entry (ledger/gate_moves.go): an out scan of a ticket inside sets its
// exited_at; an in scan of a ticket that went out clears it again when the sale's gate
// policy allows re-entry. checked_in_at and gate keep the first admission, so the
// admissions per gate count each holder once; move_nonce keeps the nonce of the last
// exit or re-entry, so that a retry of it gets the same answer.

// moving reports whether the scan r of the genuine ticket st is an exit, a re-entry or
// the retry of one, which move decides, rather than a first admission. An uploaded
// offline admission of a ticket that went out, where the sale refuses re-entry, is not:
// it happened, and admit keeps it as a double entry.
func moving(c ledger.Contract, st storedTicket, r ledger.CheckInRequest) bool {
	switch {
	case r.VerifyOnly:
		return false
	case r.Direction == ledger.DirectionOut:
		return true
	case st.exitedAt != 0:
		return !r.Offline || c.Sale.GatePolicy.Reentry
	}
	return r.Nonce != "" && r.Nonce == st.moveNonce
}

// move decides an exit or a re-entry and records it.
func move(w *wtx, c ledger.Contract, idx int, st storedTicket, r ledger.CheckInRequest, res ledger.CheckResult) (ledger.CheckResult, error) {
	if st.checkedIn != 0 {
		first := time.Unix(0, st.checkedIn).UTC()
		res.CheckedInAt, res.Gate = &first, st.gate
	}
	if st.exitedAt != 0 {
		out := time.Unix(0, st.exitedAt).UTC()
		res.ExitedAt = &out
	}
	retry := r.Nonce != "" && r.Nonce == st.moveNonce
	switch {
	case r.Direction == ledger.DirectionOut && st.checkedIn == 0:
		res.Status, res.Reason, res.CheckedInAt, res.Gate = ledger.StatusNotInside, "this ticket was never admitted: there is no entry to go out from", nil, ""
	case r.Direction == ledger.DirectionOut && st.exitedAt != 0 && retry:
		res.Status, res.Gate = ledger.StatusExited, r.Gate
	case r.Direction == ledger.DirectionOut && st.exitedAt != 0:
		res.Status, res.Reason = ledger.StatusNotInside, "the holder went out already and has not come in again"
	case r.Direction == ledger.DirectionOut:
		return moveTo(w, c, idx, st, r, res, movedAt(w, r).UnixNano(), ledger.StatusExited)
	case st.exitedAt == 0: // inside again: a retry of the re-entry
		res.Status = ledger.StatusReadmitted
	case !c.Sale.GatePolicy.Reentry:
		res.Status, res.Reason = ledger.StatusAlreadyCheckedIn, ledger.MsgNoReentry
	default:
		return moveTo(w, c, idx, st, r, res, 0, ledger.StatusReadmitted)
	}
	return res, nil
}

// moveTo records the holder's exit (exitedAt, now) or re-entry (0), on the condition that
// the ticket is still as read, and answers status.
func moveTo(w *wtx, c ledger.Contract, idx int, st storedTicket, r ledger.CheckInRequest, res ledger.CheckResult, exitedAt int64, status string) (ledger.CheckResult, error) {
	upd, err := w.exec(`UPDATE tickets SET exited_at = ?, move_nonce = ?
		WHERE contract = ? AND sale = ? AND idx = ? AND checked_in_at = ? AND exited_at = ? AND secret_digest = ?`,
		exitedAt, r.Nonce, c.Address, c.Sale.Number, idx, st.checkedIn, st.exitedAt, st.digest)
	if err := changedUnlessOne(upd, err); err != nil {
		return res, err
	}
	at := movedAt(w, r).UTC()
	res.Status, res.Gate, res.ExitedAt = status, r.Gate, nil
	if exitedAt != 0 {
		res.ExitedAt = &at
	} else {
		res.CheckedInAt = &at
	}
	return res, nil
}

// movedAt is when the move happened: an uploaded offline scan's own time, else now.
func movedAt(w *wtx, r ledger.CheckInRequest) time.Time {
	if r.Offline && !r.At.IsZero() {
		return r.At
	}
	return w.now
}
