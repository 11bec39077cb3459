package sqlstore

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// compareState compares the state tables with the projection the journal replayed into,
// one table at a time (one open query at a time, as pgx needs), and reports each
// difference.
func compareState(r runner, rep *ledger.VerifyReport, p *projection) error {
	for _, compare := range []func(runner, *ledger.VerifyReport, *projection) error{
		compareContracts, compareSeats, compareStanding, compareSales, compareTickets, compareCustomers, compareResale, compareDevices, compareDoubles,
		compareGatePolicies, compareExits,
	} {
		if err := compare(r, rep, p); err != nil {
			return err
		}
	}
	reportMissing(rep, p)
	return nil
}

// differ reports a column whose stored value is not the one the journal implies.
func differ(rep *ledger.VerifyReport, where, column string, stored, journal any) {
	if stored != journal {
		problem(rep, "%s: %s is %v in the table, %v by the journal", where, column, stored, journal)
	}
}

func compareContracts(r runner, rep *ledger.VerifyReport, p *projection) error {
	rows, err := r.rows(`SELECT address, venue, owner, seat_count, release_fee, no_release_blocks, require_identity,
		sale_number, sale_active, created_height FROM contracts ORDER BY address`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var address, venue, owner string
		var seatCount int
		var fee, noRelease, identity, saleNumber, active, created int64
		if err := rows.Scan(&address, &venue, &owner, &seatCount, &fee, &noRelease, &identity, &saleNumber, &active, &created); err != nil {
			return err
		}
		c := p.contracts[address]
		where := "contract " + address
		if c == nil {
			problem(rep, "%s: in the contracts table, never created by the journal", where)
			continue
		}
		c.seen = true
		differ(rep, where, "venue", venue, c.venue)
		differ(rep, where, "owner", owner, c.owner)
		differ(rep, where, "seat_count", seatCount, len(c.seats))
		differ(rep, where, "release_fee", fee, c.rules.ReleaseFee)
		differ(rep, where, "no_release_blocks", noRelease, c.rules.NoReleaseBlocks)
		differ(rep, where, "require_identity", identity != 0, c.rules.RequireIdentityVerification)
		differ(rep, where, "sale_number", saleNumber, c.saleNumber)
		differ(rep, where, "sale_active", active != 0, c.saleActive)
		differ(rep, where, "created_height", created, c.createdHeight)
	}
	return rows.Err()
}

func compareSeats(r runner, rep *ledger.VerifyReport, p *projection) error {
	rows, err := r.rows(`SELECT contract, idx, section, number, letter FROM seats ORDER BY contract, idx`)
	if err != nil {
		return err
	}
	defer rows.Close()
	counts := map[string]int{}
	for rows.Next() {
		var address string
		var idx int
		var seat ledger.Seat
		if err := rows.Scan(&address, &idx, &seat.Section, &seat.Number, &seat.Letter); err != nil {
			return err
		}
		c := p.contracts[address]
		if c == nil {
			continue // reported with the contract, or its absence
		}
		counts[address]++
		if idx < 0 || idx >= len(c.seats) {
			problem(rep, "contract %s seat index %d (%s): in the seats table, not in the journal's %d seats", address, idx, seat, len(c.seats))
			continue
		}
		if seat != c.seats[idx] {
			problem(rep, "contract %s seat index %d: seat is %s in the table, %s by the journal", address, idx, seat, c.seats[idx])
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, address := range sortedKeys(p.contracts) {
		if n, want := counts[address], len(p.contracts[address].seats); n != want {
			problem(rep, "contract %s: %d seats in the seats table, %d by the journal", address, n, want)
		}
	}
	return nil
}

func compareSales(r runner, rep *ledger.VerifyReport, p *projection) error {
	rows, err := r.rows(`SELECT contract, number, name, organiser, show_time, end_height, currency, time_zone,
		hold_seconds, begun_height, ended_height, ticket_types FROM sales ORDER BY contract, number`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var address, types string
		var number, hold, begun, ended int64
		var d ledger.SaleDetails
		if err := rows.Scan(&address, &number, &d.Name, &d.Organiser, &d.Time, &d.EndOfSale, &d.Currency, &d.TimeZone, &hold, &begun, &ended,
			&types); err != nil {
			return err
		}
		where := fmt.Sprintf("contract %s sale %d", address, number)
		s := p.sale(address, number)
		if s == nil {
			problem(rep, "%s: in the sales table, never begun by the journal", where)
			continue
		}
		s.seen = true
		differ(rep, where, "name", d.Name, s.details.Name)
		differ(rep, where, "organiser", d.Organiser, s.details.Organiser)
		differ(rep, where, "show_time", d.Time, s.details.Time)
		differ(rep, where, "end_height", d.EndOfSale, s.details.EndOfSale)
		differ(rep, where, "currency", d.Currency, s.details.Currency)
		differ(rep, where, "time_zone", d.TimeZone, s.details.TimeZone)
		differ(rep, where, "hold_seconds", hold, holdSeconds(s.details))
		differ(rep, where, "begun_height", begun, s.begun)
		differ(rep, where, "ended_height", ended, s.ended)
		differ(rep, where, "ticket_types", types, typesText(s.details.TicketTypes))
	}
	return rows.Err()
}

// typesText is the ticket types as the sales table keeps them: JSON, "" for none.
func typesText(types []ledger.TicketType) string {
	if len(types) == 0 {
		return ""
	}
	text, err := json.Marshal(types)
	if err != nil {
		return err.Error()
	}
	return string(text)
}

func (p *projection) sale(address string, number int64) *projSale {
	if c := p.contracts[address]; c != nil {
		return c.sales[number]
	}
	return nil
}

// storedTicketRow is a tickets row as compareTickets reads it.
type storedTicketRow struct {
	address                                    string
	sale                                       int64
	idx                                        int
	owner                                      sql.NullString
	holder, soldBy                             string
	secretCT, secretDigest, nameCT, nameDigest string
	price, paid, checkedIn, booking            int64
	gate, nonce, format                        string
	ticketType                                 string
	typePrice                                  int64
}

func compareTickets(r runner, rep *ledger.VerifyReport, p *projection) error {
	rows, err := r.rows(`SELECT contract, sale, idx, price, owner, holder, sold_by, secret_ct, secret_digest, name_ct, name_digest, paid,
		checked_in_at, gate, checkin_nonce, booking, format, ticket_type, type_price FROM tickets ORDER BY contract, sale, idx`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var t storedTicketRow
		if err := rows.Scan(&t.address, &t.sale, &t.idx, &t.price, &t.owner, &t.holder, &t.soldBy, &t.secretCT, &t.secretDigest, &t.nameCT,
			&t.nameDigest, &t.paid, &t.checkedIn, &t.gate, &t.nonce, &t.booking, &t.format, &t.ticketType, &t.typePrice); err != nil {
			return err
		}
		compareTicket(rep, p, t)
	}
	return rows.Err()
}

func compareTicket(rep *ledger.VerifyReport, p *projection, t storedTicketRow) {
	where := fmt.Sprintf("contract %s sale %d seat index %d", t.address, t.sale, t.idx)
	s := p.sale(t.address, t.sale)
	if s == nil || t.idx < 0 || t.idx >= len(s.tickets) {
		problem(rep, "%s: in the tickets table, not in the journal", where)
		return
	}
	if seats := p.contracts[t.address].seats; t.idx < len(seats) {
		where = fmt.Sprintf("contract %s sale %d seat %s", t.address, t.sale, seats[t.idx])
	}
	want := &s.tickets[t.idx]
	want.seen = true
	compareHolder(rep, p, where, t, want)
	differ(rep, where, "price", t.price, want.price)
	differ(rep, where, "paid", t.paid, want.paid)
	differ(rep, where, "secret_digest", t.secretDigest, want.secretDigest)
	differ(rep, where, "secret_ct", t.secretCT, want.secretCT)
	differ(rep, where, "name_ct", t.nameCT, want.nameCT)
	differ(rep, where, "name_digest", t.nameDigest, want.nameDigest)
	differ(rep, where, "checked_in_at", t.checkedIn, want.checkedIn)
	differ(rep, where, "gate", t.gate, want.gate)
	differ(rep, where, "checkin_nonce", t.nonce, want.nonce)
	differ(rep, where, "booking", t.booking, want.booking)
	format := want.format
	if format == "" {
		format = ledger.FormatPDF
	}
	differ(rep, where, "format", t.format, format)
	differ(rep, where, "ticket_type", t.ticketType, want.ticketType)
	differ(rep, where, "type_price", t.typePrice, want.typePrice)
}

// compareHolder checks who holds the ticket: the holder address and selling key the
// journal records, and an owner that yields that address under the holder key (or, for
// orders journaled with the sender in clear, that sender). A sender is never printed:
// problems are reported to whoever runs verify, and may reach logs.
func compareHolder(rep *ledger.VerifyReport, p *projection, where string, t storedTicketRow, want *projTicket) {
	if t.owner.Valid != want.sold {
		differ(rep, where, "owner", soldText(t.owner.Valid), soldText(want.sold))
		return
	}
	differ(rep, where, "holder", t.holder, want.holder)
	differ(rep, where, "sold_by", t.soldBy, want.soldBy)
	switch {
	case !want.sold:
	case want.ownerKnown && t.owner.String != want.owner:
		problem(rep, "%s: owner is not the sender the journal records", where)
	case !want.ownerKnown && ledger.HolderAddress(p.holderKey, t.address, t.soldBy, t.owner.String) != want.holder:
		problem(rep, "%s: owner is not the sender of holder %s in the journal", where, want.holder)
	}
}

func soldText(sold bool) string {
	if !sold {
		return "NULL (available)"
	}
	return "a sender (sold)"
}

func ownerText(owner string, sold bool) string {
	if !sold {
		return "NULL (available)"
	}
	return fmt.Sprintf("%q", owner)
}

// reportMissing reports what the journal implies and the tables lack.
func reportMissing(rep *ledger.VerifyReport, p *projection) {
	for _, address := range sortedKeys(p.contracts) {
		c := p.contracts[address]
		if !c.seen {
			problem(rep, "contract %s: created by the journal, missing from the contracts table", address)
		}
		numbers := make([]int64, 0, len(c.sales))
		for n := range c.sales {
			numbers = append(numbers, n)
		}
		sort.Slice(numbers, func(i, j int) bool { return numbers[i] < numbers[j] })
		for _, n := range numbers {
			s := c.sales[n]
			if !s.seen {
				problem(rep, "contract %s sale %d: begun by the journal, missing from the sales table", address, n)
			}
			for i := range s.tickets {
				if !s.tickets[i].seen {
					problem(rep, "contract %s sale %d seat index %d: ticket missing from the tickets table", address, n, i)
				}
			}
		}
	}
}

func sortedKeys(m map[string]*projContract) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// compareCustomers checks the customers table against the journal: every customer
// created by it, by the key it names, erased when it says so, with nothing personal left
// in an erased row; and reports the customers the journal created that the table lacks.
func compareCustomers(r runner, rep *ledger.VerifyReport, p *projection) error {
	rows, err := r.rows(`SELECT id, created_by, erased, salutation || first_name || last_name || company || email || phone ||
		locale || country || address1 || address2 || zip || city || email_key || name_key FROM customers ORDER BY id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, erased int64
		var createdBy, personal string
		if err := rows.Scan(&id, &createdBy, &erased, &personal); err != nil {
			return err
		}
		c := p.customers[id]
		where := fmt.Sprintf("customer %d", id)
		if c == nil {
			problem(rep, "%s: in the customers table, never created by the journal", where)
			continue
		}
		c.seen = true
		differ(rep, where, "created_by", createdBy, c.createdBy)
		differ(rep, where, "erased", erased != 0, c.erased)
		if c.erased && personal != "" {
			problem(rep, "%s: erased by the journal, yet personal data remains in the customers table", where)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range slices.Sorted(maps.Keys(p.customers)) {
		if c := p.customers[id]; !c.seen {
			problem(rep, "customer %d: created by the journal, missing from the customers table", id)
		}
	}
	return nil
}
