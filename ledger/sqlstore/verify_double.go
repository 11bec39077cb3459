package sqlstore

import (
	"fmt"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// doubleKey names a double entry: the ticket's seat index and the upload's nonce.
type doubleKey struct {
	idx   int
	nonce string
}

// projDouble is a double entry as the journal implies it (see gate_offline.go).
type projDouble struct {
	gate, device        string
	at, uploaded        int64
	againstPolicy, seen bool
}

// doubleEntry replays a check-in's double entry: the ticket must have been admitted
// before, and a second upload of the same nonce keeps the first record.
func (s *projSale) doubleEntry(rep *ledger.VerifyReport, seq int64, hash string, b ledger.TxBody, idx int, e ledger.CheckInEffect, t *projTicket) {
	if t.checkedIn == 0 || !e.Offline {
		problem(rep, "transaction %d (%s): a double entry for seat index %d of contract %s, which was not admitted before or not offline", seq, hash, idx, b.Contract)
		return
	}
	if s.doubles == nil {
		s.doubles = map[doubleKey]*projDouble{}
	}
	k := doubleKey{idx, e.Nonce}
	if s.doubles[k] == nil {
		s.doubles[k] = &projDouble{gate: e.Gate, device: e.Device, at: e.At, uploaded: b.Time, againstPolicy: e.AgainstPolicy}
	}
}

// compareDoubles compares the double_entries table with the double entries the journal
// replayed, and reports rows the journal lacks and entries the table lacks.
func compareDoubles(r runner, rep *ledger.VerifyReport, p *projection) error {
	rows, err := r.rows(`SELECT contract, sale, idx, nonce, gate, device, at, uploaded_at, against_policy FROM double_entries
		ORDER BY contract, sale, idx, nonce`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var address, nonce, gate, device string
		var sale, at, uploaded, against int64
		var idx int
		if err := rows.Scan(&address, &sale, &idx, &nonce, &gate, &device, &at, &uploaded, &against); err != nil {
			return err
		}
		where := fmt.Sprintf("contract %s sale %d seat index %d: double entry %q", address, sale, idx, nonce)
		var want *projDouble
		if s := p.sale(address, sale); s != nil {
			want = s.doubles[doubleKey{idx, nonce}]
		}
		if want == nil {
			problem(rep, "%s: in the double_entries table, not in the journal", where)
			continue
		}
		want.seen = true
		differ(rep, where, "gate", gate, want.gate)
		differ(rep, where, "device", device, want.device)
		differ(rep, where, "at", at, want.at)
		differ(rep, where, "uploaded_at", uploaded, want.uploaded)
		differ(rep, where, "against_policy", against != 0, want.againstPolicy)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	reportMissingDoubles(rep, p)
	return nil
}

// reportMissingDoubles reports the double entries whose row the table lacks.
func reportMissingDoubles(rep *ledger.VerifyReport, p *projection) {
	for _, address := range sortedKeys(p.contracts) {
		for number, s := range p.contracts[address].sales {
			for k, d := range s.doubles {
				if !d.seen {
					problem(rep, "contract %s sale %d seat index %d: double entry %q in the journal, missing from the double_entries table", address, number, k.idx, k.nonce)
				}
			}
		}
	}
}
