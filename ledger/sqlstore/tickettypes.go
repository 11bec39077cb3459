package sqlstore

import (
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// A sale's ticket types (ledger.TicketType) live beside the sale: sales.ticket_types
// keeps them as BeginSale gave them (JSON), for reading the sale, and sale_type_prices
// keeps each price under its scope and key, so a hold finds a seat's price of a type by
// the primary key, the most specific first. A held ticket names its type and price in
// tickets.ticket_type and tickets.type_price; takeSQL charges that price on confirmation,
// and every return of a seat to the pool clears them.

// The scopes of a type's price, from the least specific; a hold takes the highest that
// covers the seat.
const (
	scopeAll = iota
	scopeLevel
	scopeSection
	scopeSeat
)

// insertTicketTypes stores the sale's ticket types: the JSON for reading, and every
// price by scope and key. seats are the contract's seats in index order.
func insertTicketTypes(w *wtx, address string, number int64, seats []ledger.Seat, types []ledger.TicketType) error {
	if len(types) == 0 {
		return nil
	}
	text, err := json.Marshal(types)
	if err != nil {
		return err
	}
	if _, err := w.exec(`UPDATE sales SET ticket_types = ? WHERE contract = ? AND number = ?`, string(text), address, number); err != nil {
		return err
	}
	rows := typePriceRows(seats, types)
	return w.insertRows(`INSERT INTO sale_type_prices (contract, sale, type, scope, scope_key, price) VALUES `, len(rows),
		func(i int, args []any) []any {
			return append(args, address, number, rows[i].typ, rows[i].scope, rows[i].key, rows[i].price)
		})
}

// typePriceRow is one row of sale_type_prices.
type typePriceRow struct {
	typ, key string
	scope    int
	price    int64
}

// typePriceRows are the rows of the types' prices (ledger.ValidateTicketTypes passed:
// every seat named is one of seats).
func typePriceRows(seats []ledger.Seat, types []ledger.TicketType) []typePriceRow {
	index := make(map[string]int, len(seats))
	for i, s := range seats {
		index[s.Key()] = i
	}
	var rows []typePriceRow
	for _, t := range types {
		for _, p := range t.Prices {
			r := typePriceRow{typ: t.Name, scope: scopeAll, price: p.Price}
			switch {
			case p.Seat != nil:
				r.scope, r.key = scopeSeat, strconv.Itoa(index[p.Seat.Key()])
			case p.Section != nil:
				r.scope, r.key = scopeSection, *p.Section
			case p.PriceLevel != nil:
				r.scope, r.key = scopeLevel, strconv.FormatInt(*p.PriceLevel, 10)
			}
			rows = append(rows, r)
		}
	}
	return rows
}

// typePriceSQL finds a seat's price of a type: the most specific of its prices for the
// seat index, the seat's section, its base price, or every seat.
const typePriceSQL = `SELECT price FROM sale_type_prices WHERE contract = ? AND sale = ? AND type = ?
	AND (scope = 3 AND scope_key = ? OR scope = 2 AND scope_key = ? OR scope = 1 AND scope_key = ? OR scope = 0 AND scope_key = '')
	ORDER BY scope DESC LIMIT 1`

// holdAsType makes the held ticket ht (its index and base price filled) one of the type
// typ: its price the type's for the seat, recorded on the ticket row. A type the sale
// lacks, or that has no price for the seat, is refused in words.
func holdAsType(w *wtx, bk bookingRow, ht ledger.HeldTicket, typ string) (ledger.HeldTicket, error) {
	if typ == "" {
		return ht, nil
	}
	var price int64
	err := w.row(typePriceSQL, bk.contract, bk.sale, typ, strconv.Itoa(ht.Index), ht.Seat.Section,
		strconv.FormatInt(ht.Price, 10)).Scan(&price)
	if errors.Is(err, sql.ErrNoRows) {
		return ht, typeRefusal(w.runner, bk.contract, bk.sale, typ, ht.Seat)
	}
	if err != nil {
		return ht, err
	}
	if _, err := w.exec(`UPDATE tickets SET ticket_type = ?, type_price = ? WHERE contract = ? AND sale = ? AND idx = ?`,
		typ, price, bk.contract, bk.sale, ht.Index); err != nil {
		return ht, err
	}
	ht.Type, ht.Price = typ, price
	return ht, nil
}

// typeRefusal words why the type has no price for the seat: the sale lacks the type, or
// the type is not offered for the seat.
func typeRefusal(r runner, address string, sale int64, typ string, seat ledger.Seat) error {
	types, err := loadTicketTypes(r, address, sale)
	if err != nil {
		return err
	}
	if _, ok := ledger.FindTicketType(types, typ); !ok {
		return ledger.ErrUnknownTicketType(typ, types)
	}
	return ledger.ErrTypeNotForSeat(typ, seat)
}

// offeredTo keeps the free seats a pick may choose from that its ticket type is offered
// for (all of them for no type): a type the sale lacks, or one offered for none of them,
// is refused in words. (In a standing section the candidates are the first free places
// alone; a type is offered for all of them or none, unless priced place by place.)
func offeredTo(w *wtx, bk bookingRow, p ledger.Pick, free []pickCandidate) ([]pickCandidate, error) {
	if p.Type == "" {
		return free, nil
	}
	types, err := loadTicketTypes(w.runner, bk.contract, bk.sale)
	if err != nil {
		return nil, err
	}
	t, ok := ledger.FindTicketType(types, p.Type)
	if !ok {
		return nil, ledger.ErrUnknownTicketType(p.Type, types)
	}
	var out []pickCandidate
	for _, c := range free {
		if _, ok := t.PriceOf(c.seat, c.price); ok {
			out = append(out, c)
		}
	}
	if len(out) == 0 && len(free) > 0 {
		return nil, ledger.Errorf(ledger.EREFUSED, "Ticket type %q is not offered for the seats free %s", p.Type, p.Where())
	}
	return out, nil
}

// loadTicketTypes reads the ticket types of the contract's sale (nil for none).
func loadTicketTypes(r runner, address string, sale int64) ([]ledger.TicketType, error) {
	var text string
	err := r.row(`SELECT ticket_types FROM sales WHERE contract = ? AND number = ?`, address, sale).Scan(&text)
	if err != nil || text == "" {
		return nil, err
	}
	var types []ledger.TicketType
	return types, json.Unmarshal([]byte(text), &types)
}

// withTicketTypes fills the ticket types of the contract's latest sale.
func withTicketTypes(r runner, c ledger.Contract) (ledger.Contract, error) {
	if c.Sale == nil {
		return c, nil
	}
	types, err := loadTicketTypes(r, c.Address, c.Sale.Number)
	c.Sale.Details.TicketTypes = types
	return c, err
}

// typeSQL is the ticket type and price of a ticket row, for selects of tickets t: its
// type's price, or its base price when it has none.
const typeSQL = `t.ticket_type, CASE WHEN t.ticket_type = '' THEN t.price ELSE t.type_price END`
