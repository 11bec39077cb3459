package sqlstore

import (
	"database/sql"
	"errors"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// relate fills each ticket's customer (its booking's) and the related records q asks
// for: the page's bookings, customers, sales and contracts, each read once.
func relate(r runner, actor ledger.Actor, q ledger.TicketQuery, page []ledger.ListedTicket, now time.Time) error {
	bookings, err := pageBookings(r, page, now)
	if err != nil {
		return err
	}
	customers := map[int64]*ledger.Customer{}
	if q.Includes(ledger.RelBookingCustomer) {
		if customers, err = pageCustomers(r, actor, bookings); err != nil {
			return err
		}
	}
	sales := pageSales{r: r, contracts: map[string]ledger.Contract{}, sales: map[saleKey]*ledger.Sale{}}
	for i := range page {
		t := &page[i]
		b := bookings[t.Booking]
		ok := b != nil
		if ok {
			t.Customer = b.Customer
		}
		if len(q.With) == 0 {
			continue
		}
		t.With = &ledger.TicketRelated{}
		if ok && q.Includes(ledger.RelBooking) {
			t.With.Booking = b
			t.With.BookingCustomer = customers[b.Customer]
		}
		if err := sales.relate(q, t); err != nil {
			return err
		}
	}
	return nil
}

// pageBookings reads the bookings of the page's tickets, by id.
func pageBookings(r runner, page []ledger.ListedTicket, now time.Time) (map[int64]*ledger.BookingSummary, error) {
	out := map[int64]*ledger.BookingSummary{}
	var ids []any
	for _, t := range page {
		if _, seen := out[t.Booking]; t.Booking != 0 && !seen {
			out[t.Booking] = nil
			ids = append(ids, t.Booking)
		}
	}
	if len(ids) == 0 {
		return out, nil
	}
	return out, eachRow(r, `SELECT id, customer, contract, sale, state, format, expires_at FROM bookings WHERE id IN (`+marks(len(ids))+`)`, ids,
		func(rows *sql.Rows) error {
			var bk bookingRow
			if err := rows.Scan(&bk.id, &bk.customer, &bk.contract, &bk.sale, &bk.state, &bk.format, &bk.expires); err != nil {
				return err
			}
			out[bk.id] = &ledger.BookingSummary{ID: bk.id, Customer: bk.customer, Contract: bk.contract, Sale: bk.sale,
				State: bookingState(bk, now), Format: bk.format, Expires: bk.expires}
			return nil
		})
}

// pageCustomers reads the customers of the bookings that the actor may see; the others
// are left out.
func pageCustomers(r runner, actor ledger.Actor, bookings map[int64]*ledger.BookingSummary) (map[int64]*ledger.Customer, error) {
	out := map[int64]*ledger.Customer{}
	var ids []any
	for _, b := range bookings {
		if b == nil {
			continue
		}
		if _, seen := out[b.Customer]; !seen {
			out[b.Customer] = nil
			ids = append(ids, b.Customer)
		}
	}
	if len(ids) == 0 {
		return out, nil
	}
	return out, eachRow(r, `SELECT `+customerColumns+` FROM customers WHERE id IN (`+marks(len(ids))+`)`, ids,
		func(rows *sql.Rows) error {
			c, err := scanCustomer(rows)
			if err == nil && ledger.MaySeeCustomer(actor, c.CreatedBy) {
				out[c.ID] = &c
			}
			return err
		})
}

// saleKey names a sale: its contract and number.
type saleKey struct {
	contract string
	number   int64
}

// pageSales reads the sales and contracts of a page's tickets once each.
type pageSales struct {
	r         runner
	contracts map[string]ledger.Contract
	sales     map[saleKey]*ledger.Sale
}

// relate sets the ticket's sale and contract when q asks for them.
func (p pageSales) relate(q ledger.TicketQuery, t *ledger.ListedTicket) error {
	if !q.Includes(ledger.RelSale) && !q.Includes(ledger.RelContract) {
		return nil
	}
	c, ok := p.contracts[t.Contract]
	if !ok {
		var err error
		if c, err = loadContract(p.r, t.Contract); err != nil {
			return err
		}
		p.contracts[t.Contract] = c
	}
	if q.Includes(ledger.RelContract) {
		bare := c
		bare.Sale = nil
		t.With.Contract = &bare
	}
	if !q.Includes(ledger.RelSale) {
		return nil
	}
	key := saleKey{t.Contract, t.Sale}
	if _, ok := p.sales[key]; !ok {
		s, err := loadSale(p.r, c, t.Sale)
		if err != nil {
			return err
		}
		p.sales[key] = s
	}
	t.With.Sale = p.sales[key]
	return nil
}

// loadSale reads sale number of the contract: its latest from c, an earlier one from
// the sales table.
func loadSale(r runner, c ledger.Contract, number int64) (*ledger.Sale, error) {
	if c.Sale != nil && c.Sale.Number == number {
		return c.Sale, nil
	}
	var s saleRow
	err := r.row(`SELECT name, organiser, show_time, end_height, currency, time_zone, hold_seconds, begun_height, ended_height,
		offline_admission, reentry FROM sales WHERE contract = ? AND number = ?`, c.Address, number).
		Scan(&s.name, &s.organiser, &s.time, &s.end, &s.currency, &s.timeZone, &s.hold, &s.begun, &s.ended, &s.offline, &s.reentry)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return s.sale(number, false), err
}
