package sqlstore

import (
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// The gate's side of offline admission (issue 15): a device that could not reach the
// server admitted from its copy and uploads the admission later (ledger.CheckInRequest
// Offline, At, Device). A ticket not yet admitted is admitted as of At; one admitted
// before elsewhere keeps its first admission in the tickets row, and the upload is kept
// in double_entries, once per nonce.

// offlineTime returns when an offline admission happened, as the ledger records it: the
// device's time, but never after the ledger's now (a device clock running ahead), and
// now for a request that gives none. It is zero for an online request.
func offlineTime(r ledger.CheckInRequest, now time.Time) time.Time {
	if !r.Offline {
		return time.Time{}
	}
	if r.At.IsZero() || r.At.After(now) {
		return now.UTC()
	}
	return r.At.UTC()
}

// offlineAllowed reports whether the sale's gate policy allows offline admission (it
// does unless its owner forbade it).
func offlineAllowed(c ledger.Contract) bool {
	return c.Sale == nil || c.Sale.GatePolicy.OfflineAdmission
}

// recordDoubleEntry keeps an uploaded offline admission of a ticket admitted before
// elsewhere (res carries the first admission), once per nonce: a second upload of it
// is the same answer.
func recordDoubleEntry(w *wtx, c ledger.Contract, idx int, r ledger.CheckInRequest, res ledger.CheckResult) (ledger.CheckResult, error) {
	_, err := w.exec(`INSERT INTO double_entries (contract, sale, idx, nonce, gate, device, at, uploaded_at, against_policy)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (contract, sale, idx, nonce) DO NOTHING`,
		c.Address, c.Sale.Number, idx, r.Nonce, r.Gate, r.Device, r.At.UnixNano(), w.now.UnixNano(), boolInt(res.AgainstPolicy))
	res.Status = ledger.StatusDoubleEntry
	res.Reason = "admitted before at gate " + res.Gate + ": this offline admission is recorded as a double entry"
	return res, err
}

// loadDoubleEntries reads the double entries of a contract's sale, oldest first, each
// with its ticket's first admission.
func loadDoubleEntries(r runner, address string, sale int64) ([]ledger.DoubleEntry, error) {
	rows, err := r.rows(`SELECT s.section, s.number, s.letter, d.gate, d.device, d.at, d.uploaded_at, d.against_policy, t.gate, t.checked_in_at
		FROM double_entries d JOIN seats s ON s.contract = d.contract AND s.idx = d.idx
		JOIN tickets t ON t.contract = d.contract AND t.sale = d.sale AND t.idx = d.idx
		WHERE d.contract = ? AND d.sale = ? ORDER BY d.at, d.idx, d.nonce`, address, sale)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	doubles := []ledger.DoubleEntry{}
	for rows.Next() {
		var d ledger.DoubleEntry
		var at, uploaded, against, first int64
		if err := rows.Scan(&d.Seat.Section, &d.Seat.Number, &d.Seat.Letter, &d.Gate, &d.Device, &at, &uploaded, &against, &d.FirstGate, &first); err != nil {
			return nil, err
		}
		d.At, d.UploadedAt, d.FirstAt = time.Unix(0, at).UTC(), time.Unix(0, uploaded).UTC(), time.Unix(0, first).UTC()
		d.AgainstPolicy = against != 0
		doubles = append(doubles, d)
	}
	return doubles, rows.Err()
}
