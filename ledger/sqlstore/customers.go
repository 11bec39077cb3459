package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/binary"
	"errors"
	"strings"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Customers is the store of the shop's customers (ledger.Customers): their personal data
// in the customers table, and in the journal only that a customer was created, changed or
// erased, by id.
type Customers struct {
	*db
}

var _ ledger.Customers = (*Customers)(nil)

// customerColumns are the customers table's columns in the order scanCustomer reads them.
const customerColumns = `id, created_by, salutation, first_name, last_name, company, email, phone, locale,
	country, address1, address2, zip, city, created_at, changed_at, erased`

// CreateCustomer records a new customer under a fresh random id, journaling
// customer_created by id: EINVALID for a malformed field.
func (s *Customers) CreateCustomer(ctx context.Context, c ledger.Customer) (ledger.Customer, error) {
	actor, err := ledger.Authorize(ctx, ledger.CustomerRoles...)
	if err != nil {
		return ledger.Customer{}, err
	}
	c, err = ledger.NormalizeCustomer(c)
	if err != nil {
		return ledger.Customer{}, err
	}
	c.ID, c.CreatedBy, c.Erased = newCustomerID(), actor.ID(), false
	err = s.update(ctx, "recording the customer", actor, "", lockNone, func(w *wtx) error {
		c.Created, c.Changed = w.now.UTC(), w.now.UTC()
		if _, err := w.exec(`INSERT INTO customers (`+customerColumns+`, email_key, name_key)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
			append(customerArgs(c), c.Created.UnixNano(), c.Changed.UnixNano(), emailKey(c), nameKey(c))...); err != nil {
			return err
		}
		_, err := w.journal(ledger.TxCustomerCreated, "", ledger.CustomerEffect{Customer: c.ID})
		return err
	})
	if err != nil {
		return ledger.Customer{}, err
	}
	return c, nil
}

// newCustomerID returns a random id from 1 to 2^53-1.
func newCustomerID() int64 {
	var b [8]byte
	rand.Read(b[:])
	return int64(binary.BigEndian.Uint64(b[:])>>11) | 1
}

// customerArgs are the customer's id, creator and personal fields, in customerColumns' order.
func customerArgs(c ledger.Customer) []any {
	a := c.Address
	return []any{c.ID, c.CreatedBy, c.Salutation, c.FirstName, c.LastName, c.Company, c.Email, c.Phone, c.Locale,
		a.Country, a.Address1, a.Address2, a.Zip, a.City}
}

// emailKey and nameKey are what searches compare: lowercased here, so both engines agree.
func emailKey(c ledger.Customer) string { return strings.ToLower(c.Email) }
func nameKey(c ledger.Customer) string {
	return strings.TrimSpace(strings.ToLower(c.FirstName + " " + c.LastName + " " + c.Company))
}

// Customer returns the customer with the id: ENOTFOUND when there is none or the actor
// may not see it.
func (s *Customers) Customer(ctx context.Context, id int64) (ledger.Customer, error) {
	actor, err := ledger.Authorize(ctx, ledger.CustomerRoles...)
	if err != nil {
		return ledger.Customer{}, err
	}
	c, err := loadCustomer(s.reader(ctx), actor, id)
	if err != nil {
		return ledger.Customer{}, s.internal("reading the customer", err)
	}
	return c, nil
}

// loadCustomer reads the customer with the id, as the actor may see it.
func loadCustomer(r runner, actor ledger.Actor, id int64) (ledger.Customer, error) {
	c, err := scanCustomer(r.row(`SELECT `+customerColumns+` FROM customers WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && !ledger.MaySeeCustomer(actor, c.CreatedBy) {
		return ledger.Customer{}, ledger.Errorf(ledger.ENOTFOUND, "No customer with id %d", id)
	}
	return c, err
}

// scanCustomer reads one row of customerColumns.
func scanCustomer(row scanner) (ledger.Customer, error) {
	var c ledger.Customer
	a := &c.Address
	var created, changed, erased int64
	err := row.Scan(&c.ID, &c.CreatedBy, &c.Salutation, &c.FirstName, &c.LastName, &c.Company, &c.Email, &c.Phone, &c.Locale,
		&a.Country, &a.Address1, &a.Address2, &a.Zip, &a.City, &created, &changed, &erased)
	c.Created, c.Changed, c.Erased = time.Unix(0, created).UTC(), time.Unix(0, changed).UTC(), erased != 0
	return c, err
}

// UpdateCustomer applies the change, journaling customer_changed by id: EINVALID for a
// malformed field or an empty change, ENOTFOUND for a customer the actor may not see,
// ECONFLICT for an erased one.
func (s *Customers) UpdateCustomer(ctx context.Context, id int64, change ledger.CustomerChange) (ledger.Customer, error) {
	actor, err := ledger.Authorize(ctx, ledger.CustomerRoles...)
	if err != nil {
		return ledger.Customer{}, err
	}
	var c ledger.Customer
	err = s.update(ctx, "changing the customer", actor, "", lockNone, func(w *wtx) error {
		old, err := loadCustomer(w.runner, actor, id)
		if err != nil {
			return err
		}
		if old.Erased {
			return ledger.Errorf(ledger.ECONFLICT, "Customer %d was erased: an erased customer cannot be changed", id)
		}
		if c, err = ledger.ApplyCustomerChange(old, change); err != nil {
			return err
		}
		c.Changed = w.now.UTC()
		return writeCustomer(w, ledger.TxCustomerChanged, c, 0)
	})
	if err != nil {
		return ledger.Customer{}, err
	}
	return c, nil
}

// writeCustomer stores the customer's fields as they now are and journals kind by id.
func writeCustomer(w *wtx, kind string, c ledger.Customer, erased int) error {
	args := append(customerArgs(c)[2:], emailKey(c), nameKey(c), c.Changed.UnixNano(), erased, c.ID)
	if _, err := w.exec(`UPDATE customers SET salutation = ?, first_name = ?, last_name = ?, company = ?, email = ?,
		phone = ?, locale = ?, country = ?, address1 = ?, address2 = ?, zip = ?, city = ?,
		email_key = ?, name_key = ?, changed_at = ?, erased = ? WHERE id = ?`, args...); err != nil {
		return err
	}
	_, err := w.journal(kind, "", ledger.CustomerEffect{Customer: c.ID})
	return err
}

// EraseCustomer blanks every personal field of the customer and journals customer_erased
// by id; the id, creator and times stay; the mail queue forgets their address (eraseMails),
// and the command API their pin and external ids (eraseSeasonAccount).
// An erased customer is returned as it is.
func (s *Customers) EraseCustomer(ctx context.Context, id int64) (ledger.Customer, error) {
	actor, err := ledger.Authorize(ctx, ledger.CustomerRoles...)
	if err != nil {
		return ledger.Customer{}, err
	}
	var c ledger.Customer
	err = s.update(ctx, "erasing the customer", actor, "", lockNone, func(w *wtx) error {
		old, err := loadCustomer(w.runner, actor, id)
		if err != nil || old.Erased {
			c = old
			return err
		}
		c = old.Anonymized()
		c.Changed = w.now.UTC()
		if err := writeCustomer(w, ledger.TxCustomerErased, c, 1); err != nil {
			return err
		}
		if err := eraseSeasonAccount(w, id); err != nil {
			return err
		}
		return eraseMails(w, old.Email)
	})
	if err != nil {
		return ledger.Customer{}, err
	}
	return c, nil
}
