package sqlstore

import (
	"context"
	"slices"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// CheckIns reports the latest sale's sold and admitted tickets, per gate, and how many
// of them are inside now (admitted and not out), for the contract's owner (or the
// administrator).
func (s *Gate) CheckIns(ctx context.Context, address string) (ledger.CheckInReport, error) {
	actor, err := ledger.Authorize(ctx, ledger.RoleOrganizer)
	if err != nil {
		return ledger.CheckInReport{}, err
	}
	r := s.reader(ctx)
	c, err := loadContract(r, address)
	if err != nil {
		return ledger.CheckInReport{}, s.internal("reading check-ins", err)
	}
	if err := ledger.AuthorizeOwner(actor, c.Owner, address); err != nil {
		return ledger.CheckInReport{}, err
	}
	rep := ledger.CheckInReport{PerGate: map[string]int64{}, CheckIns: []ledger.CheckInEntry{}, Doubles: []ledger.DoubleEntry{}}
	if c.Sale == nil {
		return rep, nil
	}
	rep.Sale = c.Sale.Number
	if err := r.row(`SELECT COUNT(*) FROM tickets WHERE contract = ? AND sale = ? AND owner IS NOT NULL`,
		address, c.Sale.Number).Scan(&rep.Sold); err != nil {
		return rep, s.internal("reading check-ins", err)
	}
	if err := loadCheckIns(r, address, c.Sale.Number, &rep); err != nil {
		return rep, s.internal("reading check-ins", err)
	}
	if rep.Doubles, err = loadDoubleEntries(r, address, c.Sale.Number); err != nil {
		return rep, s.internal("reading check-ins", err)
	}
	rep.DoubleEntries = int64(len(rep.Doubles))
	rep.ToCome = rep.Sold - rep.Admitted
	return rep, nil
}

func loadCheckIns(r runner, address string, sale int64, rep *ledger.CheckInReport) error {
	rows, err := r.rows(`SELECT s.section, s.number, s.letter, t.gate, t.checked_in_at, t.exited_at
		FROM tickets t JOIN seats s ON s.contract = t.contract AND s.idx = t.idx
		WHERE t.contract = ? AND t.sale = ? AND t.checked_in_at > 0 ORDER BY t.checked_in_at`, address, sale)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var e ledger.CheckInEntry
		var at, out int64
		if err := rows.Scan(&e.Seat.Section, &e.Seat.Number, &e.Seat.Letter, &e.Gate, &at, &out); err != nil {
			return err
		}
		e.CheckedInAt = time.Unix(0, at).UTC()
		if out != 0 {
			exited := time.Unix(0, out).UTC()
			e.ExitedAt = &exited
		} else {
			rep.Inside++
		}
		rep.CheckIns = append(rep.CheckIns, e)
		rep.PerGate[e.Gate]++
		rep.Admitted++
	}
	return rows.Err()
}

// GateCounts reports the latest sale's totals, admissions per gate and the contract's
// gates seen so far, for a scanner key or the owner's organizer key (or the
// administrator): EFORBIDDEN for another organizer's key.
func (s *Gate) GateCounts(ctx context.Context, address string) (ledger.GateReport, error) {
	actor, err := ledger.Authorize(ctx, ledger.RoleScanner, ledger.RoleOrganizer)
	if err != nil {
		return ledger.GateReport{}, err
	}
	r := s.reader(ctx)
	c, err := loadContract(r, address)
	if err != nil {
		return ledger.GateReport{}, s.internal("reading gate counts", err)
	}
	if err := ledger.AuthorizeSeller(actor, c.Owner, address); err != nil {
		return ledger.GateReport{}, err
	}
	rep := ledger.GateReport{PerGate: map[string]int64{}, Gates: []string{}, Doubles: []ledger.DoubleEntry{}}
	if err := loadGateCounts(r, c, &rep); err != nil {
		return ledger.GateReport{}, s.internal("reading gate counts", err)
	}
	return rep, nil
}

func loadGateCounts(r runner, c ledger.Contract, rep *ledger.GateReport) error {
	if err := loadGates(r, c.Address, rep); err != nil || c.Sale == nil {
		return err
	}
	rep.Sale = c.Sale.Number
	rows, err := r.rows(`SELECT gate, COUNT(*), SUM(CASE WHEN exited_at = 0 THEN 1 ELSE 0 END)
		FROM tickets WHERE contract = ? AND sale = ? AND checked_in_at > 0 GROUP BY gate`,
		c.Address, c.Sale.Number)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var gate string
		var n, inside int64
		if err := rows.Scan(&gate, &n, &inside); err != nil {
			return err
		}
		rep.PerGate[gate] = n
		rep.Admitted += n
		rep.Inside += inside
	}
	if err := rows.Err(); err != nil {
		return err
	}
	err = r.row(`SELECT COUNT(*) FROM tickets WHERE contract = ? AND sale = ? AND owner IS NOT NULL`,
		c.Address, c.Sale.Number).Scan(&rep.Sold)
	rep.ToCome = rep.Sold - rep.Admitted
	if err != nil {
		return err
	}
	if rep.Doubles, err = loadDoubleEntries(r, c.Address, c.Sale.Number); err != nil {
		return err
	}
	for i := range rep.Doubles {
		rep.Doubles[i].Seat = ledger.Seat{} // a gate's device sees gates and times only
	}
	rep.DoubleEntries = int64(len(rep.Doubles))
	return nil
}

func loadGates(r runner, address string, rep *ledger.GateReport) error {
	rows, err := r.rows(`SELECT name FROM gates WHERE contract = ?`, address)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return err
		}
		rep.Gates = append(rep.Gates, name)
	}
	slices.Sort(rep.Gates)
	return rows.Err()
}
