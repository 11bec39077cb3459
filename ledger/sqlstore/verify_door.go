package sqlstore

import (
	"encoding/json"
	"fmt"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// The replay of the work at the door (see verify_state.go): a sale begins with the
// default gate policy, and each TxGatePolicySet gives it the whole policy it records;
// check-ins that record an exit or a re-entry move the ticket out and in.

// setGatePolicy replays a change of a sale's gate policy.
func (c *projContract) setGatePolicy(rep *ledger.VerifyReport, seq int64, hash string, b ledger.TxBody) error {
	var e ledger.GatePolicyEffect
	if err := json.Unmarshal(b.Effect, &e); err != nil {
		return err
	}
	if s := c.sale(rep, seq, hash, b, e.Sale); s != nil {
		s.gatePolicy = e.Policy
	}
	return nil
}

// compareGatePolicies checks the sales table's gate policy columns against the policy
// the journal last set (the default when it set none). Sales missing on either side are
// compareSales's to report.
func compareGatePolicies(r runner, rep *ledger.VerifyReport, p *projection) error {
	rows, err := r.rows(`SELECT contract, number, offline_admission, reentry FROM sales ORDER BY contract, number`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var address string
		var number, offline, reentry int64
		if err := rows.Scan(&address, &number, &offline, &reentry); err != nil {
			return err
		}
		if s := p.sale(address, number); s != nil {
			where := fmt.Sprintf("contract %s sale %d", address, number)
			differ(rep, where, "offline_admission", offline != 0, s.gatePolicy.OfflineAdmission)
			differ(rep, where, "reentry", reentry != 0, s.gatePolicy.Reentry)
		}
	}
	return rows.Err()
}

// isMove reports whether a check-in status records an exit or a re-entry.
func isMove(status string) bool {
	return status == ledger.StatusExited || status == ledger.StatusReadmitted
}

// move replays an exit or a re-entry of the ticket: an exit of a ticket inside sets its
// exit time (at: the transaction's, or an uploaded offline scan's own), a re-entry of one that went out clears it, each with the attempt's nonce; the
// same status again on a ticket already so is a retry, which changes nothing. An exit of
// a ticket never admitted is reported.
func (t *projTicket) move(rep *ledger.VerifyReport, seq int64, hash string, b ledger.TxBody, res ledger.CheckedSeat, nonce string, at int64) {
	switch {
	case t.checkedIn == 0:
		problem(rep, "transaction %d (%s): %s seat %s of contract %s, which was never admitted", seq, hash, res.Status, res.Seat, b.Contract)
	case res.Status == ledger.StatusExited && t.exitedAt == 0:
		t.exitedAt, t.moveNonce = at, nonce
	case res.Status == ledger.StatusReadmitted && t.exitedAt != 0:
		t.exitedAt, t.moveNonce = 0, nonce
	}
}

// compareExits checks the tickets' exit columns against the exits and re-entries the
// journal replayed. Tickets missing on either side are compareTickets's to report.
func compareExits(r runner, rep *ledger.VerifyReport, p *projection) error {
	rows, err := r.rows(`SELECT contract, sale, idx, exited_at, move_nonce FROM tickets ORDER BY contract, sale, idx`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var address, nonce string
		var sale, exited int64
		var idx int
		if err := rows.Scan(&address, &sale, &idx, &exited, &nonce); err != nil {
			return err
		}
		s := p.sale(address, sale)
		if s == nil || idx < 0 || idx >= len(s.tickets) {
			continue
		}
		where := fmt.Sprintf("contract %s sale %d seat index %d", address, sale, idx)
		differ(rep, where, "exited_at", exited, s.tickets[idx].exitedAt)
		differ(rep, where, "move_nonce", nonce, s.tickets[idx].moveNonce)
	}
	return rows.Err()
}
