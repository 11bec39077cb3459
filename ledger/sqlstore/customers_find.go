package sqlstore

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// FindCustomers returns the customers the query matches, by id, that the actor may see:
// an e-mail address exactly (ignoring case), or a part of the names (ignoring case).
// Erased customers match nothing. EINVALID for a query without exactly one of the two or
// a limit out of bounds.
func (s *Customers) FindCustomers(ctx context.Context, q ledger.CustomerQuery) (ledger.CustomerPage, error) {
	actor, err := ledger.Authorize(ctx, ledger.CustomerRoles...)
	if err != nil {
		return ledger.CustomerPage{}, err
	}
	where, arg, limit, err := customerSearch(q)
	if err != nil {
		return ledger.CustomerPage{}, err
	}
	where = ` FROM customers WHERE erased = 0 AND ` + where
	args := []any{arg}
	if !ledger.MaySeeCustomer(actor, "") {
		where += ` AND created_by = ?`
		args = append(args, actor.ID())
	}
	page, err := findPage(s.reader(ctx), where, args, q.After, limit)
	if err != nil {
		return ledger.CustomerPage{}, s.internal("finding customers", err)
	}
	return page, nil
}

// findPage reads the page of limit customers after the id after that the condition where
// (with its args) finds, and how many it finds in all.
func findPage(r runner, where string, args []any, after int64, limit int) (ledger.CustomerPage, error) {
	var p ledger.CustomerPage
	if err := r.row(`SELECT COUNT(*)`+where, args...).Scan(&p.Total); err != nil {
		return p, err
	}
	found, err := readCustomers(r, `SELECT `+customerColumns+where+` AND id > ? ORDER BY id LIMIT ?`, append(args, after, limit+1)...)
	if err != nil {
		return p, err
	}
	p.More = len(found) > limit
	p.Customers = found[:min(len(found), limit)]
	return p, nil
}

// customerSearch returns the condition, its argument and the limit of a query.
func customerSearch(q ledger.CustomerQuery) (string, string, int, error) {
	email, name := strings.TrimSpace(q.Email), strings.TrimSpace(q.Name)
	limit := q.Limit
	switch {
	case (email == "") == (name == ""):
		return "", "", 0, ledger.Errorf(ledger.EINVALID, "Find customers by e-mail address or by name: give exactly one of the two")
	case q.After < 0:
		return "", "", 0, ledger.Errorf(ledger.EINVALID, "A search's page starts after a customer id, which is never negative")
	case limit < 0 || limit > ledger.MaxCustomerLimit:
		return "", "", 0, ledger.Errorf(ledger.EINVALID, "A search answers 1 to %d customers, not %d", ledger.MaxCustomerLimit, limit)
	case limit == 0:
		limit = ledger.DefaultCustomerLimit
	}
	if err := ledger.CheckText("The search", email+name); err != nil {
		return "", "", 0, err
	}
	if email != "" {
		return `email_key = ?`, strings.ToLower(email), limit, nil
	}
	pattern := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(name))
	return `name_key LIKE ? ESCAPE '\'`, "%" + pattern + "%", limit, nil
}

// readCustomers reads the customers a query of customerColumns answers.
func readCustomers(r runner, query string, args ...any) ([]ledger.Customer, error) {
	rows, err := r.rows(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ledger.Customer{}
	for rows.Next() {
		c, err := scanCustomer(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ExportCustomer returns the customer's record and the journal's transactions that name
// the customer, by id: ENOTFOUND for a customer the actor may not see.
func (s *Customers) ExportCustomer(ctx context.Context, id int64) (ledger.CustomerExport, error) {
	actor, err := ledger.Authorize(ctx, ledger.CustomerRoles...)
	if err != nil {
		return ledger.CustomerExport{}, err
	}
	r := s.reader(ctx)
	c, err := loadCustomer(r, actor, id)
	if err != nil {
		return ledger.CustomerExport{}, s.internal("exporting the customer", err)
	}
	ex := ledger.CustomerExport{Customer: c, Exported: s.now().UTC()}
	if ex.Bookings, err = customerBookings(r, id); err == nil {
		ex.Transactions, err = customerTransactions(r, id)
	}
	if err != nil {
		return ledger.CustomerExport{}, s.internal("exporting the customer", err)
	}
	return ex, nil
}

// customerBookings returns the customer's bookings, oldest first.
func customerBookings(r runner, id int64) ([]ledger.CustomerBooking, error) {
	rows, err := r.rows(`SELECT id, contract, sale, state, created_at FROM bookings WHERE customer = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ledger.CustomerBooking{}
	for rows.Next() {
		var b ledger.CustomerBooking
		var created int64
		if err := rows.Scan(&b.ID, &b.Contract, &b.Sale, &b.State, &created); err != nil {
			return nil, err
		}
		b.Created = time.Unix(0, created).UTC()
		out = append(out, b)
	}
	return out, rows.Err()
}

// customerTransactions returns the receipts of the journal's customer transactions that
// name the customer id, in journal order.
func customerTransactions(r runner, id int64) ([]ledger.Receipt, error) {
	rows, err := r.rows(`SELECT hash, body FROM journal WHERE contract = '' AND kind IN (?, ?, ?) ORDER BY seq`,
		ledger.TxCustomerCreated, ledger.TxCustomerChanged, ledger.TxCustomerErased)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ledger.Receipt{}
	for rows.Next() {
		var hash, body string
		if err := rows.Scan(&hash, &body); err != nil {
			return nil, err
		}
		var b ledger.TxBody
		var e ledger.CustomerEffect
		if json.Unmarshal([]byte(body), &b) != nil || json.Unmarshal(b.Effect, &e) != nil || e.Customer != id {
			continue
		}
		out = append(out, receiptOf(b, hash))
	}
	return out, rows.Err()
}
