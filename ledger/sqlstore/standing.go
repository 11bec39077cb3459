package sqlstore

import (
	"database/sql"
	"errors"
	"maps"
	"slices"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// General admission. A standing section's places are rows of the seats table like any
// seat (ledger.StandingSection.Places), after the contract's seats; the table
// standing_sections marks the section as sold by quantity and gives its capacity and the
// index of its first place.

// insertStanding records the contract's standing sections, whose places follow its
// seated seats from seat index first on.
func insertStanding(w *wtx, address string, first int, standing []ledger.StandingSection) error {
	for _, s := range standing {
		if _, err := w.exec(`INSERT INTO standing_sections (contract, section, capacity, first_idx) VALUES (?, ?, ?, ?)`,
			address, s.Section, s.Capacity, first); err != nil {
			return err
		}
		first += s.Capacity
	}
	return nil
}

// loadStanding returns the contract's standing sections in their order; nil for none.
func loadStanding(r runner, address string) ([]ledger.StandingSection, error) {
	rows, err := r.rows(`SELECT section, capacity FROM standing_sections WHERE contract = ? ORDER BY first_idx`, address)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ledger.StandingSection
	for rows.Next() {
		var s ledger.StandingSection
		if err := rows.Scan(&s.Section, &s.Capacity); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// standingRow is a standing section's capacity and the seat index of its first place.
type standingRow struct{ first, capacity int }

// standingSection returns the contract's standing section named section; nil when it is
// not one (or section is empty).
func standingSection(r *wtx, address, section string) (*standingRow, error) {
	if section == "" {
		return nil, nil
	}
	var s standingRow
	err := r.row(`SELECT first_idx, capacity FROM standing_sections WHERE contract = ? AND section = ?`, address, section).
		Scan(&s.first, &s.capacity)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &s, nil
}

// compareStanding compares the standing_sections table with the standing sections the
// journal created, each with its places' first seat index.
func compareStanding(r runner, rep *ledger.VerifyReport, p *projection) error {
	want := map[string]map[string]standingRow{}
	for address, c := range p.contracts {
		first := len(c.seats)
		for i := len(c.standing) - 1; i >= 0; i-- {
			first -= c.standing[i].Capacity
			if want[address] == nil {
				want[address] = map[string]standingRow{}
			}
			want[address][c.standing[i].Section] = standingRow{first: first, capacity: c.standing[i].Capacity}
		}
	}
	rows, err := r.rows(`SELECT contract, section, first_idx, capacity FROM standing_sections ORDER BY contract, first_idx`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var address, section string
		var got standingRow
		if err := rows.Scan(&address, &section, &got.first, &got.capacity); err != nil {
			return err
		}
		w, ok := want[address][section]
		if !ok {
			problem(rep, "contract %s: standing section %q is in the table, not in the journal", address, section)
			continue
		}
		delete(want[address], section)
		if w != got {
			problem(rep, "contract %s standing section %q: capacity %d from seat index %d in the table, %d from %d by the journal",
				address, section, got.capacity, got.first, w.capacity, w.first)
		}
	}
	for _, address := range slices.Sorted(maps.Keys(want)) {
		for _, section := range slices.Sorted(maps.Keys(want[address])) {
			problem(rep, "contract %s: standing section %q created by the journal is missing from the table", address, section)
		}
	}
	return rows.Err()
}
