package sqlstore_test

import (
	"database/sql"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// seedPerson is seed 003's person.
func seedPerson() ledger.Customer {
	return ledger.Customer{Salutation: "m", FirstName: "Tom", LastName: "Tomson", Email: "tom@tomsons.com",
		Phone: "+41 31 555 01 02", Company: "Tomsons AG", Locale: "de-CH",
		Address: ledger.PostalAddress{Country: "CH", Address1: "Testweg 10", Address2: "Postfach", Zip: "3000", City: "Bern"}}
}

// personalFields are the seed person's fields, as they must never appear in the journal.
func personalFields(c ledger.Customer) []string {
	a := c.Address
	return []string{c.FirstName, c.LastName, c.Email, c.Phone, c.Company, c.Locale, a.Address1, a.Address2, a.Zip, a.City}
}

// holdsField reports whether the journal body holds a customer's field. A field of hex
// digits only (a zip code such as 3000) is looked for as a whole JSON string, since a
// random hash or address in hex may hold its digits by chance.
func holdsField(body, field string) bool {
	if strings.Trim(field, "0123456789abcdefABCDEF") == "" {
		return strings.Contains(body, `"`+field+`"`)
	}
	return strings.Contains(body, field)
}

// TestCustomerJournalHasNoPersonalData creates, changes and erases a customer and reads
// the whole journal back: its rows name the customer by id and nothing else of theirs.
func TestCustomerJournalHasNoPersonalData(t *testing.T) {
	e := openEnv(t)
	office := e.actor(t, ledger.RoleBoxOffice, "office")
	c, err := e.store.Customers.CreateCustomer(office, seedPerson())
	mustNil(t, err, "CreateCustomer")
	city := "Thun"
	_, err = e.store.Customers.UpdateCustomer(office, c.ID, ledger.CustomerChange{Address: &ledger.AddressChange{City: &city}})
	mustNil(t, err, "UpdateCustomer")
	rows, err := e.rawDB(t).Query(`SELECT kind, body FROM journal ORDER BY seq`)
	mustNil(t, err, "reading the journal")
	defer rows.Close()
	kinds := 0
	for rows.Next() {
		var kind, body string
		mustNil(t, rows.Scan(&kind, &body), "scanning the journal")
		for _, field := range append(personalFields(c), city) {
			if holdsField(body, field) {
				t.Errorf("journal %s holds the customer's %q: %s", kind, field, body)
			}
		}
		if ledger.IsCustomerKind(kind) {
			kinds++
		}
	}
	if kinds != 2 {
		t.Errorf("the journal holds %d customer transactions, want 2", kinds)
	}
}

// TestVerifyCustomers: verify passes after an erasure, and reports personal data left in
// an erased row, a customer row the journal never created, and one it created that is gone.
func TestVerifyCustomers(t *testing.T) {
	tests := map[string]func(t *testing.T, db *rawDB, kept, erased ledger.Customer){
		"DataAfterErasure": func(t *testing.T, db *rawDB, kept, erased ledger.Customer) {
			wantRows(t, mustExec(t, db, `UPDATE customers SET last_name = 'Tomson' WHERE id = ?`, erased.ID))
		},
		"Unjournaled": func(t *testing.T, db *rawDB, kept, erased ledger.Customer) {
			wantRows(t, mustExec(t, db, `INSERT INTO customers (id, created_by, created_at, changed_at) VALUES (7, 'admin', 0, 0)`))
		},
		"Deleted": func(t *testing.T, db *rawDB, kept, erased ledger.Customer) {
			wantRows(t, mustExec(t, db, `DELETE FROM customers WHERE id = ?`, kept.ID))
		},
		"Unerased": func(t *testing.T, db *rawDB, kept, erased ledger.Customer) {
			wantRows(t, mustExec(t, db, `UPDATE customers SET erased = 0 WHERE id = ?`, erased.ID))
		},
	}
	for name, tamper := range tests {
		t.Run(name, func(t *testing.T) {
			e := openEnv(t)
			office := e.actor(t, ledger.RoleBoxOffice, "office")
			kept, err := e.store.Customers.CreateCustomer(office, seedPerson())
			mustNil(t, err, "CreateCustomer")
			gone, err := e.store.Customers.CreateCustomer(office, seedPerson())
			mustNil(t, err, "CreateCustomer")
			gone, err = e.store.Customers.EraseCustomer(office, gone.ID)
			mustNil(t, err, "EraseCustomer")
			if rep := mustVerify(t, e); !rep.OK {
				t.Fatalf("Verify after an erasure = %+v", rep)
			}
			tamper(t, e.rawDB(t), kept, gone)
			if rep := mustVerify(t, e); rep.OK || len(rep.Problems) == 0 {
				t.Errorf("Verify after tampering = %+v, want a problem reported", rep)
			}
		})
	}
}

// TestEraseCustomerWithBooking: a customer's export lists their confirmed booking; after
// the erasure the booking still names the customer by id alone, no table holds anything
// of theirs, and the ledger verifies.
func TestEraseCustomerWithBooking(t *testing.T) {
	b := openBookings(t, 0, "1A", "1B")
	bk := b.book(t, "1A")
	_, err := b.store.Bookings.Confirm(b.org, bk.ID, confirmOrder(t, bk, "1A"))
	mustNil(t, err, "Confirm")
	ex, err := b.store.Customers.ExportCustomer(b.org, bk.Customer)
	mustNil(t, err, "ExportCustomer")
	if len(ex.Bookings) != 1 || ex.Bookings[0].ID != bk.ID || ex.Bookings[0].State != ledger.BookingConfirmed {
		t.Errorf("export's bookings = %+v, want booking %d confirmed", ex.Bookings, bk.ID)
	}
	_, err = b.store.Customers.EraseCustomer(b.org, bk.Customer)
	mustNil(t, err, "EraseCustomer")
	read, err := b.store.Bookings.Booking(b.org, bk.ID)
	mustNil(t, err, "Booking after the erasure")
	if read.Customer != bk.Customer || len(read.Tickets) != 1 {
		t.Errorf("booking after the erasure = %+v, want customer %d and its ticket", read, bk.Customer)
	}
	db := b.rawDB(t)
	for _, table := range []string{"customers", "bookings", "tickets", "journal"} {
		if held := personalDataIn(t, db, table); held != "" {
			t.Errorf("after the erasure the %s table still holds the customer's %s", table, held)
		}
	}
	b.clock.AdvanceBlocks(2)
	if rep := mustVerify(t, b.env); !rep.OK {
		t.Errorf("Verify after erasing a customer with a booking = %+v", rep)
	}
}

// personalDataIn returns the first of seed 003's person's fields (but the postal code,
// four digits that hex digests hold by chance) found in any column of any row of the
// table, or "".
func personalDataIn(t *testing.T, db *rawDB, table string) string {
	rows, err := db.Query(`SELECT * FROM ` + table)
	mustNil(t, err, "reading "+table)
	defer rows.Close()
	cols, err := rows.Columns()
	mustNil(t, err, "reading the columns of "+table)
	vals := make([]sql.NullString, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		mustNil(t, rows.Scan(ptrs...), "scanning "+table)
		for _, v := range vals {
			for _, field := range personalFields(seedPerson()) {
				if field != seedPerson().Address.Zip && strings.Contains(v.String, field) {
					return field
				}
			}
		}
	}
	mustNil(t, rows.Err(), "reading "+table)
	return ""
}
