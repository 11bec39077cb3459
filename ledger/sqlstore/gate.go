package sqlstore

import (
	"context"
	"database/sql"
	"encoding/hex"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Gate is the ledger's gate side (ledger.Gate): check-ins, the scans that could not be
// read, and what the owner and the gates' devices may know of the entry.
type Gate struct{ *db }

var _ ledger.Gate = (*Gate)(nil)

// CheckIn verifies each ticket of a QR against the contract's latest sale and, unless
// only verifying, admits each valid one once, all in one transaction that also journals
// the attempt with its gate. A scanner key, an organizer key on its own contract, or the
// administrator may check in.
func (s *Gate) CheckIn(ctx context.Context, address string, r ledger.CheckInRequest) ([]ledger.CheckResult, error) {
	r, err := ledger.CleanCheckIn(r)
	if err != nil {
		return nil, err
	}
	var results []ledger.CheckResult
	err = s.writeContract(ctx, "checking in", address, asGate, func(w *wtx, c ledger.Contract) error {
		var err error
		if r.Gate, err = gateName(w, address, r.Gate, !r.VerifyOnly); err != nil {
			return err
		}
		r.At = offlineTime(r, w.now)
		results = make([]ledger.CheckResult, len(r.Tickets))
		for i, t := range r.Tickets {
			if results[i], err = checkOne(w, c, t, r); err != nil {
				return err
			}
		}
		if r.Code != nil {
			res, err := checkCode(w, c, *r.Code, r)
			if err != nil {
				return err
			}
			results = append(results, res)
		}
		if r.VerifyOnly {
			return nil
		}
		_, err = w.journal(ledger.TxCheckIn, address, ledger.NewCheckInEffect(r, results))
		return err
	})
	if err != nil {
		return nil, err
	}
	return results, nil
}

// RecordMalformed journals a check-in attempt whose QR could not be read, so every
// attempt at the gate is on record, and returns its result.
func (s *Gate) RecordMalformed(ctx context.Context, address, gate, reason string) (ledger.CheckResult, error) {
	gate, err := ledger.CleanGate(gate)
	if err != nil {
		return ledger.CheckResult{}, err
	}
	res := ledger.CheckResult{Status: ledger.StatusMalformed, Reason: reason}
	err = s.writeContract(ctx, "recording the scan", address, asGate, func(w *wtx, c ledger.Contract) error {
		var err error
		if gate, err = gateName(w, address, gate, true); err != nil {
			return err
		}
		_, err = w.journal(ledger.TxCheckIn, address, ledger.CheckInEffect{Gate: gate, Malformed: reason})
		return err
	})
	return res, err
}

// gateName returns the spelling the contract's gates table holds for the gate (cleaned
// by ledger.CleanGate), so "north door" is written as the "North door" first seen.
// With record, a gate not seen before is added under the spelling given. It reads
// first, so the check-ins of a busy gate only read its row.
func gateName(w *wtx, address, gate string, record bool) (string, error) {
	key := ledger.GateKey(gate)
	name, err := readGate(w, address, key)
	if err == sql.ErrNoRows && record {
		if _, err = w.exec(`INSERT INTO gates (contract, gate_key, name) VALUES (?, ?, ?)
			ON CONFLICT (contract, gate_key) DO NOTHING`, address, key, gate); err != nil {
			return "", err
		}
		name, err = readGate(w, address, key)
	}
	if err == sql.ErrNoRows {
		return gate, nil
	}
	return name, err
}

func readGate(w *wtx, address, key string) (string, error) {
	var name string
	err := w.row(`SELECT name FROM gates WHERE contract = ? AND gate_key = ?`, address, key).Scan(&name)
	return name, err
}

type storedTicket struct {
	ledger.StoredTicket
	owner     sql.NullString
	digest    string // as stored, for the conditional update
	checkedIn int64
	gate      string
	nonce     string
	format    string
	exitedAt  int64  // when the holder went out; 0 while inside (gate_moves.go)
	moveNonce string // the nonce of the last exit or re-entry
}

// checkOne decides one ticket of a static QR and, when it is valid, admits it.
func checkOne(w *wtx, c ledger.Contract, t ledger.QRTicket, r ledger.CheckInRequest) (ledger.CheckResult, error) {
	idx, st, res, err := loadChecked(w, c, t.Seat, ledger.CheckResult{Seat: t.Seat})
	if err != nil || res.Status != "" {
		return res, err
	}
	status, reason, name := ledger.VerifyTicket(t, st.StoredTicket)
	if status != "" {
		res.Status, res.Reason = status, reason
		return res, nil
	}
	res.Name = name
	if st.format == ledger.FormatSecure {
		if res, err = refuseStaticSecure(w, c, idx, st, res); err != nil || res.Status != "" {
			return res, err
		}
	}
	return admit(w, c, idx, st, r, res)
}

// admit checks a genuine ticket in, or reports its first admission. An uploaded
// offline admission is admitted as of the time it happened, or kept as a double entry
// when the ticket was admitted before elsewhere.
func admit(w *wtx, c ledger.Contract, idx int, st storedTicket, r ledger.CheckInRequest, res ledger.CheckResult) (ledger.CheckResult, error) {
	res.AgainstPolicy = r.Offline && !r.VerifyOnly && !offlineAllowed(c)
	if moving(c, st, r) {
		return move(w, c, idx, st, r, res)
	}
	if st.checkedIn != 0 {
		first := time.Unix(0, st.checkedIn).UTC()
		res.CheckedInAt, res.Gate = &first, st.gate
		res.Status = ledger.StatusAlreadyCheckedIn
		switch {
		case r.Nonce != "" && r.Nonce == st.nonce && r.Gate == st.gate && !r.VerifyOnly:
			res.Status = ledger.StatusAdmitted // a retry of the request that admitted it, from its gate
		case r.Offline && !r.VerifyOnly:
			return recordDoubleEntry(w, c, idx, r, res)
		}
		return res, nil
	}
	if r.VerifyOnly {
		res.Status = ledger.StatusValid
		return res, nil
	}
	at := w.now.UTC()
	if r.Offline {
		at = r.At
	}
	upd, err := w.exec(`UPDATE tickets SET checked_in_at = ?, gate = ?, checkin_nonce = ?
		WHERE contract = ? AND sale = ? AND idx = ? AND checked_in_at = 0 AND owner = ? AND secret_digest = ?`,
		at.UnixNano(), r.Gate, r.Nonce, c.Address, c.Sale.Number, idx, st.owner.String, st.digest)
	if err := changedUnlessOne(upd, err); err != nil {
		return res, err
	}
	res.Status, res.CheckedInAt, res.Gate = ledger.StatusAdmitted, &at, r.Gate
	return res, nil
}

func loadStored(w *wtx, c ledger.Contract, idx int) (storedTicket, error) {
	var st storedTicket
	var sct, sd, nct, nd string
	err := w.row(`SELECT owner, secret_ct, secret_digest, name_ct, name_digest, checked_in_at, gate, checkin_nonce, format,
		exited_at, move_nonce FROM tickets WHERE contract = ? AND sale = ? AND idx = ?`, c.Address, c.Sale.Number, idx).
		Scan(&st.owner, &sct, &sd, &nct, &nd, &st.checkedIn, &st.gate, &st.nonce, &st.format, &st.exitedAt, &st.moveNonce)
	if err != nil {
		return st, err
	}
	st.SecretCiphertext, _ = hex.DecodeString(sct)
	st.digest = sd
	st.SecretDigest, _ = hex.DecodeString(sd)
	st.NameCiphertext, _ = hex.DecodeString(nct)
	st.NameDigest, _ = hex.DecodeString(nd)
	return st, nil
}
